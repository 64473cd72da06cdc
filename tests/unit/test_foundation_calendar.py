"""The working-day calendar: holidays, 调休 workdays, recorded year schedules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from foundation_support import BUREAU, recorded
from foundation_support import memory_fund as fresh_fund
from hypothesis import given, settings
from hypothesis import strategies as st

from domain import roles
from domain.base import Act
from domain.calendar import CALENDAR_NUMBER, CalendarBook, WorkingCalendar
from domain.errors import DeadlineError, InvalidDataError, RoleError
from domain.ids import record_id

LIBRARY = WorkingCalendar()


@pytest.mark.parametrize("day", [date(2024, 10, d) for d in range(1, 8)])
def test_the_national_day_week_is_a_holiday(day: date) -> None:
    assert not LIBRARY.is_working_day(day)


def test_a_make_up_sunday_is_a_working_day() -> None:
    assert date(2024, 9, 29).weekday() == 6
    assert LIBRARY.is_working_day(date(2024, 9, 29))
    assert LIBRARY.is_working_day(date(2024, 10, 12))  # a 调休 Saturday
    assert not LIBRARY.is_working_day(date(2024, 9, 28))  # an ordinary Saturday


def test_adding_working_days_skips_the_national_day_week() -> None:
    assert LIBRARY.add_working_days(date(2024, 9, 27), 1) == date(2024, 9, 29)
    assert LIBRARY.add_working_days(date(2024, 9, 29), 1) == date(2024, 9, 30)
    assert LIBRARY.add_working_days(date(2024, 9, 30), 1) == date(2024, 10, 8)
    assert LIBRARY.add_working_days(date(2024, 9, 30), 3) == date(2024, 10, 10)
    assert LIBRARY.add_working_days(date(2024, 9, 30), 0) == date(2024, 9, 30)


def test_working_days_between_counts_after_start_up_to_end() -> None:
    assert LIBRARY.working_days_between(date(2024, 9, 30), date(2024, 10, 8)) == 1
    assert LIBRARY.working_days_between(date(2024, 9, 27), date(2024, 10, 12)) == 7
    assert LIBRARY.working_days_between(date(2024, 10, 8), date(2024, 9, 30)) == -1


@settings(deadline=None)
@given(
    st.dates(min_value=date(2010, 1, 1), max_value=date(2025, 10, 1)),
    st.integers(min_value=0, max_value=45),
)
def test_counting_undoes_adding(start: date, n: int) -> None:
    end = LIBRARY.add_working_days(start, n)
    assert LIBRARY.working_days_between(start, end) == n
    assert n == 0 or LIBRARY.is_working_day(end)


def test_a_year_the_library_lacks_is_refused_until_recorded() -> None:
    with pytest.raises(DeadlineError, match="year 2031"):
        LIBRARY.is_working_day(date(2031, 1, 1))


def _days(start: date, n: int) -> list[date]:
    return [start + timedelta(days=i) for i in range(n)]


def test_a_recorded_schedule_is_used_and_a_later_one_supersedes() -> None:
    fund = fresh_fund()
    fund.record_calendar_year(
        BUREAU,
        2031,
        _days(date(2031, 1, 1), 3),
        [date(2031, 1, 4)],
        "国办发明电〔2030〕7号",
    )
    calendar = fund.calendar()
    assert not calendar.is_working_day(date(2031, 1, 2))
    assert calendar.is_working_day(date(2031, 1, 4))  # a Saturday made a workday
    assert calendar.is_working_day(date(2031, 1, 6))  # an ordinary Monday
    fund.record_calendar_year(
        BUREAU, 2031, [date(2031, 1, 1)], [], "国办发明电〔2030〕8号（更正）"
    )
    calendar = fund.calendar()
    assert calendar.is_working_day(date(2031, 1, 2))
    assert not calendar.is_working_day(date(2031, 1, 4))
    book: object = fund.repository.get(record_id("calendar", CALENDAR_NUMBER))
    assert isinstance(book, CalendarBook)
    assert [v.source for v in book.versions] == [
        "国办发明电〔2030〕7号",
        "国办发明电〔2030〕8号（更正）",
    ]


def test_a_recorded_schedule_overrides_the_library_for_its_year() -> None:
    fund = fresh_fund()
    fund.record_calendar_year(BUREAU, 2024, [date(2024, 9, 30)], [], "假设的通知")
    calendar = fund.calendar()
    assert not calendar.is_working_day(date(2024, 9, 30))
    assert calendar.is_working_day(date(2024, 10, 1))  # no longer a holiday
    assert not calendar.is_working_day(date(2024, 9, 29))  # nor a make-up Sunday


@pytest.mark.parametrize(
    ("holidays", "workdays", "source", "rule"),
    [
        ([date(2030, 12, 31)], [], "通知", "calendar-year"),
        ([date(2031, 1, 1)], [date(2031, 1, 1)], "通知", "calendar-days"),
        ([date(2031, 1, 1)], [], " ", "calendar-source"),
    ],
)
def test_malformed_schedules_are_refused(
    holidays: list[date], workdays: list[date], source: str, rule: str
) -> None:
    fund = fresh_fund()
    with pytest.raises(InvalidDataError, match=rule):
        fund.record_calendar_year(BUREAU, 2031, holidays, workdays, source)
    assert recorded(fund) == 0


def test_only_reference_roles_record_schedules() -> None:
    fund = fresh_fund()
    act = Act("S5", roles.AUDIT, BUREAU.occurred_at)
    with pytest.raises(RoleError, match="reference-role"):
        fund.record_calendar_year(act, 2031, [date(2031, 1, 1)], [], "通知")
    assert recorded(fund) == 0
