"""How `relief` shows results: sentences, rich tables, JSON, and progress bars."""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from cli.i18n import heading, title

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from cli.services import Verification
    from ledger.checkpoints import Checkpoint
    from ledger.reader import LogEntry

HASH_PREFIX = 16
"""Hex digits of a link shown in tables; ``--json`` always gives all 64."""


def as_json(document: object) -> str:
    """Return stable, sorted JSON for scripts."""
    return json.dumps(document, sort_keys=True, ensure_ascii=False)


def verification_sentence(verification: Verification) -> str:
    """Say in one sentence whether the ledger holds, or where it first breaks."""
    report = verification.report
    damage = report.first_break
    if damage is not None:
        return (
            f"Ledger broken at position {damage.position}: {damage.kind} "
            f"({damage.detail}); {report.checked} events before it verify."
        )
    sentence = (
        f"Ledger intact: {report.checked} events verify, head at position "
        f"{report.head_position} is {report.head_hash.hex()[:HASH_PREFIX]}"
    )
    checkpoint = verification.checkpoint
    if checkpoint is None:
        return sentence + "."
    return sentence + (
        f", and it holds the checkpoint signed {checkpoint.created_at} "
        f"for position {checkpoint.position}."
    )


def checkpoint_sentence(path: object, checkpoint: Checkpoint) -> str:
    """Say where a new checkpoint was written and what it vouches for."""
    return (
        f"Checkpoint written to {path}: position {checkpoint.position}, head "
        f"{checkpoint.head_hash.hex()[:HASH_PREFIX]}, signed {checkpoint.created_at} "
        f"by key {checkpoint.key_id[:HASH_PREFIX]}."
    )


def entry_document(entry: LogEntry) -> dict[str, object]:
    """Return one chain entry with stable field names for ``--json``.

    A field is ``null`` where the event row or its link row is missing.
    """
    return {
        "position": entry.position,
        "originator_id": entry.originator_id,
        "originator_version": entry.originator_version,
        "topic": entry.topic,
        "state_size": entry.state_size,
        "prev_hash": _hex(entry.prev_hash),
        "hash": _hex(entry.hash),
    }


def _hex(link: bytes | None, digits: int | None = None) -> str | None:
    return None if link is None else link.hex()[:digits]


def _cell(value: object) -> str:
    return "[red]missing[/red]" if value is None else escape(str(value))


def log_table(entries: list[LogEntry], lang: str = "zh") -> Table:
    """Lay out a page of the chain for people."""
    table = Table(title=title("ledger_chain", lang), header_style="bold")
    for column in ("position", "originator", "version", "topic", "bytes", "hash"):
        numeric = column in {"position", "version", "bytes"}
        table.add_column(heading(column, lang), justify="right" if numeric else "left")
    for entry in entries:
        table.add_row(
            str(entry.position),
            _cell(entry.originator_id),
            _cell(entry.originator_version),
            _cell(entry.topic),
            _cell(entry.state_size),
            _cell(_hex(entry.hash, HASH_PREFIX)),
        )
    return table


def print_table(table: Table) -> None:
    """Print a table on stdout, wide enough that ids are never wrapped."""
    Console(width=max(160, Console().width)).print(table)


@contextmanager
def progress_bar(
    description: str, total: int | None
) -> Iterator[Callable[[int], None] | None]:
    """Show a transient progress bar on stderr when it is a terminal.

    Yields a callback taking the count done so far, or ``None`` when stderr is
    not a terminal (scripts and tests), so that nothing is drawn.
    """
    console = Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    columns = (TextColumn(description), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(description, total=total)
        yield lambda done: progress.update(task, completed=done)
