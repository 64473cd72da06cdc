"""Working days between two days, as a running count, equal a day-by-day count."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.calendar import WorkingCalendar, YearSchedule
from domain.errors import DeadlineError
from projections.risk.procedure_facts import ProcedureFacts

DAYS = st.dates(min_value=date(2023, 1, 1), max_value=date(2025, 12, 31))
SCHEDULE = YearSchedule(
    2024,
    frozenset({date(2024, 10, 1), date(2024, 10, 2), date(2024, 10, 3)}),
    frozenset({date(2024, 9, 29)}),
    "test",
)


def counted_day_by_day(facts: ProcedureFacts, start: date, end: date) -> int:
    if end < start:
        return -counted_day_by_day(facts, end, start)
    calendar = WorkingCalendar(facts.schedules)
    days = (start + timedelta(days=n) for n in range(1, (end - start).days + 1))
    return sum(working(calendar, day) for day in days)


def working(calendar: WorkingCalendar, day: date) -> bool:
    try:
        return calendar.is_working_day(day)
    except DeadlineError:  # a year neither source knows: Monday to Friday
        return day.weekday() < 5


@settings(deadline=None, max_examples=30)  # the day-by-day count is slow
@given(st.lists(st.tuples(DAYS, DAYS), min_size=1, max_size=8), st.booleans())
def test_spans_in_any_order_count_as_day_by_day(
    spans: list[tuple[date, date]], scheduled: bool
) -> None:
    facts = ProcedureFacts(as_of=date(2027, 12, 31))
    if scheduled:
        facts.add_schedule(SCHEDULE)
    for start, end in spans:  # later spans may start before the count did
        assert facts.working_days(start, end) == counted_day_by_day(facts, start, end)


def test_a_schedule_recorded_later_is_counted_from_then_on() -> None:
    facts = ProcedureFacts(as_of=date(2024, 12, 31))
    week = (date(2024, 9, 28), date(2024, 10, 5))
    before = facts.working_days(*week)
    facts.add_schedule(SCHEDULE)
    assert facts.working_days(*week) == counted_day_by_day(facts, *week)
    assert facts.working_days(*week) != before
