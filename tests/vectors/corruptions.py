"""The corruptions the golden vectors hold, named by operation and position.

Each is a ledger as stored after one operation on a base ledger of five
events, with the error verification must report, written here by hand.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from ledger.chain import GENESIS, ChainRecord, chain_links

Event = tuple[bytes, int, str, bytes]
Records = list[ChainRecord]

EVENTS: list[Event] = [
    (UUID(int=1).bytes, 1, "domain.funds:Fund.Created", b'{"name":"county fund"}'),
    (UUID(int=2).bytes, 1, "domain.cases:Case.Submitted", b'{"household":"h-1"}'),
    (UUID(int=2).bytes, 2, "domain.cases:Case.Approved", b'{"amount":70050}'),
    (UUID(int=2).bytes, 3, "domain.cases:Case.Paid", "低保 70050 分".encode()),
    (UUID(int=1).bytes, 2, "domain.funds:Fund.Debited", b"\x00\x01\xfe\xff"),
]
"""The base ledger: five events, one with UTF-8 state, one with raw bytes."""


def build(events: list[Event], positions: list[int] | None = None) -> Records:
    """Store events at positions (default 1, 2, ...) with their links."""
    at = positions or list(range(1, len(events) + 1))
    rows = [(p, *e) for p, e in zip(at, events, strict=True)]
    links = chain_links(GENESIS, rows)
    return [
        ChainRecord(*row, prev, link)
        for row, (_, prev, link) in zip(rows, links, strict=True)
    ]


def edit(records: Records, position: int, **fields: Any) -> Records:
    """The records with fields of the one at ``position`` replaced."""
    return [r._replace(**fields) if r.position == position else r for r in records]


def flip(data: bytes, index: int = 0, bit: int = 0) -> bytes:
    return data[:index] + bytes([data[index] ^ (1 << bit)]) + data[index + 1 :]


def at(records: Records, position: int) -> ChainRecord:
    return next(r for r in records if r.position == position)


NO_EVENT = {
    "originator_id": None,
    "originator_version": None,
    "topic": None,
    "state": None,
}
NO_LINK = {"prev_hash": None, "hash": None}


def swap(records: Records, a: int, b: int, fields: tuple[str, ...]) -> Records:
    """Swap the named fields of the records at positions ``a`` and ``b``."""
    ra, rb = at(records, a), at(records, b)
    out = edit(records, a, **{f: getattr(rb, f) for f in fields})
    return edit(out, b, **{f: getattr(ra, f) for f in fields})


def corruptions() -> dict[str, tuple[str, Records, object, tuple[str, int] | None]]:
    """Name -> (description, records as stored, checkpoint, want_error)."""
    base = build(EVENTS)
    r = {p: at(base, p) for p in range(1, 6)}
    gappy = build(EVENTS, [1, 2, 4, 5, 6])
    intruder: Event = (UUID(int=9).bytes, 1, "domain.cases:Case.Paid", b"forged")
    forged = build([*EVENTS[:2], intruder], [1, 2, 3])[2]
    fork = linked(r[3].prev_hash or GENESIS, 6, intruder)
    rebuilt = build([EVENTS[0], (*EVENTS[1][:3], b'{"household":"h-2"}'), *EVENTS[2:]])
    head4 = {"position": 4, "hash": hex_or_none(r[4].hash)}
    modified = "content modified"
    return {
        "ok-empty": ("an empty ledger verifies to genesis", [], None, None),
        "ok-chain": ("five linked events verify", base, None, None),
        "ok-checkpoint": ("the ledger holds the signed prefix", base, head4, None),
        "modified-state-bit-@1": (
            "bit 0 of the first state byte at position 1 flipped",
            edit(base, 1, state=flip(r[1].state or b"")),
            None,
            (modified, 1),
        ),
        "modified-state-bit-@4": (
            "one bit of the UTF-8 state at position 4 flipped",
            edit(base, 4, state=flip(r[4].state or b"", 3, 5)),
            None,
            (modified, 4),
        ),
        "modified-topic-bit-@2": (
            "one bit of the topic at position 2 flipped (stays ASCII)",
            edit(base, 2, topic="domain.cases:Case.Submitted".replace("S", "R")),
            None,
            (modified, 2),
        ),
        "modified-originator-id-bit-@3": (
            "the last bit of the originator id at position 3 flipped",
            edit(base, 3, originator_id=flip(r[3].originator_id or b"", 15)),
            None,
            (modified, 3),
        ),
        "modified-version-@5": (
            "originator version 2 at position 5 changed to 3",
            edit(base, 5, originator_version=3),
            None,
            (modified, 5),
        ),
        "modified-stored-hash-@2": (
            "one bit of the stored link at position 2 flipped",
            edit(base, 2, hash=flip(r[2].hash or b"")),
            None,
            (modified, 2),
        ),
        "modified-prev-hash-@3": (
            "one bit of the stored parent link at position 3 flipped",
            edit(base, 3, prev_hash=flip(r[3].prev_hash or b"")),
            None,
            (modified, 3),
        ),
        "trailing-garbage-state-@2": (
            "a byte appended to the state at position 2",
            edit(base, 2, state=(r[2].state or b"") + b"\x00"),
            None,
            (modified, 2),
        ),
        "trailing-garbage-event": (
            "an event row with no link after the end",
            [*base, ChainRecord(6, *intruder, None, None)],
            None,
            ("event inserted", 6),
        ),
        "trailing-garbage-link": (
            "a link row with no event after the end",
            [*base, ChainRecord(6, None, None, None, None, r[5].hash, bytes(32))],
            None,
            ("tail truncated", 6),
        ),
        "deleted-record-@3": (
            "event and link rows at position 3 removed",
            [x for x in base if x.position != 3],
            None,
            ("event deleted", 3),
        ),
        "deleted-event-@2": (
            "the event row at position 2 removed, its link kept",
            edit(base, 2, **NO_EVENT),
            None,
            ("event deleted", 2),
        ),
        "deleted-link-@2": (
            "the link row at position 2 removed, its event kept",
            edit(base, 2, **NO_LINK),
            None,
            (modified, 2),
        ),
        "truncated": (
            "positions 4 and 5 cut from both tables: invisible without a checkpoint",
            base[:3],
            None,
            None,
        ),
        "truncated-with-checkpoint": (
            "positions 4 and 5 removed; the checkpoint covers position 4",
            base[:3],
            head4,
            ("tail truncated", 4),
        ),
        "truncated-events": (
            "event rows 4 and 5 removed, their links kept",
            edit(edit(base, 4, **NO_EVENT), 5, **NO_EVENT),
            None,
            ("tail truncated", 4),
        ),
        "inserted-unlinked-@3": (
            "an event row without a link put in the free position 3",
            sorted([*gappy, ChainRecord(3, *intruder, None, None)]),
            None,
            ("event inserted", 3),
        ),
        "inserted-linked-@3": (
            "a fully linked record put at free position 3; position 4 skips it",
            sorted([*gappy, forged]),
            None,
            ("event inserted", 3),
        ),
        "swapped-events": (
            "the event rows at positions 2 and 4 swapped, links kept",
            swap(base, 2, 4, ("originator_id", "originator_version", "topic", "state")),
            None,
            ("events reordered", 2),
        ),
        "swapped-links": (
            "the link rows at positions 2 and 4 swapped, events kept",
            swap(base, 2, 4, ("prev_hash", "hash")),
            None,
            ("events reordered", 2),
        ),
        "forked-@6": (
            "a record at position 6 links to the parent already used by position 3",
            [*base, fork],
            None,
            ("chain forked", 6),
        ),
        "rebuilt": (
            "state at position 2 edited and every link recomputed: invisible alone",
            rebuilt,
            None,
            None,
        ),
        "rebuilt-with-checkpoint": (
            "state at position 2 edited and every link recomputed; checkpoint at 4",
            rebuilt,
            head4,
            ("checkpoint mismatch", 4),
        ),
    }


def linked(parent: bytes, position: int, event: Event) -> ChainRecord:
    """A record whose link over ``event`` after ``parent`` is sound."""
    link = chain_links(parent, [(position, *event)])[0][2]
    return ChainRecord(position, *event, parent, link)


def hex_or_none(value: bytes | None) -> str | None:
    """Hex of the bytes, or ``None``."""
    return None if value is None else value.hex()
