"""Legacy line types of reference data, people, staff and kinship.

Each ``apply`` records one fact with the imported act, or returns ``False``
when the same fact is already recorded (so a second import records nothing).
References must exist (earlier in the file or already recorded); a fact that
contradicts the record (a role held twice, a death before birth) is refused
as malformed. No role or ordering rule applies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.calendar import CALENDAR_NUMBER, CalendarBook
from domain.errors import InvalidDataError
from domain.ids import record_id
from domain.kinship import INVERSE
from domain.legacy_fields import LineType, convert
from domain.people import Household, Member
from domain.reference import Rate, Region, parent_of, region_code, region_id
from domain.reference_service import check_kinship
from domain.staff import Staff

if TYPE_CHECKING:
    from collections.abc import Mapping

    from domain.base import Act
    from domain.reference_service import ReferenceCommands


def _region(
    fund: ReferenceCommands, act: Act, record: str, f: Mapping[str, Any]
) -> bool:
    code = region_code(record)
    if fund.exists(region_id(code)):
        return False
    parent = parent_of(code)
    if parent is not None and not fund.exists(region_id(parent)):
        raise InvalidDataError("unknown-record", f"region {parent}", "no such record")
    fund.save(Region.register(act, code, f["name"]))
    return True


def _standard(
    fund: ReferenceCommands, act: Act, record: str, f: Mapping[str, Any]
) -> bool:
    region = fund.region(record)
    key = (f["programme"], f["area"])
    rate = Rate(key, f["amount_fen"], f["effective_from"], f["document"])
    if rate in region.standards:
        return False
    region.set_standard(
        act, *key, f["amount_fen"], f["effective_from"], document=f["document"]
    )
    fund.save(region)
    return True


def _limit(
    fund: ReferenceCommands, act: Act, record: str, f: Mapping[str, Any]
) -> bool:
    region = fund.region(record)
    key = (f["programme"], f["level"])
    rate = Rate(key, f["amount_fen"], f["effective_from"], f["document"])
    if rate in region.limits:
        return False
    region.set_approval_limit(
        act, *key, f["amount_fen"], f["effective_from"], document=f["document"]
    )
    fund.save(region)
    return True


def _calendar(
    fund: ReferenceCommands, act: Act, record: str, f: Mapping[str, Any]
) -> bool:
    if not record.isdigit():
        raise InvalidDataError("legacy-record", f"calendar {record}", "not a year")
    year = int(record)
    book_id = record_id("calendar", CALENDAR_NUMBER)
    if fund.exists(book_id):
        book = fund.get_record("calendar", book_id, CalendarBook, CALENDAR_NUMBER)
    else:
        book = CalendarBook.open(act)
    latest = book.working_calendar().schedules.get(year)
    if latest is not None and (
        latest.holidays == set(f["holidays"])
        and latest.workdays == set(f["workdays"])
        and latest.source == f["source"]
    ):
        return False
    book.record_year(act, year, f["holidays"], f["workdays"], f["source"])
    fund.save(book)
    return True


def _staff(
    fund: ReferenceCommands, act: Act, record: str, f: Mapping[str, Any]
) -> bool:
    if fund.exists(record_id("staff", record)):
        return False
    fund.save(Staff.register(act, record, f["person"], f["name"]))
    return True


def _assign(
    fund: ReferenceCommands, act: Act, record: str, f: Mapping[str, Any]
) -> bool:
    staff = fund.staff(record)
    org = fund.region(f["org_code"]).code
    if any(
        a.role == f["staff_role"]
        and a.org_code == org
        and a.from_date == f["from_date"]
        for a in staff.assignments
    ):
        return False
    staff.assign_role(act, f["staff_role"], org, f["from_date"])
    fund.save(staff)
    return True


def _end(fund: ReferenceCommands, act: Act, record: str, f: Mapping[str, Any]) -> bool:
    staff = fund.staff(record)
    org = region_code(f["org_code"])
    if any(
        a.role == f["staff_role"] and a.org_code == org and a.last_day == f["last_day"]
        for a in staff.assignments
    ):
        return False
    staff.end_role(act, f["staff_role"], org, f["last_day"])
    fund.save(staff)
    return True


def _member(row: Mapping[str, Any]) -> Member:
    return Member(
        row["person"],
        row["name"],
        row["relation"],
        row["birth_date"],
        row["disability_grade"],
        bool(row["in_school"]),
    )


def _household(
    fund: ReferenceCommands, act: Act, record: str, f: Mapping[str, Any]
) -> bool:
    if fund.exists(record_id("household", record)):
        return False
    village = fund.region(f["region_code"])
    if village.level != "village":
        raise InvalidDataError("household-region", f"household {record}", "no village")
    members = [_member(row) for row in f["members"]]
    fund.save(Household.register(act, record, village.code, f["area"], members))
    return True


def _member_added(
    fund: ReferenceCommands, act: Act, record: str, f: Mapping[str, Any]
) -> bool:
    household = fund.household(record)
    member = _member(f)
    if household.member(member.person_ref) is not None:
        return False
    household.add_member(act, member)
    fund.save(household)
    return True


def _member_removed(
    fund: ReferenceCommands, act: Act, record: str, f: Mapping[str, Any]
) -> bool:
    household = fund.household(record)
    if household.member(f["person"]) is None:
        return False
    household.remove_member(act, f["person"], f["reason"])
    fund.save(household)
    return True


def _death(
    fund: ReferenceCommands, act: Act, record: str, f: Mapping[str, Any]
) -> bool:
    household = fund.household(record)
    member = household.member(f["person"])
    if member is not None and not member.alive:
        return False
    household.record_death(act, f["person"], f["date_of_death"], f["source"])
    fund.save(household)
    return True


def _kinship(
    fund: ReferenceCommands, act: Act, record: str, f: Mapping[str, Any]
) -> bool:
    person = str(convert("person", record, fund.person_ref))
    check_kinship(person, f["other"], f["relation"], f["source"], "a kinship line")
    mine = fund.kin_record(act, person)
    if mine.has(f["other"], f["relation"], f["source"]):
        return False
    theirs = fund.kin_record(act, f["other"])
    mine.record(act, f["other"], f["relation"], f["source"])
    theirs.record(act, person, INVERSE[f["relation"]], f["source"])
    fund.save(mine, theirs)
    return True


_RATE = {
    "amount_fen": "fen",
    "effective_from": "date",
    "document": "text",
    "programme": "programme",
}
_MEMBER = {
    "person": "person",
    "name": "text",
    "relation": "member_relation",
    "birth_date": "date",
    "?disability_grade": "int",
    "?in_school": "bool",
}
_ROLE = {"staff_role": "staff_role", "org_code": "code"}

REFERENCE_TYPES: tuple[LineType, ...] = (
    LineType("region.registered", {"name": "text"}, _region),
    LineType("region.standard_set", {**_RATE, "area": "area"}, _standard),
    LineType("region.approval_limit_set", {**_RATE, "level": "limit_level"}, _limit),
    LineType(
        "calendar.year_recorded",
        {"holidays": "dates", "workdays": "dates", "source": "text"},
        _calendar,
    ),
    LineType("staff.registered", {"person": "person", "name": "text"}, _staff),
    LineType("staff.role_assigned", {**_ROLE, "from_date": "date"}, _assign),
    LineType("staff.role_ended", {**_ROLE, "last_day": "date"}, _end),
    LineType(
        "household.registered",
        {"region_code": "code", "area": "area", "members": "members"},
        _household,
        nested={"members": _MEMBER},
    ),
    LineType("household.member_added", _MEMBER, _member_added),
    LineType(
        "household.member_removed",
        {"person": "person", "reason": "text"},
        _member_removed,
    ),
    LineType(
        "household.member_deceased",
        {"person": "person", "date_of_death": "date", "source": "death_source"},
        _death,
    ),
    LineType(
        "kinship.recorded",
        {
            "other": "person",
            "relation": "relation",
            "source": "kin_source",
        },
        _kinship,
    ),
)
