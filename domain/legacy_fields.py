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
    from collections.abc import Callable, Iterable, Mapping

    from domain.base import Act


_CHOICES: dict[str, frozenset[str]] = {
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


def _date(value: object, kind: str) -> date:
    try:
        return date.fromisoformat(_text(value, kind))
    except ValueError:
        raise _bad(kind, f"{value!r} is not a YYYY-MM-DD date") from None


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


def convert(
    kind: str, value: object, person_ref: Callable[[str], str] | None = None
) -> object:
    """Return ``value`` converted to the domain value of ``kind``, or refuse it.

    A ``person`` is a 64-hex person ref or an 18-digit 身份证号, which is
    turned into its ref with ``person_ref`` (the number itself is dropped).
    """
    simple = _SIMPLE.get(kind)
    if simple is not None:
        return simple(value, kind)
    if kind in _CHOICES:
        text = _text(value, kind)
        if text not in _CHOICES[kind]:
            raise _bad(kind, f"{text!r} is not one of the allowed values")
        return text
    if kind == "person":
        text = _text(value, kind)
        if is_person_ref(text):
            return text
        if person_ref is None:
            raise _bad(kind, "expected a person ref")
        return person_ref(text)
    if kind == "persons":
        return tuple(str(convert("person", v, person_ref)) for v in _strs(value, kind))
    raise _bad(kind, "the kind is unknown")  # a mistake in a line type


@dataclass(frozen=True)
class LineType:
    """A kind of legacy line: its fields (``?`` marks optional) and its import."""

    name: str
    fields: Mapping[str, str]
    apply: Callable[[Any, Act, str, Mapping[str, Any]], bool]
    nested: Mapping[str, Mapping[str, str]] | None = None

    def check(
        self,
        data: Mapping[str, Any],
        envelope: Iterable[str],
        person_ref: Callable[[str], str],
    ) -> dict[str, Any]:
        """Return the converted fields of ``data``, refusing missing or extra ones."""
        names = {n.lstrip("?"): n.startswith("?") for n in self.fields}
        extra = set(data) - set(envelope) - set(names)
        if extra:
            raise _bad(self.name, f"unknown fields {sorted(extra)}")
        out: dict[str, Any] = {}
        for spec, kind in self.fields.items():
            name = spec.lstrip("?")
            if name not in data or data[name] is None:
                if not spec.startswith("?"):
                    raise _bad(self.name, f"the field {name} is missing")
                out[name] = None
            elif kind == "members":
                out[name] = self.rows(data[name], name, person_ref)
            else:
                out[name] = convert(kind, data[name], person_ref)
        return out

    def rows(
        self, value: object, name: str, person_ref: Callable[[str], str]
    ) -> tuple[dict[str, Any], ...]:
        """Return a list field of objects, each checked by its nested spec."""
        spec = (self.nested or {}).get(name, {})
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise _bad(self.name, f"the field {name} is not a list of objects")
        nested = LineType(f"{self.name}.{name}", spec, self.apply)
        return tuple(nested.check(row, (), person_ref) for row in value)
