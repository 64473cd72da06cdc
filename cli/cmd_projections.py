"""`relief projections`: keep the read models current, rebuild them, show their place.

Every view of ``projections.catalogue`` lives beside the ledger, in the same
database. ``update`` catches them up from their tracked positions, one
transaction per page; ``rebuild`` drops them and replays from position 1;
``status`` shows each view's position against the ledger's head. A rebuild,
and an update of views far behind, run the views in forked worker processes
(``projections.parallel_views``), each reading the ledger through a fund of
its own (``cli.bootstrap.fund_reader``); a worker's failure exits 1, naming
its views and the error.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

import click
from rich.table import Table

from cli.acts import open_fund, pass_services
from cli.bootstrap import views_runner
from cli.i18n import heading, lang_option, word
from cli.render import as_json, print_table
from projections.definitions import outdated
from projections.engine import views_engine
from projections.forking import ViewWorkerError
from projections.runner import DEFAULT_PAGE_SIZE

if TYPE_CHECKING:
    from collections.abc import Iterator

    from cli.services import Services
    from projections.run_report import RunReport
    from projections.runner import ViewRunner

JSON_HELP = "Print the result as JSON."


@contextmanager
def _runner(services: Services, page_size: int) -> Iterator[tuple[ViewRunner, int]]:
    """Open the fund and the views' engine; yield the runner and the ledger head."""
    with open_fund(services) as fund:
        engine = views_engine(services.db)
        try:
            runner = views_runner(
                fund, engine, services.db, services.person_key, page_size=page_size
            )
            yield runner, fund.recorder.max_notification_id() or 0
        except ViewWorkerError as error:
            raise click.ClickException(str(error)) from error
        finally:
            engine.dispose()


def _report(report: RunReport, verb: str, as_json_flag: bool) -> None:
    if as_json_flag:
        click.echo(
            as_json(
                {
                    "pages": report.pages,
                    "events": report.events,
                    "position": report.position,
                    "rebuilt": list(report.rebuilt),
                }
            )
        )
        return
    if report.rebuilt:
        click.echo(
            f"built by another definition, so built again from position 1: "
            f"{', '.join(report.rebuilt)}"
        )
    click.echo(
        f"{verb} every view: {report.events} events in {report.pages} pages, "
        f"now at position {report.position}"
    )


@click.group()
def projections() -> None:
    """Read models: balances, audit indexes, 公示 list, risk facts.

    \b
    Example:
        relief --db relief.db projections update && relief projections status
    """


@projections.command()
@click.option(
    "--page-size", type=click.IntRange(1), default=DEFAULT_PAGE_SIZE, show_default=True
)
@click.option("--json", "as_json_flag", is_flag=True, help=JSON_HELP)
@pass_services
def update(services: Services, page_size: int, as_json_flag: bool) -> None:
    """Catch every view up with the ledger, one transaction per page.

    \b
    Example:
        relief --db relief.db projections update
    """
    with _runner(services, page_size) as (runner, _):
        report = runner.run()
    _report(report, "updated", as_json_flag)


@projections.command()
@click.option(
    "--page-size", type=click.IntRange(1), default=DEFAULT_PAGE_SIZE, show_default=True
)
@click.option("--json", "as_json_flag", is_flag=True, help=JSON_HELP)
@pass_services
def rebuild(services: Services, page_size: int, as_json_flag: bool) -> None:
    """Drop every view and rebuild it from position 1.

    \b
    Example:
        relief --db relief.db projections rebuild --json
    """
    with _runner(services, page_size) as (runner, _):
        report = runner.rebuild()
    _report(report, "rebuilt", as_json_flag)


@projections.command()
@click.option("--json", "as_json_flag", is_flag=True, help=JSON_HELP)
@lang_option
@pass_services
def status(services: Services, as_json_flag: bool, lang: str) -> None:
    """Show each view's position and how far it stands behind the ledger.

    \b
    Example:
        relief --db relief.db projections status
    """
    with _runner(services, 1) as (runner, head):
        runner.create_tables()
        positions = runner.positions()
        changed = outdated(runner.engine, runner.views, runner.application_name)
    if as_json_flag:
        click.echo(as_json({"head": head, "views": positions, "outdated": changed}))
        return
    keys = ("view", "position", "behind", "definition")
    table = Table(*(heading(key, lang) for key in keys))
    for name, position in sorted(positions.items()):
        state = "outdated" if name in changed else "current"
        table.add_row(name, str(position), str(head - position), word(state, lang))
    print_table(table)
    click.echo(f"ledger head: position {head}")
    if changed:
        click.echo(
            "built by another definition, to be built again by the next update: "
            + ", ".join(changed)
        )
