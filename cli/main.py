"""The `relief` command line. Each command parses, makes one call, and renders."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cli.bootstrap import Services, build_services
from cli.i18n import lang_option
from cli.render import (
    as_json,
    checkpoint_sentence,
    entry_document,
    log_table,
    print_table,
    progress_bar,
    verification_sentence,
)
from domain.errors import DomainError
from ledger.errors import LedgerError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from cli.services import InitResult

pass_services = click.make_pass_decorator(Services)

CHECKPOINT_FILE = click.Path(dir_okay=False, writable=True, path_type=Path)


@contextmanager
def refusals() -> Iterator[None]:
    """Turn a refused command or a ledger failure into one sentence and exit 1."""
    try:
        yield
    except (DomainError, LedgerError) as error:
        raise click.ClickException(str(error)) from error


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    envvar="RELIEF_DB",
    default="./relief.db",
    show_default=True,
    help="Ledger store: a SQLite path or a postgresql:// URL (or RELIEF_DB).",
)
@click.option(
    "--keys",
    envvar="RELIEF_KEYS",
    default="./relief-keys",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory of the checkpoint key pair (or RELIEF_KEYS).",
)
@click.pass_context
def cli(ctx: click.Context, db: str, keys: Path) -> None:
    """Supervise relief-fund disbursements on a tamper-evident ledger.

    \b
    Example:
        relief --db relief.db init && relief demo && relief verify
    """
    ctx.obj = build_services(db, keys)


@cli.command()
@pass_services
def init(services: Services) -> None:
    """Create the ledger tables and the checkpoint key pair.

    Safe to run again: the tables are kept and existing keys are never replaced.

    \b
    Example:
        relief --db relief.db --keys relief-keys init
    """
    with refusals():
        result = services.init_ledger()
    _echo_init(result)


def _echo_init(result: InitResult) -> None:
    click.echo(f"Ledger ready in {result.db}.")
    if result.keys_created:
        click.echo(
            f"Checkpoint keys created: {result.keys.private} (private, mode 0600, "
            f"keep it secret) and {result.keys.public} (give it to auditors)."
        )
    else:
        click.echo(
            f"Checkpoint keys kept: {result.keys.private}, {result.keys.public}."
        )


@cli.command()
@click.option(
    "--json", "as_json_output", is_flag=True, help="Print the report as JSON."
)
@click.option(
    "--checkpoint",
    "checkpoint_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A signed checkpoint the ledger must still contain.",
)
@pass_services
def verify(
    services: Services, as_json_output: bool, checkpoint_file: Path | None
) -> None:
    """Recompute the hash chain; exit 1 at the first broken link.

    With --checkpoint, also check the file's signature with the public key in
    the keys directory and that the ledger still holds that exact prefix, which
    catches a cut-off tail or a chain rebuilt from scratch.

    \b
    Example:
        relief verify --checkpoint checkpoint-00000300.json --json
    """
    with refusals():
        total = services.head()[0]
        with progress_bar("verifying", total) as progress:
            verification = services.verify(checkpoint_file, progress)
    if as_json_output:
        click.echo(as_json(verification.as_dict()))
    sentence = verification_sentence(verification)
    if verification.report.ok:
        if not as_json_output:
            click.echo(sentence)
        return
    click.echo(sentence, err=True)
    raise SystemExit(1)


@cli.command()
@click.option("--out", type=CHECKPOINT_FILE, help="File to write (never replaced).")
@pass_services
def checkpoint(services: Services, out: Path | None) -> None:
    """Verify the chain, then sign its head into a new checkpoint file.

    The default file is checkpoint-<position>.json in the current directory.
    A broken ledger is refused, never signed.

    \b
    Example:
        relief checkpoint --out /media/audit/checkpoint-2026-01.json
    """
    with refusals():
        total = services.head()[0]
        with progress_bar("verifying", total) as progress:
            path, signed = services.checkpoint(out, progress)
    click.echo(checkpoint_sentence(path, signed))


@cli.command()
@click.option(
    "--after",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Show positions after this one.",
)
@click.option(
    "--limit",
    type=click.IntRange(1, 10_000),
    default=50,
    show_default=True,
    help="Entries per page.",
)
@click.option("--json", "as_json_output", is_flag=True, help="Print entries as JSON.")
@lang_option
@pass_services
def log(
    services: Services, after: int, limit: int, as_json_output: bool, lang: str
) -> None:
    """Show the chain page by page: position, originator, version, topic, hash.

    \b
    Example:
        relief log --after 100 --limit 20
    """
    with refusals():
        entries = services.log(after, limit)
    if as_json_output:
        click.echo(as_json([entry_document(entry) for entry in entries]))
    else:
        print_table(log_table(entries, lang))
    if len(entries) == limit:
        click.echo(f"next page: relief log --after {entries[-1].position}", err=True)


def _register_commands() -> None:
    """Add the reference, case, money, inspection and audit command groups."""
    from cli import (
        cmd_audit,
        cmd_batches,
        cmd_cases,
        cmd_decisions,
        cmd_exits,
        cmd_funds,
        cmd_inspect,
        cmd_money,
        cmd_notices,
        cmd_people,
        cmd_programmes,
        cmd_projections,
        cmd_reference,
        cmd_risk,
        cmd_staff,
    )

    # Their commands join the ``case`` and ``batch`` groups on import.
    del cmd_decisions, cmd_exits, cmd_notices, cmd_programmes, cmd_batches

    from cli.demo.command import demo
    from cli.reports.command import report

    for command in (
        demo,
        cmd_reference.region,
        cmd_reference.standard,
        cmd_reference.limit,
        cmd_reference.calendar,
        cmd_staff.staff,
        cmd_people.household,
        cmd_people.kinship,
        cmd_cases.case,
        cmd_funds.funds,
        cmd_funds.account,
        cmd_money.batch,
        cmd_inspect.history,
        cmd_inspect.replay,
        cmd_risk.risk,
        cmd_projections.projections,
        cmd_audit.export,
        cmd_audit.verify_export,
        cmd_audit.import_legacy,
        report,
    ):
        cli.add_command(command)


_register_commands()
