"""`relief case`: application, acceptance, 备案, the economic check, visits, opinion.

Intake and investigation are done by 乡镇经办 or 县级经办 over the case's
region (审核确认办法 2021 §4–19). The 公示 and showing a case are in
``cli.cmd_notices``, the decision in ``cli.cmd_decisions`` and exits in
``cli.cmd_exits``; they add their commands to the ``case`` group here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from cli.acts import pass_services, perform, person
from cli.params import acting, parse_amount, yuan
from domain import roles
from domain.case_rules import CATEGORIES, CHANNELS, EXTENSION_REASONS

if TYPE_CHECKING:
    from datetime import date

    from cli.services import Services
    from domain.service import ReliefFund

INTAKE = (roles.TOWNSHIP_CLERK, roles.COUNTY_CLERK)
ALL_CATEGORIES = sorted({c for cs in CATEGORIES.values() for c in cs})


@click.group()
def case() -> None:
    """Relief cases: application, investigation, 公示, decision, management.

    \b
    Example:
        relief case show C1 --lang en
    """


def _covered(
    fund: ReliefFund, household_no: str, applicant: str, covers: tuple[str, ...]
) -> tuple[str, tuple[str, ...]]:
    """The applicant's ref and the covered refs (every living member if none)."""
    if covers:
        return person(fund, applicant), tuple(person(fund, c) for c in covers)
    living = tuple(
        m.person_ref for m in fund.household(household_no).members if m.alive
    )
    return person(fund, applicant), living


@case.command("apply")
@click.argument("case_no")
@click.argument("programme", type=click.Choice(sorted(roles.PROGRAMMES)))
@click.argument("category", type=click.Choice(ALL_CATEGORIES))
@click.argument("household_no")
@click.option("--applicant", required=True, help="ID number or person ref.")
@click.option("--covers", multiple=True, help="A covered member (default: all).")
@click.option("--consent", required=True, help="Ref of the signed 授权核对书.")
@click.option("--promise", required=True, help="Ref of the signed 承诺书.")
@click.option("--channel", type=click.Choice(sorted(CHANNELS)), default="窗口")
@acting
@pass_services
def apply(
    services: Services,
    *,
    case_no: str,
    programme: str,
    category: str,
    household_no: str,
    applicant: str,
    covers: tuple[str, ...],
    consent: str,
    promise: str,
    channel: str,
    actor: str,
    on: date,
) -> None:
    """Lodge an application for a household (or some of its members).

    \b
    Example:
        relief case apply C1 低保 补差 H1 --applicant 11010519491231002X \\
            --consent 授权书-1 --promise 承诺书-1 --as T1 --on 2024-03-01
    """
    perform(
        services,
        actor,
        on,
        INTAKE,
        lambda f, a: f.submit_application(
            a,
            case_no,
            programme,
            category,
            household_no,
            covered=_covered(f, household_no, applicant, covers),
            consent=(consent, promise),
            channel=channel,
        ),
    )
    click.echo(f"Case {case_no} applied: {programme} {category} for {household_no}.")


@case.command("accept")
@click.argument("case_no")
@acting
@pass_services
def accept(services: Services, *, case_no: str, actor: str, on: date) -> None:
    """Accept an application; the decision is due in 30 working days.

    \b
    Example:
        relief case accept C1 --as T1 --on 2024-03-01
    """
    perform(services, actor, on, INTAKE, lambda f, a: f.accept(a, case_no))
    click.echo(f"Case {case_no} accepted; the decision is due in 30 working days.")


@case.command("extend")
@click.argument("case_no")
@click.option("--reason", type=click.Choice(sorted(EXTENSION_REASONS)), required=True)
@acting
@pass_services
def extend(
    services: Services, *, case_no: str, reason: str, actor: str, on: date
) -> None:
    """Extend the decision deadline to 45 working days.

    \b
    Example:
        relief case extend C1 --reason 调查困难 --as T1
    """
    perform(services, actor, on, INTAKE, lambda f, a: f.extend(a, case_no, reason))
    click.echo(f"Case {case_no}: deadline extended ({reason}).")


@case.command("declare-relative")
@click.argument("case_no")
@click.argument("member_id")
@click.argument("staff_id")
@click.argument("relation", type=click.Choice(sorted(roles.RELATIONS)))
@acting
@pass_services
def declare_relative(
    services: Services,
    *,
    case_no: str,
    member_id: str,
    staff_id: str,
    relation: str,
    actor: str,
    on: date,
) -> None:
    """File (备案) that a member is RELATION of staff STAFF_ID.

    \b
    Example:
        relief case declare-relative C1 110101199003074477 K1 兄弟姐妹 --as T1
    """
    perform(
        services,
        actor,
        on,
        INTAKE,
        lambda f, a: f.declare_relative(
            a, case_no, person(f, member_id), staff_id, relation
        ),
    )
    click.echo(f"Case {case_no}: relative of staff {staff_id} filed ({relation}).")


@case.command("request-check")
@click.argument("case_no")
@click.option("--source", "sources", multiple=True, required=True, help="户籍, ...")
@acting
@pass_services
def request_check(
    services: Services, *, case_no: str, sources: tuple[str, ...], actor: str, on: date
) -> None:
    """Ask for the economic-status check (§17).

    \b
    Example:
        relief case request-check C1 --source 户籍 --source 银行存款 --as T1
    """
    perform(
        services, actor, on, INTAKE, lambda f, a: f.request_check(a, case_no, sources)
    )
    click.echo(f"Case {case_no}: economic check requested.")


@case.command("record-check")
@click.argument("case_no")
@click.argument("income", callback=parse_amount)
@click.option("--report", required=True, help="Ref of the check report.")
@acting
@pass_services
def record_check(
    services: Services, *, case_no: str, income: int, report: str, actor: str, on: date
) -> None:
    """Record the check's per-capita monthly income in yuan.

    \b
    Example:
        relief case record-check C1 300 --report 核对报告-1 --as C1
    """
    perform(
        services,
        actor,
        on,
        INTAKE,
        lambda f, a: f.complete_check(a, case_no, income, report),
    )
    click.echo(f"Case {case_no}: income {yuan(income)} a person recorded.")


@case.command("visit")
@click.argument("case_no")
@click.option("--level", type=click.Choice(["township", "county"]), required=True)
@click.option("--investigator", "investigators", multiple=True, required=True)
@acting
@pass_services
def visit(
    services: Services,
    *,
    case_no: str,
    level: str,
    investigators: tuple[str, ...],
    actor: str,
    on: date,
) -> None:
    """Record a home visit by two investigators (no kin of the household).

    \b
    Example:
        relief case visit C1 --level township --investigator T1 \\
            --investigator T2 --as T1
    """
    perform(
        services,
        actor,
        on,
        INTAKE,
        lambda f, a: f.record_visit(a, case_no, level, investigators),
    )
    click.echo(f"Case {case_no}: {level} home visit recorded.")


@case.command("opinion")
@click.argument("case_no")
@click.argument("recommendation", type=click.Choice(["approve", "reject"]))
@click.argument("amount", callback=parse_amount)
@acting
@pass_services
def opinion(
    services: Services,
    *,
    case_no: str,
    recommendation: str,
    amount: int,
    actor: str,
    on: date,
) -> None:
    """Issue the preliminary opinion with the proposed monthly amount in yuan.

    \b
    Example:
        relief case opinion C1 approve 1500 --as T1
    """
    perform(
        services,
        actor,
        on,
        INTAKE,
        lambda f, a: f.issue_opinion(a, case_no, recommendation, amount),
    )
    click.echo(f"Case {case_no}: opinion {recommendation} at {yuan(amount)}.")
