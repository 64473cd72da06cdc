"""Bind processors for bulk writes: SQLAlchemy's own, or a quicker equal one.

``projections.sql`` hands rows to the driver itself, so it applies each
column's bind processor by hand. SQLite's ``DATETIME`` and ``DATE`` processors
build their text through ``%``-formatting of a dict, which for the audit
index alone cost about a second of a county's rebuild. For those two,
``bind_processor`` returns ``isoformat`` (which gives the very same text for
every ``datetime`` and ``date``), but only after checking on probe values that
the dialect's processor, with its storage format, agrees; any other value
(None, a string) still goes through the dialect's processor.

``column_processor`` processes a whole column of a page's rows at once: a
column holding only ``datetime`` (or only ``date``) values is formatted by
``map`` over the C methods themselves, with no Python frame per value.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from operator import itemgetter, methodcaller
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import Date, DateTime

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

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

_SPACED = methodcaller("isoformat", " ", "microseconds")
_ISO = methodcaller("isoformat")
_NO_OFFSET = itemgetter(slice(26))


def _datetime_text(value: datetime) -> str:
    # "YYYY-MM-DD HH:MM:SS.ffffff": a UTC offset, if any, is dropped, as the
    # dialect's format drops it.
    return value.isoformat(" ", "microseconds")[:26]


def _datetime_texts(values: Sequence[datetime]) -> Iterator[str]:
    return map(_NO_OFFSET, map(_SPACED, values))


def _shared_datetime_texts(values: Sequence[datetime]) -> Iterator[str]:
    """``_datetime_texts``, formatting each distinct object once.

    ``isoformat`` costs over a microsecond, and the ledger's transcoder hands
    back one object for each repeated business time. Distinct objects are
    told apart by identity (all are held in ``values`` meanwhile), so equal
    values at other offsets never share a text.
    """
    ids = list(map(id, values))
    distinct = dict(zip(ids, values, strict=True))
    if len(distinct) * 2 > len(ids):  # mostly distinct: format each
        return _datetime_texts(values)
    texts = dict(zip(distinct, _datetime_texts(list(distinct.values())), strict=True))
    return map(texts.__getitem__, ids)


def _date_text(value: date) -> str:
    return value.isoformat()


def _date_texts(values: Sequence[date]) -> Iterator[str]:
    return map(_ISO, values)


Quick = tuple[type, "Callable[[Any], str]", "Callable[[Sequence[Any]], Iterator[str]]"]
"""The class a quick format takes, its one-value and its whole-column form."""


def _quick(column_type: TypeEngine[Any], dialect: Dialect) -> Quick | None:
    """Return the quick format equal to the dialect's processor, if any."""
    slow = column_type.dialect_impl(dialect).bind_processor(dialect)
    if slow is None or dialect.name != "sqlite":
        return None
    if isinstance(column_type, DateTime) and all(
        slow(p) == _datetime_text(p) for p in DATETIME_PROBES
    ):
        return datetime, _datetime_text, _shared_datetime_texts
    if isinstance(column_type, Date) and all(
        slow(p) == _date_text(p) for p in DATE_PROBES
    ):
        return date, _date_text, _date_texts
    return None


def bind_processor(
    column_type: TypeEngine[Any], dialect: Dialect
) -> Callable[[Any], Any] | None:
    """Return the processor for ``column_type`` on ``dialect`` (None if none)."""
    slow = column_type.dialect_impl(dialect).bind_processor(dialect)
    quick = _quick(column_type, dialect)
    if slow is None or quick is None:
        return slow
    kind, text, _ = quick

    def process(value: Any) -> Any:
        if value.__class__ is kind:
            return text(value)
        return slow(value)

    return process


def column_processor(
    column_type: TypeEngine[Any], dialect: Dialect
) -> Callable[[Sequence[Any]], list[Any]] | None:
    """Return ``bind_processor``'s work on a whole column of values at once.

    The function takes one column's values and returns them processed, in
    order; None if the column needs no processing.
    """
    one = bind_processor(column_type, dialect)
    if one is None:
        return None
    quick = _quick(column_type, dialect)
    if quick is None:
        return lambda values: list(map(one, values))
    kinds, texts = {quick[0]}, quick[2]

    def process_column(values: Sequence[Any]) -> list[Any]:
        # Only exactly that class (a subclass may format otherwise), checked
        # in C; a column with anything else goes value by value.
        if kinds.issuperset(map(type, values)):
            return list(texts(values))
        return list(map(one, values))

    return process_column
