"""`relief report`: the audit report as one HTML file, the monthly and 公示 lists."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.table import Table

from cli.acts import open_fund, pass_services
from cli.bootstrap import caught_up_views
from cli.i18n import heading, lang_option, title
from cli.params import parse_date, parse_month, yuan
from cli.render import as_json, print_table
from cli.reports.data import gather, newest_checkpoint
from cli.reports.html import render
from cli.reports.queries import latest_period, notices_on
from projections.reports import monthly_report

if TYPE_CHECKING:
    from datetime import date

    from cli.services import Services

JSON_HELP = "Print as JSON (stable field names, docs/cli-json.md)."


@click.group()
def report() -> None:
    """Reports: the audit report (HTML), the monthly report, the 公示 list.

    \b
    Example:
        relief report audit --out report.html
    """


@report.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("report.html"),
    show_default=True,
)
@click.option(
    "--checkpoint",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Signed checkpoint to hold the chain against "
    "(default: the newest checkpoint-*.json here).",
)
@pass_services
def audit(services: Services, out: Path, checkpoint: Path | None) -> None:
    """Write the audit report: one HTML file that opens with no network.

    \b
    Example:
        relief report audit --out report.html --checkpoint checkpoint-00001000.json
    """
    with open_fund(services) as fund:
        data = gather(services, fund, checkpoint or newest_checkpoint(Path.cwd()))
    out.write_text(render(data), encoding="utf-8")
    click.echo(
        f"Audit report written to {out}: {len(data.flags)} flags, chain "
        f"{'intact' if data.chain.report.ok else 'BROKEN'} at position "
        f"{data.chain.report.head_position}."
    )


@report.command()
@click.option(
    "--month", "month", callback=parse_month, help="YYYY-MM (default: latest)."
)
@click.option("--programme", help="Only this programme, e.g. 低保.")
@click.option("--json", "json_output", is_flag=True, help=JSON_HELP)
@lang_option
@pass_services
def monthly(
    services: Services,
    month: str | None,
    programme: str | None,
    json_output: bool,
    lang: str,
) -> None:
    """Show one month's money per region and programme (yuan).

    \b
    Example:
        relief report monthly --month 2025-06 --json
    """
    with (
        open_fund(services) as fund,
        caught_up_views(services, fund) as engine,
        engine.connect() as conn,
    ):
        period = month or latest_period(conn)
        lines = monthly_report(conn, period, programme) if period else []
    if json_output:
        click.echo(as_json([line.as_dict() for line in lines]))
        return
    table = Table(title=f"{title('monthly_report', lang)} {period or ''}")
    columns = (
        "region",
        "programme",
        "received",
        "disbursed",
        "failed",
        "returned",
        "recovered",
        "balance",
    )
    for name in columns:
        if name in columns[:2]:
            table.add_column(heading(name, lang))
        else:
            table.add_column(heading(name, lang), justify="right")
    for line in lines:
        row = line.as_dict()
        table.add_row(
            *(
                str(row[n]) if i < 2 else yuan(int(str(row[n])))
                for i, n in enumerate(columns)
            )
        )
    print_table(table)


@report.command()
@click.option(
    "--village", help="Only notices of cases in this village (12-digit code)."
)
@click.option(
    "--on",
    "on",
    callback=parse_date,
    help="Notices on show that day (default: the last day one was posted).",
)
@click.option("--json", "json_output", is_flag=True, help=JSON_HELP)
@lang_option
@pass_services
def notice(
    services: Services,
    village: str | None,
    on: date | None,
    json_output: bool,
    lang: str,
) -> None:
    """Show the public 公示 list: name, household size and amount, nothing else.

    \b
    Example:
        relief report notice --village 130102001001 --json
    """
    with open_fund(services) as fund:
        shown = notices_on(services, fund, on, village)
    if json_output:
        click.echo(as_json([n.as_dict() for n in shown]))
        return
    table = Table(title=title("public_notice", lang))
    for name in ("name", "household_size", "amount"):
        table.add_column(heading(name, lang))
    for n in shown:
        table.add_row(n.name, str(n.household_size), yuan(n.amount))
    print_table(table)
