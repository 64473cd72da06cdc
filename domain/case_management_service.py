"""Service commands after approval: reviews, changes, deaths, adjustments, exit.

Reviews, reported changes, deaths and termination notices are recorded by
乡镇经办/县级经办; amounts, suspensions, exits and terminations are decided
by 审批 (审核确认办法 2021 §32). Every change of the pay schedule reaches the
roll in the same save; an exit releases the covered persons' enrolments.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain import roles
from domain.case_decision_service import CaseDecisionCommands
from domain.case_rules import INTAKE_ROLES, day_months_later
from domain.errors import InvalidDataError, OrderingError

if TYPE_CHECKING:
    from datetime import date

    from domain.base import Act
    from domain.cases import ReliefCase
    from domain.enrolments import Enrolment


class CaseManagementCommands(CaseDecisionCommands):
    """Dynamic management (动态管理) of approved cases, to their exit."""

    def complete_review(
        self,
        act: Act,
        case_no: str,
        outcome: str,
        per_capita_income: int,
        *,
        stable: bool = True,
    ) -> None:
        """Record a periodic review; the next is due in 12 or 6 months (2021 §31).

        特困 cases are reviewed yearly (2020 意见 item 7).
        """
        case = self._case_in_role(act, case_no, INTAKE_ROLES)
        stable = stable or case.programme == roles.TEKUN
        months = (
            self.policy.review_months_stable
            if stable
            else self.policy.review_months_unstable
        )
        next_due = day_months_later(act.occurred_at.date(), months)
        review_class = "annual" if stable else "semi-annual"
        case.complete_review(act, review_class, outcome, per_capita_income, next_due)
        self.save(case)

    def report_change(
        self,
        act: Act,
        case_no: str,
        change_type: str,
        effective_date: date,
        source: str,
    ) -> None:
        """Record a reported change in members, income or assets (2021 §30)."""
        case = self._case_in_role(act, case_no, INTAKE_ROLES)
        case.report_change(act, change_type, effective_date, source)
        self.save(case)

    def report_death(
        self,
        act: Act,
        household_no: str,
        person_ref: str,
        date_of_death: date,
        source: str,
    ) -> None:
        """Record a member's death on the household and on every case covering them.

        Rule: 2022 notice §1(3): the household is reviewed within three months;
        a case whose every covered person has died stops from the next month
        (特困认定办法 §24, §26). The person's enrolments are released.
        """
        household = self.household(household_no)
        self.require_role(act, INTAKE_ROLES, household.region_code)
        if household.member(person_ref) is None:
            raise InvalidDataError(
                "death-member", f"household {household_no}", "the person is no member"
            )
        household.record_death(act, person_ref, date_of_death, source)
        enrolment = self.enrolment(act, person_ref)
        cases = [self.case(case_no) for case_no in sorted(enrolment.cases())]
        for case in cases:
            case.record_death(act, person_ref, date_of_death, source)
            if set(case.member_refs) <= set(case.deaths):
                case.terminate(act, "death", "every covered person has died")
            enrolment.release(act, case.case_no, "death")
        rolls = self.synced_rolls(act, cases, {})
        # A person never enrolled keeps no register: nothing to release.
        self.save(household, *cases, *rolls, *([enrolment] if cases else []))

    def adjust(
        self,
        act: Act,
        case_no: str,
        new_amount: int,
        effective_month: str,
        reason: str,
    ) -> None:
        """Raise or lower the monthly amount, with a reason for a decrease (§32)."""
        case = self._decision_case(act, case_no)
        if case.programme == roles.LINSHI:
            raise OrderingError("programme", case.record, "临时救助 is not adjusted")
        cap, _ = self.cap_on(case, act.occurred_at.date())
        case.adjust(act, new_amount, effective_month, reason, cap)
        self.save_case(act, case)

    def suspend(self, act: Act, case_no: str, from_month: str, reason: str) -> None:
        """Suspend payment from a month."""
        case = self._decision_case(act, case_no)
        case.suspend(act, from_month, reason)
        self.save_case(act, case)

    def resume(self, act: Act, case_no: str, from_month: str, reason: str) -> None:
        """Resume payment from a month at the approved amount."""
        case = self._decision_case(act, case_no)
        case.resume(act, from_month, reason)
        self.save_case(act, case)

    def start_gradual_exit(
        self,
        act: Act,
        case_no: str,
        months: tuple[str, str],
        amount: int,
        reason: str,
    ) -> None:
        """Start a 渐退期 of at most ``Policy.gradual_exit_max_months`` (2022 §1(3))."""
        case = self._decision_case(act, case_no)
        case.start_gradual_exit(
            act, months, amount, reason, self.policy.gradual_exit_max_months
        )
        self.save_case(act, case)

    def post_termination_notice(
        self, act: Act, case_no: str, posted_on: date, ends_on: date
    ) -> None:
        """Post a 特困 termination 公示 (特困认定办法 §26)."""
        case = self._case_in_role(act, case_no, INTAKE_ROLES)
        case.post_termination_notice(act, posted_on, ends_on, self.policy.notice_days)
        self.save(case)

    def terminate(
        self, act: Act, case_no: str, reason: str, written_reasons: str
    ) -> None:
        """Stop the benefit from next month, with written reasons (2021 §32)."""
        case = self._decision_case(act, case_no)
        case.terminate(act, reason, written_reasons)
        self.save_case(act, case, *self._released(act, case, reason))

    def _released(self, act: Act, case: ReliefCase, reason: str) -> list[Enrolment]:
        released = []
        for person_ref in case.member_refs:
            enrolment = self.enrolment(act, person_ref)
            if case.case_no in enrolment.cases():
                enrolment.release(act, case.case_no, reason)
                released.append(enrolment)
        return released
