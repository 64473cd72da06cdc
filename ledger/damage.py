"""Damage classification: name what went wrong at the first record that breaks.

``verify_chain`` calls ``classify_break`` once, with the last good link, the
record that did not link, a bounded window of the records after it and the
most recent good records. The rules, tried in this order, are documented in
``ledger/verify.py`` and ``docs/ledger-format.md``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Literal

from ledger.chain import ChainRecord, link_hash

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

DamageKind = Literal[
    "content modified",
    "event deleted",
    "event inserted",
    "events reordered",
    "chain forked",
    "tail truncated",
    "checkpoint mismatch",
]


@dataclass(frozen=True)
class ChainBreak:
    """The first position at which the stored ledger stops being a chain.

    ``expected`` is the stored or trusted value that should have matched (a
    stored link, the previous link, or a checkpoint's head); ``calculated`` is
    what the records gave instead, or ``None`` when nothing could be computed.
    """

    position: int
    kind: DamageKind
    expected: bytes
    calculated: bytes | None
    detail: str

    def as_dict(self) -> dict[str, object]:
        """Return the break as JSON-ready primitives (hashes in hex)."""
        calculated = None if self.calculated is None else self.calculated.hex()
        return {
            "position": self.position,
            "kind": self.kind,
            "expected": self.expected.hex(),
            "calculated": calculated,
            "detail": self.detail,
        }


def content_link(
    prev: bytes, record: ChainRecord, position: int | None = None
) -> bytes | None:
    """Return the link ``record``'s event would have after ``prev``.

    Args:
        prev: the link the event would follow, 32 bytes.
        record: a record whose event row is hashed.
        position: hash as if stored here (default: the record's own position).

    Returns:
        32 bytes, or ``None`` when the record has no complete event row or
        a column of it holds a value of the wrong type.
    """
    _, oid, version, topic, state, _, _ = record
    if oid is None or version is None or topic is None or state is None:
        return None
    at = record.position if position is None else position
    try:
        return link_hash(prev, at, oid, version, topic, state)
    except (AttributeError, TypeError, ValueError, struct.error):
        return None  # a column holds a value of the wrong type


def classify_break(
    prev: bytes,
    last: int,
    ahead: list[ChainRecord],
    recent: Iterable[ChainRecord],
    rest: Iterator[tuple[object, ...]],
) -> ChainBreak:
    """Name the damage at ``ahead[0]``, the first record that does not link.

    Args:
        prev: the last good link (the one ``ahead[0]`` should follow).
        last: the position of the last good record.
        ahead: the failing record, then up to ``LOOKAHEAD`` records after it.
        recent: the last good records, oldest first (a bounded window whose
            first entry may stand for the trusted start).
        rest: the records after ``ahead``; read only to tell a truncated tail
            from a deleted event, one row at a time.

    Returns:
        The ``ChainBreak`` of the first rule that matches.
    """
    record = ahead[0]
    own = content_link(prev, record)
    if record.originator_id is None:
        return _missing_event(prev, ahead, rest)
    parent, stored = _stored(record.prev_hash), _stored(record.hash)
    if parent is None or stored is None:
        return _unlinked(prev, ahead, own)
    if parent == prev:
        return _bad_content(prev, ahead, own, stored)
    return _foreign_parent(prev, last, ahead, recent, parent)


def _stored(value: object) -> bytes | None:
    """A stored link as bytes, even if a column was edited to another type."""
    if value is None or isinstance(value, bytes):
        return value
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    return str(value).encode("utf-8")


def _missing_event(
    prev: bytes, ahead: list[ChainRecord], rest: Iterator[tuple[object, ...]]
) -> ChainBreak:
    """Rule A: a link row whose event row is gone."""
    position = ahead[0].position
    later = any(r.originator_id is not None for r in ahead[1:]) or any(
        row[1] is not None for row in rest
    )
    if later:
        detail = "a link remains for an event row that is gone"
        return ChainBreak(position, "event deleted", prev, None, detail)
    detail = "links remain for event rows that are gone from the end"
    return ChainBreak(position, "tail truncated", prev, None, detail)


def _unlinked(prev: bytes, ahead: list[ChainRecord], own: bytes | None) -> ChainBreak:
    """Rule B: an event row with no link row."""
    position = ahead[0].position
    if own is not None and len(ahead) > 1 and ahead[1].prev_hash == own:
        detail = "the event is intact but its link row is gone"
        return ChainBreak(position, "content modified", prev, own, detail)
    detail = "an event row has no link: it was added outside the chain"
    return ChainBreak(position, "event inserted", prev, own, detail)


def _bad_content(
    prev: bytes, ahead: list[ChainRecord], own: bytes | None, stored: bytes
) -> ChainBreak:
    """Rule C: the link row is the expected one but the event does not hash."""
    record = ahead[0]
    for later in ahead[1:]:
        if content_link(prev, later, record.position) == stored:
            detail = f"the event linked here is stored at {later.position}"
            return ChainBreak(record.position, "events reordered", stored, own, detail)
    detail = "the stored event does not hash to its link"
    return ChainBreak(record.position, "content modified", stored, own, detail)


def _foreign_parent(
    prev: bytes,
    last: int,
    ahead: list[ChainRecord],
    recent: Iterable[ChainRecord],
    parent: bytes,
) -> ChainBreak:
    """Rule D: the link row names a parent other than the last good link."""
    record = ahead[0]
    mine = content_link(parent, record)
    # The oldest good record is only kept as the predecessor of the others.
    candidates = islice(recent, 1, None)
    sibling = next((r.position for r in candidates if r.prev_hash == parent), None)
    if sibling is not None:
        return _sibling(prev, sibling, ahead, parent, mine)
    if any(later.prev_hash == prev for later in ahead[1:]):
        detail = "a later record links here: rows were moved"
        return ChainBreak(record.position, "events reordered", prev, parent, detail)
    if mine is not None and mine == record.hash:
        detail = f"position {record.position} links to an event that is gone"
        return ChainBreak(last + 1, "event deleted", prev, parent, detail)
    detail = "neither the link row nor the event matches the chain"
    return ChainBreak(record.position, "content modified", prev, parent, detail)


def _sibling(
    prev: bytes,
    sibling: int,
    ahead: list[ChainRecord],
    parent: bytes,
    mine: bytes | None,
) -> ChainBreak:
    """Two records share one parent: decide which of them is the intruder.

    If the newer record is sound and the chain goes on from it, the older
    one (and any good records after it) is a side branch the chain skips:
    it was inserted. Otherwise the newer record is a fork.
    """
    record = ahead[0]
    continues = (
        mine is not None
        and mine == record.hash
        and len(ahead) > 1
        and ahead[1].prev_hash == mine
    )
    if continues:
        detail = f"the chain goes on from {record.position}, skipping {sibling}"
        return ChainBreak(sibling, "event inserted", prev, parent, detail)
    detail = f"position {record.position} links to the same parent as {sibling}"
    return ChainBreak(record.position, "chain forked", prev, parent, detail)
