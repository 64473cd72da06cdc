"""The ``relief demo`` command: build the demo county, then say what it found."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import click
from rich.console import Console

from cli.demo.generate import DEFAULT_HOUSEHOLDS
from cli.demo.run import run_demo
from cli.demo.summary import DemoProgress, built_tables, found_table
from cli.render import checkpoint_sentence, verification_sentence
from cli.services import Services
from domain.errors import DomainError
from ledger.errors import LedgerError

pass_services = click.make_pass_decorator(Services)


@click.command()
@click.option(
    "--scale",
    type=click.IntRange(50, 200_000),
    default=DEFAULT_HOUSEHOLDS,
    show_default=True,
    help="Households in the county.",
)
@click.option("--seed", type=int, default=2026, show_default=True, help="Data seed.")
@click.option(
    "--db",
    "db_override",
    help="Ledger store for the demo: a SQLite path or a postgresql:// URL "
    "(default: relief --db).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Checkpoint file to write (never replaced).",
)
@click.option(
    "--manifest",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the planted red-flag patterns here as JSON.",
)
@pass_services
def demo(
    services: Services,
    *,
    scale: int,
    seed: int,
    db_override: str | None,
    out: Path | None,
    manifest: Path | None,
) -> None:
    """Build a realistic demo county on an empty ledger, then verify and scan it.

    Five years of one county's relief history (about 8,000 households, all
    five programmes, monthly batches, deaths, exits, recoveries and a few
    planted red flags) are imported through the legacy path; January 2026
    is worked live. Then the projections run, the risk scan raises what it
    finds as flags, and the chain is verified and a checkpoint signed over it.

    \b
    Example:
        relief --db demo.db demo --scale 2000 --manifest planted.json
    """
    if db_override:
        services = replace(services, db=db_override)
    try:
        with DemoProgress() as progress:
            outcome = run_demo(
                services, seed=seed, households=scale, out=out, progress=progress
            )
    except (DomainError, LedgerError) as error:
        raise click.ClickException(str(error)) from error
    if manifest is not None:
        document = outcome.built.generated.plan.manifest()
        manifest.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n")
    console = Console(width=max(120, Console().width))
    for table in built_tables(outcome.built, outcome.head, outcome.phases):
        console.print(table)
    findings = ((f.rule_id, f.subject) for f in outcome.built.scan.findings)
    console.print(found_table(findings, outcome.built.generated.plan.manifest()))
    scan = outcome.built.scan
    click.echo(
        f"Risk scan: {len(scan.findings)} findings, {len(scan.raised)} flags raised "
        "(relief risk list; relief risk show FLAG)."
    )
    click.echo(checkpoint_sentence(outcome.checkpoint, outcome.signed))
    click.echo(verification_sentence(outcome.verification))
    if not outcome.verification.report.ok:
        raise SystemExit(1)
