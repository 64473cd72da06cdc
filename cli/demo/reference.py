"""The demo county's reference data as legacy lines: places, rates, staff, people.

Regions from the province down to the villages; each township's standards for
every year (``cli.demo.standards``) and the 临时救助 approval limits; the staff
roster and posts; the households as registered on 31 December 2020; and the
户籍 kinship of every household (head to spouse, children, parents) plus the
links between cadres and the households of their relatives.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Final

from cli.demo import standards
from cli.demo.county import AREA_CODE, COUNTY_NAME, PREFECTURE, PROVINCE
from cli.demo.lines import moment
from domain import roles

if TYPE_CHECKING:
    from cli.demo.county import County, Home, Person
    from cli.demo.lines import LegacyFile

REGISTRAR: Final = ("S0001", roles.COUNTY_CLERK)
"""Who keyed the reference data into the old system: the first county clerk."""
SET_UP: Final = moment(date(2020, 12, 28))


def reference_lines(county: County, out: LegacyFile) -> None:
    """Add every reference line of ``county`` to ``out``."""
    _regions(county, out)
    _rates(county, out)
    _staff(county, out)
    for home in county.homes:
        _household(home, out)


def kinship_lines(county: County, applicants: set[str], out: LegacyFile) -> None:
    """Add the 户籍 kinship of applicant households and every cadre link.

    A household's relations are recorded on the ledger when it applies (the
    户籍 check of its first case); the links between cadres and households
    are recorded for every household.
    """
    homes = {m.ref: h.number for h in county.homes for m in h.members[:1]}
    kin = [k for k in county.kin if homes.get(k[0].ref) in applicants]
    for person, other, relation in (*kin, *county.cadre_links):
        out.ref(
            "kinship.recorded",
            person.ref,
            REGISTRAR,
            SET_UP,
            other=other.ref,
            relation=relation,
            source="户籍",
        )


def _regions(county: County, out: LegacyFile) -> None:
    for code, name in (PROVINCE, PREFECTURE, (AREA_CODE, COUNTY_NAME)):
        out.ref("region.registered", code, REGISTRAR, SET_UP, name=name)
    villages = iter(county.villages)
    village = next(villages, None)
    for township in county.townships:
        out.ref(
            "region.registered", township.code, REGISTRAR, SET_UP, name=township.name
        )
        while village is not None and village.code.startswith(township.code):
            out.ref(
                "region.registered", village.code, REGISTRAR, SET_UP, name=village.name
            )
            village = next(villages, None)


def _rates(county: County, out: LegacyFile) -> None:
    for year in range(standards.FIRST_YEAR, standards.LAST_YEAR + 1):
        when = moment(date(year - 1, 12, 20))
        document = f"清民发〔{year - 1}〕{40 + year % 10}号"
        for number, township in enumerate(county.townships, start=1):
            area = "urban" if township.urban else "rural"
            for programme in standards.STANDARD_PROGRAMMES:
                out.ref(
                    "region.standard_set",
                    township.code,
                    REGISTRAR,
                    when,
                    programme=programme,
                    area=area,
                    amount_fen=standards.standard(programme, area, number, year),
                    effective_from=f"{year}-01-01",
                    document=document,
                )
    for level, fen in (
        ("township", standards.TOWNSHIP_LIMIT_FEN),
        ("county", standards.COUNTY_LIMIT_FEN),
    ):
        out.ref(
            "region.approval_limit_set",
            AREA_CODE,
            REGISTRAR,
            SET_UP,
            programme=roles.LINSHI,
            level=level,
            amount_fen=fen,
            effective_from="2020-01-01",
            document="清政办发〔2019〕12号",
        )


def _staff(county: County, out: LegacyFile) -> None:
    for post in county.posts:
        out.ref(
            "staff.registered",
            post.staff_id,
            REGISTRAR,
            SET_UP,
            person=post.person.ref,
            name=post.person.name,
        )
        out.ref(
            "staff.role_assigned",
            post.staff_id,
            REGISTRAR,
            SET_UP,
            staff_role=post.role,
            org_code=post.org,
            from_date=post.since.isoformat(),
        )


def member_row(person: Person) -> dict[str, Any]:
    """Return a household member as a legacy ``members`` row."""
    row: dict[str, Any] = {
        "person": person.ref,
        "name": person.name,
        "relation": person.relation,
        "birth_date": person.born.isoformat(),
    }
    if person.grade is not None:
        row["disability_grade"] = person.grade
    if person.in_school:
        row["in_school"] = True
    return row


def _household(home: Home, out: LegacyFile) -> None:
    out.ref(
        "household.registered",
        home.number,
        REGISTRAR,
        SET_UP,
        region_code=home.village,
        area=home.area,
        members=[member_row(m) for m in home.members],
    )
