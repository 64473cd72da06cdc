"""A view built by another definition is built again, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert
from test_projection_runner import record
from test_projection_support import (
    Backend,
    BalanceFold,
    TimelineLog,
    balances,
    timeline,
)

from projections.definitions import fingerprint, outdated
from projections.runner import ViewRunner
from projections.schema import definitions
from projections.views import FoldView, LogView


class RevisedLogView(LogView):
    """The timeline after a change to what its code keeps."""

    revision = 2


def runner(backend: Backend, log_view: type[LogView] = LogView) -> ViewRunner:
    views = [
        FoldView(backend.engine, BalanceFold()),
        log_view(backend.engine, TimelineLog()),
    ]
    app = backend.app
    return ViewRunner(backend.engine, app.recorder, app.mapper, app.name, views)


def test_a_view_whose_definition_changed_is_built_again_alone(backend: Backend) -> None:
    record(backend, purses=3, moves=10)
    first = runner(backend).run()
    assert first.rebuilt == ()
    built = backend.table_rows(timeline), backend.table_rows(balances)
    with backend.engine.begin() as conn:  # a row the old definition kept
        conn.execute(
            insert(timeline).values(
                position=10_000,
                purse_id="stale",
                topic="stale",
                actor_id="stale",
                occurred_at=datetime(2020, 1, 1),
            )
        )

    revised = runner(backend, RevisedLogView)
    app = backend.app.name
    assert outdated(backend.engine, revised.views, app) == ["test-timeline"]
    report = revised.run()
    assert outdated(backend.engine, revised.views, app) == []

    total = backend.app.recorder.max_notification_id()
    assert report.rebuilt == ("test-timeline",)
    assert report.events == total  # the timeline read from position 1
    assert (backend.table_rows(timeline), backend.table_rows(balances)) == built
    assert revised.positions() == {"test-balances": total, "test-timeline": total}
    assert revised.run().rebuilt == ()
    assert runner(backend).run().rebuilt == ("test-timeline",)  # and back again


def test_views_built_before_definitions_were_kept_are_built_again(
    backend: Backend,
) -> None:
    record(backend, purses=2, moves=6)
    runner(backend).run()
    built = backend.table_rows(timeline), backend.table_rows(balances)
    with backend.engine.begin() as conn:
        conn.execute(delete(definitions))

    report = runner(backend).run()

    assert report.rebuilt == ("test-balances", "test-timeline")
    assert (backend.table_rows(timeline), backend.table_rows(balances)) == built


def test_a_view_with_no_rows_yet_takes_the_new_definition_quietly(
    backend: Backend,
) -> None:
    runner(backend).run()  # an empty ledger: no view holds a position
    record(backend, purses=2, moves=3)
    assert runner(backend, RevisedLogView).run().rebuilt == ()


def test_the_fingerprint_follows_revision_topics_and_tables(backend: Backend) -> None:
    engine = backend.engine
    plain = LogView(engine, TimelineLog())
    assert fingerprint(plain) == fingerprint(LogView(engine, TimelineLog()))
    assert fingerprint(plain) != fingerprint(RevisedLogView(engine, TimelineLog()))

    class Narrower(TimelineLog):
        topics = ("some.Topic",)

    assert fingerprint(plain) != fingerprint(LogView(engine, Narrower()))
    assert fingerprint(plain) != fingerprint(FoldView(engine, BalanceFold()))
