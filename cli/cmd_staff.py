"""Staff and village cadres: registering them, their roles, and showing them.

Recorded on the bureau's authority (县级经办 or 审批, ``cli.cmd_reference``'s
``BUREAU``), like the rest of the reference data. ``staff show --json`` prints
``staff_document``'s stable field names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from rich.table import Table

from cli.acts import pass_services, perform, person, query
from cli.cmd_reference import BUREAU
from cli.i18n import heading, lang_option
from cli.params import acting, parse_date
from cli.render import as_json, print_table
from domain import roles

if TYPE_CHECKING:
    from datetime import date

    from cli.services import Services
    from domain.staff import Staff


@click.group()
def staff() -> None:
    """Staff and village cadres, and the roles they hold.

    \b
    Example:
        relief staff show T1
    """


@staff.command("add")
@click.argument("staff_id")
@click.argument("id_number")
@click.argument("name")
@acting
@pass_services
def staff_add(
    services: Services,
    *,
    staff_id: str,
    id_number: str,
    name: str,
    actor: str,
    on: date,
) -> None:
    """Register a member of staff by ID number (or person ref) and name.

    \b
    Example:
        relief staff add T1 110101199003074477 李四 --as S0
    """
    perform(
        services,
        actor,
        on,
        BUREAU,
        lambda f, a: f.register_staff(a, staff_id, person(f, id_number), name),
    )
    click.echo(f"Staff {staff_id} {name} registered.")


@staff.command("role")
@click.argument("staff_id")
@click.argument("role", type=click.Choice(sorted(roles.ROLES)))
@click.argument("org_code")
@click.option("--from", "start", required=True, callback=parse_date, help="From.")
@click.option("--until", "last_day", callback=parse_date, help="End the role then.")
@acting
@pass_services
def staff_role(
    services: Services,
    *,
    staff_id: str,
    role: str,
    org_code: str,
    start: date,
    last_day: date | None,
    actor: str,
    on: date,
) -> None:
    """Give a staff member a role over a region from a date (or end it --until).

    \b
    Example:
        relief staff role T1 乡镇经办 110101001 --from 2024-01-01 --as S0
    """
    if last_day is None:
        perform(
            services,
            actor,
            on,
            BUREAU,
            lambda f, a: f.assign_role(a, staff_id, role, org_code, start),
        )
        click.echo(f"Staff {staff_id} holds {role} over {org_code} from {start}.")
        return
    perform(
        services,
        actor,
        on,
        BUREAU,
        lambda f, a: f.end_role(a, staff_id, role, org_code, last_day),
    )
    click.echo(f"Staff {staff_id} holds {role} over {org_code} until {last_day}.")


@staff.command("show")
@click.argument("staff_id")
@click.option("--json", "json_output", is_flag=True, help="Print as JSON.")
@lang_option
@pass_services
def staff_show(services: Services, staff_id: str, json_output: bool, lang: str) -> None:
    """Show a staff member and every role they held.

    \b
    Example:
        relief staff show T1 --json
    """
    member = query(services, lambda f: f.staff(staff_id))
    if json_output:
        click.echo(as_json(staff_document(member)))
        return
    table = Table(title=f"{heading('staff', lang)} {member.staff_id} {member.name}")
    for key in ("role", "org", "from", "to"):
        table.add_column(heading(key, lang))
    for a in member.assignments:
        table.add_row(a.role, a.org_code, str(a.from_date), str(a.last_day or ""))
    print_table(table)


def staff_document(member: Staff) -> dict[str, object]:
    """A staff member with stable ``--json`` field names."""
    return {
        "staff_id": member.staff_id,
        "name": member.name,
        "person_ref": member.person_ref,
        "roles": [
            {
                "role": a.role,
                "org_code": a.org_code,
                "from": a.from_date.isoformat(),
                "until": None if a.last_day is None else a.last_day.isoformat(),
            }
            for a in member.assignments
        ],
    }
