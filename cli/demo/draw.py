"""Drawing the demo county: townships, villages, households, staff, cadre kin.

``build_county(seed, households)`` draws, from one seeded ``random.Random``,
15 townships (two of them urban 街道 with 社区), about 200 villages, the
households with their members (ages, disabilities, schooling), a staff roster
of several hundred (county, township and village posts) and the kinship that
links village cadres to households of their villages.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING, Final

from cli.demo.county import (
    AREA_CODE,
    START,
    TOWNSHIPS,
    URBAN_TOWNSHIPS,
    VILLAGES,
    County,
    Home,
    People,
    Post,
    Region,
    link_cadre,
)
from cli.demo.names import SURNAMES, TOWNSHIP_KINDS, place_name
from domain import roles

if TYPE_CHECKING:
    from cli.demo.county import Person


def build_county(seed: int, households: int) -> County:
    """Draw the county for ``seed`` with about ``households`` households."""
    rng = random.Random(seed)  # demo data only, not security
    county = County()
    _regions(rng, county, households)
    people = People(rng)
    _homes(rng, people, county, households)
    _staff(rng, people, county)
    _cadre_kin(rng, county)
    return county


def _regions(rng: random.Random, county: County, households: int) -> None:
    used: set[str] = set()
    townships = max(2, min(TOWNSHIPS, households // 500))
    villages = max(townships, min(VILLAGES, households // 40))
    for t in range(1, townships + 1):
        urban = t <= (URBAN_TOWNSHIPS if townships > URBAN_TOWNSHIPS * 2 else 1)
        kind = "街道" if urban else rng.choice(TOWNSHIP_KINDS)
        code = f"{AREA_CODE}{t:03d}"
        county.townships.append(Region(code, place_name(rng, used) + kind, urban))
        per = villages // townships + (t <= villages % townships)
        for v in range(1, per + 1):
            number = v if urban else 200 + v
            tail = "社区" if urban else "村"
            name = place_name(rng, used) + tail
            county.villages.append(Region(f"{code}{number:03d}", name))


HOME_KINDS: Final = (
    ("elderly-single", 14),
    ("elderly-couple", 14),
    ("family", 42),
    ("three-generation", 14),
    ("grandchildren", 4),
    ("disabled-single", 12),
)


def _homes(rng: random.Random, people: People, county: County, count: int) -> None:
    kinds = [k for k, _ in HOME_KINDS]
    weights = [w for _, w in HOME_KINDS]
    villages = county.villages
    for n in range(count):
        village = villages[n % len(villages)]
        kind = rng.choices(kinds, weights)[0]
        surname = rng.choice(SURNAMES)
        members = _members(rng, people, kind, surname)
        area = "urban" if village.code[9:] < "200" else "rural"  # 社区 001-199
        number = f"H{village.code}{n // len(villages) + 1:03d}"
        home = Home(number, village.code, area, members, kind)
        county.homes.append(home)
        head = members[0]
        county.kin.extend((head, m, m.relation) for m in members[1:])


def _members(
    rng: random.Random, people: People, kind: str, surname: str
) -> list[Person]:
    female = rng.random() < 0.4
    if kind in ("elderly-single", "elderly-couple"):
        head = people.person(people.born(60, 88), surname, female=female)
    elif kind == "grandchildren":
        head = people.person(people.born(58, 76), surname, female=female)
    elif kind == "disabled-single":
        head = people.person(people.born(22, 58), surname, female=female)
        head.grade = rng.choice((1, 1, 2, 2, 3, 4))
    else:
        head = people.person(people.born(30, 56), surname, female=False)
    members = [head]
    if kind in ("elderly-couple", "family", "three-generation") or (
        kind == "grandchildren" and rng.random() < 0.5
    ):
        spouse_born = head.born + timedelta(days=rng.randrange(-1500, 1500))
        spouse = people.person(
            spouse_born, rng.choice(SURNAMES), female=True, relation=roles.SPOUSE
        )
        members.append(spouse)
    _children(rng, people, kind, surname, members)
    for member in members[1:]:
        if rng.random() < 0.05:
            member.grade = rng.choice((1, 2, 3, 4))
    return members


def _children(
    rng: random.Random,
    people: People,
    kind: str,
    surname: str,
    members: list[Person],
) -> None:
    head = members[0]
    if kind == "three-generation":
        parent = people.person(
            head.born - timedelta(days=rng.randrange(8000, 11000)),
            surname,
            female=rng.random() < 0.6,
            relation=roles.PARENT,
        )
        members.append(parent)
    if kind in ("family", "three-generation"):
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            age = max(1, min(24, head.age_on(START) - rng.randrange(22, 34)))
            child = people.person(
                people.born(age, age),
                surname,
                female=rng.random() < 0.48,
                relation=roles.CHILD,
            )
            child.in_school = 6 <= age <= 21
            members.append(child)
    if kind == "grandchildren":
        for _ in range(rng.choice((1, 1, 2))):
            age = rng.randrange(3, 15)
            child = people.person(
                people.born(age, age),
                surname,
                female=rng.random() < 0.5,
                relation=roles.GRANDCHILD,
            )
            child.in_school = age >= 6
            members.append(child)


COUNTY_POSTS: Final = (
    (roles.COUNTY_CLERK, 8),
    (roles.REVIEWER, 4),
    (roles.APPROVER, 4),
    (roles.FINANCE, 6),
    (roles.DISCIPLINE, 3),
    (roles.AUDIT, 3),
)
TOWNSHIP_POSTS: Final = ((roles.TOWNSHIP_CLERK, 3), (roles.FINANCE, 2))
VILLAGE_POSTS: Final = ((roles.VILLAGE_COMMITTEE, 2), (roles.GROUP_LEADER, 1))


def _staff(rng: random.Random, people: People, county: County) -> None:
    since = date(2018, 1, 2)
    orgs: list[tuple[str, tuple[tuple[str, int], ...]]] = [(AREA_CODE, COUNTY_POSTS)]
    orgs += [(t.code, TOWNSHIP_POSTS) for t in county.townships]
    orgs += [(v.code, VILLAGE_POSTS) for v in county.villages]
    for org, posts in orgs:
        for role, count in posts:
            for _ in range(count):
                person = people.person(
                    people.born(26, 58), rng.choice(SURNAMES), female=rng.random() < 0.4
                )
                staff_id = f"S{len(county.posts) + 1:04d}"
                county.posts.append(Post(staff_id, person, role, org, since))


def _cadre_kin(rng: random.Random, county: County) -> None:
    """Give about a third of village cadres a 近亲属 in a household of their village.

    The link is on the 户籍 (a parent or sibling of the cadre), so the kinship
    graph knows it whether or not a case ever declares it.
    """
    by_village: dict[str, list[Home]] = {}
    for home in county.homes:
        by_village.setdefault(home.village, []).append(home)
    for post in county.posts:
        homes = by_village.get(post.org)
        if not homes or rng.random() > 0.33:
            continue
        home = rng.choice(homes)
        if home.number in county.cadre_kin:
            continue
        link_cadre(county, post, home, rng)
