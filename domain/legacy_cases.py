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
from domain.case_import import checked_fields, event_fields
from domain.case_import_service import ImportedEvent
from domain.cases import ReliefCase
from domain.ids import record_id
from domain.legacy_fields import LineType
from domain.legacy_lines import LegacyImportError
from domain.recoveries import Recovery

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from domain.base import Act
    from domain.case_import_service import CaseImportCommands
    from domain.legacy_lines import LegacyLine

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


def _name(line: LegacyLine) -> str:
    return line.type.name.partition(".")[2]


def _case_fields(name: str, record: str, f: Mapping[str, Any]) -> dict[str, Any]:
    return {**f, "case_no": record} if name == "Applied" else dict(f)


def _case_check(name: str) -> Callable[[str, Mapping[str, Any]], None]:
    def check(record: str, f: Mapping[str, Any]) -> None:
        checked_fields(
            ReliefCase, name, _case_fields(name, record, f), f"case {record}"
        )

    return check


def _cases_many(fund: CaseImportCommands, lines: Sequence[LegacyLine]) -> int:
    """Record a run of case lines in one call (each case and roll loaded once)."""
    opened: set[str] = set()
    events = []
    for line in lines:
        name = _name(line)
        known = line.record in opened or fund.exists(record_id("case", line.record))
        if name == "Applied" and known:
            reason = "record-unique", "it already exists"
        elif name != "Applied" and not known:
            reason = "unknown-record", "no such record"
        else:
            opened.add(line.record)
            fields = _case_fields(name, line.record, line.fields)
            events.append(ImportedEvent(line.act, line.record, name, fields))
            continue
        raise LegacyImportError(
            line.line_no, line.line_id, reason[0], f"case {line.record}: {reason[1]}"
        )
    return fund.import_case_events(events)


def _one_run(line: LegacyLine) -> object:  # noqa: ARG001 (any case lines group)
    return "case"


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
        LineType(
            f"case.{name}",
            _spec(cls, "case_no"),
            _case_apply(name),
            group_key=_one_run,
            apply_many=_cases_many,
            post_check=_case_check(name),
        )
        for name, cls in _events(ReliefCase)
    ),
    *(
        LineType(f"recovery.{name}", _spec(cls, "recovery_no"), _recovery_apply(name))
        for name, cls in _events(Recovery)
    ),
)
