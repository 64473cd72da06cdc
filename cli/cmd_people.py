"""Households, their members, and kinship records, as the township registers them.

People are named by their 身份证号 (turned into a person ref with the
deployment's ``RELIEF_PERSON_KEY``) or by a person ref of 64 hex digits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from rich.table import Table

from cli.acts import pass_services, perform, person, query
from cli.i18n import heading, lang_option
from cli.params import acting, iso_date
from cli.render import as_json, print_table
from domain import roles
from domain.kinship import SOURCES
from domain.people import Member

if TYPE_CHECKING:
    from datetime import date

    from cli.services import Services
    from domain.people import Household
    from domain.service import ReliefFund

CLERKS = (roles.TOWNSHIP_CLERK, roles.COUNTY_CLERK)
_FIELDS = 4
_GRADES = frozenset({"1", "2", "3", "4"})

MemberText = tuple[str, str, str, "date", int | None]


def parse_members(
    _ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]
) -> tuple[MemberText, ...]:
    """Click callback: ``ID,姓名,关系,YYYY-MM-DD[,残疾等级]`` for each member."""
    return tuple(_member_text(text) for text in value)


def _member_text(text: str) -> MemberText:
    parts = [p.strip() for p in text.replace("，", ",").split(",")]
    if len(parts) not in {_FIELDS, _FIELDS + 1}:
        msg = f"{text!r} is not ID,name,relation,YYYY-MM-DD[,disability grade]."
        raise click.BadParameter(msg)
    try:
        born = iso_date(parts[3])
    except ValueError as error:
        raise click.BadParameter(f"{error}.") from None
    grade = parts[4] if len(parts) > _FIELDS else ""
    if grade and grade not in _GRADES:
        raise click.BadParameter(f"{grade!r} is not a disability grade 1-4.")
    return parts[0], parts[1], parts[2], born, int(grade) if grade else None


def _members(fund: ReliefFund, texts: tuple[MemberText, ...]) -> list[Member]:
    return [
        Member(person(fund, number), name, relation, born, disability_grade=grade)
        for number, name, relation, born, grade in texts
    ]


@click.group()
def household() -> None:
    """Households and their members.

    \b
    Example:
        relief household show H1 --json
    """


@household.command("add")
@click.argument("household_no")
@click.argument("village_code")
@click.option("--area", type=click.Choice(["urban", "rural"]), required=True)
@click.option(
    "--member",
    "members",
    multiple=True,
    required=True,
    callback=parse_members,
    help="ID,姓名,关系,YYYY-MM-DD[,残疾等级]; repeat for each member.",
)
@acting
@pass_services
def household_add(
    services: Services,
    *,
    household_no: str,
    village_code: str,
    area: str,
    members: tuple[MemberText, ...],
    actor: str,
    on: date,
) -> None:
    """Register a household in a village with its members.

    \b
    Example:
        relief household add H1 110101001001 --area urban \\
            --member 11010519491231002X,张三,户主,1949-12-31 --as T1
    """
    perform(
        services,
        actor,
        on,
        CLERKS,
        lambda f, a: f.register_household(
            a, household_no, village_code, area, _members(f, members)
        ),
    )
    click.echo(f"Household {household_no} registered with {len(members)} members.")


@household.command("show")
@click.argument("household_no")
@click.option("--json", "json_output", is_flag=True, help="Print as JSON.")
@lang_option
@pass_services
def household_show(
    services: Services, *, household_no: str, json_output: bool, lang: str
) -> None:
    """Show a household and its members.

    \b
    Example:
        relief household show H1 --json
    """
    found = query(services, lambda f: f.household(household_no))
    if json_output:
        click.echo(as_json(household_document(found)))
        return
    title = f"{heading('household', lang)} {found.household_no} ({found.region_code})"
    table = Table(title=title)
    for key in ("name", "relation", "born", "alive"):
        table.add_column(heading(key, lang))
    for m in found.members:
        table.add_row(m.name, m.relation, m.birth_date.isoformat(), str(m.alive))
    print_table(table)


def household_document(found: Household) -> dict[str, object]:
    """A household with stable ``--json`` field names."""
    return {
        "household_no": found.household_no,
        "region_code": found.region_code,
        "area": found.area,
        "size": found.size,
        "members": [
            {
                "person_ref": m.person_ref,
                "name": m.name,
                "relation": m.relation,
                "birth_date": m.birth_date.isoformat(),
                "disability_grade": m.disability_grade,
                "alive": m.alive,
            }
            for m in found.members
        ],
    }


@click.group()
def kinship() -> None:
    """Kinship records (the eight 近亲属), each recorded both ways.

    \b
    Example:
        relief kinship add 11010519491231002X 110101199003074477 子女 \\
            --source 户籍 --as T1
    """


@kinship.command("add")
@click.argument("person_id")
@click.argument("other_id")
@click.argument("relation", type=click.Choice(sorted(roles.RELATIONS)))
@click.option("--source", type=click.Choice(sorted(SOURCES)), required=True)
@acting
@pass_services
def kinship_add(
    services: Services,
    *,
    person_id: str,
    other_id: str,
    relation: str,
    source: str,
    actor: str,
    on: date,
) -> None:
    """Record that OTHER_ID is PERSON_ID's RELATION (ID numbers or person refs).

    \b
    Example:
        relief kinship add 11010519491231002X 110101199003074477 子女 \\
            --source 户籍 --as T1
    """
    perform(
        services,
        actor,
        on,
        CLERKS,
        lambda f, a: f.record_kinship(
            a, person(f, person_id), person(f, other_id), relation, source
        ),
    )
    click.echo(f"Kinship recorded: {relation} ({source}).")
