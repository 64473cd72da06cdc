"""Chain builders, tamperings and a naive reference verifier for the chain tests.

No tests live here; the property and reference tests import it. Records are
``ChainRecord`` tuples as a full outer join of the event and link tables
would yield them: ``None`` event fields for a missing event row, ``None``
link fields for a missing link row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from hypothesis import strategies as st

from ledger.chain import GENESIS, ChainRecord, chain_links, link_hash

if TYPE_CHECKING:
    from collections.abc import Sequence

Event = tuple[bytes, int, str, bytes]
"""``(originator_id, originator_version, topic, state)`` as stored."""

Records = list[ChainRecord]

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
        return with_event(record, (oid, version, topic, _flip(state, bit)))
    if field == "originator_id":
        return with_event(record, (_flip(oid, bit), version, topic, state))
    if field == "version":
        return with_event(record, (oid, version ^ (1 << (bit % 62)), topic, state))
    raw = topic.encode("ascii")
    index = bit % len(raw)  # flip a low bit: the text stays ASCII
    flipped = raw[:index] + bytes([raw[index] ^ (1 << (bit % 7))]) + raw[index + 1 :]
    return with_event(record, (oid, version, flipped.decode("ascii"), state))


def _flip(data: bytes, bit: int) -> bytes:
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


def positions_with_gaps(count: int, gaps: Sequence[int]) -> list[int]:
    """Ascending positions from 1; ``gaps[i]`` free positions before the i-th."""
    out, at = [], 0
    for index in range(count):
        at += 1 + (gaps[index] if index < len(gaps) else 0)
        out.append(at)
    return out


def insert_sorted(records: list[ChainRecord], record: ChainRecord) -> list[ChainRecord]:
    """The records with ``record`` added at its position (which must be free)."""
    return sorted([*records, record], key=lambda r: r.position)


def free_positions(records: Sequence[ChainRecord]) -> list[int]:
    """Positions an intruder could take: every gap, and the one after the end."""
    taken = {r.position for r in records}
    end = max(taken, default=0) + 1
    return [p for p in range(1, end + 1) if p not in taken]


def _index(data: st.DataObject, records: list[ChainRecord], low: int) -> int:
    return data.draw(st.integers(low, len(records) - 1), label="index")


def _free_after(data: st.DataObject, records: list[ChainRecord], low: int) -> int:
    floor = records[low - 1].position if low > 0 else 0
    return data.draw(st.sampled_from([p for p in free_positions(records) if p > floor]))


def _t_flip(data: st.DataObject, records: Records, low: int) -> Records:
    i = _index(data, records, low)
    if records[i].originator_id is None:
        return records
    field = data.draw(st.sampled_from(["state", "topic", "originator_id", "version"]))
    bit = data.draw(st.integers(0, 511))
    return [*records[:i], flip_bit(records[i], field, bit), *records[i + 1 :]]


def _t_flip_link(data: st.DataObject, records: Records, low: int) -> Records:
    i = _index(data, records, low)
    record = records[i]
    parent, link = record.prev_hash, record.hash
    if parent is None or link is None:
        return records
    bit = data.draw(st.integers(0, 255))
    if data.draw(st.booleans(), label="flip prev_hash"):
        record = record._replace(prev_hash=_flip(parent, bit))
    else:
        record = record._replace(hash=_flip(link, bit))
    return [*records[:i], record, *records[i + 1 :]]


def _t_delete_record(data: st.DataObject, records: Records, low: int) -> Records:
    i = _index(data, records, low)
    return [*records[:i], *records[i + 1 :]]


def _t_delete_event(data: st.DataObject, records: Records, low: int) -> Records:
    i = _index(data, records, low)
    return [*records[:i], with_event(records[i], None), *records[i + 1 :]]


def _t_delete_link(data: st.DataObject, records: Records, low: int) -> Records:
    i = _index(data, records, low)
    unlinked = records[i]._replace(prev_hash=None, hash=None)
    return [*records[:i], unlinked, *records[i + 1 :]]


def _t_truncate_events(data: st.DataObject, records: Records, low: int) -> Records:
    i = _index(data, records, low)
    return [*records[:i], *(with_event(r, None) for r in records[i:])]


def _t_truncate(data: st.DataObject, records: Records, low: int) -> Records:
    return records[: _index(data, records, low)]


def _t_insert_unlinked(data: st.DataObject, records: Records, low: int) -> Records:
    position = _free_after(data, records, low)
    event = data.draw(events_strategy)
    return insert_sorted(records, ChainRecord(position, *event, None, None))


def _t_insert_linked(data: st.DataObject, records: Records, low: int) -> Records:
    position = _free_after(data, records, low)
    before = [r for r in records if r.position < position]
    parent = before[-1].hash if before and before[-1].hash is not None else GENESIS
    record = linked_record(parent, position, data.draw(events_strategy))
    return insert_sorted(records, record)


def _t_fork(data: st.DataObject, records: Records, low: int) -> Records:
    position = _free_after(data, records, low)
    parent = records[_index(data, records, low)].prev_hash or GENESIS
    record = linked_record(parent, position, data.draw(events_strategy))
    return insert_sorted(records, record)


def _t_swap(data: st.DataObject, records: Records, low: int) -> Records:
    i, j = sorted((_index(data, records, low), _index(data, records, low)))
    a, b = records[i], records[j]
    if data.draw(st.booleans(), label="swap links, not contents"):
        a2 = a._replace(prev_hash=b.prev_hash, hash=b.hash)
        b2 = b._replace(prev_hash=a.prev_hash, hash=a.hash)
    else:
        a2, b2 = b._replace(position=a.position), a._replace(position=b.position)
        a2 = a2._replace(prev_hash=a.prev_hash, hash=a.hash)
        b2 = b2._replace(prev_hash=b.prev_hash, hash=b.hash)
    out = list(records)
    out[i], out[j] = a2, b2
    return out


def _t_rebuild(data: st.DataObject, records: Records, low: int) -> Records:
    tampered = _t_flip(data, records, low)
    if any(None in r for r in tampered):
        return tampered
    events = [event_of(r) for r in tampered]
    return build_chain(events, [r.position for r in tampered])


TAMPERINGS = {
    "flip": _t_flip,
    "flip-link": _t_flip_link,
    "delete-record": _t_delete_record,
    "delete-event": _t_delete_event,
    "delete-link": _t_delete_link,
    "truncate-events": _t_truncate_events,
    "truncate": _t_truncate,
    "insert-unlinked": _t_insert_unlinked,
    "insert-linked": _t_insert_linked,
    "fork": _t_fork,
    "swap": _t_swap,
    "rebuild": _t_rebuild,
}


def random_tamper(
    data: st.DataObject, records: list[ChainRecord], low: int = 0
) -> list[ChainRecord]:
    """Apply one drawn tampering that touches only records from index ``low``."""
    if low >= len(records):
        return records
    name = data.draw(st.sampled_from(sorted(TAMPERINGS)), label="tampering")
    return TAMPERINGS[name](data, records, low)
