"""Imprisonments in the demo county: reported on the case, dealt with or not.

A member's imprisonment reaches the case as a change matched from prison
data (``ChangeReported``, type ``imprisonment``, source ``data-match``), ten
days after it took effect. For one 特困 person living alone nothing follows:
the money keeps coming (``paid-while-imprisoned``, RF-02). A 低保 family has
its amount cut, within a month, to the members still at home: the near miss
the rule must leave alone.

The pass runs after the history is written and draws no random numbers: it
takes the first case of each kind approved before 2025 that runs to the end
of the history untouched since January 2025, so no later line on the case
depends on what it writes.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from cli.demo.cases import CaseWriter
from domain import roles

if TYPE_CHECKING:
    from collections.abc import Callable

    from cli.demo.cases import Case
    from cli.demo.county import Post
    from cli.demo.history import History

TOOK_EFFECT = date(2025, 2, 10)
REPORTED = date(2025, 2, 20)
ADJUSTED = date(2025, 3, 10)
ADJUSTED_FROM = "2025-04"


def write_imprisonments(history: History) -> None:
    """Report one imprisonment left alone and one dealt with; note the plant."""
    alone = _first(history, roles.TEKUN, lambda c: len(c.covered) == 1)
    if alone is not None:
        _report(history, alone)
        history.plan.note(
            "paid-while-imprisoned",
            "RF-02",
            alone.home,
            alone.case_no,
            f"the one person covered imprisoned from {TOOK_EFFECT}, matched from "
            f"prison data on {REPORTED}; the case was never reviewed or stopped",
        )
    family = _first(history, roles.DIBAO, lambda c: len(c.covered) > 1)
    if family is not None:
        writer = _report(history, family)
        size = len(family.covered)
        cut = family.monthly // size * (size - 1)
        writer.adjust(
            _clerk(history, family), ADJUSTED, cut, ADJUSTED_FROM, "家庭成员服刑"
        )


def _first(
    history: History, programme: str, fits: Callable[[Case], bool]
) -> Case | None:
    for case in history.cases:
        approved = case.approved_on
        if (
            case.programme == programme
            and approved is not None
            and approved.year <= 2024
            # The yearly review comes after the lines of March and April.
            and approved.month >= 5
            and case.ended is None
            and max(case.schedule) < "2025-02"
            and all(person.died is None for person in case.covered)
            and not history.plan.special(case.home.number)
            and fits(case)
        ):
            return case
    return None


def _clerk(history: History, case: Case) -> Post:
    return history.staffing.clerks[case.home.township][0]


def _report(history: History, case: Case) -> CaseWriter:
    writer = CaseWriter(history.out, case)
    writer.event(
        "ChangeReported",
        _clerk(history, case),
        REPORTED,
        change_type="imprisonment",
        effective_date=TOOK_EFFECT.isoformat(),
        source="data-match",
    )
    return writer
