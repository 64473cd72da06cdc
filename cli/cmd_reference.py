"""Set-up and reference data: regions, standards, limits and the calendar.

Reference data is recorded on the bureau's authority (县级经办 or 审批), as
are staff and their roles (``cli.cmd_staff``); households and kinship are
registered by the township or county clerk (``cli.cmd_people``). Each command
parses, makes one domain call and prints one line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from cli.acts import pass_services, perform
from cli.params import acting, parse_amount, parse_date, parse_dates, yuan
from domain import roles

if TYPE_CHECKING:
    from datetime import date

    from cli.services import Services

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
