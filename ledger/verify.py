"""Chain verification: walk stored records once and explain the first break.

The walk is a tight loop over plain tuples (see ``ChainRecord``) so that it
runs at the speed of the row fetch. Only when a record does not link does it
read a bounded window ahead and name the damage, so memory stays constant
however long the ledger is.
"""

from __future__ import annotations

import hashlib
from collections import deque
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Literal

from ledger.chain import _FIXED, GENESIS, LINK_PREFIX, ChainRecord, link_hash

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

LOOKAHEAD = 256
"""How many records past a break are read to name the damage."""


@dataclass(frozen=True)
class ChainBreak:
    """The first position at which the stored ledger stops being a chain."""

    position: int
    kind: DamageKind
    expected: bytes
    calculated: bytes | None
    detail: str

    def as_dict(self) -> dict[str, object]:
        return {
            "position": self.position,
            "kind": self.kind,
            "expected": self.expected.hex(),
            "calculated": None if self.calculated is None else self.calculated.hex(),
            "detail": self.detail,
        }


@dataclass(frozen=True)
class ChainReport:
    """What a verification found: how far the chain holds, and where it breaks."""

    checked: int
    head_position: int
    head_hash: bytes
    first_break: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.first_break is None

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "head_position": self.head_position,
            "head_hash": self.head_hash.hex(),
            "first_break": None if self.first_break is None else self.first_break.as_dict(),
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
            outer join of the event and link tables.
        start_hash: the link at ``start_position`` (``GENESIS`` from the start).
        start_position: the position already trusted (0 from the start).
        checkpoint: an optional trusted ``(position, head_hash)``; the ledger
            must contain exactly that prefix.

    Returns:
        A ``ChainReport``; ``first_break`` is ``None`` when everything links.
    """
    sha256 = hashlib.sha256
    pack = _FIXED.pack
    prev = start_hash
    last = start_position
    checked = 0
    recent: deque[tuple[int, bytes]] = deque(maxlen=LOOKAHEAD)
    it = iter(records)
    for record in it:
        position, oid, version, topic, state, stored_prev, stored_hash = record
        if oid is not None and stored_prev == prev and stored_hash is not None:
            topic_bytes = topic.encode("utf-8")  # type: ignore[union-attr]
            calculated = sha256(
                b"".join(
                    (
                        LINK_PREFIX,
                        prev,
                        pack(position, version, len(oid), len(topic_bytes), len(state)),  # type: ignore[arg-type]
                        oid,
                        topic_bytes,
                        state,  # type: ignore[misc]
                    )
                )
            ).digest()
            if calculated == stored_hash:
                if checkpoint is not None and position == checkpoint[0]:
                    if calculated != checkpoint[1]:
                        return _report(checked, last, prev, _checkpoint_break(checkpoint, calculated))
                recent.append((position, prev))
                prev = calculated
                last = position
                checked += 1
                continue
        ahead = [ChainRecord(*record), *map(_as_record, islice(it, LOOKAHEAD))]
        damage = _classify(prev, last, ahead, recent)
        return _report(checked, last, prev, damage)
    if checkpoint is not None and last < checkpoint[0]:
        damage = ChainBreak(
            position=last + 1,
            kind="tail truncated",
            expected=checkpoint[1],
            calculated=None,
            detail=(
                f"the signed checkpoint covers position {checkpoint[0]} "
                f"but the ledger ends at {last}"
            ),
        )
        return _report(checked, last, prev, damage)
    return _report(checked, last, prev, None)


def _as_record(row: tuple[object, ...]) -> ChainRecord:
    return ChainRecord(*row)  # type: ignore[arg-type]


def _report(
    checked: int, last: int, head: bytes, damage: ChainBreak | None
) -> ChainReport:
    return ChainReport(
        checked=checked, head_position=last, head_hash=head, first_break=damage
    )


def _checkpoint_break(checkpoint: tuple[int, bytes], found: bytes) -> ChainBreak:
    return ChainBreak(
        position=checkpoint[0],
        kind="checkpoint mismatch",
        expected=checkpoint[1],
        calculated=found,
        detail="the ledger at the checkpoint's position does not hold the signed head",
    )


def record_link(prev: bytes, record: ChainRecord, position: int | None = None) -> bytes:
    """Return the link a record's event would have after ``prev``."""
    return link_hash(
        prev,
        record.position if position is None else position,
        record.originator_id,  # type: ignore[arg-type]
        record.originator_version,  # type: ignore[arg-type]
        record.topic,  # type: ignore[arg-type]
        record.state,  # type: ignore[arg-type]
    )


def _classify(
    prev: bytes,
    last: int,
    ahead: list[ChainRecord],
    recent: deque[tuple[int, bytes]],
) -> ChainBreak:
    """Name the damage at ``ahead[0]``, the first record that does not link."""
    record = ahead[0]
    if record.originator_id is None:
        return _missing_event(prev, ahead)
    if record.prev_hash is None or record.hash is None:
        return _break(record.position, "event inserted", prev, None,
                      "an event row has no link: it was added outside the chain")
    calculated = record_link(prev, record)
    if record.prev_hash == prev:
        return _bad_content(prev, ahead, calculated)
    for position, used_prev in recent:
        if record.prev_hash == used_prev:
            return _sibling(prev, position, ahead)
    if any(later.prev_hash == prev for later in ahead[1:]):
        return _break(record.position, "events reordered", prev, record.prev_hash,
                      "a later record links here: rows were moved")
    if record_link(record.prev_hash, record) == record.hash:
        return _break(last + 1, "event deleted", prev, record.prev_hash,
                      f"position {record.position} links to an event that is gone")
    return _break(record.position, "content modified", prev, calculated,
                  "neither the link nor the content matches")


def _missing_event(prev: bytes, ahead: list[ChainRecord]) -> ChainBreak:
    record = ahead[0]
    if len(ahead) <= LOOKAHEAD and all(r.originator_id is None for r in ahead):
        return _break(record.position, "tail truncated", prev, None,
                      "links remain for events that are gone from the end")
    return _break(record.position, "event deleted", prev, None,
                  "a link remains for an event row that is gone")


def _bad_content(prev: bytes, ahead: list[ChainRecord], calculated: bytes) -> ChainBreak:
    record = ahead[0]
    for later in ahead[1:]:
        if later.originator_id is not None and record_link(
            prev, later, record.position
        ) == record.hash:
            return _break(record.position, "events reordered", record.hash or prev,  # type: ignore[arg-type]
                          calculated, f"the event linked here is stored at {later.position}")
    return _break(record.position, "content modified", record.hash, calculated,  # type: ignore[arg-type]
                  "the stored event does not hash to its link")


def _sibling(prev: bytes, sibling: int, ahead: list[ChainRecord]) -> ChainBreak:
    """Two records share one parent: decide which of them is the intruder."""
    record = ahead[0]
    own = record_link(record.prev_hash, record)  # type: ignore[arg-type]
    continues = len(ahead) > 1 and ahead[1].prev_hash == own and own == record.hash
    if continues:
        return _break(sibling, "event inserted", prev, record.prev_hash,
                      f"the chain goes on from {record.position}, skipping {sibling}")
    return _break(record.position, "chain forked", prev, record.prev_hash,
                  f"position {record.position} links to the same parent as {sibling}")


def _break(
    position: int, kind: DamageKind, expected: bytes, calculated: bytes | None,
    detail: str,
) -> ChainBreak:
    return ChainBreak(position, kind, expected, calculated, detail)


def iter_records(rows: Iterator[tuple[object, ...]]) -> Iterator[ChainRecord]:
    """Type a cursor's rows as records without copying them."""
    return rows  # type: ignore[return-value]
