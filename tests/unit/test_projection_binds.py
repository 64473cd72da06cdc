"""Bulk-write bind processors give the dialect's own text, value for value."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Date, DateTime, String
from sqlalchemy.dialects import postgresql, sqlite

from projections.binds import bind_processor, column_processor

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


@given(
    st.lists(
        st.one_of(
            st.none(),
            st.builds(
                lambda day, zone: day.replace(tzinfo=zone),
                st.datetimes(
                    min_value=datetime(2020, 1, 1), max_value=datetime(2020, 1, 3)
                ),
                zones,
            ),
        ),
        max_size=30,
    ),
    st.integers(1, 4),
)
def test_a_column_of_datetimes_is_written_value_for_value(
    values: list[datetime | None], copies: int
) -> None:
    # Equal instants at other offsets must keep their own wall time's text.
    column = values * copies + [
        v.astimezone(timezone(timedelta(hours=5))) for v in values if v and v.tzinfo
    ]
    own = DateTime().dialect_impl(SQLITE).bind_processor(SQLITE)
    process = column_processor(DateTime(), SQLITE)
    assert own is not None
    assert process is not None
    assert process(column) == [own(v) for v in column]
    present = [v for v in column if v is not None]
    assert process(present) == [own(v) for v in present]


@given(st.lists(st.dates(), max_size=20))
def test_a_column_of_dates_is_written_value_for_value(values: list[date]) -> None:
    own = Date().dialect_impl(SQLITE).bind_processor(SQLITE)
    process = column_processor(Date(), SQLITE)
    assert own is not None
    assert process is not None
    assert process(values) == [own(v) for v in values]


def test_a_column_needs_no_processing_where_a_value_needs_none() -> None:
    assert column_processor(String(), SQLITE) is None
    pg = postgresql.dialect()  # type: ignore[no-untyped-call]
    assert column_processor(DateTime(), pg) is None
