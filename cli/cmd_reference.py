"""Set-up and reference data: regions, standards, limits, the calendar, staff.

Reference data is recorded on the bureau's authority (县级经办 or 审批);
households and kinship are registered by the township or county clerk
(``cli.cmd_people``). Each command parses, makes one domain call and prints
one line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from rich.table import Table

from cli.acts import pass_services, perform, person, query
from cli.i18n import heading, lang_option
from cli.params import acting, parse_amount, parse_date, parse_dates, yuan
from cli.render import as_json, print_table
from domain import roles

if TYPE_CHECKING:
    from datetime import date

    from cli.services import Services
    from domain.staff import Staff

BUREAU = (roles.COUNTY_CLERK, roles.APPROVER)
CLERKS = (roles.TOWNSHIP_CLERK, roles.COUNTY_CLERK)


@click.group()
def region() -> None:
    """Regions: province down to village, by their statistical codes.

    \b
    Example:
        relief region add 110101001 东华门街道 --as S0
    """


@region.command("add")
@click.argument("code")
@click.argument("name")
@acting
@pass_services
def region_add(services: Services, code: str, name: str, actor: str, on: date) -> None:
    """Register a region; its parent must be registered first.

    \b
    Example:
        relief region add 110101001 东华门街道 --as S0
    """
    perform(services, actor, on, BUREAU, lambda f, a: f.register_region(a, code, name))
    click.echo(f"Region {code} {name} registered.")


@click.group()
def standard() -> None:
    """Monthly standards per region, programme and area.

    \b
    Example:
        relief standard set 110101 低保 urban 800 --from 2024-01-01 \\
            --document D1 --as S0
    """


@standard.command("set")
@click.argument("code")
@click.argument("programme", type=click.Choice(sorted(roles.PROGRAMMES)))
@click.argument("area", type=click.Choice(["urban", "rural"]))
@click.argument("amount", callback=parse_amount)
@click.option("--from", "start", required=True, callback=parse_date, help="From.")
@click.option("--document", required=True, help="The document that sets it.")
@acting
@pass_services
def standard_set(
    services: Services,
    *,
    code: str,
    programme: str,
    area: str,
    amount: int,
    start: date,
    document: str,
    actor: str,
    on: date,
) -> None:
    """Set a standard (yuan per person per month) from a date.

    \b
    Example:
        relief standard set 110101 低保 urban 800 --from 2024-01-01 \\
            --document 东民发〔2024〕1号 --as S0
    """
    perform(
        services,
        actor,
        on,
        BUREAU,
        lambda f, a: f.set_standard(
            a, code, programme, area, amount, effective_from=start, document=document
        ),
    )
    click.echo(f"Standard {programme} {area} in {code}: {yuan(amount)} from {start}.")


@click.group()
def limit() -> None:
    """Approval limits (临时救助) of townships and counties.

    \b
    Example:
        relief limit set 110101 临时救助 township 1000 --from 2024-01-01 \\
            --document D2 --as S0
    """


@limit.command("set")
@click.argument("code")
@click.argument("programme", type=click.Choice(sorted(roles.PROGRAMMES)))
@click.argument("level", type=click.Choice(["township", "county"]))
@click.argument("amount", callback=parse_amount)
@click.option("--from", "start", required=True, callback=parse_date, help="From.")
@click.option("--document", required=True, help="The document that sets it.")
@acting
@pass_services
def limit_set(
    services: Services,
    *,
    code: str,
    programme: str,
    level: str,
    amount: int,
    start: date,
    document: str,
    actor: str,
    on: date,
) -> None:
    """Set an approval limit in yuan from a date.

    \b
    Example:
        relief limit set 110101 临时救助 township 1000 --from 2024-01-01 \\
            --document 东民发〔2024〕2号 --as S0
    """
    perform(
        services,
        actor,
        on,
        BUREAU,
        lambda f, a: f.set_approval_limit(
            a, code, programme, level, amount, effective_from=start, document=document
        ),
    )
    click.echo(f"Limit {programme} {level} in {code}: {yuan(amount)} from {start}.")


@click.group()
def calendar() -> None:
    """The working-day calendar (official holidays and make-up workdays).

    \b
    Example:
        relief calendar year 2024 --holiday 2024-10-01 \\
            --source 国办发明电〔2023〕7号 --as S0
    """


@calendar.command("year")
@click.argument("year", type=click.IntRange(1990, 2100))
@click.option("--holiday", multiple=True, callback=parse_dates, help="A holiday.")
@click.option("--workday", multiple=True, callback=parse_dates, help="A workday.")
@click.option("--source", required=True, help="The State Council notice.")
@acting
@pass_services
def calendar_year(
    services: Services,
    *,
    year: int,
    holiday: tuple[date, ...],
    workday: tuple[date, ...],
    source: str,
    actor: str,
    on: date,
) -> None:
    """Record a year's official holidays and make-up workdays.

    \b
    Example:
        relief calendar year 2024 --holiday 2024-10-01 --workday 2024-10-12 \\
            --source 国办发明电〔2023〕7号 --as S0
    """
    perform(
        services,
        actor,
        on,
        BUREAU,
        lambda f, a: f.record_calendar_year(a, year, holiday, workday, source),
    )
    click.echo(f"Calendar {year}: {len(holiday)} holidays, {len(workday)} workdays.")


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
