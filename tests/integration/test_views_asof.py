"""Replay as of a date or position through the indexes equals replay of all events."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_views_support import Store, events_of, module_store_url, open_store

from projections.asof import (
    account_as_of,
    books_as_of,
    household_as_of,
    household_from_events,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

HOUSEHOLDS = ("H1", "H2", "H3", "H4")
ACCOUNTS = (
    "household:H1",
    "household:H2",
    "fund:低保:110101",
    "transit:低保:110101001",
)
DAYS = st.integers(0, 200).map(lambda n: date(2024, 1, 15) + timedelta(days=n))


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    with module_store_url(request.param, tmp_path_factory) as url:
        opened = open_store(url)
        opened.runner(page_size=50).run()
        yield opened
        opened.close()


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    household=st.sampled_from(HOUSEHOLDS),
    day=st.none() | DAYS,
    cut=st.none() | st.floats(0, 1),
)
def test_one_household_from_its_own_events_equals_replay_of_the_whole_ledger(
    store: Store, household: str, day: date | None, cut: float | None
) -> None:
    events = events_of(store.fund)
    position = None if cut is None else int(cut * len(events))
    with store.engine.connect() as conn:
        fast = household_as_of(
            conn,
            store.fund.recorder,
            store.fund.mapper,
            household,
            position=position,
            as_of=day,
        )
    assert fast == household_from_events(
        household, events, position=position, as_of=day
    )


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    account=st.sampled_from(ACCOUNTS),
    day=st.none() | DAYS,
    cut=st.none() | st.floats(0, 1),
)
def test_an_account_from_its_legs_equals_replay_of_the_whole_ledger(
    store: Store, account: str, day: date | None, cut: float | None
) -> None:
    events = events_of(store.fund)
    position = None if cut is None else int(cut * len(events))
    expected = books_as_of(events, position=position, as_of=day).accounts.get(
        account, {}
    )
    with store.engine.connect() as conn:
        got = account_as_of(conn, account, position=position, as_of=day)
    assert {k: v for k, v in got.items() if v} == {
        k: v for k, v in expected.items() if v
    }


def test_the_households_change_over_time(store: Store) -> None:
    with store.engine.connect() as conn:
        states = [
            household_as_of(
                conn, store.fund.recorder, store.fund.mapper, "H2", as_of=day
            )
            for day in (date(2024, 2, 15), date(2024, 4, 30), date(2024, 6, 30))
        ]
    assert [len(s.cases) for s in states] == [0, 1, 1]
    assert [s.paid for s in states] == [0, 50_000, 100_000]
