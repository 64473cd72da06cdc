"""The service's legacy-import path for cases and recoveries: facts, not rules.

``import_case_events`` records a batch of past case events as they happened,
each with ``imported=True``: no role, ordering, amount or deadline rule is
checked (those breaches are for the risk rules to flag), only malformed data is
refused (``domain.case_import``). Each case and roll is loaded once per batch,
and the whole batch is one ``save()``, so a refused line records nothing of it.
An imported approval enrols the covered persons and an imported termination
releases them, without the exclusion rules.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from domain.case_access import CaseAccess
from domain.cases import ReliefCase
from domain.enrolments import Enrolment, enrolment_id
from domain.errors import InvalidDataError
from domain.ids import record_id
from domain.recoveries import Recovery

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from eventsourcing.domain import Aggregate

    from domain.base import Act


SCHEDULE_EVENTS = frozenset(
    {"Approved", "Adjusted", "Suspended", "Resumed", "GradualExitStarted", "Terminated"}
)


@dataclass(frozen=True)
class ImportedEvent:
    """One past event of a case: who and when, the case, the event and fields.

    ``name`` is the event's class name on ``ReliefCase`` (``Applied``,
    ``Accepted``, ``Approved``, ... ``Terminated``) and ``fields`` its payload
    exactly (``domain.case_events`` lists them).
    """

    act: Act
    case_no: str
    name: str
    fields: Mapping[str, Any]


class CaseImportCommands(CaseAccess):
    """Record past case and recovery events from an older system, as facts."""

    def import_case_events(self, events: Iterable[ImportedEvent]) -> int:
        """Record a batch of past case events; return how many were recorded."""
        cases: dict[str, ReliefCase] = {}
        enrolments: dict[str, Enrolment] = {}
        paying: dict[str, ReliefCase] = {}
        count = 0
        last: Act | None = None
        for item in events:
            case = self._imported(item, cases)
            cases[item.case_no] = case
            if item.name in SCHEDULE_EVENTS:
                paying[item.case_no] = case
            self._imported_enrolment(item, case, enrolments)
            count, last = count + 1, item.act
        if last is None:
            return 0
        # Only events that move a pay schedule load a roll (rolls are large).
        rolls = self.synced_rolls(replace(last, imported=True), paying.values(), {})
        self.save(*cases.values(), *rolls, *enrolments.values())
        return count

    def import_case_event(
        self, act: Act, case_no: str, name: str, fields: Mapping[str, Any]
    ) -> None:
        """Record one past case event (see ``import_case_events``)."""
        self.import_case_events([ImportedEvent(act, case_no, name, fields)])

    def import_recovery_event(
        self, act: Act, recovery_no: str, name: str, fields: Mapping[str, Any]
    ) -> None:
        """Record one past recovery event (``OverpaymentIdentified``, ...)."""
        if name == "OverpaymentIdentified":
            _same_number(fields, "recovery_no", recovery_no, "recovery")
            recovery = Recovery.imported(act, fields)
        else:
            recovery = self.recovery(recovery_no)
            recovery.record_imported(name, act, fields)
        self.save(recovery)

    def _imported(
        self, item: ImportedEvent, cases: dict[str, ReliefCase]
    ) -> ReliefCase:
        if item.name == "Applied":
            _same_number(item.fields, "case_no", item.case_no, "case")
            if item.case_no in cases or self.exists(record_id("case", item.case_no)):
                raise InvalidDataError(
                    "record-unique", f"case {item.case_no}", "it already exists"
                )
            return ReliefCase.imported(item.act, item.fields)
        case = cases.get(item.case_no) or self.case(item.case_no)
        case.record_imported(item.name, item.act, item.fields)
        return case

    def _imported_enrolment(
        self, item: ImportedEvent, case: ReliefCase, enrolments: dict[str, Enrolment]
    ) -> None:
        if item.name not in {"Approved", "Terminated"}:
            return
        for person_ref in case.member_refs:
            enrolment = enrolments.get(person_ref) or self._enrolment(
                item.act, person_ref
            )
            enrolments[person_ref] = enrolment
            if item.name == "Approved":
                enrolment.record_imported(item.act, case.programme, case.case_no)
            else:
                enrolment.release(item.act, case.case_no, "imported termination")

    def _enrolment(self, act: Act, person_ref: str) -> Enrolment:
        the_id = enrolment_id(person_ref)
        if self.exists(the_id):
            found: Aggregate = self.repository.get(the_id)
            assert isinstance(found, Enrolment)
            return found
        return Enrolment.open(act, person_ref)


def _same_number(fields: Mapping[str, Any], key: str, number: str, kind: str) -> None:
    if fields.get(key) != number:
        raise InvalidDataError(
            "import-number",
            f"{kind} {number}",
            f"the event names {kind} {fields.get(key)!r}",
        )
