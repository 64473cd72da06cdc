"""Bulk-write bind processors give the dialect's own text, value for value."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Date, DateTime, String
from sqlalchemy.dialects import postgresql, sqlite

from projections.binds import bind_processor

SQLITE = sqlite.dialect()
zones: st.SearchStrategy[tzinfo | None] = st.sampled_from(
    [None, UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-3))]
)


def _dialects(column_type: DateTime | Date) -> tuple[object, object]:
    quick = bind_processor(column_type, SQLITE)
    own = column_type.dialect_impl(SQLITE).bind_processor(SQLITE)
    assert quick is not None
    assert own is not None
    return quick, own


@given(st.datetimes(), zones)
def test_a_datetime_is_written_as_sqlalchemy_writes_it(
    naive: datetime, zone: tzinfo | None
) -> None:
    value = naive.replace(tzinfo=zone)
    quick, own = _dialects(DateTime())
    assert quick(value) == own(value)  # type: ignore[operator]


@given(st.dates())
def test_a_date_is_written_as_sqlalchemy_writes_it(value: date) -> None:
    quick, own = _dialects(Date())
    assert quick(value) == own(value)  # type: ignore[operator]


def test_none_and_other_values_go_through_the_dialects_processor() -> None:
    quick, own = _dialects(DateTime())
    assert quick(None) == own(None)  # type: ignore[operator]
    assert bind_processor(String(), SQLITE) is None
    pg = postgresql.dialect()  # type: ignore[no-untyped-call]
    assert bind_processor(DateTime(), pg) is None
