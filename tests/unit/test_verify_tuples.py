"""The verifier reads plain cursor tuples, as the stores yield them, on every path."""

from __future__ import annotations

from uuid import UUID

from ledger.chain import GENESIS, chain_links
from ledger.verify import verify_chain


def _rows(count: int) -> list[tuple[object, ...]]:
    events = [
        (i, UUID(int=i).bytes, 1, "domain.cases:ReliefCase.Created", b"s%d" % i)
        for i in range(1, count + 1)
    ]
    links = chain_links(GENESIS, events)
    return [
        (*event, prev, link)
        for event, (_, prev, link) in zip(events, links, strict=True)
    ]


def test_a_deleted_record_is_named_from_plain_tuples() -> None:
    rows = _rows(10)
    del rows[4]  # the event and its link, as a DELETE on both tables would
    report = verify_chain(iter(rows))  # type: ignore[arg-type]
    assert report.first_break is not None
    assert (report.first_break.position, report.first_break.kind) == (
        5,
        "event deleted",
    )
    assert report.head_position == 4


def test_a_fork_is_named_from_plain_tuples() -> None:
    rows = _rows(6)
    fork = list(rows[3])
    fork[0] = 7
    fork[5] = rows[2][6]  # links to the parent position 4 already used
    rows.append(tuple(fork))
    report = verify_chain(iter(rows))  # type: ignore[arg-type]
    assert report.first_break is not None
    assert report.first_break.position == 7
    assert report.first_break.kind in {"chain forked", "event inserted"}
