"""What happens to a batch's lines after the instruction: failure, reissue, return.

A mixin of ``domain.batches.PaymentBatch``, which nests the events and holds
the mutators. ``BatchState`` names the state every batch command reads and
the checks they share. A line is closed exactly once: disbursed, or failed and
then reissued or its money returned (domain notes §2.3, RF-19).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from domain.batch_rules import FAILURE_REASONS, check_disbursements
from domain.errors import InvalidDataError, OrderingError
from domain.funds import require_text

if TYPE_CHECKING:
    from domain.base import Act
    from domain.batch_rules import Disbursement

BatchStatus = Literal["created", "approved", "instructed"]
LineState = Literal["scheduled", "disbursed", "failed", "reissued", "returned"]


class BatchState:
    """The attributes of a payment batch and the checks its commands share."""

    maker_id: str
    programme: str
    region_code: str
    period: str
    line_count: int
    total_fen: int
    status: BatchStatus
    approver_id: str | None
    lines: dict[int, tuple[str, str, int]]
    state: dict[int, LineState]
    paid_refs: dict[str, int]
    failures: dict[int, str]
    instruction_sha256: str | None

    @property
    def record(self) -> str:
        return f"payment batch {self.programme}/{self.region_code}/{self.period}"

    def _record(self, name: str, act: Act, **fields: Any) -> None:
        """Trigger the batch's event class ``name`` (``PaymentBatch`` nests it)."""
        raise NotImplementedError


class LineCommands(BatchState):
    """Commands on single lines after the bank instruction."""

    def fail_line(
        self, act: Act, line_no: int, reason_code: str, bank_ref: str
    ) -> bool:
        """Record that the bank could not pay a line, with its reason.

        Rule: a line fails only while still open; it must then be reissued or
        its money returned (domain notes §2.3 PaymentFailed, RF-19).
        """
        if act.imported and self.failures.get(line_no) == reason_code:
            return False
        if reason_code not in FAILURE_REASONS:
            raise InvalidDataError("batch.failure-reason", self.record, reason_code)
        if not act.imported:
            self._require_status("instructed", "record a failure in")
        self.require_line_state(line_no, "scheduled", "fail")
        self._record(
            "LineFailed",
            act,
            line_no=line_no,
            reason_code=reason_code,
            bank_ref=require_text(bank_ref, self.record, "the bank ref"),
        )
        return True

    def reissue_line(self, act: Act, item: Disbursement) -> bool:
        """Record a failed line paid again, to the account the bank reports.

        Rule: only a failed line is reissued, once, at its scheduled amount.
        """
        if act.imported and self.paid_refs.get(item.bank_txn_ref) == item.line_no:
            return False
        check_disbursements(
            [item], self.lines, self.paid_refs, self.record, live=not act.imported
        )
        self.require_line_state(item.line_no, "failed", "be reissued")
        self._record(
            "LineReissued",
            act,
            line_no=item.line_no,
            bank_txn_ref=item.bank_txn_ref,
            value_date=item.value_date,
            amount_fen=item.amount_fen,
            account_token=item.account_token,
        )
        return True

    def return_line(self, act: Act, line_no: int, treasury_ref: str) -> bool:
        """Record a failed line's money returned to the programme account.

        Rule: only a failed line is returned, once, for its whole amount.
        """
        if act.imported and self.state.get(line_no) == "returned":
            return False
        self.require_line_state(line_no, "failed", "be returned")
        self._record(
            "LineReturned",
            act,
            line_no=line_no,
            amount_fen=self.lines[line_no][2],
            treasury_ref=require_text(treasury_ref, self.record, "the treasury ref"),
        )
        return True

    def paid(self) -> dict[str, tuple[int, int]]:
        """Return bank ref → (line number, amount) of every paid line."""
        return {ref: (no, self.lines[no][2]) for ref, no in self.paid_refs.items()}

    def require_line_state(
        self, line_no: int, expected: LineState, action: str
    ) -> None:
        """Refuse unless line ``line_no`` exists and is in state ``expected``."""
        state = self.state.get(line_no)
        if state is None:
            raise InvalidDataError(
                "batch.line-known", self.record, f"no line {line_no}"
            )
        if state != expected:
            raise OrderingError(
                "batch.line-closed-once",
                self.record,
                f"line {line_no} is {state}, so it cannot {action}",
            )

    def _require_status(self, expected: BatchStatus, action: str) -> None:
        if self.status != expected:
            raise OrderingError(
                "batch.order", self.record, f"it is {self.status}; cannot {action} it"
            )
