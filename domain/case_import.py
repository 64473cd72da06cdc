"""The legacy-import path of cases, recoveries and enrolments: facts, not rules.

History from an older system is recorded as it happened, with ``imported=True``
and without the business rules: breaches are what inspectors look for, and the
risk rules flag them. Only malformed data is refused here: an unknown event
name, missing or extra fields, a value of the wrong type, negative or
non-integer money, or a period that is not ``YYYY-MM``.

The entry points are ``ReliefCase.imported`` and ``.record_imported``,
``Recovery.imported`` and ``.record_imported``, and the service's
``CaseImportCommands`` (``domain.case_import_service``), which also keeps the
roll in step.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from domain.base import ReliefCreated, ReliefEvent
from domain.case_rules import checked_month
from domain.errors import InvalidDataError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

_BASE_FIELDS = frozenset(
    {
        "originator_id",
        "originator_version",
        "originator_topic",
        "timestamp",
        "actor_id",
        "actor_role",
        "occurred_at",
        "imported",
    }
)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_strings(value: object) -> bool:
    return isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)


def _is_schedule(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and _is_count(v) for k, v in value.items()
    )


_CHECKS: dict[str, Callable[[object], bool]] = {
    "str": lambda v: isinstance(v, str),
    "int": _is_count,
    "bool": lambda v: isinstance(v, bool),
    "date": lambda v: isinstance(v, date) and not isinstance(v, datetime),
    "tuple[str, ...]": _is_strings,
    "dict[str, int]": _is_schedule,
}


def event_fields(event_class: type[Any]) -> dict[str, str]:
    """Return the payload fields of an event class and their annotated types."""
    known = _FIELDS.get(event_class)
    if known is None:
        known = _FIELDS[event_class] = tuple(
            (f.name, str(f.type))
            for f in dataclasses.fields(event_class)
            if f.name not in _BASE_FIELDS
        )
    return dict(known)


# Event classes are fixed at import time, so their fields are read once.
_FIELDS: dict[type[Any], tuple[tuple[str, str], ...]] = {}


def checked_fields(
    owner: type[Any], name: str, fields: Mapping[str, Any], record: str
) -> type[Any]:
    """Return the event class ``owner.<name>`` if ``fields`` fit it exactly.

    Raises:
        InvalidDataError: unknown event, missing or extra fields, bad types.
    """
    event_class = getattr(owner, name, None)
    is_event = isinstance(event_class, type) and issubclass(
        event_class, ReliefEvent | ReliefCreated
    )
    if not is_event or name.startswith("_"):
        raise InvalidDataError("import-event", record, f"{name!r} is no event here")
    assert isinstance(event_class, type)  # narrowed by is_event
    wanted = event_fields(event_class)
    if set(fields) != set(wanted):
        odd = sorted(set(fields) ^ set(wanted))
        raise InvalidDataError("import-fields", record, f"{name} fields differ: {odd}")
    for key, kind in wanted.items():
        check = _CHECKS.get(kind)
        if check is None or not check(fields[key]):
            raise InvalidDataError(
                "import-value", record, f"{name}.{key} is not a valid {kind}"
            )
        if key.endswith("_month") or key == "period":
            checked_month(fields[key], record)
    for month in fields.get("schedule", {}):
        checked_month(month, record)
    return event_class
