"""The pure case rules: months, the 补差 cap, ADL categories, pay schedules."""

from __future__ import annotations

from calendar import monthrange
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.case_rules import (
    add_months,
    age_on,
    checked_month,
    day_months_later,
    money,
    months_spanned,
    next_month,
    payable_on,
    self_care_category,
    subsidy_cap,
)
from domain.errors import AmountError, InvalidDataError

months = st.builds(
    lambda y, m: f"{y:04d}-{m:02d}",
    st.integers(2000, 2100),
    st.integers(1, 12),
)


@given(months, st.integers(-600, 600))
def test_adding_months_and_taking_them_away_returns(period: str, n: int) -> None:
    assert add_months(add_months(period, n), -n) == period


@given(months, st.integers(0, 120))
def test_months_spanned_counts_both_ends(period: str, n: int) -> None:
    assert months_spanned(period, add_months(period, n)) == n + 1


def test_next_month_rolls_over_the_year() -> None:
    assert next_month(date(2024, 12, 31)) == "2025-01"


@given(st.dates(date(2000, 1, 1), date(2100, 1, 1)), st.integers(0, 24))
def test_a_day_months_later_stays_in_its_month(day: date, n: int) -> None:
    later = day_months_later(day, n)
    assert f"{later.year:04d}-{later.month:02d}" == add_months(f"{day:%Y-%m}", n)
    assert later.day == min(day.day, monthrange(later.year, later.month)[1])


@given(st.integers(0, 10**7), st.integers(0, 10**7), st.integers(1, 12))
def test_the_cap_is_the_gap_times_the_size_and_never_negative(
    standard: int, income: int, size: int
) -> None:
    cap = subsidy_cap(standard, income, size)
    assert cap >= 0
    assert cap % size == 0
    assert cap == (size * (standard - income) if standard > income else 0)


@pytest.mark.parametrize(
    ("failed", "category"),
    [
        (frozenset(), "self-care"),
        (frozenset({"eating", "bathing", "walking"}), "partial-loss"),
        (frozenset({"eating", "bathing", "walking", "dressing"}), "full-loss"),
    ],
)
def test_adl_failures_set_the_self_care_category(
    failed: frozenset[str], category: str
) -> None:
    assert self_care_category(failed) == category


@given(st.dictionaries(months, st.integers(0, 10**6), max_size=8), months)
def test_a_schedule_pays_its_last_step_before_the_period(
    schedule: dict[str, int], period: str
) -> None:
    earlier = [m for m in schedule if m <= period]
    expected = schedule[max(earlier)] if earlier else 0
    assert payable_on(schedule, period) == expected


@pytest.mark.parametrize("bad", [1.5, -1, True, "100", None])
def test_money_is_a_non_negative_whole_number_of_fen(bad: object) -> None:
    with pytest.raises(AmountError):
        money(bad, "case C1")


@pytest.mark.parametrize("bad", ["2024-13", "2024-1", "24-01", "2024/01", 202401])
def test_a_period_is_yyyy_mm(bad: object) -> None:
    with pytest.raises(InvalidDataError):
        checked_month(bad, "case C1")  # type: ignore[arg-type]


def test_age_counts_whole_years() -> None:
    assert age_on(date(2006, 3, 16), date(2024, 3, 15)) == 17
    assert age_on(date(2006, 3, 15), date(2024, 3, 15)) == 18
