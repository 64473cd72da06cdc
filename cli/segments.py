"""Ledger segments as JSON lines: what an auditor takes away and verifies elsewhere.

A segment file holds positions ``first``..``last`` of the ledger exactly as
stored, so that ``ledger.verify.verify_chain`` recomputes every link with no
database. Line 1 is the header; each following line is one position::

    {"format": "relief-ledger-segment", "version": 1, "first": N, "last": M,
     "prev_hash": "<link at N-1, hex; 64 zeros when N = 1>",
     "head_hash": "<link at M, hex>"}
    {"position": N, "originator_id": "<hex of the stored id bytes>",
     "originator_version": 1, "topic": "...", "state": "<base64 of the bytes>",
     "prev_hash": "<hex>", "hash": "<hex>"}

A field is ``null`` where the ledger has no event row or no link row at that
position (a damaged ledger exports as it is, and fails verification).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ledger.chain import ChainRecord

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

FORMAT = "relief-ledger-segment"
VERSION = 1


class SegmentFormatError(ValueError):
    """A segment file is malformed; the message names the line."""

    def __init__(self, line_no: int, reason: str) -> None:
        self.line_no = line_no
        super().__init__(f"line {line_no}: {reason}")


@dataclass(frozen=True)
class Header:
    """The segment's range and the links around it."""

    first: int
    last: int
    prev_hash: bytes
    head_hash: bytes


def _hex(value: bytes | None) -> str | None:
    return None if value is None else value.hex()


def encode(header: Header, records: Iterable[ChainRecord]) -> Iterator[str]:
    """Yield the segment's lines (each ending in a newline)."""
    yield _dump(
        {
            "format": FORMAT,
            "version": VERSION,
            "first": header.first,
            "last": header.last,
            "prev_hash": header.prev_hash.hex(),
            "head_hash": header.head_hash.hex(),
        }
    )
    for r in records:
        record = ChainRecord(*r)
        yield _dump(
            {
                "position": record.position,
                "originator_id": _hex(record.originator_id),
                "originator_version": record.originator_version,
                "topic": record.topic,
                "state": None
                if record.state is None
                else base64.b64encode(record.state).decode("ascii"),
                "prev_hash": _hex(record.prev_hash),
                "hash": _hex(record.hash),
            }
        )


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, ensure_ascii=False) + "\n"


def _load(line: str, line_no: int) -> dict[str, Any]:
    try:
        document = json.loads(line)
    except ValueError:
        raise SegmentFormatError(line_no, "not a JSON object") from None
    if not isinstance(document, dict):
        raise SegmentFormatError(line_no, "not a JSON object")
    return document


def _bytes(document: dict[str, Any], key: str, line_no: int) -> bytes | None:
    value = document.get(key)
    if value is None:
        return None
    try:
        if key == "state":
            return base64.b64decode(value, validate=True)
        return bytes.fromhex(value)
    except (TypeError, ValueError):
        raise SegmentFormatError(line_no, f"{key} is not well formed") from None


def decode_header(line: str) -> Header:
    """Return the header of a segment's first line."""
    document = _load(line, 1)
    if document.get("format") != FORMAT or document.get("version") != VERSION:
        raise SegmentFormatError(1, f"not a {FORMAT} file of version {VERSION}")
    first, last = document.get("first"), document.get("last")
    if (
        not isinstance(first, int)
        or not isinstance(last, int)
        or not 1 <= first <= last
    ):
        raise SegmentFormatError(1, "first and last are not a range of positions")
    prev, head = _bytes(document, "prev_hash", 1), _bytes(document, "head_hash", 1)
    if prev is None or head is None:
        raise SegmentFormatError(1, "prev_hash and head_hash are required")
    return Header(first, last, prev, head)


def decode_records(lines: Iterable[str], start: int = 2) -> Iterator[ChainRecord]:
    """Yield the records of a segment's lines after the header."""
    for line_no, line in enumerate(lines, start=start):
        if not line.strip():
            continue
        document = _load(line, line_no)
        position, version = document.get("position"), document.get("originator_version")
        if not isinstance(position, int) or not isinstance(version, int | None):
            raise SegmentFormatError(line_no, "position or version is not a number")
        topic = document.get("topic")
        if not isinstance(topic, str | None):
            raise SegmentFormatError(line_no, "topic is not text")
        yield ChainRecord(
            position,
            _bytes(document, "originator_id", line_no),
            version,
            topic,
            _bytes(document, "state", line_no),
            _bytes(document, "prev_hash", line_no),
            _bytes(document, "hash", line_no),
        )
