"""The demo county's people and places: what a county holds, and its persons.

``County`` holds the regions, households, staff posts and kinship that
``cli.demo.draw.build_county`` draws; ``People`` makes persons with unique,
valid 身份证号; ``link_cadre`` records a cadre as 近亲属 of a household.
Nothing here writes: ``cli.demo.reference`` turns a county into legacy lines.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Final

from cli.demo.names import (
    id_number,
    person_name,
)
from domain import roles

if TYPE_CHECKING:
    import random

AREA_CODE: Final = "430121"
"""The county's code: an existing area code so that the 身份证号 validate."""
PROVINCE: Final = ("43", "湖南省")
PREFECTURE: Final = ("4301", "长沙市")
COUNTY_NAME: Final = "清溪县"
TOWNSHIPS: Final = 15
URBAN_TOWNSHIPS: Final = 2
VILLAGES: Final = 200
START: Final = date(2021, 1, 1)
"""The first month of the history; the register is as it stood the day before."""


@dataclass
class Person:
    """A person of the county: 身份证号, name, birth, and what the rules read."""

    id_no: str
    name: str
    born: date
    female: bool
    relation: str = "户主"
    grade: int | None = None
    in_school: bool = False
    died: date | None = None
    ref: str = ""
    """The person ref (keyed HMAC of the 身份证号) the legacy file carries."""

    def age_on(self, day: date) -> int:
        """Return the age in whole years on ``day``."""
        before = (day.month, day.day) < (self.born.month, self.born.day)
        return day.year - self.born.year - before


@dataclass
class Home:
    """A registered household (户) in a village."""

    number: str
    village: str
    area: str
    members: list[Person]
    kind: str

    @property
    def township(self) -> str:
        return self.village[:9]

    @property
    def head(self) -> Person:
        return self.members[0]


@dataclass
class Post:
    """A staff member and the post they hold from a day."""

    staff_id: str
    person: Person
    role: str
    org: str
    since: date


@dataclass
class Region:
    """A township or village: its significant code and name."""

    code: str
    name: str
    urban: bool = False


@dataclass
class County:
    """Everything the demo county holds before its history starts."""

    townships: list[Region] = field(default_factory=list)
    villages: list[Region] = field(default_factory=list)
    homes: list[Home] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    kin: list[tuple[Person, Person, str]] = field(default_factory=list)
    """(person, other, relation of other to person), as on the 户籍."""
    cadre_links: list[tuple[Person, Person, str]] = field(default_factory=list)
    """The same, between household members and staff (cadres) on the 户籍."""
    cadre_kin: dict[str, list[tuple[Post, list[tuple[Person, str]]]]] = field(
        default_factory=dict
    )
    """Household no. → (cadre post, [(member, what the member is to the cadre)]):
    every member who is 近亲属 of the cadre, directly or by a derived path."""

    def posts_of(self, role: str, org: str) -> list[Post]:
        return [p for p in self.posts if p.role == role and p.org == org]


class People:
    """Makes persons with unique, valid 身份证号."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.serials: dict[date, int] = {}

    def person(
        self, born: date, surname: str, *, female: bool, relation: str = "户主"
    ) -> Person:
        serial = self.serials.get(born, self.rng.randrange(40))
        self.serials[born] = serial + 1
        number = id_number(AREA_CODE, born, serial, female=female)
        name = person_name(self.rng, surname, female=female)
        return Person(number, name, born, female, relation)

    def born(self, age_low: int, age_high: int) -> date:
        """A birth date giving an age in [low, high] at the start of the history."""
        days = self.rng.randrange(age_low * 365 + 1, age_high * 365 + 364)
        return START - timedelta(days=days)


def assign_refs(county: County, key: bytes) -> None:
    """Give every person their ref: HMAC-SHA256 of the 身份证号 under ``key``.

    The same formula as ``domain.people.person_ref_of``, without its
    per-number check of the place of birth (the numbers are valid by
    construction): the legacy file then carries refs, never ID numbers.
    """
    people = [m for h in county.homes for m in h.members]
    people += [p.person for p in county.posts]
    for person in people:
        person.ref = hmac.new(
            key, person.id_no.encode("ascii"), hashlib.sha256
        ).hexdigest()


def link_cadre(county: County, post: Post, home: Home, rng: random.Random) -> None:
    """Record on the 户籍 that ``post``'s holder is 近亲属 of ``home``'s head."""
    head, cadre = home.head, post.person
    if head.age_on(START) - cadre.age_on(START) > 18:
        relation = roles.CHILD  # the cadre is the head's child
    else:
        relation = rng.choice((roles.SIBLING, roles.SIBLING, roles.CHILD))
    county.cadre_links.append((head, cadre, relation))
    if relation == roles.SIBLING:
        kin = [(head, roles.SIBLING)]
    else:
        kin = [(head, roles.PARENT)]
        for member in home.members[1:]:
            if member.relation == roles.SPOUSE:
                county.cadre_links.append((member, cadre, roles.CHILD))  # 2nd parent
                kin.append((member, roles.PARENT))
            elif member.relation == roles.CHILD:  # 父母∘子女: a sibling
                kin.append((member, roles.SIBLING))
            elif member.relation == roles.PARENT:  # 父母∘父母: a grandparent
                kin.append((member, roles.GRANDPARENT))
    county.cadre_kin.setdefault(home.number, []).append((post, kin))
