"""Service commands from application to 公示 and objections (审核确认办法 2021 §4–19).

Only 乡镇经办 and 县级经办 over the case's region handle intake and
investigation; each command is get → command → save and saves nothing when
refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.case_access import CaseAccess
from domain.case_rules import INTAKE_ROLES
from domain.cases import ReliefCase
from domain.errors import InvalidDataError
from domain.ids import record_id

if TYPE_CHECKING:
    from datetime import date

    from domain.base import Act


class CaseIntakeCommands(CaseAccess):
    """Application, acceptance, 备案, check, visits, opinion, 公示, objections."""

    def submit_application(
        self,
        act: Act,
        case_no: str,
        programme: str,
        category: str,
        household_no: str,
        *,
        covered: tuple[str, tuple[str, ...]],
        consent: tuple[str, str],
        channel: str = "窗口",
    ) -> ReliefCase:
        """Lodge an application for a household (or the members it covers).

        ``covered`` is (applicant, members covered); ``consent`` is the signed
        授权核对 and 承诺 (审核确认办法 2021 §9). The covered persons must be
        living members of the household (§4–6).
        """
        household = self.household(household_no)
        self.require_role(act, INTAKE_ROLES, household.region_code)
        living = {m.person_ref for m in household.members if m.alive}
        if not set(covered[1]) <= living:
            raise InvalidDataError(
                "covered-members", f"case {case_no}", "a covered person is no member"
            )
        if self.exists(record_id("case", case_no)):
            raise InvalidDataError("record-unique", f"case {case_no}", "it exists")
        case = ReliefCase.submit(
            act,
            case_no,
            programme,
            category,
            household=(household_no, household.region_code, household.area),
            people=covered,
            consent=consent,
            channel=channel,
        )
        self.save(case)
        return case

    def accept(self, act: Act, case_no: str) -> None:
        """Accept an application; the decision is due in 30 working days (§22)."""
        case = self._intake_case(act, case_no)
        deadline = self.calendar().add_working_days(
            act.occurred_at.date(), self.policy.accept_to_decision_working_days
        )
        case.accept(act, deadline)
        self.save(case)

    def extend(self, act: Act, case_no: str, reason: str) -> None:
        """Extend the decision deadline to 45 working days from acceptance (§22)."""
        case = self._intake_case(act, case_no)
        accepted = case.accepted_on or act.occurred_at.date()
        deadline = self.calendar().add_working_days(
            accepted, self.policy.extended_working_days
        )
        case.extend(act, reason, deadline)
        self.save(case)

    def declare_relative(
        self, act: Act, case_no: str, member_ref: str, staff_id: str, relation: str
    ) -> None:
        """File (备案) that a member is ``relation`` of staff ``staff_id`` (§11)."""
        case = self._intake_case(act, case_no)
        self.staff(staff_id)
        case.declare_relative(act, member_ref, staff_id, relation)
        self.save(case)

    def request_check(self, act: Act, case_no: str, sources: tuple[str, ...]) -> None:
        """Ask for the economic-status check (§17)."""
        case = self._intake_case(act, case_no)
        case.request_check(act, sources)
        self.save(case)

    def complete_check(
        self, act: Act, case_no: str, per_capita_income: int, report_ref: str
    ) -> None:
        """Record the check's per-capita income (§17)."""
        case = self._intake_case(act, case_no)
        case.complete_check(act, per_capita_income, report_ref)
        self.save(case)

    def record_visit(
        self, act: Act, case_no: str, level: str, investigators: tuple[str, ...]
    ) -> None:
        """Record a home visit; no investigator may be a 近亲属 of a member (§16)."""
        case = self._intake_case(act, case_no)
        self.require_not_kin(case, investigators, "investigator-not-kin")
        case.record_visit(act, level, investigators)
        self.save(case)

    def hold_democratic_review(
        self, act: Act, case_no: str, conclusion: str, minutes_ref: str
    ) -> None:
        """Record a 民主评议 (§19; 特困认定办法 §14)."""
        case = self._intake_case(act, case_no)
        case.hold_democratic_review(act, conclusion, minutes_ref)
        self.save(case)

    def issue_opinion(
        self, act: Act, case_no: str, recommendation: str, proposed_amount: int
    ) -> None:
        """Issue the preliminary opinion; required 近亲属备案 must be filed (§11)."""
        case = self._intake_case(act, case_no)
        need = self.members_needing_filing(case, act.occurred_at.date())
        case.issue_opinion(act, recommendation, proposed_amount, need)
        self.save(case)

    def post_notice(
        self, act: Act, case_no: str, posted_on: date, ends_on: date
    ) -> None:
        """Post the 公示: the applicant's name, household size and amount only.

        Rule: §19 (``Policy.notice_days``), §24, 2022 notice §4(2).
        """
        case = self._intake_case(act, case_no)
        household = self.household(case.household_no)
        applicant = household.member(case.applicant_ref)
        name = applicant.name if applicant is not None else ""
        need = self.members_needing_filing(case, act.occurred_at.date())
        case.post_notice(
            act,
            posted_on,
            ends_on,
            shown=(name, household.size),
            notice_days=self.policy.notice_days,
            need_filing=need,
        )
        self.save(case)

    def close_notice(
        self, act: Act, case_no: str, *, termination: bool = False
    ) -> None:
        """Close the case's 公示 (or 特困 termination 公示) on its last day or later.

        Rule: §19 (``Policy.notice_days``); 特困认定办法 §26.
        """
        case = self._intake_case(act, case_no)
        case.close_notice(act, self.policy.notice_days, termination=termination)
        self.save(case)

    def receive_objection(
        self, act: Act, case_no: str, objection_id: str, channel: str
    ) -> None:
        """Record an objection to the 公示 (§19)."""
        case = self._intake_case(act, case_no)
        case.receive_objection(act, objection_id, channel)
        self.save(case)

    def resolve_objection(
        self, act: Act, case_no: str, objection_id: str, resolution: str, finding: str
    ) -> None:
        """Resolve an objection by re-investigation or 民主评议 (§19)."""
        case = self._intake_case(act, case_no)
        case.resolve_objection(act, objection_id, resolution, finding)
        self.save(case)

    def _intake_case(self, act: Act, case_no: str) -> ReliefCase:
        """Return the case if the actor may handle its intake over its region."""
        case = self.case(case_no)
        self.require_role(act, INTAKE_ROLES, case.region_code)
        return case
