"""Per-case money: entitled to date, paid, arrears, overpaid and recovered.

``CaseScheduleFold`` keeps each case's pay schedule (``{from_month: fen}``
steps, as the roll copies it from the case: ``Roll.ScheduleSet``), its
household and programme, and the overpayments identified on it. What was paid,
failed, returned, recovered and fined comes from the books
(``projections.balances``). ``case_money`` puts the two together for the
months up to a given one: entitled = Σ payable each month + emergency aid;
arrears = entitled − paid where positive.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.utils import get_topic
from sqlalchemy import BigInteger, Column, String, Table, Text, func, select

from domain import case_events as ev  # noqa: TC001 (dispatch reads annotations)
from domain.case_rules import add_months, payable_on
from domain.cases import ReliefCase
from domain.recoveries import Recovery
from domain.rolls import Roll
from projections.balances import cases_table, postings_table
from projections.folds import At, Fold, Row
from projections.schema import metadata

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sqlalchemy.engine import Connection

schedules_table = Table(
    "case_schedules",
    metadata,
    Column("case_no", String(80), primary_key=True),
    Column("programme", String(40), nullable=False),
    Column("household_no", String(80), nullable=False),
    Column("schedule", Text, nullable=False),
    Column("overpaid", BigInteger, nullable=False),
)


@dataclass(frozen=True, slots=True)
class CaseSchedule:
    """A case's programme, household, pay steps and identified overpayments."""

    programme: str = ""
    household_no: str = ""
    schedule: tuple[tuple[str, int], ...] = ()
    overpaid: int = 0


class CaseScheduleFold(Fold[str, CaseSchedule]):
    """Pay schedule and overpayments of each case, keyed by case number."""

    name = "case-schedules"
    table = schedules_table
    topics = (
        get_topic(ReliefCase.Applied),
        get_topic(Roll.ScheduleSet),
        get_topic(Recovery.OverpaymentIdentified),
    )

    def keys(self, event: Any) -> tuple[str, ...]:
        if type(event) in _KEYED:
            return (event.case_no,)
        return ()

    def initial(self, key: str) -> CaseSchedule:  # noqa: ARG002 (the Fold interface)
        return CaseSchedule()

    def __init__(self) -> None:
        self._step = self.step  # bind the dispatcher once (see PostingRules)

    def apply(self, key: str, state: CaseSchedule, event: Any, at: At) -> CaseSchedule:  # noqa: ARG002
        return self._step(event, state)

    @singledispatchmethod
    def step(self, event: Any, state: CaseSchedule) -> CaseSchedule:  # noqa: ARG002
        """Return the state after ``event`` (unchanged for events it ignores)."""
        return state

    @step.register
    def _(self, event: ev.Applied, state: CaseSchedule) -> CaseSchedule:
        return CaseSchedule(
            event.programme, event.household_no, state.schedule, state.overpaid
        )

    @step.register
    def _(self, event: Roll.ScheduleSet, state: CaseSchedule) -> CaseSchedule:
        steps = tuple(sorted((str(m), int(f)) for m, f in event.schedule.items()))
        return CaseSchedule(state.programme, event.household_no, steps, state.overpaid)

    @step.register
    def _(
        self, event: Recovery.OverpaymentIdentified, state: CaseSchedule
    ) -> CaseSchedule:
        overpaid = state.overpaid + event.amount
        return CaseSchedule(
            state.programme, state.household_no, state.schedule, overpaid
        )

    def to_row(self, key: str, state: CaseSchedule) -> Row:
        return {
            "case_no": key,
            "programme": state.programme,
            "household_no": state.household_no,
            "schedule": json.dumps(state.schedule),
            "overpaid": state.overpaid,
        }

    def from_row(self, row: Mapping[Any, Any]) -> tuple[str, CaseSchedule]:
        steps = tuple((str(m), int(f)) for m, f in json.loads(row["schedule"]))
        return row["case_no"], CaseSchedule(
            row["programme"], row["household_no"], steps, int(row["overpaid"])
        )


_KEYED = (ReliefCase.Applied, Roll.ScheduleSet, Recovery.OverpaymentIdentified)


@dataclass(frozen=True)
class CaseMoney:
    """A case's money up to and including month ``through``."""

    case_no: str
    through: str
    entitled: int
    paid: int
    arrears: int
    overpaid: int
    recovered: int
    fined: int

    def as_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def entitled(schedule: tuple[tuple[str, int], ...], through: str) -> int:
    """Return Σ payable over every month from the first step to ``through``."""
    if not schedule:
        return 0
    steps = dict(schedule)
    month, total = schedule[0][0], 0
    while month <= through:
        total += payable_on(steps, month)
        month = add_months(month, 1)
    return total


def money_of(
    case_no: str, schedule: CaseSchedule | None, sums: Mapping[str, int], through: str
) -> CaseMoney:
    """Combine a case's schedule and its books sums into ``CaseMoney``."""
    owed = entitled(schedule.schedule if schedule else (), through)
    owed += sums.get("emergency", 0)
    paid = sums.get("paid", 0)
    return CaseMoney(
        case_no,
        through,
        owed,
        paid,
        max(owed - paid, 0),
        schedule.overpaid if schedule else 0,
        sums.get("recovered", 0),
        sums.get("fined", 0),
    )


def latest_period(conn: Connection) -> str:
    """Return the latest month a payment batch was sent for ('' if none)."""
    c = postings_table.c
    value = conn.execute(
        select(func.max(c.period)).where(c.kind == "instructed")
    ).scalar()
    return str(value or "")


def case_money(conn: Connection, case_no: str, through: str | None = None) -> CaseMoney:
    """Return the case's money through ``through`` (default: the last batch month)."""
    month = through or latest_period(conn)
    row = (
        conn.execute(
            select(schedules_table).where(schedules_table.c.case_no == case_no)
        )
        .mappings()
        .first()
    )
    schedule = CaseScheduleFold().from_row(row)[1] if row else None
    sums = (
        conn.execute(select(cases_table).where(cases_table.c.case_no == case_no))
        .mappings()
        .first()
    )
    return money_of(case_no, schedule, dict(sums or {}), month)
