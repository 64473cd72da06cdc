"""`relief case`: programme steps: 特困 care, 临时救助 emergency aid and 一事一议.

特困 self-care assessments and support modes are recorded by clerks
(特困认定办法 §19–21); 急难型 aid is granted first and regularised later by
clerks or 审批, and 审批 decides 一事一议 above the limit (2018 临时救助意见).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from cli.acts import pass_services, perform, person
from cli.cmd_cases import INTAKE, case
from cli.params import acting, parse_amount, yuan
from domain import roles
from domain.case_rules import ADL_ITEMS, SUPPORT_MODES

if TYPE_CHECKING:
    from datetime import date

    from cli.services import Services

EMERGENCY = (*INTAKE, roles.APPROVER)


@case.command("self-care")
@click.argument("case_no")
@click.argument("member_id")
@click.option("--failed", multiple=True, type=click.Choice(sorted(ADL_ITEMS)))
@acting
@pass_services
def self_care(
    services: Services,
    *,
    case_no: str,
    member_id: str,
    failed: tuple[str, ...],
    actor: str,
    on: date,
) -> None:
    """Record a 特困 person's self-care (ADL) assessment: the items failed.

    \b
    Example:
        relief case self-care C5 11010519491231002X --failed walking --as T1
    """
    perform(
        services,
        actor,
        on,
        INTAKE,
        lambda f, a: f.assess_self_care(a, case_no, person(f, member_id), failed),
    )
    click.echo(f"Case {case_no}: self-care assessed ({len(failed)} items failed).")


@case.command("support-mode")
@click.argument("case_no")
@click.argument("mode", type=click.Choice(sorted(SUPPORT_MODES)))
@click.option("--institution", default="", help="The care institution, if any.")
@acting
@pass_services
def support_mode(
    services: Services,
    *,
    case_no: str,
    mode: str,
    institution: str,
    actor: str,
    on: date,
) -> None:
    """Record the 特困 person's chosen support mode.

    \b
    Example:
        relief case support-mode C5 集中供养 --institution 东城区敬老院 --as T1
    """
    perform(
        services,
        actor,
        on,
        INTAKE,
        lambda f, a: f.choose_support_mode(a, case_no, mode, institution),
    )
    click.echo(f"Case {case_no}: support mode {mode}.")


@case.command("emergency-aid")
@click.argument("case_no")
@click.argument("amount", callback=parse_amount)
@click.option("--reason", required=True, help="Why the aid is urgent.")
@acting
@pass_services
def emergency_aid(
    services: Services,
    *,
    case_no: str,
    amount: int,
    reason: str,
    actor: str,
    on: date,
) -> None:
    """Grant 急难型 aid first, within the township limit, to regularise later.

    \b
    Example:
        relief case emergency-aid C7 800 --reason 火灾 --as T1
    """
    perform(
        services,
        actor,
        on,
        EMERGENCY,
        lambda f, a: f.grant_emergency_aid(a, case_no, amount, reason),
    )
    click.echo(f"Case {case_no}: emergency aid {yuan(amount)} granted.")


@case.command("regularise")
@click.argument("case_no")
@click.argument("stage_no", type=click.IntRange(min=1))
@click.option("--signatures", required=True, help="Ref of the signed papers.")
@acting
@pass_services
def regularise(
    services: Services,
    *,
    case_no: str,
    stage_no: int,
    signatures: str,
    actor: str,
    on: date,
) -> None:
    """Regularise an emergency grant (补齐手续) within the window.

    \b
    Example:
        relief case regularise C7 1 --signatures 签字-7 --as T1
    """
    perform(
        services,
        actor,
        on,
        EMERGENCY,
        lambda f, a: f.regularise_emergency_aid(a, case_no, stage_no, signatures),
    )
    click.echo(f"Case {case_no}: stage {stage_no} regularised.")


@case.command("case-by-case")
@click.argument("case_no")
@click.argument("amount", callback=parse_amount)
@click.option("--meeting", required=True, help="Ref of the meeting's minutes.")
@acting
@pass_services
def case_by_case(
    services: Services,
    *,
    case_no: str,
    amount: int,
    meeting: str,
    actor: str,
    on: date,
) -> None:
    """Record a 一事一议 decision allowing more than the limit.

    \b
    Example:
        relief case case-by-case C7 8000 --meeting 会议纪要-2 --as A1
    """
    perform(
        services,
        actor,
        on,
        (roles.APPROVER,),
        lambda f, a: f.decide_case_by_case(a, case_no, meeting, amount),
    )
    click.echo(f"Case {case_no}: 一事一议 allows {yuan(amount)}.")
