"""Bind processors for bulk writes: SQLAlchemy's own, or a quicker equal one.

``projections.sql`` hands rows to the driver itself, so it applies each
column's bind processor by hand, once per value. SQLite's ``DATETIME`` and
``DATE`` processors build their text through ``%``-formatting of a dict,
which for the audit index alone cost about a second of a county's rebuild.
For those two, ``bind_processor`` returns ``isoformat`` (which gives the very
same text for every ``datetime`` and ``date``), but only after checking on
probe values that the dialect's processor, with its storage format, agrees;
any other value (None, a string) still goes through the dialect's processor.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import Date, DateTime

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.engine import Dialect
    from sqlalchemy.types import TypeEngine


DATETIME_PROBES: Final = (
    datetime(2024, 5, 6, 7, 8, 9, 123456),
    datetime(2024, 1, 1),
    datetime(2020, 12, 28, 9, 0, tzinfo=timezone(timedelta(hours=8))),
    datetime(2026, 1, 2, 0, 0, 0, 2, tzinfo=UTC),
    datetime(999, 12, 31, 23, 59, 59, 1),
)
DATE_PROBES: Final = (date(2024, 5, 6), date(2024, 12, 31), date(999, 1, 1))


def _datetime_text(value: datetime) -> str:
    # "YYYY-MM-DD HH:MM:SS.ffffff": a UTC offset, if any, is dropped, as the
    # dialect's format drops it.
    return value.isoformat(" ", "microseconds")[:26]


def _date_text(value: date) -> str:
    return value.isoformat()


def bind_processor(
    column_type: TypeEngine[Any], dialect: Dialect
) -> Callable[[Any], Any] | None:
    """Return the processor for ``column_type`` on ``dialect`` (None if none)."""
    slow = column_type.dialect_impl(dialect).bind_processor(dialect)
    if slow is None or dialect.name != "sqlite":
        return slow
    if isinstance(column_type, DateTime) and all(
        slow(p) == _datetime_text(p) for p in DATETIME_PROBES
    ):

        def process_datetime(value: Any) -> Any:
            if value.__class__ is datetime:
                return _datetime_text(value)
            return slow(value)

        return process_datetime
    if isinstance(column_type, Date) and all(
        slow(p) == _date_text(p) for p in DATE_PROBES
    ):

        def process_date(value: Any) -> Any:
            if value.__class__ is date:
                return _date_text(value)
            return slow(value)

        return process_date
    return slow
