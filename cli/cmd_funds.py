"""Funds received into programme accounts, and households' payee accounts.

Only 财务 records money (社会救助暂行办法 §5); payee accounts are registered
by 财务 or a clerk over the household's region.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from cli.acts import pass_services, perform, person
from cli.params import acting, parse_amount, parse_date, yuan
from domain import roles
from domain.accounts import CARD_TYPES
from domain.funds import SOURCES

if TYPE_CHECKING:
    from datetime import date

    from cli.services import Services

FINANCE = (roles.FINANCE,)
ACCOUNTS = (roles.FINANCE, roles.TOWNSHIP_CLERK, roles.COUNTY_CLERK)


@click.group()
def funds() -> None:
    """Funds received into a programme account.

    \b
    Example:
        relief funds receive 低保 110101 500000 --source 中央 --treasury-ref G1 \\
            --received 2024-03-20 --as F1
    """


@funds.command("receive")
@click.argument("programme", type=click.Choice(sorted(roles.PROGRAMMES)))
@click.argument("org_code")
@click.argument("amount", callback=parse_amount)
@click.option("--source", type=click.Choice(sorted(SOURCES)), required=True)
@click.option("--treasury-ref", required=True, help="The treasury's reference.")
@click.option("--received", required=True, callback=parse_date, help="Value date.")
@acting
@pass_services
def funds_receive(
    services: Services,
    *,
    programme: str,
    org_code: str,
    amount: int,
    source: str,
    treasury_ref: str,
    received: date,
    actor: str,
    on: date,
) -> None:
    """Record funds received into a programme account.

    \b
    Example:
        relief funds receive 低保 110101 500000 --source 中央 \\
            --treasury-ref 国库-2024-001 --received 2024-03-20 --as F1
    """
    perform(
        services,
        actor,
        on,
        FINANCE,
        lambda f, a: f.receive_funds(
            a,
            programme=programme,
            org_code=org_code,
            source=source,
            amount_fen=amount,
            treasury_ref=treasury_ref,
            received_on=received,
        ),
    )
    click.echo(f"Received {yuan(amount)} for {programme} in {org_code}.")


@click.group()
def account() -> None:
    """Payee bank accounts of households.

    \b
    Example:
        relief account add H1 11010519491231002X <token> --bank ICBC \\
            --card-type 社保卡 --as F1
    """


@account.command("add")
@click.argument("household_no")
@click.argument("holder_id")
@click.argument("token")
@click.option("--bank", "bank_code", required=True, help="The bank's code.")
@click.option("--card-type", type=click.Choice(sorted(CARD_TYPES)), required=True)
@acting
@pass_services
def account_add(
    services: Services,
    *,
    household_no: str,
    holder_id: str,
    token: str,
    bank_code: str,
    card_type: str,
    actor: str,
    on: date,
) -> None:
    """Register a payee account (its token, 64 hex digits) for a household member.

    \b
    Example:
        relief account add H1 11010519491231002X <token> --bank ICBC \\
            --card-type 社保卡 --as F1
    """
    perform(
        services,
        actor,
        on,
        ACCOUNTS,
        lambda f, a: f.register_bank_account(
            a,
            household_no=household_no,
            holder_ref=person(f, holder_id),
            account_token=token,
            bank_code=bank_code,
            card_type=card_type,
        ),
    )
    click.echo(f"Account {token[:12]} registered for household {household_no}.")
