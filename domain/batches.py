"""Monthly payment batches: one per programme × region × month, closed line by line.

A batch is one aggregate holding all its lines, so a batch of 100,000 lines is
one load, not 100,000. Lines travel in chunks: one ``LinesScheduled`` or
``LinesDisbursed`` event carries up to ``LINES_PER_EVENT`` lines as columns
(line numbers, cases, households, fen, ...), so every line is still in a
hashed event an inspector can cite (ledger position + line number) at a
fraction of the cost of one event per line. Failures, reissues and returns are
rare and get one event per line.

Why chunks: ``bench/batch_bench.py`` on 100,000 lines (SQLite, the shared
2-core machine) took about 16 s end to end with 1,000 lines per event and
118 s with one event per line (``--lines-per-event 1``): every event pays for
an object, a transcoding and a chain link, and replaying a 200,000-event batch
made each later command load for 13 s instead of about 1 s.

The events' payloads are the classes of ``domain.batch_events``, nested here
by name so their stored topics stay ``domain.batches:PaymentBatch.<Name>``;
the line commands after the instruction come from ``domain.batch_lines``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from eventsourcing.domain import Aggregate, event

from domain import batch_events as ev
from domain.batch_lines import BatchStatus, LineCommands, LineState
from domain.batch_rules import (
    Line,
    check_disbursements,
    check_lines,
    lines_digest,
)
from domain.errors import InvalidDataError, SeparationOfDutiesError
from domain.funds import (
    require_digest,
    require_period,
    require_programme,
)
from domain.ids import record_id

if TYPE_CHECKING:
    from collections.abc import Sequence
    from uuid import UUID

    from domain.base import Act
    from domain.batch_rules import Disbursement

LINES_PER_EVENT: Final = 1000


def batch_id(programme: str, region_code: str, period: str) -> UUID:
    """Return the id of the batch of ``programme`` × ``region_code`` × ``period``."""
    return record_id("payment-batch", f"{programme}:{region_code}:{period}")


class PaymentBatch(LineCommands, Aggregate):
    """The 花名册 payment of one programme in one region for one month."""

    Created = ev.Created
    LinesScheduled = ev.LinesScheduled
    Approved = ev.Approved
    InstructionSent = ev.InstructionSent
    LinesDisbursed = ev.LinesDisbursed
    LineFailed = ev.LineFailed
    LineReissued = ev.LineReissued
    LineReturned = ev.LineReturned

    @event(Created)
    def __init__(
        self,
        *,
        actor_id: str,
        programme: str,
        region_code: str,
        period: str,
        line_count: int,
        total_fen: int,
    ) -> None:
        self.maker_id = actor_id
        self.programme = programme
        self.region_code = region_code
        self.period = period
        self.line_count = line_count
        self.total_fen = total_fen
        self.status: BatchStatus = "created"
        self.approver_id: str | None = None
        # Plain (case, household, fen) tuples: built in C on replay.
        self.lines: dict[int, tuple[str, str, int]] = {}
        self.state: dict[int, LineState] = {}
        self.paid_refs: dict[str, int] = {}
        self.failures: dict[int, str] = {}
        self.instruction_sha256: str | None = None

    # Commands.

    @classmethod
    def create(
        cls,
        act: Act,
        *,
        programme: str,
        region_code: str,
        period: str,
        lines: Sequence[Line],
        lines_per_event: int = LINES_PER_EVENT,
    ) -> PaymentBatch:
        """Make the batch from the month's lines (maker of the maker–checker pair).

        Live rules: one batch per programme × region × month (the id is a
        uuid5 of those, so the store refuses a second); lines come from the
        roll's entitlements, at most one per household (domain notes §2.3).
        """
        record = f"payment batch {programme}/{region_code}/{period}"
        require_programme(programme, record)
        require_period(period, record)
        if not isinstance(region_code, str) or not region_code.isdigit():
            raise InvalidDataError("region.code", record, f"{region_code!r}")
        check_lines(lines, record, live=not act.imported)
        batch = cls._create(
            cls.Created,
            id=batch_id(programme, region_code, period),
            **act.fields(),
            programme=programme,
            region_code=region_code,
            period=period,
            line_count=len(lines),
            total_fen=sum(line.amount_fen for line in lines),
        )
        size = max(lines_per_event, 1)
        for start in range(0, len(lines), size):
            chunk = lines[start : start + size]
            batch.trigger_event(
                cls.LinesScheduled,
                **act.fields(),
                first_line_no=start + 1,
                case_nos=tuple(line.case_no for line in chunk),
                household_nos=tuple(line.household_no for line in chunk),
                amounts_fen=tuple(line.amount_fen for line in chunk),
            )
        return batch

    def approve(self, act: Act) -> bool:
        """Approve the batch: the checker is not the maker (maker–checker).

        Rules: 社会救助暂行办法 §5 (专款专用) with separation of duties; the
        lines must add up to the batch total. On import a repeat is skipped.
        """
        if act.imported and self.status != "created":
            return False
        self._require_status("created", "approve")
        if not act.imported and act.actor_id == self.maker_id:
            raise SeparationOfDutiesError(
                "batch.maker-checker", self.record, "the approver made the batch"
            )
        total = sum(amount for _, _, amount in self.lines.values())
        if len(self.lines) != self.line_count or total != self.total_fen:
            raise InvalidDataError(
                "batch.lines-sum-to-total", self.record, "lines do not add up"
            )
        self.trigger_event(
            self.Approved,
            **act.fields(),
            line_count=self.line_count,
            total_fen=self.total_fen,
            lines_digest=lines_digest(sorted(self.lines.items())),
        )
        return True

    def send_instruction(
        self,
        act: Act,
        *,
        file_sha256: str,
        line_count: int,
        total_fen: int,
        bank_code: str,
    ) -> bool:
        """Record the bank instruction file sent for the approved batch.

        Rule: the file binds exactly the approved lines: its line count and
        total equal the approved batch (domain notes §2.3 PaymentInstructionSent).
        """
        require_digest(file_sha256, self.record, "the instruction file hash")
        if act.imported and self.instruction_sha256 == file_sha256:
            return False
        self._require_status("approved", "send the instruction of")
        if line_count != self.line_count or total_fen != self.total_fen:
            raise InvalidDataError(
                "batch.instruction-matches-approval",
                self.record,
                f"the file holds {line_count} lines, {total_fen} fen; approved "
                f"{self.line_count} lines, {self.total_fen} fen",
            )
        self.trigger_event(
            self.InstructionSent,
            **act.fields(),
            file_sha256=file_sha256,
            line_count=line_count,
            total_fen=total_fen,
            bank_code=bank_code,
        )
        return True

    def record_disbursements(
        self,
        act: Act,
        items: Sequence[Disbursement],
        lines_per_event: int = LINES_PER_EVENT,
    ) -> int:
        """Record lines the bank paid; returns how many were recorded.

        Rules: only after the instruction; a line is closed once; the amount
        is the scheduled amount (domain notes §2.3). On import, lines already
        paid with the same bank ref are skipped. The account token and value
        date are the bank's report: a token not registered to the household
        (RF-16/RF-20) or a date after the pay day (RF-19) is recorded and
        flagged later, not refused, since refusing it would hide the evidence.
        """
        if act.imported:
            items = [
                i for i in items if self.paid_refs.get(i.bank_txn_ref) != i.line_no
            ]
        else:
            self._require_status("instructed", "record disbursements of")
        check_disbursements(
            items, self.lines, self.paid_refs, self.record, live=not act.imported
        )
        for item in items:
            self.require_line_state(item.line_no, "scheduled", "disburse")
        size = max(lines_per_event, 1)
        for start in range(0, len(items), size):
            chunk = items[start : start + size]
            self.trigger_event(
                self.LinesDisbursed,
                **act.fields(),
                line_nos=tuple(i.line_no for i in chunk),
                bank_txn_refs=tuple(i.bank_txn_ref for i in chunk),
                value_dates=tuple(i.value_date.isoformat() for i in chunk),
                amounts_fen=tuple(i.amount_fen for i in chunk),
                account_tokens=tuple(i.account_token for i in chunk),
            )
        return len(items)

    def _record(self, name: str, act: Act, **fields: Any) -> None:
        self.trigger_event(getattr(type(self), name), **act.fields(), **fields)

    # Mutators: assign only, so yesterday's events replay under today's rules.

    @event(LinesScheduled)
    def _lines_scheduled(
        self,
        first_line_no: int,
        case_nos: Sequence[str],
        household_nos: Sequence[str],
        amounts_fen: Sequence[int],
    ) -> None:
        numbers = range(first_line_no, first_line_no + len(case_nos))
        rows = zip(case_nos, household_nos, amounts_fen, strict=True)
        self.lines.update(zip(numbers, rows, strict=True))
        self.state.update(dict.fromkeys(numbers, "scheduled"))

    @event(Approved)
    def _approved(self, actor_id: str) -> None:
        self.approver_id = actor_id
        self.status = "approved"

    @event(InstructionSent)
    def _instruction_sent(self, file_sha256: str) -> None:
        self.instruction_sha256 = file_sha256
        self.status = "instructed"

    @event(LinesDisbursed)
    def _lines_disbursed(
        self, line_nos: Sequence[int], bank_txn_refs: Sequence[str]
    ) -> None:
        self.state.update(dict.fromkeys(line_nos, "disbursed"))
        self.paid_refs.update(zip(bank_txn_refs, line_nos, strict=True))

    @event(LineFailed)
    def _line_failed(self, line_no: int, reason_code: str) -> None:
        self.state[line_no] = "failed"
        self.failures[line_no] = reason_code

    @event(LineReissued)
    def _line_reissued(self, line_no: int, bank_txn_ref: str) -> None:
        self.state[line_no] = "reissued"
        self.paid_refs[bank_txn_ref] = line_no

    @event(LineReturned)
    def _line_returned(self, line_no: int) -> None:
        self.state[line_no] = "returned"
