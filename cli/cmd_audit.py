"""Auditors' and bulk commands: export a ledger segment, verify it anywhere, import.

``export`` writes positions N..M as stored (``cli.segments``); ``verify-export``
recomputes every link of such a file with ``ledger.verify.verify_chain`` and
no database, optionally anchored on a signed checkpoint. ``import`` records a
legacy JSON-lines file through the domain's import path (``domain.legacy``).
"""

from __future__ import annotations

from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cli.acts import act_as, open_fund, pass_services, refused
from cli.params import acting
from cli.render import as_json, progress_bar
from cli.segments import (
    Header,
    SegmentFormatError,
    decode_header,
    decode_records,
    encode,
)
from domain import roles
from domain.legacy import import_file
from ledger.chain import GENESIS
from ledger.checkpoints import verify_checkpoint
from ledger.keys import load_public_key
from ledger.store import open_store
from ledger.verify import verify_chain

if TYPE_CHECKING:
    from datetime import date

    from cli.services import Services
    from ledger.verify import ChainReport

OUT_FILE = click.Path(dir_okay=False, path_type=Path)
IN_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("export")
@click.option("--from", "first", type=click.IntRange(min=1), required=True)
@click.option("--to", "last", type=click.IntRange(min=1), required=True)
@click.option("--out", required=True, type=OUT_FILE, help="File to write (new).")
@pass_services
def export(services: Services, *, first: int, last: int, out: Path) -> None:
    """Write ledger positions FROM..TO, events and links, as a segment file.

    The file verifies on another machine with `relief verify-export`.

    \b
    Example:
        relief export --from 1 --to 5000 --out segment-1-5000.jsonl
    """
    if last < first:
        raise click.BadParameter("--to must not be before --from.", param_hint="--to")
    if out.exists():
        raise click.BadParameter(
            f"{out} exists; it is never replaced.", param_hint="--out"
        )
    with refused(), closing(open_store(services.db)) as store:
        head = store.head()[0]
        if last > head:
            msg = f"--to {last} is past the ledger's last position {head}."
            raise click.BadParameter(msg, param_hint="--to")
        prev = GENESIS if first == 1 else store.link_at(first - 1)
        head_hash = store.link_at(last)
        if prev is None or head_hash is None:
            raise click.ClickException("The ledger has no link at the segment's ends.")
        records = store.records(after=first - 1, stop=last)
        with out.open("x", encoding="utf-8") as file:
            file.writelines(encode(Header(first, last, prev, head_hash), records))
    click.echo(f"Positions {first} to {last} written to {out}.")


def _anchor(
    header: Header, checkpoint: Path | None, public_key: Path | None
) -> tuple[int, bytes]:
    """The trusted (position, link): a signed checkpoint's, else the file's head."""
    if checkpoint is None:
        return header.last, header.head_hash
    if public_key is None:
        raise click.BadParameter(
            "--checkpoint needs --public-key.", param_hint="--public-key"
        )
    with refused():
        signed = verify_checkpoint(checkpoint, load_public_key(public_key))
    if not header.first - 1 <= signed.position <= header.last:
        msg = f"the checkpoint's position {signed.position} is outside the segment."
        raise click.BadParameter(msg, param_hint="--checkpoint")
    return signed.trusted_head


def _verify(
    file: Path, anchor: tuple[Path | None, Path | None]
) -> tuple[Header, ChainReport]:
    try:
        with file.open(encoding="utf-8") as lines:
            header = decode_header(next(lines, ""))
            trusted = _anchor(header, *anchor)
            report = verify_chain(
                decode_records(lines),
                start_hash=header.prev_hash,
                start_position=header.first - 1,
                checkpoint=trusted,
            )
    except (SegmentFormatError, UnicodeDecodeError) as error:
        raise click.BadParameter(f"{file}: {error}.", param_hint="FILE") from None
    return header, report


@click.command("verify-export")
@click.argument("file", type=IN_FILE)
@click.option("--checkpoint", type=IN_FILE, help="A signed checkpoint to anchor on.")
@click.option("--public-key", type=click.Path(exists=True, path_type=Path))
@click.option("--json", "json_output", is_flag=True, help="Print the report as JSON.")
def verify_export(
    file: Path, checkpoint: Path | None, public_key: Path | None, json_output: bool
) -> None:
    """Verify a segment file with no database: exit 1 at the first broken link.

    \b
    Example:
        relief verify-export segment-1-5000.jsonl \\
            --checkpoint checkpoint-00005000.json --public-key checkpoint.pub
    """
    header, report = _verify(file, (checkpoint, public_key))
    damage = report.first_break
    if json_output:
        click.echo(
            as_json({**report.as_dict(), "first": header.first, "last": header.last})
        )
    if damage is None:
        if not json_output:
            click.echo(
                f"Segment intact: positions {header.first} to {header.last} verify, "
                f"head {report.head_hash.hex()}."
            )
        return
    click.echo(
        f"Segment broken at position {damage.position}: {damage.kind} "
        f"({damage.detail}).",
        err=True,
    )
    raise SystemExit(1)


@click.command("import")
@click.argument("file", type=IN_FILE)
@acting
@pass_services
def import_legacy(services: Services, *, file: Path, actor: str, on: date) -> None:
    """Import a legacy JSON-lines file (docs/import-format.md) with a progress bar.

    The whole file is checked first: a malformed line is refused with its
    number and nothing is recorded. Importing the same file again records
    nothing twice.

    \b
    Example:
        relief import county-2019-2024.jsonl --as S0
    """
    with open_fund(services) as fund, progress_bar("importing", None) as progress:
        by = act_as(fund, actor, (roles.COUNTY_CLERK,), on)
        report = import_file(
            fund,
            file,
            by=by,
            progress=None
            if progress is None
            else (lambda done, _total: progress(done)),
        )
    click.echo(
        f"Imported {file}: {report.lines} lines, {report.recorded} recorded, "
        f"{report.skipped} already there, in {report.seconds:.1f} s."
    )
