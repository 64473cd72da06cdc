"""The legacy import: past events from an older system, recorded as facts.

A legacy file is JSON lines, one past event per line (``docs/import-format.md``):
``{"id", "type", "record", "actor", "role", "occurred_at", ...fields}``. Each
line is recorded with ``imported=True`` through the import path of the
aggregate it concerns, without the business rules: breaches are what
inspectors look for, and the risk rules flag them. Only malformed data is
refused, with its line number: bad ids, unknown types or references, broken
money. The whole file is checked before anything is written; unknown
references are found while writing, and then the batches before the line stay
recorded. A fact already recorded is skipped, so importing a file again (or
after fixing the line that stopped it) records nothing twice.
"""

from __future__ import annotations

import gc
import hashlib
import time
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

from domain.errors import DomainError
from domain.legacy_lines import (
    LegacyImportError,
    LegacyLine,
    check_line,
    parse_line,
)
from domain.legacy_log import LegacyImportLog, import_log_id

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping
    from pathlib import Path

    from domain.base import Act
    from domain.legacy_fields import LineType
    from domain.reference_queries import ReferenceQueries


@dataclass(frozen=True)
class ImportReport:
    """What an import did: lines read, facts recorded, facts already there."""

    lines: int
    recorded: int
    skipped: int
    seconds: float


def numbered(lines: Iterable[bytes | str]) -> Iterator[tuple[int, bytes | str]]:
    """Yield (line number, line) for every line that is not blank."""
    for line_no, raw in enumerate(lines, start=1):
        if raw.strip():
            yield line_no, raw


def file_digest(lines: Iterable[bytes | str]) -> tuple[int, str]:
    """Return the count of non-blank lines and the SHA-256 of every line as read."""
    digest = hashlib.sha256()
    count = 0
    for raw in lines:
        digest.update(raw.encode("utf-8") if isinstance(raw, str) else raw)
        count += bool(raw.strip())
    return count, digest.hexdigest()


def check_all(
    lines: Iterable[bytes | str],
    types: Mapping[str, LineType],
    person_ref: Callable[[str], str],
) -> int:
    """Check every line without writing; return how many there are.

    Raises:
        LegacyImportError: the first malformed line, or a repeated line id.
    """
    seen: set[str] = set()
    count = 0
    for line_no, raw in numbered(lines):
        line_id = check_line(raw, line_no, types, person_ref)
        if line_id in seen:
            reason = "the id is used by an earlier line"
            raise LegacyImportError(line_no, line_id, "legacy-id", reason)
        seen.add(line_id)
        count += 1
    return count


def record_lines(
    fund: ReferenceQueries,
    lines: Iterable[bytes | str],
    types: Mapping[str, LineType],
    *,
    log: LegacyImportLog,
    by: Act,
    batch_size: int = 10_000,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Record the lines after ``log.lines_done``, ``batch_size`` per ``save()``.

    Each batch is saved with the log's note of how far the import got.

    Returns:
        (recorded, skipped) fact counts.
    """
    recorded = skipped = 0
    done = log.lines_done
    pending = islice(numbered(lines), done, None)
    overlay = None
    empty = not fund.recorder.max_notification_id()
    while True:
        counts = [0, 0]
        with fund.batched(overlay, empty_store=empty) as overlay:
            _record_batch(fund, islice(pending, batch_size), types, counts)
            count = sum(counts)
            if count:
                log.mark(by, done + count, counts[0], counts[1])
                fund.save(log)
        overlay.trim(keep=50_000)
        done += count
        recorded, skipped = recorded + counts[0], skipped + counts[1]
        if progress is not None and count:
            progress(done, log.total_lines)
        if count < batch_size:
            return recorded, skipped


def _record_batch(
    fund: ReferenceQueries,
    lines: Iterable[tuple[int, bytes | str]],
    types: Mapping[str, LineType],
    counts: list[int],
) -> None:
    """Apply the lines, consecutive lines of one group together; count
    ``counts[0]`` facts recorded and ``counts[1]`` already there."""
    run: list[LegacyLine] = []
    run_key: object = None
    for line_no, raw in lines:
        line = parse_line(raw, line_no, types, fund.person_ref)
        group = line.type.group_key
        key = None if group is None else group(line)
        if run and key != run_key:
            _apply_run(fund, run, counts)
        if key is None:
            counts[not _apply(fund, line)] += 1
        else:
            run.append(line)
            run_key = key
    if run:
        _apply_run(fund, run, counts)


def _apply_run(
    fund: ReferenceQueries, run: list[LegacyLine], counts: list[int]
) -> None:
    apply_many = run[0].type.apply_many
    assert apply_many is not None  # a group key comes with apply_many
    try:
        recorded = apply_many(fund, run)
    except LegacyImportError:
        raise
    except DomainError as error:
        first = run[0]
        reason = f"{error.record}: {error.reason} (in the run of lines from here)"
        raise LegacyImportError(
            first.line_no, first.line_id, error.rule, reason
        ) from None
    counts[0] += recorded
    counts[1] += len(run) - recorded
    run.clear()


def _apply(fund: ReferenceQueries, line: LegacyLine) -> bool:
    try:
        return line.type.apply(fund, line.act, line.record, line.fields)
    except LegacyImportError:
        raise
    except DomainError as error:
        raise LegacyImportError(
            line.line_no, line.line_id, error.rule, f"{error.record}: {error.reason}"
        ) from None


def import_lines(
    fund: ReferenceQueries,
    read: Callable[[], Iterable[bytes | str]],
    *,
    by: Act,
    types: Mapping[str, LineType] | None = None,
    batch_size: int = 10_000,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Check then record the lines ``read()`` yields (it is called up to three
    times: to name the file by its digest, to check it, to record it).

    ``by`` is who runs the import, and when; each line keeps its own actor.

    Raises:
        LegacyImportError: a malformed line (nothing recorded), or an unknown
            reference found while recording (earlier batches stay recorded).
    """
    from domain.legacy_types import LINE_TYPES

    types = LINE_TYPES if types is None else types
    started = time.perf_counter()
    total, digest = file_digest(read())
    log = _log(fund, by, digest, total)
    if log is None or log.complete:
        return ImportReport(total, 0, total, time.perf_counter() - started)
    check_all(read(), types, fund.person_ref)
    # Millions of short-lived event objects beside the aggregates held for the
    # next batch make the cyclic collector rescan the heap again and again;
    # nothing here makes reference cycles that need it while the import runs.
    collecting = gc.isenabled()
    gc.disable()
    try:
        recorded, skipped = record_lines(
            fund,
            read(),
            types,
            log=log,
            by=by,
            batch_size=batch_size,
            progress=progress,
        )
    finally:
        if collecting:
            gc.enable()
    return ImportReport(total, recorded, skipped, time.perf_counter() - started)


def _log(
    fund: ReferenceQueries, by: Act, digest: str, total: int
) -> LegacyImportLog | None:
    if total == 0:
        return None
    log_id = import_log_id(digest)
    if fund.exists(log_id):
        return fund.get_record("legacy import", log_id, LegacyImportLog, digest[:12])
    return LegacyImportLog.start(by, digest, total)


def import_file(
    fund: ReferenceQueries,
    path: Path,
    *,
    by: Act,
    batch_size: int = 10_000,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import the legacy JSON-lines file at ``path`` (see ``import_lines``)."""

    def read() -> Iterator[bytes]:
        with path.open("rb") as file:
            yield from file

    return import_lines(fund, read, by=by, batch_size=batch_size, progress=progress)


__all__ = ["ImportReport", "LegacyImportError", "import_file", "import_lines"]
