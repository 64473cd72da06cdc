"""Pure replay: as of a position, as of a business date, over plain event lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Column, Integer, MetaData, String, Table

from projections.folds import At, Fold, Log, Row, at_of
from projections.replay import replay_log, replay_state, replay_states

if TYPE_CHECKING:
    from collections.abc import Mapping

TABLES = MetaData()


@dataclass(frozen=True)
class Moved:
    account: str
    amount: int
    occurred_at: datetime
    timestamp: datetime = datetime(2025, 1, 1)


class Totals(Fold[str, int]):
    name = "totals"
    table = Table("unit_totals", TABLES, Column("account", String, primary_key=True))

    def keys(self, event: Any) -> tuple[str, ...]:
        return (event.account,) if isinstance(event, Moved) else ()

    def initial(self, key: str) -> int:
        return 0

    def apply(self, key: str, state: int, event: Any, at: At) -> int:
        return state + int(event.amount)

    def to_row(self, key: str, state: int) -> Row:
        return {"account": key, "total": state}

    def from_row(self, row: Mapping[Any, Any]) -> tuple[str, int]:
        return row["account"], row["total"]


class Lines(Log):
    name = "lines"
    table = Table("unit_lines", TABLES, Column("position", Integer, primary_key=True))

    def rows(self, event: Any, at: At) -> list[Row]:
        return [{"position": at.position, "amount": event.amount}]


def day(n: int) -> datetime:
    return datetime(2024, 3, n, 10, 0)


def stream(*moves: tuple[str, int, int]) -> list[tuple[Any, At]]:
    events = [Moved(account, amount, day(d)) for account, amount, d in moves]
    return [(event, at_of(event, n)) for n, event in enumerate(events, start=1)]


def test_at_takes_business_time_and_falls_back_to_recorded_time() -> None:
    event = Moved("a", 1, day(3), timestamp=datetime(2024, 3, 9))
    assert at_of(event, 7) == At(7, datetime(2024, 3, 9), day(3))
    assert at_of(object(), 2).occurred_at == datetime.min


def test_replay_to_a_position_stops_there() -> None:
    events = stream(("a", 5, 1), ("b", 1, 1), ("a", 7, 2), ("a", 100, 3))
    assert replay_state(Totals(), "a", events, position=3) == 12
    assert replay_state(Totals(), "a", events) == 112
    assert replay_state(Totals(), "b", events, position=1) is None


def test_replay_as_of_a_date_leaves_out_later_business_dates_only() -> None:
    events = stream(("a", 5, 1), ("a", 7, 9), ("a", 3, 4))  # the last is late-recorded
    assert replay_state(Totals(), "a", events, as_of=date(2024, 3, 4)) == 8
    assert replay_state(Totals(), "a", events, as_of=date(2024, 2, 28)) is None


def test_replay_of_every_subject_and_of_a_log() -> None:
    events = stream(("a", 5, 1), ("b", 2, 2), ("a", -1, 3))
    assert replay_states(Totals(), events, position=2) == {"a": 5, "b": 2}
    assert replay_log(Lines(), events, as_of=date(2024, 3, 2)) == [
        {"position": 1, "amount": 5},
        {"position": 2, "amount": 2},
    ]


moves = st.lists(
    st.tuples(st.sampled_from("abc"), st.integers(-50, 50), st.integers(1, 28)),
    max_size=30,
)


@given(moves, st.integers(0, 31))
def test_replay_of_one_subject_agrees_with_replay_of_all(
    raw: list[tuple[str, int, int]], position: int
) -> None:
    events = stream(*raw)
    every = replay_states(Totals(), events, position=position)
    for key in "abc":
        assert replay_state(Totals(), key, events, position=position) == every.get(key)


@given(moves, st.integers(1, 28))
def test_replay_as_of_a_date_sums_the_moves_dated_on_or_before_it(
    raw: list[tuple[str, int, int]], cutoff: int
) -> None:
    events = stream(*raw)
    expected = [amount for account, amount, d in raw if account == "a" and d <= cutoff]
    got = replay_state(Totals(), "a", events, as_of=date(2024, 3, cutoff))
    assert got == (sum(expected) if expected else None)
