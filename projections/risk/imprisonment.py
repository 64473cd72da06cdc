"""RF-02: paid while imprisoned, judged from the imprisonments reported on a case.

A prisoner is not counted among a household's members (审核确认办法 2021 §6),
a 特困 person imprisoned loses support (特困认定办法 §24), and the 2021 两项补贴
guideline has the imprisoned removed. The ledger learns of an imprisonment as
a change reported on the case (``ReliefCase.ChangeReported``, type
``imprisonment``, from the household, the village or a match with prison
data); the report names the day it took effect, not the person, so the rule
reads the case's members, as RF-01 reads deaths.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.case_rules import add_months, month_of
from projections.risk.findings import RiskFinding, rule
from projections.risk.money import cite, yuan

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import date

    from projections.evidence import Evidence
    from projections.risk.money_facts import CaseMoney, MoneyFacts, PaidLine


@rule("RF-02", "服刑人员仍领取", "Paid while imprisoned", "high")
def paid_while_imprisoned(facts: MoneyFacts) -> Iterator[RiskFinding]:
    """A case was paid on through a reported imprisonment with nothing done.

    A case covering one person is flagged (high) for every month paid after
    the month the imprisonment took effect, up to the first review,
    adjustment or termination recorded on the case since then. A larger
    household is flagged (medium) for a month paid more than
    ``imprisonment_review_months`` (``MoneyPolicy``) after that month with no
    such step since the imprisonment: its amount should have dropped. A step
    recorded after the imprisonment is taken as the case dealing with it (the
    report names no release, so later months are left to the step's own
    decision). Cites the report and the first line paid past the limit; one
    finding per case, from its earliest imprisonment.
    """
    paid = facts.paid_by_case()
    for case_no, case in sorted(facts.cases.items()):
        lines = paid.get(case_no)
        if not case.imprisonments or not lines:
            continue
        effective, report = min(case.imprisonments, key=lambda i: i[0])
        alone = len(set(case.members)) == 1
        months = 0 if alone else facts.policy.imprisonment_review_months
        limit = add_months(month_of(effective), months)
        after = _unprocessed(case, lines, effective, limit)
        if after:
            yield _finding(case, after, effective, report, alone)


def _unprocessed(
    case: CaseMoney, lines: list[PaidLine], effective: date, limit: str
) -> list[PaidLine]:
    """The lines for months past ``limit`` paid before any step on the case
    since the imprisonment took effect."""
    steps = [day for day, _ in case.followups if day >= effective]
    handled = min(steps, default=None)
    return [
        line
        for line in lines
        if line.batch[2] > limit and (handled is None or line.value_date < handled)
    ]


def _finding(
    case: CaseMoney,
    after: list[PaidLine],
    effective: date,
    report: Evidence,
    alone: bool,
) -> RiskFinding:
    first = after[0]
    if alone:
        return RiskFinding(
            "RF-02",
            "high",
            case.case_no,
            f"{len(after)} month(s) paid after the imprisonment from {effective} "
            f"of the one person covered, {yuan(sum(line.paid_fen for line in after))}"
            f"; first {first.batch[2]}",
            cite(report, first.paid),
        )
    return RiskFinding(
        "RF-02",
        "medium",
        case.case_no,
        f"paid for {first.batch[2]} with no review, adjustment or termination since a "
        f"member's imprisonment from {effective}",
        cite(report, first.paid),
    )
