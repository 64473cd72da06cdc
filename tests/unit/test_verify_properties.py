"""Properties of verification: each tampering is found at its position, by kind."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st
from test_chain_support import (
    PROPERTY,
    Event,
    Records,
    build_chain,
    event_lists,
    event_of,
    events_strategy,
    flip_bit,
    linked_record,
    with_event,
)
from test_chain_tamper import insert_sorted, positions_with_gaps, random_tamper

from ledger.chain import GENESIS, ChainRecord
from ledger.verify import ChainReport, verify_chain

FIELDS = st.sampled_from(["state", "topic", "originator_id", "version"])


def broken_at(report: ChainReport) -> tuple[int, str]:
    """The first break's position and kind; the report must show one."""
    assert not report.ok
    damage = report.first_break
    assert damage is not None
    return damage.position, damage.kind


@PROPERTY
@given(event_lists(min_size=0))
def test_an_untampered_chain_verifies_to_its_last_link(events: list[Event]) -> None:
    records = build_chain(events)
    report = verify_chain(records)
    assert report.ok
    assert report.checked == len(records)
    assert report.head_position == len(records)
    assert report.head_hash == (records[-1].hash if records else GENESIS)


@PROPERTY
@given(event_lists(), st.data(), FIELDS, st.integers(0, 1023))
def test_a_bit_flip_in_an_event_is_content_modified_at_its_position(
    events: list[Event], data: st.DataObject, field: str, bit: int
) -> None:
    records = build_chain(events)
    i = data.draw(st.integers(0, len(records) - 1))
    records[i] = flip_bit(records[i], field, bit)
    report = verify_chain(records)
    assert broken_at(report) == (i + 1, "content modified")
    assert report.head_position == i


@PROPERTY
@given(event_lists(min_size=2), st.data())
def test_a_deleted_record_is_event_deleted_at_its_position(
    events: list[Event], data: st.DataObject
) -> None:
    records = build_chain(events)
    i = data.draw(st.integers(0, len(records) - 2))
    del records[i]
    assert broken_at(verify_chain(records)) == (i + 1, "event deleted")


@PROPERTY
@given(event_lists(), st.data())
def test_a_deleted_event_row_is_event_deleted_or_a_truncated_tail(
    events: list[Event], data: st.DataObject
) -> None:
    records = build_chain(events)
    i = data.draw(st.integers(0, len(records) - 1))
    records[i] = with_event(records[i], None)
    kind = "tail truncated" if i == len(records) - 1 else "event deleted"
    assert broken_at(verify_chain(records)) == (i + 1, kind)


@PROPERTY
@given(event_lists(), st.data())
def test_event_rows_cut_from_the_end_are_a_truncated_tail(
    events: list[Event], data: st.DataObject
) -> None:
    records = build_chain(events)
    i = data.draw(st.integers(0, len(records) - 1))
    records[i:] = [with_event(r, None) for r in records[i:]]
    assert broken_at(verify_chain(records)) == (i + 1, "tail truncated")


@PROPERTY
@given(event_lists(), st.lists(st.integers(0, 2), max_size=24), st.data())
def test_an_event_row_without_a_link_is_event_inserted(
    events: list[Event], gaps: list[int], data: st.DataObject
) -> None:
    records = build_chain(events, positions_with_gaps(len(events), gaps))
    taken = {r.position for r in records}
    free = [p for p in range(1, records[-1].position + 2) if p not in taken]
    position = data.draw(st.sampled_from(free))
    records = insert_sorted(
        records, ChainRecord(position, *data.draw(events_strategy), None, None)
    )
    assert broken_at(verify_chain(records)) == (position, "event inserted")


@PROPERTY
@given(event_lists(min_size=3), st.data())
def test_a_linked_record_the_chain_skips_is_event_inserted(
    events: list[Event], data: st.DataObject
) -> None:
    i = data.draw(st.integers(0, len(events) - 3), label="gap before")
    positions = [
        p if k <= i else p + 1 for k, p in enumerate(range(1, len(events) + 1))
    ]
    records = build_chain(events, positions)
    position = i + 2  # the free position between records i and i + 1
    intruder = linked_record(
        records[i].hash or GENESIS, position, data.draw(events_strategy)
    )
    report = verify_chain(insert_sorted(records, intruder))
    assert broken_at(report) == (position, "event inserted")


@PROPERTY
@given(event_lists(min_size=2), st.data())
def test_swapped_event_rows_are_events_reordered_at_the_first(
    events: list[Event], data: st.DataObject
) -> None:
    records = build_chain(events)
    i = data.draw(st.integers(0, len(records) - 2))
    j = data.draw(st.integers(i + 1, len(records) - 1))
    a, b = event_of(records[i]), event_of(records[j])
    records[i], records[j] = with_event(records[i], b), with_event(records[j], a)
    assert broken_at(verify_chain(records)) == (i + 1, "events reordered")


@PROPERTY
@given(event_lists(min_size=2), st.data())
def test_swapped_link_rows_are_events_reordered_at_the_first(
    events: list[Event], data: st.DataObject
) -> None:
    records = build_chain(events)
    i = data.draw(st.integers(0, len(records) - 2))
    j = data.draw(st.integers(i + 1, len(records) - 1))
    a, b = records[i], records[j]
    records[i] = a._replace(prev_hash=b.prev_hash, hash=b.hash)
    records[j] = b._replace(prev_hash=a.prev_hash, hash=a.hash)
    assert broken_at(verify_chain(records)) == (i + 1, "events reordered")


@PROPERTY
@given(event_lists(), st.data())
def test_a_second_child_of_a_used_parent_is_chain_forked(
    events: list[Event], data: st.DataObject
) -> None:
    positions = [2 * p for p in range(1, len(events) + 1)]  # a gap before each
    records = build_chain(events, positions)
    k = data.draw(st.integers(0, len(records) - 1), label="sibling")
    after_sibling = [p - 1 for p in positions[k + 1 :]] + [positions[-1] + 1]
    position = data.draw(st.sampled_from(after_sibling), label="fork position")
    fork = linked_record(
        records[k].prev_hash or GENESIS, position, data.draw(events_strategy)
    )
    assume(fork[1:5] not in {r[1:5] for r in records})
    assert broken_at(verify_chain(insert_sorted(records, fork))) == (
        position,
        "chain forked",
    )


@PROPERTY
@given(event_lists(min_size=2), st.data())
def test_a_cut_tail_is_found_only_with_a_checkpoint(
    events: list[Event], data: st.DataObject
) -> None:
    records = build_chain(events)
    c = data.draw(st.integers(1, len(records)), label="checkpoint")
    cut = data.draw(st.integers(0, c - 1), label="records kept")
    checkpoint = (c, records[c - 1].hash or b"")
    assert verify_chain(records[:cut]).ok
    report = verify_chain(records[:cut], checkpoint=checkpoint)
    assert broken_at(report) == (cut + 1, "tail truncated")
    assert verify_chain(records, checkpoint=checkpoint).ok


@PROPERTY
@given(event_lists(), st.data(), FIELDS, st.integers(0, 1023))
def test_a_rebuilt_chain_is_caught_by_a_checkpoint_as_a_mismatch(
    events: list[Event], data: st.DataObject, field: str, bit: int
) -> None:
    records = build_chain(events)
    c = data.draw(st.integers(1, len(records)), label="checkpoint")
    i = data.draw(st.integers(0, c - 1), label="edited")
    checkpoint = (c, records[c - 1].hash or b"")
    edited = [event_of(r) for r in records]
    edited[i] = event_of(flip_bit(records[i], field, bit))
    rebuilt = build_chain(edited)
    assert verify_chain(rebuilt).ok
    assert broken_at(verify_chain(rebuilt, checkpoint=checkpoint)) == (
        c,
        "checkpoint mismatch",
    )


@PROPERTY
@given(event_lists(), st.lists(st.integers(0, 2), max_size=24), st.data())
def test_verifying_from_a_checkpoint_equals_verifying_from_genesis(
    events: list[Event], gaps: list[int], data: st.DataObject
) -> None:
    records: Records = build_chain(events, positions_with_gaps(len(events), gaps))
    s = data.draw(st.integers(0, len(records)), label="trusted prefix")
    tampered = random_tamper(data, records, low=s)
    start = records[s - 1] if s else None
    start_hash = start.hash or GENESIS if start else GENESIS
    start_position = start.position if start else 0
    full = verify_chain(tampered)
    part = verify_chain(
        tampered[s:], start_hash=start_hash, start_position=start_position
    )
    assert part.first_break == full.first_break
    assert (part.head_position, part.head_hash) == (full.head_position, full.head_hash)
    assert part.checked == full.checked - s
