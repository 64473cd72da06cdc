"""Oversight commands: complaints, appeals, flags, referrals, corrections.

纪检 and 审计 raise and clear flags and refer clues; they never alter cases or
money. Each method follows get → command → save; a refusal saves nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, TypeVar

from eventsourcing.application import AggregateNotFoundError

from domain import roles
from domain.corrections import Correction, Referral
from domain.errors import InvalidDataError, NotFoundError, RoleError
from domain.ids import record_id
from domain.oversight import Appeal, Complaint, RedFlag, flag_id
from domain.reference_queries import ReferenceQueries

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping, Sequence
    from datetime import date
    from uuid import UUID

    from domain.base import Act

T = TypeVar("T")

COMPLAINT_ROLES: Final = frozenset({roles.TOWNSHIP_CLERK, roles.COUNTY_CLERK})
APPEAL_ROLES: Final = frozenset({roles.COUNTY_CLERK, roles.APPROVER})
FLAG_ROLES: Final = roles.OVERSIGHT_ROLES
REFERRAL_ROLES: Final = roles.OVERSIGHT_ROLES | {roles.COUNTY_CLERK}
CORRECTION_ROLES: Final = frozenset(
    {
        roles.TOWNSHIP_CLERK,
        roles.COUNTY_CLERK,
        roles.REVIEWER,
        roles.APPROVER,
        roles.FINANCE,
    }
)
CORRECTION_APPROVER_ROLES: Final = frozenset({roles.APPROVER})


class OversightCommands(ReferenceQueries):
    """Commands that record oversight; none changes a case or money."""

    def receive_complaint(
        self,
        act: Act,
        *,
        complaint_no: str,
        channel: str,
        real_name: bool,
        content_hash: str,
        target_case_no: str = "",
    ) -> UUID:
        """Receive a complaint (审核确认办法 2021 §36; the 12349 hotline)."""
        self.require_role(act, COMPLAINT_ROLES)
        if self.exists(record_id("complaint", complaint_no)):
            raise InvalidDataError(
                "complaint.once", f"complaint {complaint_no}", "it is recorded"
            )
        if target_case_no:
            self._require_case(target_case_no)
        complaint = Complaint.receive(
            act,
            complaint_no=complaint_no,
            channel=channel,
            real_name=real_name,
            content_hash=content_hash,
            target_case_no=target_case_no,
        )
        self.save(complaint)
        return complaint.id

    def resolve_complaint(self, act: Act, complaint_no: str, finding: str) -> None:
        """Record the finding of a complaint."""
        self.require_role(act, COMPLAINT_ROLES)
        complaint = self._get(record_id("complaint", complaint_no), Complaint)
        complaint.resolve(act, finding)
        self.save(complaint)

    def give_complaint_feedback(
        self, act: Act, complaint_no: str, summary: str, given_on: date
    ) -> None:
        """Tell a real-name reporter the result (审核确认办法 2021 §37)."""
        self.require_role(act, COMPLAINT_ROLES)
        complaint = self._get(record_id("complaint", complaint_no), Complaint)
        complaint.give_feedback(act, summary, given_on)
        self.save(complaint)

    def close_complaint(self, act: Act, complaint_no: str) -> None:
        """Close a complaint; a real-name one needs its feedback first."""
        self.require_role(act, COMPLAINT_ROLES)
        complaint = self._get(record_id("complaint", complaint_no), Complaint)
        complaint.close(act)
        self.save(complaint)

    def file_appeal(
        self, act: Act, *, appeal_no: str, case_no: str, kind: str, filed_on: date
    ) -> UUID:
        """Record an appeal (复议 or 诉讼) against a case (审核确认办法 2021 §38)."""
        self.require_role(act, APPEAL_ROLES)
        self._require_case(case_no)
        if self.exists(record_id("appeal", appeal_no)):
            raise InvalidDataError("appeal.once", f"appeal {appeal_no}", "recorded")
        appeal = Appeal.file(
            act, appeal_no=appeal_no, case_no=case_no, kind=kind, filed_on=filed_on
        )
        self.save(appeal)
        return appeal.id

    def decide_appeal(
        self, act: Act, appeal_no: str, outcome: str, decision_ref: str
    ) -> None:
        """Record the decision on an appeal."""
        self.require_role(act, APPEAL_ROLES)
        appeal = self._get(record_id("appeal", appeal_no), Appeal)
        appeal.decide(act, outcome, decision_ref)
        self.save(appeal)

    def raise_flag(
        self,
        act: Act,
        *,
        rule_id: str,
        subject: str,
        evidence: Sequence[tuple[int, str]],
        summary: str,
    ) -> UUID:
        """Raise a red flag (纪检/审计 only; domain notes §2.5 RedFlagRaised).

        A flag on the same rule, subject and evidence is raised once: while
        open it is already raised, and once cleared it is not raised again.
        """
        self.require_holds(act, FLAG_ROLES)
        flag = RedFlag.raise_flag(
            act, rule_id=rule_id, subject=subject, evidence=evidence, summary=summary
        )
        if self.exists(flag.id):
            raise InvalidDataError(
                "flag.raised-once",
                f"red flag {rule_id} on {subject}",
                "a flag on this rule, subject and evidence is raised or cleared",
            )
        self.save(flag)
        return flag.id

    def flag_known(
        self, rule_id: str, subject: str, evidence: Sequence[tuple[int, str]]
    ) -> bool:
        """Return whether a flag on these grounds was ever raised (open or cleared)."""
        return self.exists(flag_id(rule_id, subject, evidence))

    def clear_flag(self, act: Act, the_id: UUID, reason: str) -> None:
        """Clear a flag: another person than the raiser, with a written reason."""
        self.require_holds(act, FLAG_ROLES)
        flag = self._get(the_id, RedFlag)
        flag.clear(act, reason)
        self.save(flag)

    def refer_to_discipline(
        self,
        act: Act,
        *,
        referral_no: str,
        case_nos: Sequence[str],
        flag_ids: Sequence[UUID],
        clue: str,
    ) -> UUID:
        """Refer cases and flags to discipline inspection (移送纪检监察)."""
        self.require_holds(act, REFERRAL_ROLES)
        for case_no in case_nos:
            self._require_case(case_no)
        for the_id in flag_ids:
            self._get(the_id, RedFlag)
        if self.exists(record_id("referral", referral_no)):
            raise InvalidDataError("referral.once", f"referral {referral_no}", "made")
        referral = Referral.refer(
            act,
            referral_no=referral_no,
            case_nos=case_nos,
            flag_ids=flag_ids,
            clue=clue,
        )
        self.save(referral)
        return referral.id

    def record_correction(
        self,
        act: Act,
        *,
        correction_no: str,
        target_id: UUID,
        corrected_fields: Mapping[str, str],
        reason: str,
        target_version: int | None = None,
        ledger_position: int | None = None,
    ) -> UUID:
        """Record a compensating correction of a recorded event (domain notes §2.5)."""
        self.require_role(act, CORRECTION_ROLES)
        label = f"correction {correction_no}"
        if self.exists(record_id("correction", correction_no)):
            raise InvalidDataError("correction.once", label, "it is recorded")
        version = target_version if target_version is not None else 1
        if not self.recorder.select_events(target_id, gt=version - 1, limit=1):
            raise NotFoundError("event", f"{target_id} v{version}")
        correction = Correction.record(
            act,
            correction_no=correction_no,
            target_id=target_id,
            target_version=target_version,
            ledger_position=ledger_position,
            corrected_fields=corrected_fields,
            reason=reason,
        )
        self.save(correction)
        return correction.id

    def approve_correction(self, act: Act, correction_no: str) -> None:
        """Approve a correction (the approver is not the recorder)."""
        self.require_role(act, CORRECTION_APPROVER_ROLES)
        correction = self._get(record_id("correction", correction_no), Correction)
        correction.approve(act)
        self.save(correction)

    def require_holds(self, act: Act, allowed: Collection[str]) -> None:
        """Refuse unless the actor holds the claimed role, one of ``allowed``, today.

        Unlike ``require_role`` this admits 纪检 and 审计, for the oversight
        records they make.
        """
        record = f"staff {act.actor_id}"
        if act.actor_role not in allowed:
            raise RoleError(
                "role-required", record, f"the role {act.actor_role} may not do this"
            )
        staff = self.staff(act.actor_id)
        if not staff.holds(act.actor_role, act.occurred_at.date()):
            raise RoleError(
                "role-required", record, f"the role {act.actor_role} is not held"
            )

    def _require_case(self, case_no: str) -> None:
        if not self.exists(record_id("case", case_no)):
            raise NotFoundError("case", case_no)

    def _get(self, the_id: UUID, cls: type[T]) -> T:
        try:
            aggregate: object = self.repository.get(the_id)
        except AggregateNotFoundError:
            raise NotFoundError(cls.__name__.lower(), the_id) from None
        if not isinstance(aggregate, cls):
            raise NotFoundError(cls.__name__.lower(), the_id)
        return aggregate
