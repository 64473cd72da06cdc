"""The 花名册: the roll of one programme in one township, kept in step with cases.

Each line is a case's pay schedule of ``{from_month: fen}`` steps, copied from
the case in the same ``save()`` whenever it changes, so that a month's batch is
built from one aggregate without loading each case. A month's entitlement of a
case is its last step at or before that month; a step of 0 (suspension, exit)
pays nothing, and nothing is paid before the first step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from eventsourcing.domain import Aggregate, event

from domain.base import ReliefCreated, ReliefEvent
from domain.case_rules import checked_month, money, payable_on
from domain.ids import record_id

if TYPE_CHECKING:
    from collections.abc import Mapping
    from uuid import UUID

    from domain.base import Act

TOWNSHIP_DIGITS = 9


def township_of(region_code: str) -> str:
    """Return the township part (9 digits) of a township or village code."""
    return region_code[:TOWNSHIP_DIGITS]


def roll_id(programme: str, region_code: str) -> UUID:
    """Return the id of the roll of ``programme`` in the township of ``region_code``.

    A village code and its township's code give the same roll.
    """
    return record_id("roll", f"{programme}:{township_of(region_code)}")


class Entitlement(NamedTuple):
    """One line a batch may hold for a month: a case, its household, the fen.

    A named tuple rather than a frozen dataclass: a roll returns one per case,
    100,000 at a time, and a tuple is built several times faster.
    """

    case_no: str
    household_no: str
    amount_fen: int


class Roll(Aggregate):
    """The roll (花名册) of one programme × township."""

    class Opened(ReliefCreated):
        programme: str
        region_code: str

    class ScheduleSet(ReliefEvent):
        case_no: str
        household_no: str
        schedule: dict[str, int]

    @classmethod
    def open(cls, act: Act, programme: str, region_code: str) -> Roll:
        """Open the roll of ``programme`` in the township of ``region_code``."""
        return cls._create(
            cls.Opened,
            id=roll_id(programme, region_code),
            programme=programme,
            region_code=township_of(region_code),
            **act.fields(),
        )

    @event(Opened)
    def __init__(self, programme: str, region_code: str) -> None:
        self.programme = programme
        self.region_code = region_code
        self.lines: dict[str, tuple[str, dict[str, int]]] = {}
        self.households: dict[str, tuple[str, ...]] = {}

    def schedule_of(self, case_no: str) -> dict[str, int]:
        """Return the schedule the roll holds for ``case_no`` (empty if none)."""
        line = self.lines.get(case_no)
        return dict(line[1]) if line else {}

    def set_schedule(
        self, act: Act, case_no: str, household_no: str, schedule: Mapping[str, int]
    ) -> None:
        """Copy a case's pay schedule onto the roll (the case decided it)."""
        record = f"roll {self.programme}/{self.region_code}"
        steps = {
            checked_month(m, record): money(a, record) for m, a in schedule.items()
        }
        self.trigger_event(
            self.ScheduleSet,
            case_no=case_no,
            household_no=household_no,
            schedule=steps,
            **act.fields(),
        )

    def entitlements(self, period: str) -> list[Entitlement]:
        """Return the lines payable in ``period``, in case order."""
        lines = []
        for case_no, (household_no, schedule) in self.lines.items():
            amount = payable_on(schedule, period)
            if amount:
                lines.append(Entitlement(case_no, household_no, amount))
        lines.sort(key=lambda e: e.case_no)
        return lines

    def household_paid(self, household_no: str, periods: set[str], but: str) -> bool:
        """Return whether another case of the household is payable in ``periods``."""
        return any(
            payable_on(self.lines[other][1], period)
            for other in self.households.get(household_no, ())
            if other != but
            for period in periods
        )

    @event(ScheduleSet)
    def _schedule_set(
        self,
        case_no: str,
        household_no: str,
        schedule: dict[str, int],
    ) -> None:
        # Item assignment, not a copy of the whole roll: replay stays linear.
        self.lines[case_no] = (household_no, dict(schedule))
        cases = self.households.get(household_no, ())
        if case_no not in cases:
            self.households[household_no] = (*cases, case_no)
