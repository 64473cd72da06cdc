"""Service commands of the decision: approve, reject and its notice, 特困 care,
临时救助 aid.

Only 审批 over the case's region approves, rejects or decides 一事一议; the
approver is never a 近亲属 of a member. A township clerk over the case's
region records the serving of a rejection's written reasons. The cap comes
from the reference data (``standard_on``, ``approval_limit``); approval enrols
the covered persons and puts the case on its roll in the same save.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain import roles
from domain.case_access import CaseAccess
from domain.case_rules import (
    DECISION_ROLES,
    INTAKE_ROLES,
    MINOR_AGE,
    REJECTION_NOTICE_ROLES,
    age_on,
    ineligibility,
    subsidy_cap,
)
from domain.enrolments import Enrolment, enrolment_id
from domain.errors import DomainError, InvalidDataError, OrderingError

if TYPE_CHECKING:
    from datetime import date

    from domain.base import Act
    from domain.cases import ReliefCase
    from domain.rolls import Roll

EMERGENCY_ROLES = INTAKE_ROLES | DECISION_ROLES


class CaseDecisionCommands(CaseAccess):
    """The county decision and the programme-specific steps before it."""

    def approve(
        self, act: Act, case_no: str, amount_fen: int, stages: tuple[int, ...] = ()
    ) -> None:
        """Approve ``amount_fen`` a month (or, for 临时救助, in ``stages``).

        Rule: 审核确认办法 2021 §19–23 (see ``ReliefCase.approve``), the
        approver not kin of a member, amount ≤ the 补差 cap or the standard,
        临时救助 within the township limit unless 一事一议 allowed more.
        """
        case = self._decision_case(act, case_no)
        self.require_not_kin(case, [act.actor_id], "approver-not-kin")
        day = act.occurred_at.date()
        if stages and (case.programme != roles.LINSHI or sum(stages) != amount_fen):
            raise InvalidDataError(
                "stages", case.record, "stages are for 临时救助 and sum to the amount"
            )
        cap, standard = self.cap_on(case, day)
        case.approve(act, stages or (amount_fen,), cap, standard)
        enrolments = self._enrol(act, case, day)
        roll = self._single_line_roll(act, case)
        self.save_case(act, case, *enrolments, roll=roll)

    def cap_on(self, case: ReliefCase, day: date) -> tuple[int, int]:
        """Return (cap, standard) in fen for the case's amount on ``day``.

        Rule: 2012 §27 / 2021 §23 (补差: (standard − income) × size; 分档 at
        most the standard × size); the other monthly programmes at most their
        standard per covered person; 临时救助 the township limit (2018 意见
        (三)) or the 一事一议 amount.
        """
        if case.programme == roles.LINSHI:
            limit = self.approval_limit(roles.LINSHI, "township", case.region_code, day)
            return max(limit, case.case_by_case_amount), limit
        standard = self.standard_on(case.region_code, case.area, case.programme, day)
        if standard is None:
            raise OrderingError(
                "standard-in-force",
                case.record,
                f"no {case.programme} standard in force",
            )
        size = len([m for m in case.member_refs if m not in case.deaths])
        if case.programme == roles.DIBAO and case.category == "补差":
            return subsidy_cap(standard, case.per_capita_income or 0, size), standard
        return standard * size, standard

    def _enrol(self, act: Act, case: ReliefCase, day: date) -> list[Enrolment]:
        """Enrol each eligible covered person, refusing a double (特困认定办法 §9)."""
        household = self.household(case.household_no)
        enrolments = []
        for person_ref in case.member_refs:
            member = household.member(person_ref)
            if member is None or not member.alive:
                continue
            age = age_on(member.birth_date, day)
            why = ineligibility(
                case.programme,
                case.category,
                age,
                member.disability_grade,
                member.in_school,
            )
            if why is not None:
                raise DomainError(f"eligibility-{case.programme}", case.record, why)
            enrolment = self.enrolment(act, person_ref)
            minor = age < MINOR_AGE
            enrolment.enrol(act, case.programme, case.case_no, minor=minor)
            enrolments.append(enrolment)
        return enrolments

    def enrolment(self, act: Act, person_ref: str) -> Enrolment:
        """Return the person's enrolment register, opened (unsaved) if new."""
        the_id = enrolment_id(person_ref)
        if self.exists(the_id):
            return self.get_record("enrolment", the_id, Enrolment, person_ref[:12])
        return Enrolment.open(act, person_ref)

    def _single_line_roll(self, act: Act, case: ReliefCase) -> Roll:
        """Return the case's roll, refusing a second payable case of a household.

        Rule: domain notes §2.3 (≤1 line per household × programme × month).
        """
        roll = self.roll(act, case.programme, case.region_code)
        months = {m for m, a in case.schedule.items() if a}
        if roll.household_paid(case.household_no, months, case.case_no):
            raise OrderingError(
                "one-line-per-household",
                case.record,
                f"the household already has a {case.programme} case paid then",
            )
        return roll

    def reject(self, act: Act, case_no: str, reasons: tuple[str, ...]) -> None:
        """Reject with written reasons (2021 §21; 特困认定办法 §18)."""
        case = self._decision_case(act, case_no)
        case.reject(act, reasons)
        self.save(case)

    def notify_rejection(
        self, act: Act, case_no: str, notified_on: date, channel: str
    ) -> None:
        """Record the serving of a rejection's written reasons (2021 §21).

        Only a 乡镇经办 over the case's region records it: the reasons go
        through the township.
        """
        case = self._case_in_role(act, case_no, REJECTION_NOTICE_ROLES)
        case.notify_rejection(act, notified_on, channel)
        self.save(case)

    def assess_self_care(
        self, act: Act, case_no: str, person_ref: str, failed_items: tuple[str, ...]
    ) -> None:
        """Record a 特困 person's ADL assessment (特困认定办法 §20–21)."""
        case = self._case_in_role(act, case_no, INTAKE_ROLES)
        case.assess_self_care(act, person_ref, failed_items)
        self.save(case)

    def choose_support_mode(
        self, act: Act, case_no: str, mode: str, institution: str = ""
    ) -> None:
        """Record the 特困 person's chosen support mode (暂行办法 §19)."""
        case = self._case_in_role(act, case_no, INTAKE_ROLES)
        case.choose_support_mode(act, mode, institution)
        self.save(case)

    def grant_emergency_aid(
        self, act: Act, case_no: str, amount_fen: int, reason: str
    ) -> None:
        """Grant 急难型 aid first, within the township limit (2018 意见 (二))."""
        case = self._case_in_role(act, case_no, EMERGENCY_ROLES)
        limit = self.approval_limit(
            roles.LINSHI, "township", case.region_code, act.occurred_at.date()
        )
        case.grant_emergency_aid(act, amount_fen, reason, limit)
        self.save(case)

    def regularise_emergency_aid(
        self, act: Act, case_no: str, stage_no: int, signatures_ref: str
    ) -> None:
        """Regularise an emergency grant within ``Policy.regularise_window_days``."""
        case = self._case_in_role(act, case_no, EMERGENCY_ROLES)
        case.regularise_emergency_aid(
            act, stage_no, signatures_ref, self.policy.regularise_window_days
        )
        self.save(case)

    def decide_case_by_case(
        self, act: Act, case_no: str, meeting_ref: str, amount_fen: int
    ) -> None:
        """Record a 一事一议 decision above the limit (2018 意见 (三))."""
        case = self._decision_case(act, case_no)
        case.decide_case_by_case(act, meeting_ref, amount_fen)
        self.save(case)

    def _decision_case(self, act: Act, case_no: str) -> ReliefCase:
        """Return the case if the actor holds 审批 over its region."""
        return self._case_in_role(act, case_no, DECISION_ROLES)

    def _case_in_role(
        self, act: Act, case_no: str, allowed: frozenset[str]
    ) -> ReliefCase:
        case = self.case(case_no)
        self.require_role(act, allowed, case.region_code)
        return case
