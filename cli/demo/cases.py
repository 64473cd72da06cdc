"""One case's history as legacy lines: the procedure to approval, then management.

``CaseWriter`` writes the events of ``domain.case_events`` for a case in the
order the 2021 办法 sets (application, acceptance, check, visits, opinion,
公示, decision), each by a staff member holding the right post, and keeps the
case's pay schedule of ``{from_month: fen}`` steps exactly as the domain
does, so the monthly batches (``cli.demo.payments``) pay what the roll holds.
Deviations (a skipped notice, a missing county visit...) are switched on by
the planted patterns (``cli.demo.plants``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from cli.demo.lines import CASES, moment, period_of
from domain import roles
from domain.case_rules import add_months, next_month, payable_on

if TYPE_CHECKING:
    from cli.demo.county import Home, Person, Post
    from cli.demo.lines import LegacyFile


@dataclass
class Case:
    """What the generator keeps of a case: who, what, and its pay steps."""

    case_no: str
    programme: str
    category: str
    home: Home
    covered: list[Person]
    schedule: dict[str, int] = field(default_factory=dict)
    monthly: int = 0
    approved_on: date | None = None
    ended: str | None = None
    """The month of the last 0 step (terminated), if any."""
    account: str = ""

    def payable(self, period: str) -> int:
        return payable_on(self.schedule, period)


@dataclass
class Procedure:
    """How a case's procedure deviates from the rules (all off by default)."""

    declare: list[tuple[Person, Post, str]] = field(default_factory=list)
    county_visit: bool = True
    notice_days: int | None = 7
    approver: Post | None = None
    investigators: tuple[str, ...] = ()


class CaseWriter:
    """Writes a case's events into a legacy file."""

    def __init__(self, out: LegacyFile, case: Case) -> None:
        self.out, self.case = out, case

    def event(self, name: str, who: Post, day: date, hour: int = 10, **f: Any) -> None:
        actor = (who.staff_id, who.role)
        self.out.add(
            CASES, f"case.{name}", self.case.case_no, actor, moment(day, hour), **f
        )

    def apply(self, clerk: Post, day: date, channel: str = "窗口") -> None:
        case = self.case
        self.event(
            "Applied",
            clerk,
            day,
            9,
            programme=case.programme,
            category=case.category,
            household_no=case.home.number,
            region_code=case.home.village,
            area=case.home.area,
            applicant_ref=case.home.head.ref
            if case.home.head in case.covered
            else case.covered[0].ref,
            member_refs=[p.ref for p in case.covered],
            channel=channel,
            authorisation_ref=f"SQ-{case.case_no}",
            commitment_ref=f"CN-{case.case_no}",
        )

    def procedure(
        self,
        day: date,
        staff: tuple[Post, Post, Post, Post],
        income: int,
        how: Procedure,
    ) -> date:
        """Write acceptance to the opinion and 公示; return the decision day.

        ``staff`` is (township clerk, second investigator, county clerk,
        approver); ``income`` the per-capita income found (fen a month).
        """
        clerk, second, county_clerk, _ = staff
        self.event("Accepted", clerk, day + timedelta(days=1), deadline=_iso(day, 42))
        for member, post, relation in how.declare:
            self.event(
                "RelativeDeclared",
                clerk,
                day + timedelta(days=1),
                11,
                member_ref=member.ref,
                staff_id=post.staff_id,
                relation=relation,
            )
        self.event(
            "CheckRequested",
            clerk,
            day + timedelta(days=2),
            sources=["户籍", "不动产登记", "车船登记", "银行存款", "社保缴纳"],
        )
        self.event(
            "CheckCompleted",
            county_clerk,
            day + timedelta(days=9),
            per_capita_income=income,
            report_ref=f"HD-{self.case.case_no}",
        )
        team = how.investigators or (clerk.staff_id, second.staff_id)
        self.event(
            "HomeVisited",
            clerk,
            day + timedelta(days=6),
            level="township",
            investigators=list(team),
        )
        if how.declare and how.county_visit:
            self.event(
                "HomeVisited",
                county_clerk,
                day + timedelta(days=12),
                level="county",
                investigators=[county_clerk.staff_id, clerk.staff_id],
            )
        return self._opinion_and_notice(day + timedelta(days=14), clerk, how)

    def _opinion_and_notice(self, day: date, clerk: Post, how: Procedure) -> date:
        amount = self.case.monthly
        self.event(
            "OpinionIssued",
            clerk,
            day,
            recommendation="approve",
            proposed_amount=amount,
        )
        if how.notice_days is None:
            return day + timedelta(days=3)
        posted = day + timedelta(days=1)
        ends = posted + timedelta(days=how.notice_days)
        self.event(
            "NoticePosted",
            clerk,
            posted,
            kind="初审公示",
            posted_on=posted.isoformat(),
            ends_on=ends.isoformat(),
            shown_name=self.case.home.head.name,
            shown_size=len(self.case.home.members),
            shown_amount=amount,
        )
        return ends + timedelta(days=3)

    def approve(self, approver: Post, day: date, standard: int) -> None:
        case = self.case
        first = next_month(day)
        case.schedule = {first: case.monthly}
        if case.programme == roles.LINSHI:
            case.schedule[add_months(first, 1)] = 0
            case.ended = add_months(first, 1)
        case.approved_on = day
        self.event(
            "Approved",
            approver,
            day,
            15,
            method=case.category,
            monthly_amount=case.monthly,
            standard_fen=standard,
            first_pay_month=first,
            schedule=dict(case.schedule),
        )

    def adjust(self, clerk: Post, day: date, new: int, month: str, reason: str) -> None:
        case = self.case
        self.event(
            "Adjusted",
            clerk,
            day,
            old_amount=case.monthly,
            new_amount=new,
            effective_month=month,
            reason=reason,
        )
        case.monthly = new
        case.schedule = {**case.schedule, month: new}

    def review(self, clerk: Post, day: date, income: int, months: int) -> None:
        self.event(
            "ReviewCompleted",
            clerk,
            day,
            review_class="annual" if months == 12 else "semi-annual",
            outcome="no-change",
            per_capita_income=income,
            next_due=(day + timedelta(days=months * 30)).isoformat(),
        )

    def terminate(self, clerk: Post, day: date, month: str, reason: str) -> None:
        case = self.case
        self.event(
            "Terminated",
            clerk,
            day,
            effective_month=month,
            reason=reason,
            written_reasons=f"{reason}: 自{month}起停发",
        )
        kept = {m: a for m, a in case.schedule.items() if m < month}
        case.schedule = {**kept, month: 0}
        case.ended = month

    def gradual_exit(self, clerk: Post, day: date, months: int, amount: int) -> str:
        """Start a 渐退期 from next month; return its last month."""
        case = self.case
        start = next_month(day)
        end = add_months(start, months - 1)
        self.event(
            "GradualExitStarted",
            clerk,
            day,
            start_month=start,
            end_month=end,
            amount=amount,
            reason="就业收入超过标准",
        )
        case.schedule = {**case.schedule, start: amount}
        return end

    def death(self, clerk: Post, person: Person, died: date, reported: date) -> None:
        self.event(
            "MemberDeceased",
            clerk,
            reported,
            person_ref=person.ref,
            date_of_death=died.isoformat(),
            source="公安",
        )


def _iso(day: date, days: int) -> str:
    return (day + timedelta(days=days)).isoformat()


def month_start(period: str) -> date:
    """Return the first day of ``YYYY-MM``."""
    return date(int(period[:4]), int(period[5:]), 1)


__all__ = ["Case", "CaseWriter", "Procedure", "month_start", "period_of"]
