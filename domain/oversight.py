"""Oversight records: complaints, appeals, red flags, referrals and corrections.

None of these alters a case or money: a correction is a compensating record
that points at what it corrects (aggregate id + version, or ledger position)
and takes effect, for readers, once a second person approves it.
"""

from __future__ import annotations

from datetime import date  # noqa: TC003 (event annotations are read at runtime)
from typing import TYPE_CHECKING, Final
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.base import ReliefCreated, ReliefEvent
from domain.errors import InvalidDataError, OrderingError, SeparationOfDutiesError
from domain.funds import require_digest, require_text
from domain.ids import NAMESPACE, record_id

if TYPE_CHECKING:
    from collections.abc import Sequence

    from domain.base import Act

CHANNELS: Final = frozenset({"12349", "letter", "online", "visit"})
APPEAL_KINDS: Final = frozenset({"复议", "诉讼"})
APPEAL_OUTCOMES: Final = frozenset({"维持", "撤销", "变更", "驳回"})


def flag_id(rule_id: str, subject: str, evidence: Sequence[tuple[int, str]]) -> UUID:
    """Return the id of the flag for ``rule_id`` × ``subject`` × ``evidence``.

    The same rule, subject and evidence always give the same flag, so a flag
    once cleared is not raised again on the same grounds.
    """
    cited = ",".join(f"{position}:{digest}" for position, digest in evidence)
    return uuid5(NAMESPACE, f"red-flag:{rule_id}|{subject}|{cited}")


class Complaint(Aggregate):
    """A complaint or report (举报) about a case or staff (审核确认办法 2021 §36–37)."""

    class Received(ReliefCreated):
        complaint_no: str
        channel: str
        real_name: bool
        target_case_no: str
        content_hash: str

    class Resolved(ReliefEvent):
        finding: str

    class FeedbackGiven(ReliefEvent):
        summary: str
        given_on: date

    class Closed(ReliefEvent):
        pass

    @event(Received)
    def __init__(self, *, complaint_no: str, channel: str, real_name: bool) -> None:
        self.complaint_no = complaint_no
        self.channel = channel
        self.real_name = real_name
        self.finding: str | None = None
        self.feedback_given = False
        self.closed = False

    @classmethod
    def receive(
        cls,
        act: Act,
        *,
        complaint_no: str,
        channel: str,
        real_name: bool,
        content_hash: str,
        target_case_no: str = "",
    ) -> Complaint:
        """Receive a complaint; its content stays off the ledger (only its hash)."""
        record = f"complaint {complaint_no}"
        require_text(complaint_no, record, "the complaint number")
        require_digest(content_hash, record, "the content hash")
        if channel not in CHANNELS:
            raise InvalidDataError("complaint.channel", record, f"{channel!r}")
        return cls._create(
            cls.Received,
            id=record_id("complaint", complaint_no),
            **act.fields(),
            complaint_no=complaint_no,
            channel=channel,
            real_name=bool(real_name),
            target_case_no=target_case_no,
            content_hash=content_hash,
        )

    @property
    def record(self) -> str:
        return f"complaint {self.complaint_no}"

    def resolve(self, act: Act, finding: str) -> None:
        """Record what checking the complaint found (2020 意见 item 22)."""
        if self.finding is not None:
            raise OrderingError("complaint.resolve-once", self.record, "it is resolved")
        text = require_text(finding, self.record, "the finding")
        self.trigger_event(self.Resolved, **act.fields(), finding=text)

    def give_feedback(self, act: Act, summary: str, given_on: date) -> None:
        """Tell a real-name reporter the result (审核确认办法 2021 §37)."""
        if not self.real_name:
            raise OrderingError(
                "complaint.feedback-real-name", self.record, "no reporter is named"
            )
        if self.finding is None:
            raise OrderingError(
                "complaint.feedback-after-finding", self.record, "it is not resolved"
            )
        text = require_text(summary, self.record, "the feedback")
        self.trigger_event(
            self.FeedbackGiven, **act.fields(), summary=text, given_on=given_on
        )

    def close(self, act: Act) -> None:
        """Close the complaint: resolved, and a real-name reporter answered."""
        if self.closed or self.finding is None:
            raise OrderingError(
                "complaint.close-resolved", self.record, "it is closed or unresolved"
            )
        if self.real_name and not self.feedback_given:
            raise OrderingError(
                "complaint.feedback-required",
                self.record,
                "a real-name reporter has had no feedback (审核确认办法 2021 §37)",
            )
        self.trigger_event(self.Closed, **act.fields())

    @event(Resolved)
    def _resolved(self, finding: str) -> None:
        self.finding = finding

    @event(FeedbackGiven)
    def _feedback_given(self) -> None:
        self.feedback_given = True

    @event(Closed)
    def _closed(self) -> None:
        self.closed = True


class Appeal(Aggregate):
    """A 行政复议 or 行政诉讼 against a decision (审核确认办法 2021 §38)."""

    class Filed(ReliefCreated):
        appeal_no: str
        case_no: str
        kind: str
        filed_on: date

    class Decided(ReliefEvent):
        outcome: str
        decision_ref: str

    @event(Filed)
    def __init__(self, *, appeal_no: str, case_no: str, kind: str) -> None:
        self.appeal_no = appeal_no
        self.case_no = case_no
        self.kind = kind
        self.outcome: str | None = None

    @classmethod
    def file(
        cls, act: Act, *, appeal_no: str, case_no: str, kind: str, filed_on: date
    ) -> Appeal:
        """Record an appeal against a case's decision."""
        record = f"appeal {appeal_no}"
        require_text(appeal_no, record, "the appeal number")
        if kind not in APPEAL_KINDS:
            raise InvalidDataError("appeal.kind", record, f"{kind!r}")
        return cls._create(
            cls.Filed,
            id=record_id("appeal", appeal_no),
            **act.fields(),
            appeal_no=appeal_no,
            case_no=case_no,
            kind=kind,
            filed_on=filed_on,
        )

    def decide(self, act: Act, outcome: str, decision_ref: str) -> None:
        """Record the decision on the appeal, once."""
        record = f"appeal {self.appeal_no}"
        if self.outcome is not None:
            raise OrderingError("appeal.decide-once", record, "it is decided")
        if outcome not in APPEAL_OUTCOMES:
            raise InvalidDataError("appeal.outcome", record, f"{outcome!r}")
        ref = require_text(decision_ref, record, "the decision ref")
        self.trigger_event(
            self.Decided, **act.fields(), outcome=outcome, decision_ref=ref
        )

    @event(Decided)
    def _decided(self, outcome: str) -> None:
        self.outcome = outcome


class RedFlag(Aggregate):
    """A suspicion raised by audit or discipline, with the ledger evidence it cites."""

    class Raised(ReliefCreated):
        flag_id: UUID
        rule_id: str
        subject: str
        evidence: tuple[tuple[int, str], ...]
        summary: str

    class Cleared(ReliefEvent):
        reason: str

    @event(Raised)
    def __init__(
        self, *, actor_id: str, rule_id: str, subject: str, summary: str
    ) -> None:
        self.raiser_id = actor_id
        self.rule_id = rule_id
        self.subject = subject
        self.summary = summary
        self.cleared_by: str | None = None

    @classmethod
    def raise_flag(
        cls,
        act: Act,
        *,
        rule_id: str,
        subject: str,
        evidence: Sequence[tuple[int, str]],
        summary: str,
    ) -> RedFlag:
        """Raise a flag citing ledger positions and their link hashes (domain §2.5)."""
        record = f"red flag {rule_id} on {subject}"
        require_text(rule_id, record, "the rule id")
        require_text(subject, record, "the subject")
        cited = tuple((p, h) for p, h in evidence)
        if not cited or any(type(p) is not int or p < 1 for p, _ in cited):
            raise InvalidDataError("flag.evidence", record, "no ledger position cited")
        for _, digest in cited:
            require_digest(digest, record, "an evidence hash")
        the_id = flag_id(rule_id, subject, cited)
        return cls._create(
            cls.Raised,
            id=the_id,
            **act.fields(),
            flag_id=the_id,
            rule_id=rule_id,
            subject=subject,
            evidence=cited,
            summary=require_text(summary, record, "the summary"),
        )

    def clear(self, act: Act, reason: str) -> None:
        """Clear the flag: by another person than the raiser, with a written reason."""
        record = f"red flag {self.rule_id} on {self.subject}"
        if self.cleared_by is not None:
            raise OrderingError("flag.clear-once", record, "it is already cleared")
        if act.actor_id == self.raiser_id:
            raise SeparationOfDutiesError(
                "flag.clearer-not-raiser", record, "the raiser may not clear it"
            )
        text = require_text(reason, record, "the reason")
        self.trigger_event(self.Cleared, **act.fields(), reason=text)

    @event(Cleared)
    def _cleared(self, actor_id: str) -> None:
        self.cleared_by = actor_id
