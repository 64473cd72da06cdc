"""The working-day calendar: China's holidays and 调休 make-up days, versioned.

``chinese_calendar`` knows the official schedules of the years it ships with.
When it lags, a deployment records a year's official schedule (the 国务院办公厅
notice) as data; a later schedule for a year supersedes the earlier one, which
stays on the ledger. Deadlines in working days (审核确认办法 2021 §15, §17, §20,
§22; 特困认定办法 §13, §16) are counted with it; 公示 uses calendar days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

import chinese_calendar
from eventsourcing.domain import Aggregate, event

from domain.base import ReliefCreated, ReliefEvent
from domain.errors import DeadlineError, InvalidDataError
from domain.ids import record_id

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from domain.base import Act

CALENDAR_NUMBER = "CN"
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class YearSchedule:
    """One year's official schedule: extra days off and 调休 working weekends."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]
    source: str


@dataclass(frozen=True)
class WorkingCalendar:
    """Working days: recorded year schedules first, then ``chinese_calendar``."""

    schedules: Mapping[int, YearSchedule] = field(default_factory=dict)

    def is_working_day(self, day: date) -> bool:
        """Return whether ``day`` is a working day.

        Raises:
            DeadlineError: neither the ledger nor the library knows that year.
        """
        schedule = self.schedules.get(day.year)
        if schedule is not None:
            if day in schedule.workdays:
                return True
            return day not in schedule.holidays and day.weekday() < 5
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            raise DeadlineError(
                "working-day-calendar",
                f"year {day.year}",
                "no official holiday schedule is known for that year",
            ) from None

    def add_working_days(self, start: date, n: int) -> date:
        """Return the day that is ``n`` working days after ``start`` (not counted).

        Requires ``n`` ≥ 0; ``add_working_days(d, 0)`` is ``d``.
        """
        day, counted = start, 0
        while counted < n:
            day += _DAY
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Return the working days after ``start`` up to and including ``end``.

        Negative when ``end`` is before ``start``.
        """
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += _DAY
            count += self.is_working_day(day)
        return count


class CalendarBook(Aggregate):
    """The year schedules recorded on the ledger, every version kept."""

    class Opened(ReliefCreated):
        number: str

    class YearScheduleRecorded(ReliefEvent):
        year: int
        holidays: tuple[date, ...]
        workdays: tuple[date, ...]
        source: str

    @classmethod
    def open(cls, act: Act) -> CalendarBook:
        """Open the (single) calendar book."""
        return cls._create(
            cls.Opened,
            id=record_id("calendar", CALENDAR_NUMBER),
            number=CALENDAR_NUMBER,
            **act.fields(),
        )

    @event(Opened)
    def __init__(
        self,
        number: str,
    ) -> None:
        self.number = number
        self.versions: list[YearSchedule] = []

    def record_year(
        self,
        act: Act,
        year: int,
        holidays: Iterable[date],
        workdays: Iterable[date],
        source: str,
    ) -> None:
        """Record ``year``'s official schedule, superseding any earlier version.

        Rule: the schedule is the 国务院办公厅 notice for that year (it names
        the days off and the 调休 working weekends); every date is in ``year``
        and no day is both.
        """
        days_off, days_on = tuple(sorted(set(holidays))), tuple(sorted(set(workdays)))
        record = f"calendar year {year}"
        if not source.strip():
            raise InvalidDataError("calendar-source", record, "the notice is not named")
        if any(d.year != year for d in (*days_off, *days_on)):
            raise InvalidDataError("calendar-year", record, "a date is in another year")
        if set(days_off) & set(days_on):
            raise InvalidDataError("calendar-days", record, "a day is both off and on")
        self.trigger_event(
            self.YearScheduleRecorded,
            year=year,
            holidays=days_off,
            workdays=days_on,
            source=source,
            **act.fields(),
        )

    @event(YearScheduleRecorded)
    def _year_schedule_recorded(
        self,
        year: int,
        holidays: tuple[date, ...],
        workdays: tuple[date, ...],
        source: str,
    ) -> None:
        schedule = YearSchedule(year, frozenset(holidays), frozenset(workdays), source)
        self.versions = [*self.versions, schedule]

    def working_calendar(self) -> WorkingCalendar:
        """Return the calendar with the latest recorded schedule of each year."""
        return WorkingCalendar({s.year: s for s in self.versions})
