"""Link maths and the verifier's edges: layout, window, checkpoints, memory."""

from __future__ import annotations

import hashlib
import json
import tracemalloc
from typing import TYPE_CHECKING
from uuid import UUID

import pytest
from test_chain_support import build_chain, event_of, linked_record, with_event

from ledger.chain import (
    GENESIS,
    ChainRecord,
    chain_links,
    link_hash,
    link_message,
    originator_id_bytes,
)
from ledger.verify import LOOKAHEAD, iter_records, verify_chain

if TYPE_CHECKING:
    from collections.abc import Iterator

OID = UUID("12345678-9abc-def0-1234-56789abcdef0")


def numbered_events(count: int) -> list[tuple[bytes, int, str, bytes]]:
    return [(OID.bytes, n, "relief:Event", n.to_bytes(4, "big")) for n in range(count)]


def test_the_message_is_prefix_parent_fixed_fields_then_variable_fields() -> None:
    prev = bytes(range(32))
    message = link_message(prev, 7, OID.bytes, 3, "t:é", b"\x00\xff")
    topic = "t:é".encode()
    fixed = b"".join(
        (
            (7).to_bytes(8, "big"),
            (3).to_bytes(8, "big"),
            (16).to_bytes(4, "big"),
            len(topic).to_bytes(4, "big"),
            (2).to_bytes(4, "big"),
        )
    )
    assert message == b"L\x01" + prev + fixed + OID.bytes + topic + b"\x00\xff"
    assert link_hash(prev, 7, OID.bytes, 3, "t:é", b"\x00\xff") == (
        hashlib.sha256(message).digest()
    )


def test_length_prefixes_keep_field_boundaries_apart() -> None:
    a = link_hash(GENESIS, 1, OID.bytes, 1, "ab", b"c")
    b = link_hash(GENESIS, 1, OID.bytes, 1, "a", b"bc")
    assert a != b


def test_a_parent_that_is_not_32_bytes_is_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        link_message(bytes(31), 1, OID.bytes, 1, "t", b"")


def test_originator_ids_are_raw_uuid_bytes_or_utf8_text() -> None:
    assert originator_id_bytes(OID) == OID.bytes
    assert originator_id_bytes("户-1") == "户-1".encode()
    # A store that keeps UUIDs may hand one back as its text: the same bytes.
    assert originator_id_bytes(str(OID), uuid_ids=True) == OID.bytes
    assert originator_id_bytes(OID.hex, uuid_ids=True) == OID.bytes


def test_chain_links_is_link_hash_applied_in_order() -> None:
    rows = [(p, *e) for p, e in enumerate(numbered_events(3), start=1)]
    links = chain_links(GENESIS, rows)
    prev = GENESIS
    for (position, oid, version, topic, state), (at, parent, link) in zip(
        rows, links, strict=True
    ):
        assert (at, parent) == (position, prev)
        assert link == link_hash(prev, position, oid, version, topic, state)
        prev = link


def test_plain_tuples_from_a_one_shot_cursor_verify() -> None:
    records = build_chain(numbered_events(5))
    report = verify_chain(iter_records(iter([tuple(r) for r in records])))
    assert (report.ok, report.checked, report.head_hash) == (True, 5, records[-1].hash)


def test_a_swap_beyond_the_window_is_content_modified_at_the_first() -> None:
    records = build_chain(numbered_events(LOOKAHEAD + 3))
    far, near = records[LOOKAHEAD + 2], records[1]
    records[0] = with_event(records[0], event_of(far))
    records[LOOKAHEAD + 2] = with_event(far, event_of(records[0]))
    assert verify_chain(records).first_break is not None
    assert _kind(records) == (1, "content modified")
    records = build_chain(numbered_events(LOOKAHEAD + 3))
    records[0], records[1] = (
        with_event(records[0], event_of(near)),
        with_event(near, event_of(records[0])),
    )
    assert _kind(records) == (1, "events reordered")


def test_a_fork_to_a_parent_older_than_the_window_reads_as_a_deletion() -> None:
    records = build_chain(numbered_events(LOOKAHEAD + 2))
    end = records[-1].position + 1
    old = linked_record(records[0].prev_hash or GENESIS, end, (OID.bytes, 99, "x", b""))
    young = linked_record(
        records[-1].prev_hash or GENESIS, end, (OID.bytes, 99, "x", b"")
    )
    assert _kind([*records, old]) == (end, "event deleted")
    assert _kind([*records, young]) == (end, "chain forked")


def test_a_lost_link_row_under_an_intact_event_is_content_modified() -> None:
    records = build_chain(numbered_events(4))
    records[1] = records[1]._replace(prev_hash=None, hash=None)
    assert _kind(records) == (2, "content modified")


def test_a_link_row_past_the_last_event_is_a_truncated_tail() -> None:
    records = build_chain(numbered_events(3))
    extra = ChainRecord(4, None, None, None, None, records[-1].hash, bytes(32))
    assert _kind([*records, extra]) == (4, "tail truncated")


def test_a_checkpoint_before_the_start_is_refused() -> None:
    records = build_chain(numbered_events(3))
    head = records[1].hash or GENESIS
    with pytest.raises(ValueError, match="before the start"):
        verify_chain(
            records[2:], start_hash=head, start_position=2, checkpoint=(1, head)
        )


def test_a_checkpoint_at_the_start_must_match_the_start_hash() -> None:
    records = build_chain(numbered_events(3))
    head = records[1].hash or GENESIS
    rest = records[2:]
    assert verify_chain(
        rest, start_hash=head, start_position=2, checkpoint=(2, head)
    ).ok
    wrong = verify_chain(
        rest, start_hash=head, start_position=2, checkpoint=(2, GENESIS)
    )
    assert wrong.first_break is not None
    assert wrong.first_break.kind == "checkpoint mismatch"


def test_a_checkpoint_position_missing_from_a_rebuilt_chain_is_a_mismatch() -> None:
    events = numbered_events(5)
    records = build_chain(events)
    checkpoint = (3, records[2].hash or GENESIS)
    rebuilt = build_chain(events[:2] + events[3:], [1, 2, 4, 5])
    assert verify_chain(rebuilt).ok
    assert _kind(rebuilt, checkpoint) == (3, "checkpoint mismatch")


def test_the_report_is_json_ready() -> None:
    records = build_chain(numbered_events(3))
    records[2] = with_event(records[2], None)
    payload = json.loads(json.dumps(verify_chain(records).as_dict()))
    assert payload["ok"] is False
    assert payload["head_hash"] == (records[1].hash or b"").hex()
    assert payload["first_break"]["kind"] == "tail truncated"


def test_memory_stays_flat_while_streaming() -> None:
    def stream(count: int) -> Iterator[ChainRecord]:
        prev = GENESIS
        for position in range(1, count + 1):
            record = linked_record(
                prev, position, (OID.bytes, position, "t", bytes(64))
            )
            prev = record.hash or GENESIS
            yield record

    peaks = []
    for count in (1_000, 10_000):
        tracemalloc.start()
        assert verify_chain(stream(count)).checked == count
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] < peaks[0] * 2  # ten times the records, not ten times the memory


def _kind(
    records: list[ChainRecord], checkpoint: tuple[int, bytes] | None = None
) -> tuple[int, str]:
    damage = verify_chain(records, checkpoint=checkpoint).first_break
    assert damage is not None
    return damage.position, damage.kind


@pytest.mark.parametrize(
    "edit",
    [
        {"state": "text"},
        {"topic": b"bytes"},
        {"originator_version": "2"},
        {"originator_id": "0" * 32},
        {"hash": "text"},
        {"prev_hash": 7},
    ],
    ids=lambda edit: next(iter(edit)),
)
def test_a_column_edited_to_another_type_is_content_modified(
    edit: dict[str, object],
) -> None:
    records = build_chain(numbered_events(3))
    records[1] = records[1]._replace(**edit)  # type: ignore[arg-type]
    report = verify_chain(records)
    assert _kind(records) == (2, "content modified")
    assert json.dumps(report.as_dict())
