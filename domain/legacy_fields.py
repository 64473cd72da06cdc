"""Field kinds of legacy lines: how each JSON value is checked and converted.

A line type names its fields and their kinds; ``convert`` turns one JSON value
into the domain value (``date``, whole fen, a person ref...) or refuses it as
malformed. Nothing here reads the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from domain import roles
from domain.errors import AmountError, InvalidDataError
from domain.kinship import SOURCES
from domain.people import DEATH_SOURCES, MEMBER_RELATIONS, is_person_ref
from domain.reference import AREAS, LIMIT_LEVELS, region_code

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from domain.base import Act
    from domain.legacy_lines import LegacyLine


CHOICES: dict[str, frozenset[str]] = {
    "programme": roles.PROGRAMMES,
    "area": AREAS,
    "limit_level": LIMIT_LEVELS,
    "staff_role": roles.ROLES,
    "relation": roles.RELATIONS,
    "member_relation": MEMBER_RELATIONS,
    "kin_source": SOURCES,
    "death_source": DEATH_SOURCES,
}


def _bad(kind: str, reason: str) -> InvalidDataError:
    return InvalidDataError("legacy-field", f"a {kind} field", reason)


def _text(value: object, kind: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _bad(kind, "expected non-empty text")
    return value


def _fen(value: object, kind: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise AmountError(
            "legacy-money", f"a {kind} field", "money is a whole number of fen ≥ 0"
        )
    return value


_DATES: dict[object, date] = {}


def _date(value: object, kind: str) -> date:
    known = _DATES.get(value) if isinstance(value, str) else None
    if known is not None:
        return known
    try:
        day = date.fromisoformat(_text(value, kind))
    except ValueError:
        raise _bad(kind, f"{value!r} is not a YYYY-MM-DD date") from None
    if len(_DATES) > 100_000:
        _DATES.clear()
    _DATES[value] = day
    return day


def _datetime(value: object, kind: str) -> datetime:
    try:
        moment = datetime.fromisoformat(_text(value, kind))
    except ValueError:
        raise _bad(kind, f"{value!r} is not an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        raise _bad(kind, f"{value!r} has no UTC offset")
    return moment


def _int(value: object, kind: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(kind, "expected a whole number")
    return value


def _bool(value: object, kind: str) -> bool:
    if not isinstance(value, bool):
        raise _bad(kind, "expected true or false")
    return value


def _dates(value: object, kind: str) -> tuple[date, ...]:
    if not isinstance(value, list):
        raise _bad(kind, "expected a list of dates")
    return tuple(_date(v, kind) for v in value)


def _code(value: object, kind: str) -> str:
    return region_code(_text(value, kind))


def _str(value: object, kind: str) -> str:
    if not isinstance(value, str):
        raise _bad(kind, "expected text")
    return value


def _count(value: object, kind: str) -> int:
    number = _int(value, kind)
    if number < 0:
        raise _bad(kind, "expected a whole number ≥ 0")
    return number


def _strs(value: object, kind: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _bad(kind, "expected a list of text")
    return tuple(_str(v, kind) for v in value)


def _schedule(value: object, kind: str) -> dict[str, int]:
    if not isinstance(value, dict):
        raise _bad(kind, "expected an object of months to fen")
    return {_str(k, kind): _fen(v, kind) for k, v in value.items()}


_SIMPLE: dict[str, Callable[[object, str], object]] = {
    "text": _text,
    "fen": _fen,
    "date": _date,
    "datetime": _datetime,
    "int": _int,
    "bool": _bool,
    "dates": _dates,
    "code": _code,
    "str": _str,
    "count": _count,
    "strs": _strs,
    "schedule": _schedule,
}


def converter(kind: str) -> Callable[[object, Callable[[str], str] | None], object]:
    """Return the function that converts a JSON value of ``kind`` (or refuses it).

    A ``person`` is a 64-hex person ref or an 18-digit 身份证号, which is
    turned into its ref with the given ``person_ref`` (the number is dropped).
    """
    simple = _SIMPLE.get(kind)
    if simple is not None:
        return lambda value, _ref: simple(value, kind)
    allowed = CHOICES.get(kind)
    if allowed is not None:

        def choice(value: object, _ref: Callable[[str], str] | None) -> object:
            if value not in allowed:
                raise _bad(kind, f"{value!r} is not one of the allowed values")
            return value

        return choice
    if kind == "person":
        return _person
    if kind == "persons":
        return lambda value, ref: tuple(_person(v, ref) for v in _strs(value, kind))
    raise _bad(kind, "the kind is unknown")  # a mistake in a line type


def _person(value: object, person_ref: Callable[[str], str] | None) -> str:
    text = _text(value, "person")
    if is_person_ref(text):
        return text
    if person_ref is None:
        raise _bad("person", "expected a person ref")
    return person_ref(text)


def convert(
    kind: str, value: object, person_ref: Callable[[str], str] | None = None
) -> object:
    """Return ``value`` converted to the domain value of ``kind``, or refuse it."""
    return converter(kind)(value, person_ref)


@dataclass(frozen=True)
class LineType:
    """A kind of legacy line: its fields (``?`` marks optional) and its import."""

    name: str
    fields: Mapping[str, str]
    apply: Callable[[Any, Act, str, Mapping[str, Any]], bool]
    nested: Mapping[str, Mapping[str, str]] | None = None
    # Consecutive lines with the same group key go to ``apply_many`` together
    # (one call, so one event may hold many facts); it returns how many it
    # recorded. ``post_check`` refuses malformed fields the kinds cannot see.
    group_key: Callable[[LegacyLine], object] | None = None
    apply_many: Callable[[Any, Sequence[LegacyLine]], int] | None = None
    post_check: Callable[[str, Mapping[str, Any]], None] | None = None
