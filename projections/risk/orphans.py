"""The orphan rule RF-29: 孤儿 / 事实无人抚养儿童 support paid past the age limit.

A pure function over ``MoneyFacts`` (``projections.risk.money_facts``), like
the other money rules: the birth dates and schooling the household records
state (``MoneyFacts.births``) against the lines paid for a 孤儿 case. The
other half of the catalogue's RF-29 row, one child covered by 孤儿 and by 特困
at once (特困认定办法 §9), is RF-14's (``projections.risk.money.
double_enrolment`` counts 特困 and 孤儿 as exclusive), so it is not flagged
twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from domain import roles
from projections.risk.findings import RiskFinding, rule
from projections.risk.money import cite, yuan

if TYPE_CHECKING:
    from collections.abc import Iterator

    from projections.risk.money_facts import Birth, CaseMoney, MoneyFacts, PaidLine

ADULT_AGE: Final = 18
"""The age at which orphan support ends, unless the child is at school."""


def last_month(born: Birth) -> str:
    """Return the last month payable to a child born on ``born.born``: the month
    of the 18th birthday (support ends from the next month)."""
    return f"{born.born.year + ADULT_AGE:04d}-{born.born.month:02d}"


@rule("RF-29", "孤儿超龄未退", "Orphan support paid past 18", "high")
def orphan_over_age(facts: MoneyFacts) -> Iterator[RiskFinding]:
    """A line of a 孤儿 / 事实无人抚养儿童 case paid for a month after the month
    in which a covered child turned 18, the child not recorded as at school
    (``in_school`` on the latest household record of them). Support ends at 18,
    or later while at school (特困认定办法 §24, applied to orphans by analogy
    in the rulebook, §1.7, where it is [UNVERIFIED] for orphans); termination
    takes effect from the next month (特困认定办法 §26). The conservative
    reading is taken: the month of the 18th birthday is still payable, the
    next is the first month flagged, and a child recorded as at school is
    never flagged (the ledger does not record when schooling ends). When the
    case covers other children still under age, a decision (an adjustment)
    taking effect after that month shows the case was reworked without the
    child, and lines from then on are not flagged. The same child in a 孤儿
    and a 特困 case at once (特困认定办法 §9) is RF-14's. Cites the household
    record giving the birth date, the case's approval and the first line paid
    past the limit.
    """
    for case_no, lines in sorted(facts.paid_by_case().items()):
        case = facts.cases.get(case_no)
        if case is None or case.programme != roles.GUER:
            continue
        for person in sorted(set(case.members)):
            born = facts.births.get(person)
            if born is not None and not born.in_school:
                yield from _over_age(case, person, born, lines)


def _over_age(
    case: CaseMoney, person: str, born: Birth, lines: list[PaidLine]
) -> Iterator[RiskFinding]:
    limit = last_month(born)
    others = len(set(case.members)) > 1
    reworked = min(
        (d.month for d in case.decisions if d.month > limit and others),
        default="9999-99",
    )
    after = [line for line in lines if limit < line.batch[2] < reworked]
    if not after:
        return
    first = min(after, key=lambda line: (line.batch[2], line.paid.position))
    yield RiskFinding(
        "RF-29",
        "high",
        case.case_no,
        f"{len({line.batch[2] for line in after})} month(s) paid after "
        f"{person[:12]}… turned {ADULT_AGE} in {limit} (born {born.born}, not "
        f"at school), {yuan(sum(line.paid_fen for line in after))}; first "
        f"{first.batch[2]}",
        cite(born.evidence, case.approved, first.paid),
    )
