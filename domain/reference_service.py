"""Reference commands of the service: regions, standards, calendar, staff, people.

Reference data (regions, standards, limits, the calendar, staff and their
roles) is recorded on the authority of the civil-affairs bureau: the role
claimed must be one of ``Policy.reference_roles`` (never 纪检 or 审计). It is
not looked up in the staff registry, because that registry is itself built by
these commands. Households and kinship are registered by staff who hold one of
``Policy.household_roles`` over the household's region (审核确认办法 2021 §10).
Each command is get → command → save, and a refused command saves nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain import roles
from domain.calendar import CALENDAR_NUMBER, CalendarBook
from domain.errors import InvalidDataError
from domain.ids import record_id
from domain.kinship import INVERSE, SOURCES, KinRecord, kin_record_id
from domain.people import Household, Member, is_person_ref
from domain.reference import Region, parent_of, region_code, region_id
from domain.reference_queries import ReferenceQueries
from domain.staff import Staff

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date
    from uuid import UUID

    from domain.base import Act


class ReferenceCommands(ReferenceQueries):
    """Commands that record reference data, people, staff and kinship."""

    def register_region(self, act: Act, code: str, name: str) -> Region:
        """Register a region; its parent must be registered first."""
        self.require_reference_role(act)
        region = Region.register(act, code, name)
        parent = parent_of(region.code)
        if parent is not None and not self.exists(region_id(parent)):
            raise InvalidDataError(
                "region-parent", f"region {region.code}", f"region {parent} is unknown"
            )
        self._require_new(region.id, f"region {region.code}")
        self.save(region)
        return region

    def set_standard(
        self,
        act: Act,
        code: str,
        programme: str,
        area: str,
        amount_fen: int,
        *,
        effective_from: date,
        document: str,
    ) -> None:
        """Set a region's monthly standard from a date (社会救助暂行办法 §10)."""
        self.require_reference_role(act)
        region = self.region(code)
        region.set_standard(
            act, programme, area, amount_fen, effective_from, document=document
        )
        self.save(region)

    def set_approval_limit(
        self,
        act: Act,
        code: str,
        programme: str,
        level: str,
        amount_fen: int,
        *,
        effective_from: date,
        document: str,
    ) -> None:
        """Set a region's approval limit from a date (2018 临时救助意见 (三))."""
        self.require_reference_role(act)
        region = self.region(code)
        region.set_approval_limit(
            act, programme, level, amount_fen, effective_from, document=document
        )
        self.save(region)

    def record_calendar_year(
        self,
        act: Act,
        year: int,
        holidays: Iterable[date],
        workdays: Iterable[date],
        source: str,
    ) -> None:
        """Record a year's official holiday schedule; it supersedes earlier ones."""
        self.require_reference_role(act)
        book_id = record_id("calendar", CALENDAR_NUMBER)
        book = (
            self.get_record("calendar", book_id, CalendarBook, CALENDAR_NUMBER)
            if self.exists(book_id)
            else CalendarBook.open(act)
        )
        book.record_year(act, year, holidays, workdays, source)
        self.save(book)

    def register_staff(
        self, act: Act, staff_id: str, person_ref: str, name: str
    ) -> Staff:
        """Register a member of staff under their person ref."""
        self.require_reference_role(act)
        staff = Staff.register(act, staff_id, person_ref, name)
        self._require_new(staff.id, f"staff {staff_id}")
        self.save(staff)
        return staff

    def assign_role(
        self, act: Act, staff_id: str, role: str, org_code: str, from_date: date
    ) -> None:
        """Give a staff member a role in a registered region from a date."""
        self.require_reference_role(act)
        staff = self.staff(staff_id)
        staff.assign_role(act, role, self.region(org_code).code, from_date)
        self.save(staff)

    def end_role(
        self, act: Act, staff_id: str, role: str, org_code: str, last_day: date
    ) -> None:
        """End a staff member's role; ``last_day`` is the last day it is held."""
        self.require_reference_role(act)
        staff = self.staff(staff_id)
        staff.end_role(act, role, region_code(org_code), last_day)
        self.save(staff)

    def register_household(
        self,
        act: Act,
        household_no: str,
        village_code: str,
        area: str,
        members: Iterable[Member],
    ) -> Household:
        """Register a household in a registered village (审核确认办法 2021 §4–7)."""
        village = self.region(village_code)
        record = f"household {household_no}"
        if village.level != "village":
            raise InvalidDataError("household-region", record, "it is not a village")
        self.require_role(act, self.policy.household_roles, village.code)
        household = Household.register(act, household_no, village.code, area, members)
        self._require_new(household.id, record)
        self.save(household)
        return household

    def add_member(self, act: Act, household_no: str, member: Member) -> None:
        """Add a member to a household (审核确认办法 2021 §30)."""
        household = self.household(household_no)
        self.require_role(act, self.policy.household_roles, household.region_code)
        household.add_member(act, member)
        self.save(household)

    def remove_member(
        self, act: Act, household_no: str, person_ref: str, reason: str
    ) -> None:
        """Remove a member from a household, with the reason."""
        household = self.household(household_no)
        self.require_role(act, self.policy.household_roles, household.region_code)
        household.remove_member(act, person_ref, reason)
        self.save(household)

    def record_kinship(
        self, act: Act, person_ref: str, other_ref: str, relation: str, source: str
    ) -> None:
        """Record that ``other_ref`` is ``person_ref``'s ``relation``, both ways.

        Rule: the eight 近亲属 of 审核审批办法 2012 §14, with a source (户籍,
        自报 or 调查); the inverse relation is recorded on the other person.
        """
        self.require_role(act, self.policy.household_roles)
        record = f"kinship of {person_ref[:12]}"
        check_kinship(person_ref, other_ref, relation, source, record)
        mine, theirs = self.kin_record(act, person_ref), self.kin_record(act, other_ref)
        if mine.has(other_ref, relation, source):
            raise InvalidDataError("kinship-once", record, "it is already recorded")
        mine.record(act, other_ref, relation, source)
        theirs.record(act, person_ref, INVERSE[relation], source)
        self.save(mine, theirs)

    def kin_record(self, act: Act, person_ref: str) -> KinRecord:
        """Return the person's kin record, opened (unsaved) if there is none."""
        kin_id = kin_record_id(person_ref)
        if self.exists(kin_id):
            return self.get_record("kin record", kin_id, KinRecord, person_ref[:12])
        return KinRecord.open(act, person_ref)

    def _require_new(self, aggregate_id: UUID, record: str) -> None:
        if self.exists(aggregate_id):
            raise InvalidDataError("record-unique", record, "it is already registered")


def check_kinship(
    person_ref: str, other_ref: str, relation: str, source: str, record: str
) -> None:
    """Refuse a kinship record whose persons, relation or source are malformed."""
    if not (is_person_ref(person_ref) and is_person_ref(other_ref)):
        raise InvalidDataError("person-ref", record, "a person ref is malformed")
    if person_ref == other_ref:
        raise InvalidDataError("kinship-persons", record, "a person is not their kin")
    if relation not in roles.RELATIONS:
        raise InvalidDataError("kinship-relation", record, f"{relation!r} is no 近亲属")
    if source not in SOURCES:
        raise InvalidDataError("kinship-source", record, f"{source!r} is no source")
