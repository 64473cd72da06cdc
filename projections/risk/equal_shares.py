"""RF-15, the part the ledger alone can judge: 平均保, equal shares across a village.

Under 补差 a 低保 household gets the standard less its per-capita income, for
each member (审核确认办法 2021 §23): households of different incomes get
different amounts a head. A village whose 补差 cases in payment all get the
same amount a head although their recorded incomes differ is sharing out a
quota, not applying the formula (the 2018 Gansu list of 平均保、轮流保、拆户保、
拼户保). The rest of RF-15's row needs data the ledger does not hold: a
household split shortly before applying (拆户保) needs the 户籍 history, and
money passed on to non-members (拼户保) or a quota rotated across families
(轮流保) needs what happens after the bank pays; they are not judged here.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from domain import roles
from domain.case_rules import month_of
from projections.risk.findings import RiskFinding, rule
from projections.risk.money import cite, yuan

if TYPE_CHECKING:
    from collections.abc import Iterator

    from projections.evidence import Evidence
    from projections.risk.money_facts import CaseMoney, MoneyFacts

# A case's share: (fen a head, its per-capita income, the decision's and the
# income's evidence).
Share = tuple[int, int, "Evidence", "Evidence | None"]


@rule("RF-15", "平均保", "Equal shares across a village", "medium")
def equal_shares(facts: MoneyFacts) -> Iterator[RiskFinding]:
    """At least ``equal_share_cases`` (``MoneyPolicy``) 低保 cases of one
    village decided by 补差 are in payment on the day judged, each gets exactly
    the same amount for each person it covers (its latest decision's monthly
    amount over its members not dead by that decision's day, as the case
    records deaths), and their recorded per-capita incomes are not all the
    same. A case's income is the one its latest decision rests on; a case
    whose amount does not divide evenly by its members, or that rests on no
    recorded income, has no equal share and breaks the pattern. Cites every
    such case's latest decision and the income it rests on.
    """
    month = month_of(facts.as_of)
    by_village: dict[str, list[Share]] = {}
    for case in facts.cases.values():
        share = _share(case, month)
        if share is not None:
            by_village.setdefault(case.region_code, []).append(share)
    least = facts.policy.equal_share_cases
    for village, shares in sorted(by_village.items()):
        heads = {fen for fen, _, _, _ in shares}
        incomes = {income for _, income, _, _ in shares}
        if len(shares) < least or len(heads) != 1 or -1 in heads or len(incomes) < 2:
            continue
        yield RiskFinding(
            "RF-15",
            "medium",
            village,
            f"all {len(shares)} 补差 低保 cases in payment get {yuan(heads.pop())} "
            f"a head, though their per-capita incomes differ "
            f"({yuan(min(incomes))} to {yuan(max(incomes))})",
            cite(*(e for _, _, decided, income in shares for e in (decided, income))),
        )


def _in_payment(case: CaseMoney, month: str) -> bool:
    """Approved and not ended by ``month`` (a first month still to come counts)."""
    return case.approved is not None and (
        case.end_month is None or case.end_month > month
    )


def _share(case: CaseMoney, month: str) -> Share | None:
    """A 补差 低保 case's share a head, if it is in payment (None if not);
    a share of -1 when its amount does not divide evenly by its members or
    rests on no recorded income."""
    if case.programme != roles.DIBAO or case.category != "补差" or not case.decisions:
        return None
    if not _in_payment(case, month):
        return None
    latest = case.decisions[-1]
    size = sum(  # the members covered when it was decided: not dead by then
        1 for m in set(case.members) if case.deaths.get(m, date.max) >= latest.on
    )
    if not size:
        return None
    if latest.income is None or latest.fen % size:
        return -1, 0, latest.evidence, None
    return latest.fen // size, latest.income[0], latest.evidence, latest.income[1]
