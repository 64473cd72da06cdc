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

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING, Any

import msgspec

from domain import roles
from domain.base import Act
from domain.errors import DomainError, InvalidDataError
from domain.legacy_fields import convert
from domain.legacy_log import LegacyImportLog, import_log_id

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping
    from pathlib import Path

    from domain.legacy_fields import LineType
    from domain.reference_queries import ReferenceQueries

ENVELOPE = ("id", "type", "record", "actor", "role", "occurred_at")


class LegacyImportError(InvalidDataError):
    """A legacy line is malformed; the message names the line and the reason."""

    def __init__(self, line_no: int, line_id: str, rule: str, reason: str) -> None:
        self.line_no = line_no
        self.line_id = line_id
        label = f"line {line_no}" + (f" (id {line_id})" if line_id else "")
        super().__init__(rule, label, reason)


@dataclass(frozen=True)
class LegacyLine:
    """One checked line: its envelope as an ``Act`` and its converted fields."""

    line_no: int
    line_id: str
    type: LineType
    record: str
    act: Act
    fields: Mapping[str, Any]


@dataclass(frozen=True)
class ImportReport:
    """What an import did: lines read, facts recorded, facts already there."""

    lines: int
    recorded: int
    skipped: int
    seconds: float


_decoder = msgspec.json.Decoder()


def parse_line(
    raw: bytes | str,
    line_no: int,
    types: Mapping[str, LineType],
    person_ref: Callable[[str], str],
) -> LegacyLine:
    """Return the checked line, or refuse it with its line number."""
    try:
        data = _decoder.decode(raw)
    except msgspec.DecodeError:
        raise LegacyImportError(line_no, "", "legacy-json", "it is not JSON") from None
    if not isinstance(data, dict):
        raise LegacyImportError(line_no, "", "legacy-json", "it is not an object")
    line_id = _text(data, "id", line_no, "")
    try:
        line_type = types[_text(data, "type", line_no, line_id)]
    except KeyError:
        reason = f"the type {data['type']!r} is unknown"
        raise LegacyImportError(line_no, line_id, "legacy-type", reason) from None
    act = Act(
        _text(data, "actor", line_no, line_id),
        _role(data, line_no, line_id),
        _moment(data, line_no, line_id),
        imported=True,
    )
    record = _text(data, "record", line_no, line_id)
    try:
        fields = line_type.check(data, ENVELOPE, person_ref)
    except DomainError as error:
        raise LegacyImportError(line_no, line_id, error.rule, error.reason) from None
    return LegacyLine(line_no, line_id, line_type, record, act, fields)


def _text(data: Mapping[str, Any], key: str, line_no: int, line_id: str) -> str:
    value = data.get(key)
    if isinstance(value, int) and not isinstance(value, bool) and key == "id":
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        reason = f"the {key} is missing or not text"
        raise LegacyImportError(line_no, line_id, "legacy-envelope", reason)
    return value


def _role(data: Mapping[str, Any], line_no: int, line_id: str) -> str:
    role = _text(data, "role", line_no, line_id)
    if role not in roles.ROLES:
        reason = f"the role {role!r} is no staff role"
        raise LegacyImportError(line_no, line_id, "legacy-envelope", reason)
    return role


def _moment(data: Mapping[str, Any], line_no: int, line_id: str) -> datetime:
    text = _text(data, "occurred_at", line_no, line_id)
    try:
        moment = convert("datetime", text)
    except DomainError:
        moment = None
    if not isinstance(moment, datetime):
        reason = "occurred_at is not an ISO 8601 date-time with a UTC offset"
        raise LegacyImportError(line_no, line_id, "legacy-envelope", reason)
    return moment


def numbered(lines: Iterable[bytes | str]) -> Iterator[tuple[int, bytes | str]]:
    """Yield (line number, line) for every line that is not blank."""
    for line_no, raw in enumerate(lines, start=1):
        if raw.strip():
            yield line_no, raw


def check_all(
    lines: Iterable[bytes | str],
    types: Mapping[str, LineType],
    person_ref: Callable[[str], str],
) -> tuple[int, str]:
    """Check every line without writing; return their count and the file digest.

    The digest is the SHA-256 of every line as read (blank lines included).

    Raises:
        LegacyImportError: the first malformed line, or a repeated line id.
    """
    seen: set[str] = set()
    digest = hashlib.sha256()
    count = 0
    for line_no, raw in enumerate(lines, start=1):
        digest.update(raw.encode("utf-8") if isinstance(raw, str) else raw)
        if not raw.strip():
            continue
        line = parse_line(raw, line_no, types, person_ref)
        if line.line_id in seen:
            reason = "the id is used by an earlier line"
            raise LegacyImportError(line_no, line.line_id, "legacy-id", reason)
        seen.add(line.line_id)
        count += 1
    return count, digest.hexdigest()


def record_lines(
    fund: ReferenceQueries,
    lines: Iterable[bytes | str],
    types: Mapping[str, LineType],
    *,
    log: LegacyImportLog,
    by: Act,
    batch_size: int = 2_000,
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
    while True:
        counts = [0, 0]
        with fund.batched(overlay) as overlay:
            for line_no, raw in islice(pending, batch_size):
                line = parse_line(raw, line_no, types, fund.person_ref)
                counts[not _apply(fund, line)] += 1
            count = sum(counts)
            if count:
                log.mark(by, done + count, counts[0], counts[1])
                fund.save(log)
        overlay.trim(keep=50_000)
        done, recorded, skipped = (
            done + count,
            recorded + counts[0],
            skipped + counts[1],
        )
        if progress is not None and count:
            progress(done, log.total_lines)
        if count < batch_size:
            return recorded, skipped


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
    batch_size: int = 2_000,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Check then record the lines ``read()`` yields (it is called twice).

    ``by`` is who runs the import, and when; each line keeps its own actor.

    Raises:
        LegacyImportError: a malformed line (nothing recorded), or an unknown
            reference found while recording (earlier batches stay recorded).
    """
    from domain.legacy_types import LINE_TYPES

    types = LINE_TYPES if types is None else types
    started = time.perf_counter()
    total, digest = check_all(read(), types, fund.person_ref)
    log = _log(fund, by, digest, total)
    if log is None or log.complete:
        return ImportReport(total, 0, total, time.perf_counter() - started)
    recorded, skipped = record_lines(
        fund, read(), types, log=log, by=by, batch_size=batch_size, progress=progress
    )
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
    batch_size: int = 2_000,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import the legacy JSON-lines file at ``path`` (see ``import_lines``)."""

    def read() -> Iterator[bytes]:
        with path.open("rb") as file:
            yield from file

    return import_lines(fund, read, by=by, batch_size=batch_size, progress=progress)
