"""`relief case`: gradual exit, termination, overpayments and their recovery.

审批 starts a 渐退期 and terminates (审核确认办法 2021 §32; 2022 notice
§1(3)). Overpayments are identified by clerks, reviewers or approvers,
ordered by 审批 and recovered by 财务 or a clerk (社会救助暂行办法 §67–68).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from cli.acts import pass_services, perform
from cli.cmd_cases import INTAKE, case
from cli.params import acting, parse_amount, parse_month
from cli.params import yuan as show_yuan
from domain import roles
from domain.case_rules import (
    OVERPAYMENT_CAUSES,
    TERMINATION_REASONS,
)

if TYPE_CHECKING:
    from datetime import date

    from cli.services import Services

DECIDE = (roles.APPROVER,)
IDENTIFY = (*INTAKE, roles.REVIEWER, roles.APPROVER)
RECOVER = (roles.FINANCE, *INTAKE)


@case.command("gradual-exit")
@click.argument("case_no")
@click.argument("amount", callback=parse_amount)
@click.option("--from-month", required=True, callback=parse_month)
@click.option("--to-month", required=True, callback=parse_month)
@click.option("--reason", required=True)
@acting
@pass_services
def gradual_exit(
    services: Services,
    *,
    case_no: str,
    amount: int,
    from_month: str,
    to_month: str,
    reason: str,
    actor: str,
    on: date,
) -> None:
    """Start a 渐退期 paying AMOUNT yuan a month from one month to another.

    \b
    Example:
        relief case gradual-exit C1 500 --from-month 2024-08 --to-month 2024-10 \\
            --reason 就业增收 --as A1
    """
    perform(
        services,
        actor,
        on,
        DECIDE,
        lambda f, a: f.start_gradual_exit(
            a, case_no, (from_month, to_month), amount, reason
        ),
    )
    click.echo(f"Case {case_no}: gradual exit {from_month} to {to_month}.")


@case.command("terminate")
@click.argument("case_no")
@click.argument("reason", type=click.Choice(sorted(TERMINATION_REASONS)))
@click.option("--written", required=True, help="The written reasons given.")
@acting
@pass_services
def terminate(
    services: Services,
    *,
    case_no: str,
    reason: str,
    written: str,
    actor: str,
    on: date,
) -> None:
    """Stop the benefit from next month, with written reasons.

    \b
    Example:
        relief case terminate C1 income-or-assets --written 家庭收入超标 --as A1
    """
    perform(
        services,
        actor,
        on,
        DECIDE,
        lambda f, a: f.terminate(a, case_no, reason, written),
    )
    click.echo(f"Case {case_no} terminated ({reason}).")


@case.command("overpayment")
@click.argument("recovery_no")
@click.argument("case_no")
@click.argument("amount", callback=parse_amount)
@click.option("--period", "periods", multiple=True, required=True)
@click.option("--cause", type=click.Choice(sorted(OVERPAYMENT_CAUSES)), required=True)
@acting
@pass_services
def overpayment(
    services: Services,
    *,
    recovery_no: str,
    case_no: str,
    amount: int,
    periods: tuple[str, ...],
    cause: str,
    actor: str,
    on: date,
) -> None:
    """Record an overpayment of a case over some months.

    \b
    Example:
        relief case overpayment R1 C1 1500 --period 2024-07 \\
            --cause late-death-report --as T1
    """
    perform(
        services,
        actor,
        on,
        IDENTIFY,
        lambda f, a: f.identify_overpayment(
            a, recovery_no, case_no, periods, amount_fen=amount, cause=cause
        ),
    )
    click.echo(f"Overpayment {recovery_no} of case {case_no}: {show_yuan(amount)}.")


@case.command("recovery")
@click.argument("recovery_no")
@click.argument("amount", callback=parse_amount)
@click.option("--order", "decision", help="Order recovery under this decision ref.")
@click.option("--fine", type=click.IntRange(0, 3), default=0, help="Fine multiple.")
@click.option("--receipt", help="Record money recovered under this receipt ref.")
@acting
@pass_services
def recovery(
    services: Services,
    *,
    recovery_no: str,
    amount: int,
    decision: str | None,
    fine: int,
    receipt: str | None,
    actor: str,
    on: date,
) -> None:
    """Order a recovery (--order, 审批) or record money recovered (--receipt).

    \b
    Example:
        relief case recovery R1 1500 --order 东民追〔2024〕1号 --as A1
        relief case recovery R1 1500 --receipt 收据-7 --as F1
    """
    if (decision is None) == (receipt is None):
        raise click.UsageError("Give exactly one of --order and --receipt.")
    if decision is not None:
        perform(
            services,
            actor,
            on,
            DECIDE,
            lambda f, a: f.order_recovery(a, recovery_no, amount, fine, decision),
        )
        click.echo(f"Recovery {recovery_no} ordered: {show_yuan(amount)}.")
        return
    perform(
        services,
        actor,
        on,
        RECOVER,
        lambda f, a: f.record_recovery(a, recovery_no, amount, receipt or ""),
    )
    click.echo(f"Recovery {recovery_no}: {show_yuan(amount)} recovered.")
