"""Inspectors' red flags: scan, list, show the evidence, clear with a reason.

``risk rules`` lists the rule catalogue; ``risk list|show`` read the flags'
events (``cli.flags``); ``risk scan`` runs every rule over the risk facts
(``projections.risk.scan``) and raises the new flags; ``risk clear`` is the
domain's ``clear_flag`` (纪检 or 审计, another person than the raiser).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from rich.table import Table

from cli.acts import act_as, open_fund, pass_services, perform, query
from cli.bootstrap import fund_reader
from cli.flags import flags, stored_links
from cli.i18n import heading, lang_option, rule_names, word
from cli.params import acting, parse_date
from cli.render import as_json, print_table, progress_bar
from domain import roles
from domain.errors import NotFoundError
from domain.oversight_service import FLAG_ROLES
from projections.engine import views_engine
from projections.risk.catalogue import catalogue
from projections.risk.scan import scan

if TYPE_CHECKING:
    from datetime import date
    from uuid import UUID

    from cli.flags import FlagRow
    from cli.services import Services
    from domain.service import ReliefFund
    from projections.risk.scan import ScanReport

OVERSIGHT = (roles.DISCIPLINE, roles.AUDIT)


@click.group()
def risk() -> None:
    """Red flags: scan, list, show the evidence, clear with a reason.

    \b
    Example:
        relief risk list --rule RF-08
    """


def _in_region(fund: ReliefFund, subject: str, region: str) -> bool:
    for read in (fund.case, fund.household):
        try:
            return read(subject).region_code.startswith(region)
        except NotFoundError:
            continue
    return False


@risk.command("list")
@click.option("--rule", help="Only this rule (e.g. RF-08).")
@click.option("--region", help="Only subjects in this region code.")
@click.option("--open", "only_open", is_flag=True, help="Only flags not cleared.")
@click.option("--json", "json_output", is_flag=True, help="Print as JSON.")
@lang_option
@pass_services
def risk_list(
    services: Services,
    *,
    rule: str | None,
    region: str | None,
    only_open: bool,
    json_output: bool,
    lang: str,
) -> None:
    """List red flags, by rule and region.

    \b
    Example:
        relief risk list --rule RF-08 --region 110101001 --json
    """
    with open_fund(services) as fund:
        rows = [
            row
            for row in flags(fund)
            if (rule is None or row.rule_id == rule)
            and (not only_open or row.status == "open")
            and (region is None or _in_region(fund, row.subject, region))
        ]
    if json_output:
        click.echo(as_json([row.as_dict() for row in rows]))
        return
    print_table(_flags_table(rows, lang))


def _flags_table(rows: list[FlagRow], lang: str) -> Table:
    names = rule_names(lang)
    table = Table(title=heading("flags", lang))
    for key in ("rule", "rule_name", "subject", "status", "summary", "flag"):
        table.add_column(heading(key, lang))
    for row in rows:
        table.add_row(
            row.rule_id,
            names.get(row.rule_id, ""),
            row.subject,
            word(row.status, lang),
            row.summary,
            row.flag_id,
        )
    return table


@risk.command("rules")
@click.option("--json", "json_output", is_flag=True, help="Print as JSON.")
@lang_option
def risk_rules(*, json_output: bool, lang: str) -> None:
    """List every rule the scan runs: its id, names, severity and what it flags.

    \b
    Example:
        relief risk rules --lang en
    """
    entries = catalogue()
    if json_output:
        click.echo(
            as_json([{**e.as_dict(), "doc": " ".join(e.doc.split())} for e in entries])
        )
        return
    names = rule_names(lang)
    table = Table(title=heading("rules", lang))
    for key in ("rule", "rule_name", "severity", "facts", "description"):
        table.add_column(heading(key, lang))
    for entry in entries:
        table.add_row(
            entry.rule_id,
            names[entry.rule_id],
            word(entry.severity, lang),
            entry.group,
            " ".join(entry.doc.split()),
        )
    print_table(table)


@risk.command("show")
@click.argument("flag_id", type=click.UUID)
@click.option("--json", "json_output", is_flag=True, help="Print as JSON.")
@lang_option
@pass_services
def risk_show(
    services: Services, *, flag_id: UUID, json_output: bool, lang: str
) -> None:
    """Show a flag and its evidence: each event's position and chain hash.

    \b
    Example:
        relief risk show 5b0e...-... --json
    """
    rows = query(services, flags)
    row = next((r for r in rows if r.flag_id == str(flag_id)), None)
    if row is None:
        raise click.ClickException(str(NotFoundError("red flag", flag_id)))
    links = stored_links(services.db, [p for p, _ in row.evidence])
    document = row.as_dict()
    document["evidence"] = [
        {
            "position": p,
            "hash": h,
            "stored_hash": links.get(p),
            "holds": links.get(p) == h,
        }
        for p, h in row.evidence
    ]
    if json_output:
        click.echo(as_json(document))
        return
    click.echo(f"{row.rule_id} {row.subject}: {row.summary} [{word(row.status, lang)}]")
    table = Table(title=heading("evidence", lang))
    for key in ("position", "hash"):
        table.add_column(heading(key, lang))
    table.add_column("ok")
    for p, h in row.evidence:
        table.add_row(str(p), h, "yes" if links.get(p) == h else "NO")
    print_table(table)


@risk.command("clear")
@click.argument("flag_id", type=click.UUID)
@click.option("--reason", required=True, help="Why the flag is cleared.")
@acting
@pass_services
def risk_clear(
    services: Services, *, flag_id: UUID, reason: str, actor: str, on: date
) -> None:
    """Clear a flag with a written reason (not by the one who raised it).

    \b
    Example:
        relief risk clear 5b0e...-... --reason 已核实为误报 --as J2
    """
    perform(
        services, actor, on, OVERSIGHT, lambda f, a: f.clear_flag(a, flag_id, reason)
    )
    click.echo(f"Flag {flag_id} cleared.")


@risk.command("scan")
@click.option("--as-of", "as_of", callback=parse_date, help="Judge as of this day.")
@click.option("--json", "json_output", is_flag=True, help="Print as JSON.")
@lang_option
@acting
@pass_services
def risk_scan(
    services: Services,
    *,
    as_of: date | None,
    json_output: bool,
    lang: str,
    actor: str,
    on: date,
) -> None:
    """Bring the risk facts up to date, run every rule, raise the new flags.

    Flags are raised by the 纪检 or 审计 officer named by --as; a finding
    already flagged (open or cleared) is not raised again.

    \b
    Example:
        relief risk scan --as J1
    """
    with open_fund(services) as fund, progress_bar("scanning", None):
        act = act_as(fund, actor, OVERSIGHT, on)
        fund.require_holds(act, FLAG_ROLES)
        engine = views_engine(services.db)
        try:
            reader = fund_reader(services.db, services.person_key)
            report = scan(fund, engine, act, as_of=as_of, reader=reader)
        finally:
            engine.dispose()
    if json_output:
        click.echo(as_json(scan_document(report)))
        return
    names = rule_names(lang)
    for rule_id, count in report.counts().items():
        click.echo(f"{rule_id} {names.get(rule_id, '')}: {count}")
    click.echo(
        f"Scan: {len(report.findings)} findings, {len(report.raised)} new flags "
        f"raised, {report.known} already flagged."
    )


def scan_document(report: ScanReport) -> dict[str, object]:
    """A scan with stable ``--json`` field names."""
    return {
        "findings": [finding.as_dict() for finding in report.findings],
        "counts": report.counts(),
        "raised": [str(the_id) for the_id in report.raised],
        "known": report.known,
        "events_read": report.events_read,
    }
