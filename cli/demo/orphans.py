"""An orphan out of school paid past 18: the planted RF-29 pattern.

The demo's orphan cases end in the July after the child turns 18, and every
child the history sees come of age is recorded at school, so support past
the birthday month is lawful for them (domain notes §1.7). One is not: the
first 孤儿 case whose child comes of age with months paid after the birthday
month has that child recorded as out of school on the household's register
(``orphan-over-age``, RF-29), so the months from the birthday month to the
July termination are paid past the limit.

The pass runs after the history is written and draws no random numbers: it
changes that one member's ``in_school`` on the household's reference line,
and nothing else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cli.demo.payments import LAST
from cli.demo.reference import member_row
from domain import roles
from domain.case_rules import add_months

if TYPE_CHECKING:
    from cli.demo.cases import Case
    from cli.demo.history import History


def plant_orphan_over_age(history: History) -> None:
    """Record the first coming-of-age orphan as out of school; note the plant."""
    found = next((c for c in history.cases if _paid_past_18(history, c)), None)
    if found is None:
        return
    child, home = found.covered[0], found.home
    child.in_school = False
    history.out.amend_reference(
        "household.registered",
        home.number,
        members=[member_row(m) for m in home.members],
    )
    first = add_months(_birthday_month(found), 1)
    history.plan.note(
        "orphan-over-age",
        "RF-29",
        home,
        found.case_no,
        f"the child, born {child.born} and recorded out of school, turned 18 in "
        f"{_birthday_month(found)}; paid from {first} until the case ended "
        f"from {found.ended}",
    )


def _birthday_month(case: Case) -> str:
    born = case.covered[0].born
    return f"{born.year + 18:04d}-{born.month:02d}"


def _paid_past_18(history: History, case: Case) -> bool:
    if case.programme != roles.GUER or history.plan.special(case.home.number):
        return False
    child = case.covered[0]
    month = add_months(_birthday_month(case), 1)
    return child.died is None and month <= LAST and case.payable(month) > 0
