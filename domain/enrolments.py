"""Enrolments: per person, the programmes they are covered by now, and by which case.

The register refuses a second active case of the same programme for one person
(2022 notice §3(1): no duplicate 纳入), except 临时救助, and refuses 特困 and
孤儿/事实无人抚养儿童 together for a minor (特困认定办法 §9). A case enrols its
covered persons when approved and releases them when it ends.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from eventsourcing.domain import Aggregate, event

from domain import roles
from domain.base import ReliefCreated, ReliefEvent
from domain.errors import OrderingError
from domain.ids import record_id

if TYPE_CHECKING:
    from uuid import UUID

    from domain.base import Act

EXCLUSIVE_FOR_MINORS = frozenset({roles.TEKUN, roles.GUER})
REPEATABLE = frozenset({roles.LINSHI})


def enrolment_id(person_ref: str) -> UUID:
    """Return the id of a person's enrolment register."""
    return record_id("enrolment", person_ref)


class Enrolment(Aggregate):
    """The programmes one person is covered by, and the cases that cover them."""

    class Opened(ReliefCreated):
        person_ref: str

    class Enrolled(ReliefEvent):
        programme: str
        case_no: str

    class Released(ReliefEvent):
        case_no: str
        reason: str

    @classmethod
    def open(cls, act: Act, person_ref: str) -> Enrolment:
        """Open a person's register (on their first enrolment)."""
        return cls._create(
            cls.Opened,
            id=enrolment_id(person_ref),
            person_ref=person_ref,
            **act.fields(),
        )

    @event(Opened)
    def __init__(self, person_ref: str) -> None:
        self.person_ref = person_ref
        self.active: dict[str, str] = {}

    def cases(self) -> frozenset[str]:
        """Return the case numbers that cover the person now."""
        return frozenset(self.active)

    def enrol(self, act: Act, programme: str, case_no: str, *, minor: bool) -> None:
        """Enrol the person in ``programme`` by ``case_no``, or refuse a double.

        Rule: 特困认定办法 §9 (a minor is 特困 or 孤儿, not both); 2022 notice
        §3(1) (no duplicate coverage by one programme).
        """
        record = f"case {case_no}"
        held = set(self.active.values())
        if programme in held and programme not in REPEATABLE:
            raise OrderingError(
                "enrolment-unique",
                record,
                f"a covered person is already in {programme}",
            )
        if minor and programme in EXCLUSIVE_FOR_MINORS and held & EXCLUSIVE_FOR_MINORS:
            raise OrderingError(
                "tekun-orphan-exclusive",
                record,
                "a minor is covered by 特困 or by 孤儿 support, not both",
            )
        self.trigger_event(
            self.Enrolled, programme=programme, case_no=case_no, **act.fields()
        )

    def release(self, act: Act, case_no: str, reason: str) -> None:
        """Release the person from ``case_no`` (the case ended); no-op if not held."""
        if case_no in self.active:
            self.trigger_event(
                self.Released, case_no=case_no, reason=reason, **act.fields()
            )

    def record_imported(self, act: Act, programme: str, case_no: str) -> None:
        """Record an imported enrolment as a fact (no exclusion is checked)."""
        self.trigger_event(
            self.Enrolled,
            programme=programme,
            case_no=case_no,
            **replace(act, imported=True).fields(),
        )

    @event(Enrolled)
    def _enrolled(self, programme: str, case_no: str) -> None:
        self.active[case_no] = programme

    @event(Released)
    def _released(self, case_no: str) -> None:
        self.active.pop(case_no, None)
