"""Inspectors' commands: a record's history and money as it stood.

``history`` and ``replay`` read the ledger's events (``cli.inspection``); the
red flags' commands are ``cli.cmd_risk``'s ``risk`` group.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from rich.table import Table

from cli.acts import pass_services, query
from cli.i18n import heading, lang_option
from cli.inspection import MONEY_KEYS, money_totals, timeline
from cli.params import parse_date, yuan
from cli.render import HASH_PREFIX, as_json, print_table

if TYPE_CHECKING:
    from datetime import date

    from cli.services import Services


@click.command()
@click.argument("subject")
@click.option("--as-of", "as_of", callback=parse_date, help="Business date bound.")
@click.option("--at", "at", type=click.IntRange(min=1), help="Ledger position bound.")
@click.option("--json", "json_output", is_flag=True, help="Print as JSON.")
@lang_option
@pass_services
def history(
    services: Services,
    *,
    subject: str,
    as_of: date | None,
    at: int | None,
    json_output: bool,
    lang: str,
) -> None:
    """Show the timeline of a household or case: who, role, when, position, hash.

    \b
    Example:
        relief history H1 --as-of 2024-06-30
        relief history C1 --at 120 --json
    """
    if as_of is not None and at is not None:
        raise click.UsageError("Give --as-of or --at, not both.")
    entries = query(
        services, lambda f: timeline(f, services.db, subject, as_of=as_of, at=at)
    )
    if not entries:
        raise click.ClickException(f"No record {subject} is in the ledger.")
    if json_output:
        click.echo(as_json([e.as_dict() for e in entries]))
        return
    table = Table(title=f"{heading('timeline', lang)} {subject}")
    for key in ("position", "event", "who", "role", "when", "recorded", "hash"):
        table.add_column(heading(key, lang))
    for e in entries:
        table.add_row(
            str(e.position),
            e.event,
            e.actor_id,
            e.actor_role,
            e.occurred_at[:10],
            e.recorded_at[:19],
            e.hash[:HASH_PREFIX],
        )
    print_table(table)


@click.command()
@click.option("--as-of", "as_of", callback=parse_date, help="Business date bound.")
@click.option("--at", "at", type=click.IntRange(min=1), help="Ledger position bound.")
@click.option("--json", "json_output", is_flag=True, help="Print as JSON.")
@lang_option
@pass_services
def replay(
    services: Services,
    *,
    as_of: date | None,
    at: int | None,
    json_output: bool,
    lang: str,
) -> None:
    """Replay the ledger to a date (or position): money totals as they stood.

    An event counts if its business date is on or before --as-of (even when
    recorded later) and its position is at most --at. The totals are summed
    from the books view's legs within those bounds (the view is caught up
    first), which equals folding every event up to them.

    \b
    Example:
        relief replay --as-of 2024-06-30
    """
    totals, last = query(
        services, lambda f: money_totals(f, services.db, as_of=as_of, at=at)
    )
    if json_output:
        document = {
            "as_of": None if as_of is None else as_of.isoformat(),
            "last_position": last,
            "programmes": {
                p: {f"{k}_fen": v for k, v in t.items()} for p, t in totals.items()
            },
        }
        click.echo(as_json(document))
        return
    table = Table(title=f"{heading('totals', lang)} {as_of or ''} (≤ {last})")
    table.add_column(heading("programme", lang))
    for key in MONEY_KEYS:
        table.add_column(heading(key, lang), justify="right")
    for programme, sums in totals.items():
        table.add_row(programme, *(yuan(sums[k]) for k in MONEY_KEYS))
    print_table(table)
