"""Chain verification: walk stored records once and explain the first break.

The walk is a tight loop over plain tuples (see ``ChainRecord``: a full outer
join of the event table and the link table, in position order), so it runs
at the speed of the row fetch and holds only a bounded window in memory. A
record is good when its event row and link row are both present, its stored
``prev_hash`` is the link before it, and its event hashes to its stored
``hash``. At the first record that is not good, the verifier reads up to
``LOOKAHEAD`` records ahead and names the damage with the first rule that
matches (``r`` is the failing record, ``prev`` the last good link):

A. ``r`` has a link row but no event row:
   ``tail truncated`` at ``r`` if no later record has an event row (the event
   rows were cut off the end and their links remain), else ``event deleted``
   at ``r``.
B. ``r`` has an event row but no link row: ``content modified`` at ``r`` if
   the next record links to ``r``'s event (only the link row went), else
   ``event inserted`` at ``r`` (an event added outside the chain).
C. ``r``'s link row follows ``prev`` but its event does not hash to it:
   ``events reordered`` at ``r`` if the event that hashes to that link is
   stored later in the window (contents of two rows swapped), else
   ``content modified`` at ``r`` (any change of state, topic, originator id
   or version, or of the stored hash).
D. ``r``'s link row names another parent:
   1. the parent is that of a recent good record ``s`` (two records share a
      parent): ``event inserted`` at ``s`` if ``r`` is sound and the next
      record links to ``r`` (so ``s`` onwards is a side branch the chain
      skips), else ``chain forked`` at ``r``;
   2. a later record in the window follows ``prev``: ``events reordered``
      at ``r`` (link rows, or whole records, were swapped);
   3. ``r`` itself is sound over its stored parent: ``event deleted`` at the
      position after the last good one (whole records, event and link, are
      gone; exact when positions are consecutive);
   4. otherwise ``content modified`` at ``r`` (its link row was edited).

A column edited to a value of another type (SQLite allows text in a BLOB
column) hashes as nothing and so reads as ``content modified``. When the break
is an inserted side branch (D1), the report's head is the record before it.

Exactly one tampering at a time is classified as above; when several
overlap, the earliest position is reported with the kind of the first rule
that matches. What the chain alone cannot show: whole records (event and
link) removed from the end, and a chain rebuilt from scratch with every link
recomputed. A trusted checkpoint ``(position, head)`` catches both:
``tail truncated`` at the position after the ledger's end when the ledger
stops short of it, and ``checkpoint mismatch`` at the checkpoint's position
when the link there is not the signed head (or that position is missing).
Damage beyond the window (a swap farther apart than ``LOOKAHEAD``, a fork
to a parent older than the last ``LOOKAHEAD - 1`` good records) is reported
at the right position as ``content modified`` or ``event deleted``.
"""

from __future__ import annotations

import hashlib
import struct
from collections import deque
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, cast

from ledger.chain import FIXED_FIELDS, GENESIS, LINK_PREFIX, ChainRecord
from ledger.damage import ChainBreak, DamageKind, classify_break

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

__all__ = [
    "LOOKAHEAD",
    "ChainBreak",
    "ChainReport",
    "DamageKind",
    "iter_records",
    "verify_chain",
]

LOOKAHEAD = 256
"""How many records past a break are read, and good records kept, to name it."""

WRONG_TYPE = (AttributeError, TypeError, ValueError, struct.error)
"""What hashing a row raises when a column holds a value of the wrong type."""

_NEVER = 1 << 64
"""A position past any u64 notification id: no checkpoint pending."""


@dataclass(frozen=True)
class ChainReport:
    """What a verification found: how far the chain holds, and where it breaks.

    ``checked`` counts the good records after the start; ``head_position``
    and ``head_hash`` are the last good record's position and link.
    """

    checked: int
    head_position: int
    head_hash: bytes
    first_break: ChainBreak | None

    @property
    def ok(self) -> bool:
        """True when every record links and any checkpoint holds."""
        return self.first_break is None

    def as_dict(self) -> dict[str, object]:
        """Return the report as JSON-ready primitives (hashes in hex)."""
        damage = self.first_break
        return {
            "ok": self.ok,
            "checked": self.checked,
            "head_position": self.head_position,
            "head_hash": self.head_hash.hex(),
            "first_break": None if damage is None else damage.as_dict(),
        }


def verify_chain(
    records: Iterable[ChainRecord],
    *,
    start_hash: bytes = GENESIS,
    start_position: int = 0,
    checkpoint: tuple[int, bytes] | None = None,
) -> ChainReport:
    """Verify stored records against their links, in ascending position order.

    Args:
        records: every record after ``start_position``, ascending, from a full
            outer join of the event and link tables (plain tuples will do).
        start_hash: the link at ``start_position`` (``GENESIS`` from the start).
        start_position: the position already trusted (0 from the start).
        checkpoint: an optional trusted ``(position, head_hash)``; the ledger
            must contain exactly that prefix. Requires
            ``checkpoint[0] >= start_position``.

    Returns:
        A ``ChainReport``; ``first_break`` is ``None`` when everything links.

    Raises:
        ValueError: if the checkpoint lies before ``start_position``.
    """
    cp_position, cp_hash = _pending(checkpoint, start_position)
    if cp_position == start_position:
        if cp_hash != start_hash:
            damage = _checkpoint_break(cp_position, cp_hash, start_hash)
            return ChainReport(0, start_position, start_hash, damage)
        cp_position = _NEVER
    return _walk(iter(records), start_hash, start_position, cp_position, cp_hash)


def _walk(
    rows: Iterator[ChainRecord],
    prev: bytes,
    last: int,
    cp_position: int,
    cp_hash: bytes,
) -> ChainReport:
    """The fast loop: hash each record until one does not link, then explain.

    Kept in one frame, with its globals bound to locals, because it runs once
    per stored event.
    """
    sha256, pack, join = hashlib.sha256, FIXED_FIELDS.pack, b"".join
    checked = 0
    recent: deque[ChainRecord] = deque(maxlen=LOOKAHEAD)
    remember = recent.append
    remember(ChainRecord(last, None, None, None, None, None, prev))  # the start
    for record in rows:
        position, oid, version, topic, state, stored_prev, stored_hash = record
        if (
            stored_prev != prev
            or oid is None
            or version is None
            or topic is None
            or state is None
        ):
            break
        try:
            topic_bytes = topic.encode("utf-8")
            fixed = pack(position, version, len(oid), len(topic_bytes), len(state))
            digest = sha256(
                join((LINK_PREFIX, prev, fixed, oid, topic_bytes, state))
            ).digest()
        except WRONG_TYPE:  # a column edited to another type (SQLite allows it)
            break
        if digest != stored_hash:
            break
        if position >= cp_position:
            if position > cp_position or digest != cp_hash:
                found = digest if position == cp_position else prev
                damage = _checkpoint_break(cp_position, cp_hash, found)
                return ChainReport(checked, last, prev, damage)
            cp_position = _NEVER
        remember(record)
        prev = digest
        last = position
        checked += 1
    else:
        return _end(checked, last, prev, cp_position, cp_hash)
    ahead = [ChainRecord._make(row) for row in (record, *islice(rows, LOOKAHEAD))]
    # The fast loop kept raw cursor rows; the classifier reads them by name.
    good = [ChainRecord._make(row) for row in recent]
    damage = classify_break(prev, last, ahead, good, rows)
    if damage.position > last:
        return ChainReport(checked, last, prev, damage)
    # An inserted side branch was walked as good: the head is the record before it.
    before = [r for r in good if r.position < damage.position]
    head = before[-1]
    skipped = len(good) - len(before)
    return ChainReport(checked - skipped, head.position, head.hash or prev, damage)


def iter_records(rows: Iterator[tuple[object, ...]]) -> Iterator[ChainRecord]:
    """Type a cursor's rows as records without copying them.

    Requires each row to have the ``ChainRecord`` shape and types.
    """
    return cast("Iterator[ChainRecord]", rows)


def _pending(
    checkpoint: tuple[int, bytes] | None, start_position: int
) -> tuple[int, bytes]:
    if checkpoint is None:
        return _NEVER, GENESIS
    position, head = checkpoint
    if position < start_position:
        msg = (
            f"the checkpoint at position {position} lies before the start "
            f"position {start_position}, so it cannot be checked"
        )
        raise ValueError(msg)
    return position, head


def _end(
    checked: int, last: int, head: bytes, cp_position: int, cp_hash: bytes
) -> ChainReport:
    """Every record linked: the ledger is good unless it stops short."""
    if cp_position == _NEVER:
        return ChainReport(checked, last, head, None)
    return ChainReport(checked, last, head, _truncated(last, cp_position, cp_hash))


def _checkpoint_break(position: int, signed: bytes, found: bytes) -> ChainBreak:
    detail = "the ledger at the checkpoint's position does not hold the signed head"
    return ChainBreak(position, "checkpoint mismatch", signed, found, detail)


def _truncated(last: int, position: int, signed: bytes) -> ChainBreak:
    detail = f"the checkpoint covers position {position} but the ledger ends at {last}"
    return ChainBreak(last + 1, "tail truncated", signed, None, detail)
