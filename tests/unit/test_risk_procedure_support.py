"""Builders for the procedure-and-time rule tests: cases planted by legacy import.

``Trail`` extends the money tests' ``County`` (regions, a 低保 standard,
households, imported through the legacy path into an in-memory fund) with a
case's procedure written step by step, each step a dated ``case.<Event>``
line, and folds the recorded events into the procedure facts with a
stand-in chain hash per position.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from test_risk_money_support import County, stand_in_hash

from domain import roles
from projections.replay import read_events
from projections.risk.fact_views import FactRow, rows_of_events
from projections.risk.procedure import PROCEDURE_RULES
from projections.risk.procedure_fold import PROCEDURE_KINDS, fold_procedure_facts

if TYPE_CHECKING:
    from domain.service import ReliefFund
    from projections.risk.findings import RiskFinding
    from projections.risk.procedure_facts import ProcedureFacts, ProcedurePolicy

START = date(2024, 3, 1)
"""A Friday: applications in the tests are lodged and accepted on it."""


def iso(day: date) -> str:
    return day.isoformat()


class Trail(County):
    """A county whose cases are written step by step through the legacy path."""

    def __init__(self, fund: ReliefFund | None = None) -> None:
        super().__init__(fund)
        self.household("H1", [1, 2])
        self.household("H2", [3])
        self.household("H3", [4])
        self.household("H4", [5])

    def step(self, case_no: str, name: str, day: date, **fields: Any) -> None:
        """One past event ``name`` of the case on ``day``."""
        self.add(f"case.{name}", case_no, iso(day), **fields)

    def applied(
        self,
        case_no: str,
        household: str = "H1",
        people: tuple[int, ...] = (1, 2),
        *,
        day: date = START,
        programme: str = roles.DIBAO,
        category: str = "补差",
    ) -> None:
        refs = [self.ref(n) for n in people]
        self.step(
            case_no,
            "Applied",
            day,
            programme=programme,
            category=category,
            household_no=household,
            region_code="110101001001",
            area="urban",
            applicant_ref=refs[0],
            member_refs=refs,
            channel="窗口",
            authorisation_ref="AUTH",
            commitment_ref="COMMIT",
        )

    def accepted(self, case_no: str, day: date = START) -> None:
        self.step(case_no, "Accepted", day, deadline=iso(day + timedelta(42)))

    def checked(self, case_no: str, day: date, income: int = 30_000) -> None:
        self.step(
            case_no,
            "CheckCompleted",
            day,
            per_capita_income=income,
            report_ref="REPORT",
        )

    def visited(
        self, case_no: str, day: date, staff: tuple[str, ...] = ("T1", "T2")
    ) -> None:
        self.step(
            case_no, "HomeVisited", day, level="township", investigators=list(staff)
        )

    def noticed(self, case_no: str, posted: date, days: int = 7) -> date:
        """Opinion then 公示 from ``posted`` for ``days``; return its last day."""
        self.step(
            case_no,
            "OpinionIssued",
            posted,
            recommendation="approve",
            proposed_amount=50_000,
        )
        ends = posted + timedelta(days)
        self.step(
            case_no,
            "NoticePosted",
            posted,
            kind="初审公示",
            posted_on=iso(posted),
            ends_on=iso(ends),
            shown_name="成员",
            shown_size=2,
            shown_amount=50_000,
        )
        return ends

    def approved(self, case_no: str, day: date, fen: int = 50_000) -> None:
        first = f"{day.year + day.month // 12}-{day.month % 12 + 1:02d}"
        self.step(
            case_no,
            "Approved",
            day,
            method="补差",
            monthly_amount=fen,
            standard_fen=80_000,
            first_pay_month=first,
            schedule={first: fen},
        )

    def full_case(
        self,
        case_no: str,
        household: str = "H1",
        people: tuple[int, ...] = (1, 2),
        *,
        day: date = START,
        notice_days: int = 7,
        approve_after: int = 1,
        programme: str = roles.DIBAO,
        category: str = "补差",
    ) -> date:
        """A case done by the book: applied and accepted on ``day``, checked on
        day + 3, visited on day + 4, 公示 from day + 6 for ``notice_days``
        days, approved ``approve_after`` days after its last day (14 days after
        acceptance by default). Return the approval day."""
        self.applied(
            case_no, household, people, day=day, programme=programme, category=category
        )
        self.accepted(case_no, day)
        self.checked(case_no, day + timedelta(3))
        self.visited(case_no, day + timedelta(4))
        ends = self.noticed(case_no, day + timedelta(6), notice_days)
        decided = ends + timedelta(approve_after)
        self.approved(case_no, decided)
        return decided

    def reviewed(
        self,
        case_no: str,
        day: date,
        *,
        income: int = 30_000,
        review_class: str = "annual",
    ) -> None:
        self.step(
            case_no,
            "ReviewCompleted",
            day,
            review_class=review_class,
            outcome="no-change",
            per_capita_income=income,
            next_due=iso(day + timedelta(365)),
        )

    def procedure_rows(self) -> list[FactRow]:
        self.imported()
        events = read_events(self.fund.recorder, self.fund.mapper)
        return list(rows_of_events(events, stand_in_hash, PROCEDURE_KINDS))

    def facts(
        self, as_of: date | None = None, policy: ProcedurePolicy | None = None
    ) -> ProcedureFacts:
        return fold_procedure_facts(self.procedure_rows(), as_of, policy)


def findings(rule_id: str, facts: ProcedureFacts) -> list[RiskFinding]:
    """The findings of the procedure rule ``rule_id`` over ``facts``."""
    (chosen,) = [r for r in PROCEDURE_RULES if r.rule_id == rule_id]
    return list(chosen(facts))


def subjects(rule_id: str, facts: ProcedureFacts) -> list[str]:
    """The subjects ``rule_id`` flags, one per finding, in order."""
    return [f.subject for f in findings(rule_id, facts)]
