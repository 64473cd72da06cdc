"""Random tamperings of stored chains, drawn by hypothesis, for the chain tests.

No tests live here. Each tampering touches only records from index ``low``
on, so a verifier that starts from a trusted prefix sees all of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hypothesis import strategies as st
from test_chain_support import (
    Records,
    build_chain,
    event_of,
    events_strategy,
    flip_bit,
    flip_bytes,
    linked_record,
    with_event,
)

from ledger.chain import GENESIS, ChainRecord

if TYPE_CHECKING:
    from collections.abc import Sequence


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
        record = record._replace(prev_hash=flip_bytes(parent, bit))
    else:
        record = record._replace(hash=flip_bytes(link, bit))
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
