"""平均保 in the demo county: one village shares its 低保 out equally a head.

In one village free of every other plant (the last such village of the
county), each 补差 低保 case is paid the same amount for each person it
covers, 30% of the year's standard, whatever the household's income: the
village shares a quota out instead of applying the formula (RF-15). The
share is at most what the formula allows for every household the generator
makes (incomes are drawn below 70% of the standard), so no case is paid
above its entitlement: RF-18 stays silent, and the households with little
income get less than they should.

The village is chosen before the history from the plan alone, and the
incomes are still drawn as for any other village, so the random stream, and
every other household, are as they would be without it. The plant is noted
after the history, once the village's cases are known: only if five or more
are in payment at the end and no live applicant lives there (a live approval
follows the formula).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from domain import roles

if TYPE_CHECKING:
    from collections.abc import Collection

    from cli.demo.cases import Case
    from cli.demo.county import County
    from cli.demo.history import History
    from cli.demo.plants import Plan

SHARE_PERCENT: Final = 30
LEAST_CASES: Final = 5
"""RF-15's floor (``MoneyPolicy.equal_share_cases``)."""


def choose_village(county: County, plan: Plan) -> str:
    """The last village with no planted household, not the concentrated one."""
    taken = {h.village for h in county.homes if plan.special(h.number)}
    for village in reversed(county.villages):
        if village.code != plan.concentrated_village and village.code not in taken:
            return village.code
    return ""


def equal_head(plan: Plan, case: Case, standard: int) -> int | None:
    """The equal share a head for ``case`` under ``standard``, if it is one of
    the village's 补差 低保 cases; None otherwise."""
    if (
        case.programme != roles.DIBAO
        or case.category != "补差"
        or case.home.village != plan.equal_village
    ):
        return None
    return standard * SHARE_PERCENT // 100 // 100 * 100


def note_equal_shares(history: History, live: Collection[str]) -> None:
    """Note the plant if the village holds enough cases in payment at the end
    and none of ``live`` (the live applicants' household numbers) lives there."""
    village = history.plan.equal_village
    cases = [
        c
        for c in history.cases
        if c.home.village == village and c.programme == roles.DIBAO and c.ended is None
    ]
    homes = {c.home.number for c in cases}
    if len(cases) < LEAST_CASES or any(
        h.number in live for h in history.county.homes if h.village == village
    ):
        return
    first = cases[0]
    history.plan.note(
        "equal-shares",
        "RF-15",
        first.home,
        first.case_no,
        f"{len(cases)} 低保 cases of {len(homes)} households in village {village} "
        f"paid {SHARE_PERCENT}% of the standard a head, whatever their income",
        subject=village,
    )
