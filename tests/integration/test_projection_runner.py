"""The batched runner on SQLite and PostgreSQL: catch-up, pages, crashes, rebuilds."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import event, func, select
from test_projection_support import (
    Backend,
    Balance,
    BalanceFold,
    TimelineLog,
    balances,
    timeline,
)

from projections.replay import read_events, replay_log, replay_states
from projections.runner import ViewRunner
from projections.schema import tracking
from projections.tracking import TrackingConflictError
from projections.views import FoldView, LogView, ViewProjection

if TYPE_CHECKING:
    from uuid import UUID


def runner_for(
    backend: Backend, fold: BalanceFold | None = None, page_size: int = 7
) -> ViewRunner:
    views = [
        FoldView(backend.engine, fold or BalanceFold()),
        LogView(backend.engine, TimelineLog()),
    ]
    return ViewRunner(
        backend.engine,
        backend.app.recorder,
        backend.app.mapper,
        backend.app.name,
        views,
        page_size=page_size,
    )


def record(backend: Backend, purses: int, moves: int, start: int = 0) -> list[UUID]:
    """Open ``purses`` purses and make ``moves`` deposits and withdrawals."""
    ids = [backend.app.open(f"owner-{start + i}", day=i) for i in range(purses)]
    for n in range(moves):
        amount = (n * 37) % 500 - 120
        backend.app.move(ids[n % purses], amount or 1, day=n % 40)
    return ids


def expected_states(backend: Backend) -> dict[str, Balance]:
    events = read_events(backend.app.recorder, backend.app.mapper)
    return dict(replay_states(BalanceFold(), events))


def test_views_catch_up_from_their_position_after_new_events(backend: Backend) -> None:
    runner = runner_for(backend)
    record(backend, purses=3, moves=10)
    first = runner.run()
    record(backend, purses=2, moves=9, start=3)
    second = runner.run()

    total = backend.app.recorder.max_notification_id()
    assert first.position + second.events == total
    assert runner.positions() == {"test-balances": total, "test-timeline": total}
    assert runner.views[0].states() == expected_states(backend)  # type: ignore[attr-defined]
    assert len(backend.table_rows(timeline)) == total


def test_a_page_is_one_transaction_for_every_view(backend: Backend) -> None:
    runner = runner_for(backend, page_size=4)
    runner.create_tables()
    record(backend, purses=2, moves=17)
    commits: list[int] = []
    event.listen(backend.engine, "commit", lambda conn: commits.append(1))

    report = runner.run()

    assert report.pages == math.ceil(report.events / 4) == 5
    # plus create_tables' own transaction and the run's check of the views'
    # definitions (projections.definitions)
    assert len(commits) == report.pages + 2


def test_a_crash_mid_page_keeps_nothing_of_that_page(backend: Backend) -> None:
    record(backend, purses=2, moves=12)  # positions 1..14
    before = runner_for(backend, page_size=5)
    before.run(stop=5)
    kept = backend.table_rows(balances), backend.table_rows(timeline)

    failing = runner_for(backend, BalanceFold(fail_at=8), page_size=5)
    with pytest.raises(RuntimeError, match="planted failure at 8"):
        failing.run()

    assert (backend.table_rows(balances), backend.table_rows(timeline)) == kept
    assert failing.positions() == {"test-balances": 5, "test-timeline": 5}


def test_after_a_crash_the_next_run_applies_each_event_exactly_once(
    backend: Backend,
) -> None:
    record(backend, purses=2, moves=12)
    with pytest.raises(RuntimeError):
        runner_for(backend, BalanceFold(fail_at=11), page_size=5).run()
    runner_for(backend, page_size=5).run()

    states = runner_for(backend).views[0].states()  # type: ignore[attr-defined]
    assert states == expected_states(backend)
    assert sum(s.events for s in states.values()) == 14
    positions = [row[0] for row in backend.table_rows(timeline)]
    assert positions == list(range(1, 15))


def test_rebuild_gives_tables_identical_row_for_row(backend: Backend) -> None:
    runner = runner_for(backend, page_size=3)
    record(backend, purses=3, moves=5)
    runner.run(stop=4)
    record(backend, purses=1, moves=8, start=3)
    runner.run(stop=11)
    runner.run()
    incremental = backend.table_rows(balances), backend.table_rows(timeline)

    report = runner_for(backend, page_size=50).rebuild()

    assert report.events == backend.app.recorder.max_notification_id()
    assert (backend.table_rows(balances), backend.table_rows(timeline)) == incremental


def test_rebuild_after_a_wrong_view_replaces_its_rows(backend: Backend) -> None:
    record(backend, purses=2, moves=6)
    runner = runner_for(backend)
    runner.run()
    with backend.engine.begin() as conn:
        conn.execute(balances.update().values(credits=999_999))

    runner.rebuild()

    assert runner.views[0].states() == expected_states(backend)  # type: ignore[attr-defined]


def test_a_view_added_later_starts_from_position_one(backend: Backend) -> None:
    record(backend, purses=2, moves=6)
    only_balances = ViewRunner(
        backend.engine,
        backend.app.recorder,
        backend.app.mapper,
        backend.app.name,
        [FoldView(backend.engine, BalanceFold())],
        page_size=3,
    )
    only_balances.run()
    runner_for(backend, page_size=3).run()

    events = list(read_events(backend.app.recorder, backend.app.mapper))
    assert backend.table_rows(timeline) == [
        tuple(row.values()) for row in replay_log(TimelineLog(), events)
    ]


def test_a_second_runner_cannot_apply_a_page_already_applied(backend: Backend) -> None:
    record(backend, purses=2, moves=4)
    slow = runner_for(backend)
    slow.create_tables()
    stale = slow.positions()
    runner_for(backend).run()
    kept = backend.table_rows(balances)

    page = backend.app.recorder.select_notifications(1, 100)
    with pytest.raises(TrackingConflictError, match="processed elsewhere"):
        slow._process_page(page, dict(stale))

    assert backend.table_rows(balances) == kept


def test_the_library_projection_writes_one_event_with_its_position(
    backend: Backend,
) -> None:
    record(backend, purses=1, moves=2)
    view = FoldView(backend.engine, BalanceFold())
    runner_for(backend).create_tables()
    projection = ViewProjection(view)
    events = list(read_events(backend.app.recorder, backend.app.mapper))
    from eventsourcing.persistence import Tracking

    for domain_event, at in events:
        projection.process_event(domain_event, Tracking(backend.app.name, at.position))

    assert view.max_tracking_id(backend.app.name) == 3
    assert view.states() == expected_states(backend)
    with backend.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(tracking)).scalar() == 1


def test_large_pages_insert_and_update_rows_in_bulk(backend: Backend) -> None:
    ids = backend.app.open_many([f"bulk-{n}" for n in range(260)])
    runner = runner_for(backend, page_size=1_000)
    runner.run()
    backend.app.move_many([(purse, n + 1) for n, purse in enumerate(ids)])
    runner.run()  # 260 existing rows updated in one page

    assert runner.views[0].states() == expected_states(backend)  # type: ignore[attr-defined]
    events = list(read_events(backend.app.recorder, backend.app.mapper))
    assert backend.table_rows(timeline) == [
        tuple(row.values()) for row in replay_log(TimelineLog(), events)
    ]
