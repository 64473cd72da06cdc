"""`relief case`: the 公示 and its objections, and showing a case.

公示 are posted and closed, and objections recorded and resolved, by 乡镇经办 or
县级经办 (审核确认办法 2021 §19). These commands join the ``case`` group.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from rich.table import Table

from cli.acts import pass_services, perform, query
from cli.cmd_cases import INTAKE, case
from cli.i18n import heading, lang_option, word
from cli.params import acting, parse_date
from cli.render import as_json, print_table
from domain.case_rules import RESOLUTIONS

if TYPE_CHECKING:
    from datetime import date

    from cli.services import Services
    from domain.cases import ReliefCase


@case.command("notice")
@click.argument("case_no")
@click.option("--from", "posted_on", required=True, callback=parse_date)
@click.option("--until", "ends_on", required=True, callback=parse_date)
@click.option("--termination", is_flag=True, help="A 特困 termination 公示.")
@acting
@pass_services
def notice(
    services: Services,
    *,
    case_no: str,
    posted_on: date,
    ends_on: date,
    termination: bool,
    actor: str,
    on: date,
) -> None:
    """Post the 公示 (name, household size, amount) from a day until a day.

    The decision may follow the day after its last day; `case close-notice`
    records that it was taken down.
    With --termination, post a 特困 termination 公示 instead.

    \b
    Example:
        relief case notice C1 --from 2024-03-07 --until 2024-03-14 --as T1
    """
    call = "post_termination_notice" if termination else "post_notice"
    perform(
        services,
        actor,
        on,
        INTAKE,
        lambda f, a: getattr(f, call)(a, case_no, posted_on, ends_on),
    )
    click.echo(f"Case {case_no}: 公示 posted {posted_on} to {ends_on}.")


@case.command("close-notice")
@click.argument("case_no")
@click.option("--termination", is_flag=True, help="Close a 特困 termination 公示.")
@acting
@pass_services
def close_notice(
    services: Services, *, case_no: str, termination: bool, actor: str, on: date
) -> None:
    """Close the case's 公示 on its last day or later (--on is the closing day).

    A 公示 lasts at least 7 days; closing it early, or while an objection to
    it is open, is refused. With --termination, close the 特困 termination 公示.

    \b
    Example:
        relief case close-notice C1 --as T1 --on 2024-03-14
    """
    perform(
        services,
        actor,
        on,
        INTAKE,
        lambda f, a: f.close_notice(a, case_no, termination=termination),
    )
    click.echo(f"Case {case_no}: 公示 closed on {on}.")


@case.command("democratic-review")
@click.argument("case_no")
@click.option("--conclusion", required=True, help="The meeting's conclusion.")
@click.option("--minutes", required=True, help="Ref of the minutes.")
@acting
@pass_services
def democratic_review(
    services: Services,
    *,
    case_no: str,
    conclusion: str,
    minutes: str,
    actor: str,
    on: date,
) -> None:
    """Record a 民主评议 and its conclusion.

    \b
    Example:
        relief case democratic-review C1 --conclusion 同意 --minutes 纪要-3 --as T1
    """
    perform(
        services,
        actor,
        on,
        INTAKE,
        lambda f, a: f.hold_democratic_review(a, case_no, conclusion, minutes),
    )
    click.echo(f"Case {case_no}: 民主评议 recorded.")


@case.command("objection")
@click.argument("case_no")
@click.argument("objection_id")
@click.option("--channel", required=True, help="How it came (12349, letter, ...).")
@click.option("--resolve", type=click.Choice(sorted(RESOLUTIONS)), help="Resolve it.")
@click.option("--finding", help="The finding, when resolving.")
@acting
@pass_services
def objection(
    services: Services,
    *,
    case_no: str,
    objection_id: str,
    channel: str,
    resolve: str | None,
    finding: str | None,
    actor: str,
    on: date,
) -> None:
    """Record an objection to the 公示, or resolve it with --resolve and --finding.

    \b
    Example:
        relief case objection C1 OB-1 --channel 12349 --as T1
        relief case objection C1 OB-1 --channel 12349 --resolve 重新调查 \\
            --finding 情况属实 --as T1
    """
    if resolve is None:
        perform(
            services,
            actor,
            on,
            INTAKE,
            lambda f, a: f.receive_objection(a, case_no, objection_id, channel),
        )
        click.echo(f"Case {case_no}: objection {objection_id} recorded.")
        return
    perform(
        services,
        actor,
        on,
        INTAKE,
        lambda f, a: f.resolve_objection(
            a, case_no, objection_id, resolve, finding or ""
        ),
    )
    click.echo(f"Case {case_no}: objection {objection_id} resolved ({resolve}).")


@case.command("show")
@click.argument("case_no")
@click.option("--json", "json_output", is_flag=True, help="Print as JSON.")
@lang_option
@pass_services
def show(services: Services, *, case_no: str, json_output: bool, lang: str) -> None:
    """Show a case: programme, household, state, amounts and pay schedule.

    \b
    Example:
        relief case show C1 --lang en
    """
    found = query(services, lambda f: f.case(case_no))
    document = case_document(found)
    if json_output:
        click.echo(as_json(document))
        return
    table = Table(title=f"{heading('case', lang)} {case_no}", show_header=False)
    table.add_column()
    table.add_column()
    for key, value in document.items():
        shown = word(str(value), lang) if key == "status" else value
        table.add_row(key, "" if shown is None else str(shown))
    print_table(table)


def case_document(found: ReliefCase) -> dict[str, object]:
    """A case with stable ``--json`` field names (amounts in fen)."""
    return {
        "case_no": found.case_no,
        "programme": found.programme,
        "category": found.category,
        "household_no": found.household_no,
        "region_code": found.region_code,
        "status": found.status,
        "members": len(found.member_refs),
        "monthly_amount_fen": found.monthly_amount,
        "approver": found.approver,
        "decided_on": None if found.decided_on is None else str(found.decided_on),
        "first_pay_month": found.first_pay_month,
        "end_month": found.end_month,
        "schedule_fen": dict(sorted(found.schedule.items())),
    }
