"""Replaying to position N equals the incremental view stopped at N (property)."""

from __future__ import annotations

import tempfile
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_projection_support import (
    Backend,
    BalanceFold,
    TimelineLog,
    open_backend,
    timeline,
)

from projections.replay import read_events, replay_log, replay_state, replay_states
from projections.runner import ViewRunner
from projections.views import FoldView, LogView

moves = st.lists(
    st.tuples(
        st.integers(0, 2),
        st.integers(-300, 300).filter(bool),
        st.integers(0, 30),
    ),
    max_size=25,
)


def build(backend: Backend, ops: list[tuple[int, int, int]]) -> int:
    ids = [backend.app.open(f"p{i}", day=i) for i in range(3)]
    for purse, amount, day in ops:
        backend.app.move(ids[purse], amount, day=day)
    return 3 + len(ops)


def incremental_to(
    backend: Backend, stops: list[int], page_size: int
) -> tuple[FoldView[str, object], list[tuple[object, ...]]]:
    fold_view = FoldView(backend.engine, BalanceFold())
    runner = ViewRunner(
        backend.engine,
        backend.app.recorder,
        backend.app.mapper,
        backend.app.name,
        [fold_view, LogView(backend.engine, TimelineLog())],
        page_size=page_size,
    )
    for stop in stops:
        runner.run(stop=stop)
    return fold_view, backend.table_rows(timeline)  # type: ignore[return-value]


def check_replay_equals_view(
    backend: Backend, ops: list[tuple[int, int, int]], data: st.DataObject
) -> None:
    total = build(backend, ops)
    stop = data.draw(st.integers(0, total), label="N")
    stops = [*sorted(data.draw(st.lists(st.integers(0, stop), max_size=3))), stop]
    page_size = data.draw(st.integers(1, 6), label="page size")

    view, log_rows = incremental_to(backend, stops, page_size)

    events = list(read_events(backend.app.recorder, backend.app.mapper))
    assert view.states() == replay_states(BalanceFold(), events, position=stop)
    for key in view.states():
        assert view.get(key) == replay_state(BalanceFold(), key, events, position=stop)
    replayed = replay_log(TimelineLog(), events, position=stop)
    assert log_rows == [tuple(row.values()) for row in replayed]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=moves, data=st.data())
def test_replay_to_n_equals_the_view_stopped_at_n_on_sqlite(
    ops: list[tuple[int, int, int]], data: st.DataObject
) -> None:
    with (
        tempfile.TemporaryDirectory() as directory,
        open_backend("sqlite", directory) as backend,
    ):
        check_replay_equals_view(backend, ops, data)


@pytest.mark.postgres
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=moves, data=st.data())
def test_replay_to_n_equals_the_view_stopped_at_n_on_postgres(
    ops: list[tuple[int, int, int]], data: st.DataObject
) -> None:
    with open_backend("postgres", "") as backend:
        check_replay_equals_view(backend, ops, data)


def test_replay_as_of_a_business_date_counts_late_recorded_facts() -> None:
    with (
        tempfile.TemporaryDirectory() as directory,
        open_backend("sqlite", directory) as backend,
    ):
        purse = backend.app.open("p", day=0)
        backend.app.move(purse, 100, day=10)
        backend.app.move(purse, 50, day=20)
        backend.app.move(purse, 7, day=5)  # recorded last, happened on day 5
        events = list(read_events(backend.app.recorder, backend.app.mapper))

        on_day_6 = replay_state(
            BalanceFold(), str(purse), events, as_of=date(2024, 1, 7)
        )
        at_position_3 = replay_state(BalanceFold(), str(purse), events, position=3)

    assert on_day_6 is not None
    assert on_day_6.credits == 7
    assert at_position_3 is not None
    assert at_position_3.credits == 150


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=moves, data=st.data())
def test_after_a_crash_anywhere_the_views_hold_each_event_exactly_once(
    ops: list[tuple[int, int, int]], data: st.DataObject
) -> None:
    with (
        tempfile.TemporaryDirectory() as directory,
        open_backend("sqlite", directory) as backend,
    ):
        total = build(backend, ops)
        fail_at = data.draw(st.integers(1, total), label="crash at")
        page_size = data.draw(st.integers(1, 6), label="page size")
        first_stop = data.draw(st.integers(0, total), label="first run to")

        def runner(fold: BalanceFold) -> ViewRunner:
            return ViewRunner(
                backend.engine,
                backend.app.recorder,
                backend.app.mapper,
                backend.app.name,
                [
                    FoldView(backend.engine, fold),
                    LogView(backend.engine, TimelineLog()),
                ],
                page_size=page_size,
            )

        runner(BalanceFold()).run(stop=first_stop)
        if fail_at > first_stop:
            with pytest.raises(RuntimeError, match="planted failure"):
                runner(BalanceFold(fail_at=fail_at)).run()
        runner(BalanceFold()).run()

        events = list(read_events(backend.app.recorder, backend.app.mapper))
        view = FoldView(backend.engine, BalanceFold())
        assert view.states() == replay_states(BalanceFold(), events)
        positions = [row[0] for row in backend.table_rows(timeline)]
        assert positions == list(range(1, total + 1))
