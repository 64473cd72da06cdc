"""People and households: validated 身份证号, keyed person refs, members, deaths.

A person is named across the ledger by ``person_ref``: the HMAC-SHA256 of the
18-digit 居民身份证号 under the deployment's key, so two records of one person
link without the number being stored (社会救助暂行办法 §61; domain notes §6.3).
The check digit (GB 11643) and birth date are checked by ``stdnum.cn.ric``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Final

from eventsourcing.domain import Aggregate, event
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from domain import roles
from domain.base import ReliefCreated, ReliefEvent
from domain.errors import InvalidDataError
from domain.ids import record_id

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from datetime import date

    from domain.base import Act

HEAD: Final = "户主"
OTHER: Final = "其他"
MEMBER_RELATIONS: Final = frozenset({HEAD, OTHER} | roles.RELATIONS)
_PERSON_REF: Final = re.compile(r"[0-9a-f]{64}")
DEATH_SOURCES: Final = frozenset({"公安", "殡葬", "卫健", "村(居)委会", "家属"})


def valid_id_number(id_number: str) -> str:
    """Return the 18-digit 居民身份证号 in compact form, or refuse it.

    Raises:
        InvalidDataError: wrong length, format, birth date or check digit.
    """
    number = str(id_number).strip().upper()
    try:
        compact = str(ric.validate(number))
    except (ValidationError, KeyError) as error:
        # stdnum 1.x raises KeyError for region codes with no county entry.
        raise InvalidDataError(
            "id-number",
            "an ID number",
            f"it is not a valid 18-digit 身份证号 ({error})",
        ) from None
    return compact


def person_ref_of(id_number: str, key: bytes) -> str:
    """Return the person ref of a valid ID number: hex HMAC-SHA256 under ``key``."""
    number = valid_id_number(id_number)
    return hmac.new(key, number.encode("ascii"), hashlib.sha256).hexdigest()


def is_person_ref(value: object) -> bool:
    """Return whether ``value`` has the shape of a person ref (64 hex digits)."""
    return isinstance(value, str) and _PERSON_REF.fullmatch(value) is not None


@dataclass(frozen=True)
class Member:
    """A household member as the household record shows them."""

    person_ref: str
    name: str
    relation: str
    birth_date: date
    disability_grade: int | None = None
    in_school: bool = False
    alive: bool = True

    def as_dict(self) -> dict[str, Any]:
        """Return the member as event-payload primitives."""
        return {
            "person_ref": self.person_ref,
            "name": self.name,
            "relation": self.relation,
            "birth_date": self.birth_date,
            "disability_grade": self.disability_grade,
            "in_school": self.in_school,
            "alive": self.alive,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Member:
        """Return the member from event-payload primitives."""
        return cls(**data)


def checked_member(member: Member, record: str) -> Member:
    """Return ``member`` if its fields are well formed, else refuse it."""
    if not is_person_ref(member.person_ref):
        raise InvalidDataError(
            "person-ref", record, "a member's person ref is malformed"
        )
    if not member.name.strip():
        raise InvalidDataError("member-name", record, "a member has no name")
    if member.relation not in MEMBER_RELATIONS:
        raise InvalidDataError(
            "member-relation", record, f"{member.relation!r} is no household relation"
        )
    grade = member.disability_grade
    if grade is not None and (isinstance(grade, bool) or grade not in range(1, 5)):
        raise InvalidDataError("disability-grade", record, "the grade must be 1 to 4")
    return member


class Household(Aggregate):
    """A household (户) and its members, as registered at the township."""

    class Registered(ReliefCreated):
        household_no: str
        region_code: str
        area: str
        members: tuple[dict[str, Any], ...]

    class MemberAdded(ReliefEvent):
        member: dict[str, Any]

    class MemberRemoved(ReliefEvent):
        person_ref: str
        reason: str

    class MemberDeceased(ReliefEvent):
        person_ref: str
        date_of_death: date
        source: str

    @classmethod
    def register(
        cls,
        act: Act,
        household_no: str,
        region_code: str,
        area: str,
        members: Iterable[Member],
    ) -> Household:
        """Register a household with its members (审核确认办法 2021 §4–7).

        The service checks that the region is a registered village.
        """
        record = f"household {household_no}"
        if not household_no.strip():
            raise InvalidDataError("household-no", record, "no household number")
        if area not in {"urban", "rural"}:
            raise InvalidDataError("household-area", record, "area is urban or rural")
        return cls._create(
            cls.Registered,
            id=record_id("household", household_no),
            household_no=household_no,
            region_code=region_code,
            area=area,
            members=member_payloads(members, record),
            **act.fields(),
        )

    @event(Registered)
    def __init__(
        self,
        household_no: str,
        region_code: str,
        area: str,
        members: tuple[dict[str, Any], ...],
    ) -> None:
        self.household_no = household_no
        self.region_code = region_code
        self.area = area
        self.members: tuple[Member, ...] = tuple(Member.from_dict(m) for m in members)
        self.deaths: dict[str, date] = {}

    @property
    def size(self) -> int:
        """The number of living members."""
        return sum(1 for m in self.members if m.alive)

    def member_refs(self) -> frozenset[str]:
        """Return the person refs of all members, living or not."""
        return frozenset(m.person_ref for m in self.members)

    def member(self, person_ref: str) -> Member | None:
        """Return the member with ``person_ref``, if there is one."""
        return next((m for m in self.members if m.person_ref == person_ref), None)

    def add_member(self, act: Act, member: Member) -> None:
        """Add a member (审核确认办法 2021 §30: households report changes)."""
        record = f"household {self.household_no}"
        checked_member(member, record)
        if member.person_ref in self.member_refs():
            raise InvalidDataError("member-unique", record, "the person is a member")
        self.trigger_event(self.MemberAdded, member=member.as_dict(), **act.fields())

    def remove_member(self, act: Act, person_ref: str, reason: str) -> None:
        """Remove a living member (moved out, married out, imprisoned...).

        Rule: 审核确认办法 2021 §30 (changes in members are reported) and §6
        (prisoners are not counted as co-resident members).
        """
        record = f"household {self.household_no}"
        if self.member(person_ref) is None:
            raise InvalidDataError("member-known", record, "the person is no member")
        if not reason.strip():
            raise InvalidDataError("member-removal-reason", record, "no reason given")
        self.trigger_event(
            self.MemberRemoved, person_ref=person_ref, reason=reason, **act.fields()
        )

    def record_death(
        self, act: Act, person_ref: str, date_of_death: date, source: str
    ) -> None:
        """Record a member's death, from a named source.

        Rule: 2022 notice §1(3) (review within three months of a death) and
        the 2021 两项补贴 guideline (share 公安/殡葬 death data); a death is
        recorded once and never in the future of the act.
        """
        record = f"household {self.household_no}"
        member = self.member(person_ref)
        if member is None:
            raise InvalidDataError("member-known", record, "the person is no member")
        if not member.alive:
            raise InvalidDataError(
                "death-once", record, "the death is already recorded"
            )
        if source not in DEATH_SOURCES:
            raise InvalidDataError("death-source", record, f"{source!r} is no source")
        if date_of_death > act.occurred_at.date() or date_of_death < member.birth_date:
            raise InvalidDataError(
                "death-date", record, "the date of death is impossible"
            )
        self.trigger_event(
            self.MemberDeceased,
            person_ref=person_ref,
            date_of_death=date_of_death,
            source=source,
            **act.fields(),
        )

    @event(MemberAdded)
    def _member_added(
        self,
        member: dict[str, Any],
    ) -> None:
        self.members = (*self.members, Member.from_dict(member))

    @event(MemberRemoved)
    def _member_removed(
        self,
        person_ref: str,
    ) -> None:
        self.members = tuple(m for m in self.members if m.person_ref != person_ref)

    @event(MemberDeceased)
    def _member_deceased(
        self,
        person_ref: str,
        date_of_death: date,
    ) -> None:
        self.members = tuple(
            replace(m, alive=False) if m.person_ref == person_ref else m
            for m in self.members
        )
        self.deaths = {**self.deaths, person_ref: date_of_death}


def member_payloads(
    members: Iterable[Member], record: str
) -> tuple[dict[str, Any], ...]:
    """Return checked members as payloads, refusing duplicates or a missing head."""
    checked = [checked_member(m, record) for m in members]
    refs = [m.person_ref for m in checked]
    if len(set(refs)) != len(refs):
        raise InvalidDataError("member-unique", record, "a person is listed twice")
    if not checked:
        raise InvalidDataError("household-members", record, "a household has members")
    return tuple(m.as_dict() for m in checked)
