"""`relief case`: the decision and dynamic management: reviews, changes, deaths.

审批 approves, rejects, adjusts and suspends; clerks record reviews, changes
and deaths, and the township clerk the serving of a rejection's written
reasons (审核确认办法 2021 §19–32). Exits and recoveries are in
``cli.cmd_exits``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from cli.acts import pass_services, perform, person
from cli.cmd_cases import INTAKE, case
from cli.params import acting, parse_amount, parse_amounts, parse_date, parse_month
from cli.params import yuan as show_yuan
from domain import roles
from domain.case_rules import (
    CHANGE_SOURCES,
    CHANGE_TYPES,
    REJECTION_NOTICE_CHANNELS,
    REVIEW_OUTCOMES,
)
from domain.people import DEATH_SOURCES

if TYPE_CHECKING:
    from datetime import date

    from cli.services import Services

DECIDE = (roles.APPROVER,)
NOTIFY = (roles.TOWNSHIP_CLERK,)
IDENTIFY = (*INTAKE, roles.REVIEWER, roles.APPROVER)
RECOVER = (roles.FINANCE, *INTAKE)


@case.command("approve")
@click.argument("case_no")
@click.argument("amount", callback=parse_amount)
@click.option("--stage", "stages", multiple=True, callback=parse_amounts)
@acting
@pass_services
def approve(
    services: Services,
    *,
    case_no: str,
    amount: int,
    stages: tuple[int, ...],
    actor: str,
    on: date,
) -> None:
    """Approve AMOUNT yuan a month (临时救助: in --stage amounts summing to it).

    \b
    Example:
        relief case approve C1 1500 --as A1 --on 2024-03-15
    """
    perform(
        services, actor, on, DECIDE, lambda f, a: f.approve(a, case_no, amount, stages)
    )
    click.echo(f"Case {case_no} approved at {show_yuan(amount)}.")


@case.command("reject")
@click.argument("case_no")
@click.option("--reason", "reasons", multiple=True, required=True)
@acting
@pass_services
def reject(
    services: Services, *, case_no: str, reasons: tuple[str, ...], actor: str, on: date
) -> None:
    """Reject with written reasons.

    \b
    Example:
        relief case reject C1 --reason 收入超过标准 --as A1
    """
    perform(services, actor, on, DECIDE, lambda f, a: f.reject(a, case_no, reasons))
    click.echo(f"Case {case_no} rejected.")


@case.command("notify-rejection")
@click.argument("case_no")
@click.option(
    "--notified-on",
    required=True,
    callback=parse_date,
    metavar="DATE",
    help="Day the written reasons were served, YYYY-MM-DD.",
)
@click.option(
    "--channel",
    type=click.Choice(sorted(REJECTION_NOTICE_CHANNELS)),
    required=True,
    help="How they were served.",
)
@acting
@pass_services
def notify_rejection(
    services: Services,
    *,
    case_no: str,
    notified_on: date,
    channel: str,
    actor: str,
    on: date,
) -> None:
    """Record that a rejection's written reasons were served (township clerk).

    \b
    Example:
        relief case notify-rejection C1 --notified-on 2024-03-21 \\
            --channel 直接送达 --as T1
    """
    perform(
        services,
        actor,
        on,
        NOTIFY,
        lambda f, a: f.notify_rejection(a, case_no, notified_on, channel),
    )
    click.echo(f"Case {case_no}: rejection notified on {notified_on} ({channel}).")


@case.command("review")
@click.argument("case_no")
@click.argument("outcome", type=click.Choice(sorted(REVIEW_OUTCOMES)))
@click.argument("income", callback=parse_amount)
@click.option("--unstable", is_flag=True, help="Income unstable: review in 6 months.")
@acting
@pass_services
def review(
    services: Services,
    *,
    case_no: str,
    outcome: str,
    income: int,
    unstable: bool,
    actor: str,
    on: date,
) -> None:
    """Record a periodic review with the per-capita income in yuan.

    \b
    Example:
        relief case review C1 no-change 300 --as T1
    """
    perform(
        services,
        actor,
        on,
        INTAKE,
        lambda f, a: f.complete_review(
            a, case_no, outcome, income, stable=not unstable
        ),
    )
    click.echo(f"Case {case_no}: review recorded ({outcome}).")


@case.command("change")
@click.argument("case_no")
@click.argument("change_type", type=click.Choice(sorted(CHANGE_TYPES)))
@click.option("--effective", required=True, callback=parse_date)
@click.option("--source", type=click.Choice(sorted(CHANGE_SOURCES)), required=True)
@acting
@pass_services
def change(
    services: Services,
    *,
    case_no: str,
    change_type: str,
    effective: date,
    source: str,
    actor: str,
    on: date,
) -> None:
    """Record a reported change in members, income or assets.

    \b
    Example:
        relief case change C1 income --effective 2024-05-01 --source self --as T1
    """
    perform(
        services,
        actor,
        on,
        INTAKE,
        lambda f, a: f.report_change(a, case_no, change_type, effective, source),
    )
    click.echo(f"Case {case_no}: {change_type} change recorded.")


@case.command("death")
@click.argument("household_no")
@click.argument("member_id")
@click.option("--died", required=True, callback=parse_date, help="Date of death.")
@click.option("--source", type=click.Choice(sorted(DEATH_SOURCES)), required=True)
@acting
@pass_services
def death(
    services: Services,
    *,
    household_no: str,
    member_id: str,
    died: date,
    source: str,
    actor: str,
    on: date,
) -> None:
    """Record a member's death on the household and every case covering them.

    \b
    Example:
        relief case death H2 11010519401231002X --died 2024-06-03 --source 公安 \\
            --as T1
    """
    perform(
        services,
        actor,
        on,
        INTAKE,
        lambda f, a: f.report_death(
            a, household_no, person(f, member_id), died, source
        ),
    )
    click.echo(f"Household {household_no}: death on {died} recorded.")


@case.command("adjust")
@click.argument("case_no")
@click.argument("amount", callback=parse_amount)
@click.option("--from-month", required=True, callback=parse_month)
@click.option("--reason", required=True)
@acting
@pass_services
def adjust(
    services: Services,
    *,
    case_no: str,
    amount: int,
    from_month: str,
    reason: str,
    actor: str,
    on: date,
) -> None:
    """Raise or lower the monthly amount from a month.

    \b
    Example:
        relief case adjust C1 1200 --from-month 2024-06 --reason 收入增加 --as A1
    """
    perform(
        services,
        actor,
        on,
        DECIDE,
        lambda f, a: f.adjust(a, case_no, amount, from_month, reason),
    )
    click.echo(f"Case {case_no}: {show_yuan(amount)} a month from {from_month}.")


@case.command("suspend")
@click.argument("case_no")
@click.option("--from-month", required=True, callback=parse_month)
@click.option("--reason", required=True)
@click.option("--resume", is_flag=True, help="Resume payment instead.")
@acting
@pass_services
def suspend(
    services: Services,
    *,
    case_no: str,
    from_month: str,
    reason: str,
    resume: bool,
    actor: str,
    on: date,
) -> None:
    """Suspend payment from a month (or --resume it).

    \b
    Example:
        relief case suspend C1 --from-month 2024-07 --reason 外出务工 --as A1
    """
    call = "resume" if resume else "suspend"
    perform(
        services,
        actor,
        on,
        DECIDE,
        lambda f, a: getattr(f, call)(a, case_no, from_month, reason),
    )
    click.echo(f"Case {case_no}: payment {call}d from {from_month}.")
