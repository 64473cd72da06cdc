"""Chain builders, tamperings and a naive reference verifier for the chain tests.

No tests live here; the property and reference tests import it. Records are
``ChainRecord`` tuples as a full outer join of the event and link tables
would yield them: ``None`` event fields for a missing event row, ``None``
link fields for a missing link row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from hypothesis import settings
from hypothesis import strategies as st

from ledger.chain import GENESIS, ChainRecord, chain_links, link_hash

if TYPE_CHECKING:
    from collections.abc import Sequence

Event = tuple[bytes, int, str, bytes]
"""``(originator_id, originator_version, topic, state)`` as stored."""

Records = list[ChainRecord]

PROPERTY = settings(max_examples=50, deadline=None)
"""Per-property budget: small chains, no per-example deadline on a busy CI."""

TOPIC_ALPHABET = "abcdefghijklmnopqrstuvwxyz.:_ABCDEFGHIJKLMNOPQRSTUVWXYZ"

events_strategy = st.tuples(
    st.binary(min_size=16, max_size=16),
    st.integers(min_value=1, max_value=2**40),
    st.text(TOPIC_ALPHABET, min_size=1, max_size=24),
    st.binary(min_size=1, max_size=32),
)


def event_lists(
    min_size: int = 1, max_size: int = 12
) -> st.SearchStrategy[list[Event]]:
    """Distinct events: every stored event differs from every other one."""
    return st.lists(
        events_strategy, min_size=min_size, max_size=max_size, unique_by=lambda e: e
    )


def build_chain(
    events: Sequence[Event],
    positions: Sequence[int] | None = None,
    prev: bytes = GENESIS,
) -> list[ChainRecord]:
    """Store ``events`` at ``positions`` (default 1, 2, ...) with their links."""
    at = list(positions) if positions is not None else list(range(1, len(events) + 1))
    rows = [(p, *e) for p, e in zip(at, events, strict=True)]
    links = chain_links(prev, rows)
    return [
        ChainRecord(p, oid, v, t, s, link_prev, link)
        for (p, oid, v, t, s), (_, link_prev, link) in zip(rows, links, strict=True)
    ]


def with_event(record: ChainRecord, event: Event | None) -> ChainRecord:
    """The record with its event row replaced (``None``: removed)."""
    oid, version, topic, state = event if event is not None else (None,) * 4
    return record._replace(
        originator_id=oid, originator_version=version, topic=topic, state=state
    )


def event_of(record: ChainRecord) -> Event:
    """The record's event row; the record must have one."""
    oid, version, topic, state = record[1:5]
    assert oid is not None
    assert version is not None
    assert topic is not None
    assert state is not None
    return oid, version, topic, state


def flip_bit(record: ChainRecord, field: str, bit: int) -> ChainRecord:
    """Flip one bit of one stored field of the event row."""
    oid, version, topic, state = event_of(record)
    if field == "state":
        return with_event(record, (oid, version, topic, flip_bytes(state, bit)))
    if field == "originator_id":
        return with_event(record, (flip_bytes(oid, bit), version, topic, state))
    if field == "version":
        return with_event(record, (oid, version ^ (1 << (bit % 62)), topic, state))
    raw = topic.encode("ascii")
    index = bit % len(raw)  # flip a low bit: the text stays ASCII
    flipped = raw[:index] + bytes([raw[index] ^ (1 << (bit % 7))]) + raw[index + 1 :]
    return with_event(record, (oid, version, flipped.decode("ascii"), state))


def flip_bytes(data: bytes, bit: int) -> bytes:
    """``data`` with one bit flipped (the index wraps around)."""
    index = (bit // 8) % len(data)
    return data[:index] + bytes([data[index] ^ (1 << (bit % 8))]) + data[index + 1 :]


def linked_record(prev: bytes, position: int, event: Event) -> ChainRecord:
    """A fully linked record: a sound link over ``event`` after ``prev``."""
    return ChainRecord(position, *event, prev, link_hash(prev, position, *event))


class Verdict(NamedTuple):
    """What a verifier said, in the terms the tests compare."""

    ok: bool
    position: int | None
    kind: str | None
    head_position: int
    head_hash: bytes


def reference_verify(
    records: Sequence[ChainRecord],
    start_hash: bytes = GENESIS,
    start_position: int = 0,
    checkpoint: tuple[int, bytes] | None = None,
) -> Verdict:
    """Verify the obvious way: whole list in memory, rules spelled out."""
    prev, last = start_hash, start_position
    pending = checkpoint
    if pending is not None and pending[0] == start_position:
        if pending[1] != start_hash:
            return Verdict(False, start_position, "checkpoint mismatch", last, prev)
        pending = None
    good: list[ChainRecord] = []
    for index, record in enumerate(records):
        if not _sound(prev, record):
            position, kind = _reference_kind(list(records[index:]), prev, last, good)
            before = [
                (g.position, g.hash or b"") for g in good if g.position < position
            ]
            last, prev = before[-1] if before else (start_position, start_hash)
            return Verdict(False, position, kind, last, prev)
        if pending is not None and record.position >= pending[0]:
            if record.position > pending[0] or record.hash != pending[1]:
                return Verdict(False, pending[0], "checkpoint mismatch", last, prev)
            pending = None
        good.append(record)
        prev, last = record.hash or b"", record.position
    if pending is not None:
        return Verdict(False, last + 1, "tail truncated", last, prev)
    return Verdict(True, None, None, last, prev)


def _link(
    prev: bytes, record: ChainRecord, position: int | None = None
) -> bytes | None:
    if None in record[1:5]:
        return None
    oid, version, topic, state = event_of(record)
    at = record.position if position is None else position
    return link_hash(prev, at, oid, version, topic, state)


def _sound(prev: bytes, record: ChainRecord) -> bool:
    return record.prev_hash == prev and _link(prev, record) == record.hash


def _reference_kind(
    rows: list[ChainRecord], prev: bytes, last: int, good: list[ChainRecord]
) -> tuple[int, str]:
    """The classification rules A-D of ``ledger.verify``, one line each."""
    r, later = rows[0], rows[1:]
    if r.originator_id is not None and r.prev_hash is not None and r.hash is not None:
        return _reference_link_kind(rows, prev, last, good)
    if r.originator_id is None:
        any_event = any(x.originator_id is not None for x in later)
        return r.position, "event deleted" if any_event else "tail truncated"
    if r.prev_hash is None or r.hash is None:
        own = _link(prev, r)
        intact = own is not None and bool(later) and later[0].prev_hash == own
        return r.position, "content modified" if intact else "event inserted"
    raise AssertionError(r)


def _reference_link_kind(
    rows: list[ChainRecord], prev: bytes, last: int, good: list[ChainRecord]
) -> tuple[int, str]:
    r, later = rows[0], rows[1:]
    assert r.prev_hash is not None
    if r.prev_hash == prev:
        moved = any(_link(prev, x, r.position) == r.hash for x in later)
        return r.position, "events reordered" if moved else "content modified"
    siblings = [g.position for g in good if g.prev_hash == r.prev_hash]
    mine = _link(r.prev_hash, r)
    if siblings:
        goes_on = mine == r.hash and bool(later) and later[0].prev_hash == mine
        if goes_on:
            return siblings[0], "event inserted"
        return r.position, "chain forked"
    if any(x.prev_hash == prev for x in later):
        return r.position, "events reordered"
    if mine == r.hash:
        return last + 1, "event deleted"
    return r.position, "content modified"
