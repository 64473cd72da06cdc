"""Zipping ordered scans of events and links gives the full outer join."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hypothesis import given
from hypothesis import strategies as st

from ledger.reader import merged_records

if TYPE_CHECKING:
    from collections.abc import Generator, Iterator


def _event(position: int) -> tuple[Any, ...]:
    return (position, f"{position:032x}", 1, "t", b"s%d" % position)


def _link(position: int) -> tuple[Any, ...]:
    return (position, b"p%d" % position, b"h%d" % position)


def _scan(rows: list[tuple[Any, ...]], after: int) -> Generator[tuple[Any, ...]]:
    yield from (row for row in rows if row[0] > after)


def _outer_join(events: set[int], links: set[int], after: int) -> list[tuple[Any, ...]]:
    return [
        (
            p,
            *(_event(p)[1:] if p in events else (None,) * 4),
            *(_link(p)[1:] if p in links else (None, None)),
        )
        for p in sorted(events | links)
        if p > after
    ]


@given(
    st.sets(st.integers(1, 60)),
    st.sets(st.integers(1, 60)),
    st.integers(0, 10),
)
def test_merged_records_equal_the_outer_join(
    events: set[int], links: set[int], after: int
) -> None:
    joins: list[int] = []

    def outer_join(last: int) -> Iterator[Any]:
        joins.append(last)
        return iter(_outer_join(events, links, last))

    merged = list(
        merged_records(
            _scan([_event(p) for p in sorted(events)], after),
            _scan([_link(p) for p in sorted(links)], after),
            after,
            outer_join,
        )
    )
    assert merged == _outer_join(events, links, after)
    assert len(joins) == 1


def test_ids_are_converted_only_on_the_zipped_path() -> None:
    merged = list(
        merged_records(
            _scan([_event(1), _event(2)], 0),
            _scan([_link(1), _link(2)], 0),
            0,
            lambda last: iter([]),
            bytes.fromhex,
        )
    )
    assert [row[1] for row in merged] == [bytes(15) + b"\x01", bytes(15) + b"\x02"]


def test_closing_early_closes_both_scans() -> None:
    closed: list[str] = []

    def scan(name: str, rows: list[tuple[Any, ...]]) -> Generator[tuple[Any, ...]]:
        try:
            yield from rows
        finally:
            closed.append(name)

    records = merged_records(
        scan("events", [_event(p) for p in range(1, 5)]),
        scan("links", [_link(p) for p in range(1, 5)]),
        0,
        lambda last: iter([]),
    )
    next(records)
    records.close()  # type: ignore[attr-defined]
    assert sorted(closed) == ["events", "links"]
