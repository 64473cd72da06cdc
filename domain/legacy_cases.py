"""Legacy line types of cases and recoveries: one per event of those aggregates.

A case line is ``case.<Event>`` (``case.Applied``, ``case.Approved``, ...) with
the event's payload as its fields (``domain.case_events``); a recovery line is
``recovery.<Event>``. The record is the case or recovery number, which the
creating event's ``case_no``/``recovery_no`` takes from it. Person fields take
a person ref or a 身份证号. They go through the cases import path
(``domain.case_import_service``), which keeps rolls and enrolments in step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.base import ReliefCreated, ReliefEvent
from domain.case_import import event_fields
from domain.cases import ReliefCase
from domain.legacy_fields import LineType
from domain.recoveries import Recovery

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from domain.base import Act
    from domain.case_import_service import CaseImportCommands

_KINDS = {
    "str": "str",
    "int": "count",
    "date": "date",
    "tuple[str, ...]": "strs",
    "dict[str, int]": "schedule",
}
_PERSONS = {"applicant_ref": "person", "member_ref": "person", "person_ref": "person"}
_NUMBERS = {"case_no", "recovery_no"}


def _kind(name: str, annotation: str) -> str:
    if name == "member_refs":
        return "persons"
    if name in _PERSONS:
        return _PERSONS[name]
    if annotation == "int" and ("amount" in name or name.endswith("_fen")):
        return "fen"
    return _KINDS.get(annotation, "unknown")


def _spec(event_class: type[Any], number: str) -> dict[str, str]:
    fields = event_fields(event_class)
    return {n: _kind(n, a) for n, a in fields.items() if n != number}


def _case_apply(name: str) -> Callable[[Any, Act, str, Mapping[str, Any]], bool]:
    def apply(
        fund: CaseImportCommands, act: Act, record: str, f: Mapping[str, Any]
    ) -> bool:
        fields = {**f, "case_no": record} if name == "Applied" else dict(f)
        fund.import_case_event(act, record, name, fields)
        return True

    return apply


def _recovery_apply(name: str) -> Callable[[Any, Act, str, Mapping[str, Any]], bool]:
    def apply(
        fund: CaseImportCommands, act: Act, record: str, f: Mapping[str, Any]
    ) -> bool:
        creating = name == "OverpaymentIdentified"
        fields = {**f, "recovery_no": record} if creating else dict(f)
        fund.import_recovery_event(act, record, name, fields)
        return True

    return apply


def _events(owner: type[Any]) -> list[tuple[str, type[Any]]]:
    found = []
    for name in sorted(dir(owner)):
        member = getattr(owner, name)
        if (
            not name.startswith("_")
            and isinstance(member, type)
            and issubclass(member, ReliefEvent | ReliefCreated)
        ):
            found.append((name, member))
    return found


CASE_TYPES: tuple[LineType, ...] = (
    *(
        LineType(f"case.{name}", _spec(cls, "case_no"), _case_apply(name))
        for name, cls in _events(ReliefCase)
    ),
    *(
        LineType(f"recovery.{name}", _spec(cls, "recovery_no"), _recovery_apply(name))
        for name, cls in _events(Recovery)
    ),
)
