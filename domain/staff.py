"""Staff and the roles they hold over time, each within an organisation's region.

The role history is itself audit evidence (domain notes §2.1
StaffRoleAssigned/StaffRoleEnded): who could act on a case on a given day, and
whose relatives must be filed (审核确认办法 2021 §11).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from eventsourcing.domain import Aggregate, event

from domain import roles
from domain.base import ReliefCreated, ReliefEvent
from domain.errors import DeadlineError, InvalidDataError
from domain.ids import record_id
from domain.people import is_person_ref

if TYPE_CHECKING:
    from datetime import date

    from domain.base import Act


@dataclass(frozen=True)
class Assignment:
    """A role held in an organisation from one day to another (both included)."""

    role: str
    org_code: str
    from_date: date
    last_day: date | None = None

    def covers(self, day: date, org_code: str | None) -> bool:
        """Return whether this holds on ``day`` for a record in ``org_code``."""
        if day < self.from_date or (self.last_day is not None and day > self.last_day):
            return False
        return org_code is None or org_code.startswith(self.org_code)


class Staff(Aggregate):
    """A member of staff (or a village cadre) and their roles over time."""

    class Registered(ReliefCreated):
        staff_id: str
        person_ref: str
        name: str

    class RoleAssigned(ReliefEvent):
        role: str
        org_code: str
        from_date: date

    class RoleEnded(ReliefEvent):
        role: str
        org_code: str
        last_day: date

    @classmethod
    def register(cls, act: Act, staff_id: str, person_ref: str, name: str) -> Staff:
        """Register a member of staff, linked to their person ref."""
        record = f"staff {staff_id}"
        if not staff_id.strip() or not name.strip():
            raise InvalidDataError("staff-id", record, "a number and a name are needed")
        if not is_person_ref(person_ref):
            raise InvalidDataError("person-ref", record, "the person ref is malformed")
        return cls._create(
            cls.Registered,
            id=record_id("staff", staff_id),
            staff_id=staff_id,
            person_ref=person_ref,
            name=name,
            **act.fields(),
        )

    @event(Registered)
    def __init__(
        self,
        staff_id: str,
        person_ref: str,
        name: str,
    ) -> None:
        self.staff_id = staff_id
        self.person_ref = person_ref
        self.name = name
        self.assignments: tuple[Assignment, ...] = ()

    def holds(self, role: str, on: date, org_code: str | None = None) -> bool:
        """Return whether the staff member holds ``role`` on ``on`` over ``org_code``.

        The role's organisation must contain ``org_code`` (its code a prefix of
        it); ``org_code=None`` asks about any organisation.
        """
        return any(a.role == role and a.covers(on, org_code) for a in self.assignments)

    def roles_on(self, day: date) -> frozenset[str]:
        """Return the roles held on ``day`` in any organisation."""
        return frozenset(a.role for a in self.assignments if a.covers(day, None))

    def open_assignment(self, role: str, org_code: str) -> Assignment | None:
        """Return the unended assignment of ``role`` in ``org_code``, if any."""
        return next(
            (
                a
                for a in self.assignments
                if a.role == role and a.org_code == org_code and a.last_day is None
            ),
            None,
        )

    def assign_role(self, act: Act, role: str, org_code: str, from_date: date) -> None:
        """Assign ``role`` in ``org_code`` from ``from_date``.

        Rule: roles come from the closed list of 审核确认办法 2021 §11 and the
        domain notes §2.1; one open assignment of a role per organisation.
        """
        record = f"staff {self.staff_id}"
        if role not in roles.ROLES:
            raise InvalidDataError("staff-role", record, f"{role!r} is no staff role")
        if self.open_assignment(role, org_code) is not None:
            raise InvalidDataError(
                "staff-role-open", record, f"the role {role} in {org_code} is held"
            )
        self.trigger_event(
            self.RoleAssigned,
            role=role,
            org_code=org_code,
            from_date=from_date,
            **act.fields(),
        )

    def end_role(self, act: Act, role: str, org_code: str, last_day: date) -> None:
        """End ``role`` in ``org_code``; ``last_day`` is the last day it is held."""
        record = f"staff {self.staff_id}"
        held = self.open_assignment(role, org_code)
        if held is None:
            raise InvalidDataError(
                "staff-role-open", record, f"the role {role} in {org_code} is not held"
            )
        if last_day < held.from_date:
            raise DeadlineError(
                "staff-role-end", record, "the role cannot end before it began"
            )
        self.trigger_event(
            self.RoleEnded,
            role=role,
            org_code=org_code,
            last_day=last_day,
            **act.fields(),
        )

    @event(RoleAssigned)
    def _role_assigned(
        self,
        role: str,
        org_code: str,
        from_date: date,
    ) -> None:
        self.assignments = (*self.assignments, Assignment(role, org_code, from_date))

    @event(RoleEnded)
    def _role_ended(
        self,
        role: str,
        org_code: str,
        last_day: date,
    ) -> None:
        self.assignments = tuple(
            replace(a, last_day=last_day)
            if a.role == role and a.org_code == org_code and a.last_day is None
            else a
            for a in self.assignments
        )
