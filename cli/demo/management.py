"""After approval: adjustments, reviews, deaths, exits, recoveries; emergency aid.

``manage`` walks a case year by year to the end of the history: each January
the amount follows the new standard, the case is reviewed on the approval's
anniversary (yearly: 审核确认办法 2021 §31, 2020 意见 item 7), a death on the
register ends a one-person case (or lowers a household's amount, and the
household is still reviewed that year), and some households leave through a
渐退期 or a termination. ``deviations`` applies the planted patterns to a case's
procedure and notes them in the plan's manifest.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Final

from cli.demo import standards
from cli.demo.cases import Procedure, month_start
from cli.demo.deaths import case_death, covered_death
from cli.demo.lines import period_of
from cli.demo.shares import equal_head
from domain import roles
from domain.case_rules import add_months, next_month

if TYPE_CHECKING:
    import random

    from cli.demo.cases import Case, CaseWriter
    from cli.demo.county import Home, Person, Post
    from cli.demo.history import History
    from cli.demo.plants import Plan

LAST_MONTH: Final = "2025-12"
LIVE_MONTH_END: Final = date(2026, 1, 31)


def deviations(history: History, case: Case) -> Procedure:
    """Return the case's procedure with its planted deviations, noted."""
    plan, home, how = history.plan, case.home, Procedure()
    number = home.number
    for post, kin in history.county.cadre_kin.get(number, []):
        how.declare.extend((member, post, relation) for member, relation in kin)
    if number in plan.undeclared:
        how.declare = []
        _undeclared(history, case)
    elif number in plan.no_county_visit:
        how.county_visit = False
        plan.note(
            "declared-without-county-visit",
            "RF-09",
            home,
            case.case_no,
            "近亲属备案 filed, approved with no county home visit",
        )
    elif number in plan.approver_kin and kin_covered(
        history, case, plan.approver_kin[number]
    ):
        plan.note(
            "approver-is-kin",
            "RF-10",
            home,
            case.case_no,
            f"approved by {plan.approver_kin[number].staff_id}, 近亲属 of the head",
        )
    elif home.village == plan.concentrated_village and how.declare:
        _concentration(plan, home, case)
    _notice(plan, home, case, how)
    return how


def kin_covered(history: History, case: Case, post: Post | None = None) -> bool:
    """Whether ``case`` covers a 近亲属 of a cadre (of ``post``, if given).

    A 两项补贴 case covers the disabled member alone: when that member is,
    say, the cadre's nephew, no 近亲属 is on the case and no rule applies.
    """
    covered = {id(p) for p in case.covered}
    return any(
        id(member) in covered
        for linked, kin in history.county.cadre_kin.get(case.home.number, [])
        if post is None or linked is post
        for member, _ in kin
    )


def _undeclared(history: History, case: Case) -> None:
    """Note a case of an undeclared household that covers a cadre's 近亲属."""
    if kin_covered(history, case):
        history.plan.note(
            "undeclared-relative",
            "RF-08",
            case.home,
            case.case_no,
            "a member is 近亲属 of a village cadre; no 近亲属备案 was filed",
        )


def _concentration(plan: Plan, home: Home, case: Case) -> None:
    """Note the village once; each further linked household joins its detail."""
    for index, entry in enumerate(plan.planted):
        if entry.rule == "RF-25":
            count = int(entry.detail.split(" ")[0]) + 1
            detail = f"{count} {entry.detail.split(' ', 1)[1]}"
            plan.planted[index] = replace(entry, detail=detail)
            return
    plan.note(
        "cadre-concentration",
        "RF-25",
        home,
        case.case_no,
        "1 cadre-linked recipient households in this village, all filed",
        subject=home.village,
    )


def _notice(plan: Plan, home: Home, case: Case, how: Procedure) -> None:
    if home.number in plan.skipped_notice:
        how.notice_days = None
        plan.note(
            "notice-skipped",
            "RF-11",
            home,
            case.case_no,
            "approved with no 公示 posted",
        )
    elif home.number in plan.short_notice:
        how.notice_days = 3
        plan.note(
            "notice-short",
            "RF-11",
            home,
            case.case_no,
            "公示 posted for 3 days instead of 7",
        )


def manage(
    history: History,
    writer: CaseWriter,
    staff: tuple[Post, Post, Post, Post],
    income: int,
) -> None:
    """Write the case's life after approval up to the end of the history."""
    case, clerk = writer.case, staff[0]
    approved = case.approved_on
    assert approved is not None
    if case.programme == roles.LINSHI:
        return
    if case.home.number in history.plan.overdue_review:
        history.plan.note(
            "review-overdue",
            "RF-22",
            case.home,
            case.case_no,
            "no periodic review since approval",
        )
    for year in range(approved.year, 2026):
        if case.ended is not None:
            return
        if not _year(history, writer, clerk, income, year):
            return
    due = date(2026, approved.month, min(approved.day, 28))
    if due <= LIVE_MONTH_END and case.home.number not in history.plan.overdue_review:
        writer.review(clerk, date(2025, 12, 22), income, 12)  # due in the live month


def _year(
    history: History, writer: CaseWriter, clerk: Post, income: int, year: int
) -> bool:
    """Write one year of a case; return whether it still runs afterwards."""
    case, rng = writer.case, history.rng
    approved = case.approved_on
    assert approved is not None
    new = amount_in(case, year, income)
    head = equal_head(history.plan, case, standard_of(case, year))
    if head is not None:  # the village shares out equally (cli.demo.shares)
        new = head * len(living_in(case, year))
    if year > approved.year and new != case.monthly:
        writer.adjust(clerk, date(year, 1, 6), new, f"{year}-01", "标准提高")
    day = date(year, approved.month, min(approved.day, 28))
    # Yearly, on the approval's anniversary (2021 §31; 2020 意见 item 7).
    due = year > approved.year and case.home.number not in history.plan.overdue_review
    death = covered_death(case, year)
    if death is not None and death[1] > approved:
        if due and day < death[1]:  # reviewed before the death
            writer.review(clerk, day, income, 12)
            due = False
        if case_death(history, writer, clerk, death):
            return False  # the death ended the case
    if year == approved.year:
        return True
    if due:
        writer.review(clerk, day, income, 12)
    special = history.plan.special(case.home.number)
    if case.programme == roles.DIBAO and not special and rng.random() < 0.07:
        _leave(writer, clerk, day + timedelta(days=20), rng)
        return False
    if case.programme == roles.GUER and case.covered[0].age_on(date(year, 6, 1)) >= 18:
        writer.terminate(clerk, date(year, 6, 3), f"{year}-07", "age")
        return False
    return True


def living_in(case: Case, year: int) -> list[Person]:
    """The covered people still alive at the start of ``year`` (one at least)."""
    living = [p for p in case.covered if p.died is None or p.died.year >= year]
    return living or case.covered[:1]


def standard_of(case: Case, year: int) -> int:
    """Return the 低保 standard of the case's township and area in ``year``."""
    return standards.dibao(case.home.area, int(case.home.township[-3:]), year)


def amount_in(case: Case, year: int, income: int) -> int:
    """Return the case's monthly amount under ``year``'s standards."""
    township = int(case.home.township[-3:])
    area = case.home.area
    if case.programme == roles.DIBAO:
        standard = standard_of(case, year)
        return max(standard - income, 0) * len(living_in(case, year))
    if case.programme == roles.TEKUN:
        return standards.tekun(area, township, year)
    if case.programme == roles.CANJI:
        return standards.subsidy(case.category, year)
    return standards.orphan(year)


def _leave(writer: CaseWriter, clerk: Post, day: date, rng: random.Random) -> None:
    if rng.random() < 0.6:
        months = rng.choice((3, 6))
        end = writer.gradual_exit(clerk, day, months, writer.case.monthly // 2)
        writer.terminate(
            clerk,
            month_start(end) + timedelta(days=20),
            add_months(end, 1),
            "gradual-exit-ended",
        )
    else:
        writer.terminate(clerk, day, next_month(day), "income-or-assets")


def emergency_aid(
    history: History,
    writer: CaseWriter,
    staff: tuple[Post, ...],
    day: date,
    *,
    amount: int | None = None,
) -> None:
    """Write a 急难型 先行救助: paid first, regularised a few days later."""
    rng, clerk = history.rng, staff[0]
    writer.apply(clerk, day, "主动发现")
    writer.event(
        "Accepted", clerk, day, 10, deadline=(day + timedelta(days=42)).isoformat()
    )
    number = writer.case.home.number
    linked = history.county.cadre_kin.get(number, [])
    if number in history.plan.undeclared:
        linked = []
        _undeclared(history, writer.case)
    declared = [
        (member, post, relation) for post, kin in linked for member, relation in kin
    ]
    for member, post, relation in declared:
        writer.event(
            "RelativeDeclared",
            clerk,
            day + timedelta(days=6),
            11,
            member_ref=member.ref,
            staff_id=post.staff_id,
            relation=relation,
        )
    fen = amount or rng.randrange(5, 20) * 10_000
    writer.event(
        "EmergencyAidGranted",
        clerk,
        day,
        14,
        stage_no=1,
        amount=fen,
        reason=rng.choice(("火灾", "突发重病", "意外事故", "自然灾害")),
    )
    writer.event(
        "EmergencyAidRegularised",
        clerk,
        day + timedelta(days=6),
        stage_no=1,
        signatures_ref=f"QZ-{writer.case.case_no}",
    )


__all__ = ["LAST_MONTH", "emergency_aid", "manage", "period_of"]
