"""The catalogue on real stores: catch-up, exactly once after a crash, rebuild."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect
from test_views_support import CrashesAt, Store, dump, events_of, pay_month

from projections.asof import books_as_of
from projections.audit import EventIndexLog, SubjectLog, events_table, subjects_table
from projections.balances import BooksView, accounts_table, cases_table, cells_table
from projections.case_views import CaseScheduleFold, schedules_table
from projections.catalogue import all_views
from projections.replay import replay_log, replay_states


def test_incremental_runs_equal_a_rebuild_row_for_row(store: Store) -> None:
    head = store.fund.recorder.max_notification_id() or 0
    runner = store.runner(page_size=7)
    for stop in (head // 3, head // 2, head):
        runner.run(stop=stop)
    incremental = dump(store.engine)
    assert incremental["books_postings"], "the story posted nothing"
    report = store.runner(page_size=1000).rebuild()
    assert report.position == head
    assert dump(store.engine) == incremental


def test_views_catch_up_after_new_events(store: Store) -> None:
    store.runner().run()
    before = store.fund.recorder.max_notification_id() or 0
    pay_month(store.fund, "2024-07", {1: "paid", 2: "paid"})
    report = store.runner().run()
    assert report.events == (store.fund.recorder.max_notification_id() or 0) - before
    caught_up = dump(store.engine)
    store.runner(page_size=500).rebuild()
    assert dump(store.engine) == caught_up


class Exploding(CrashesAt, BooksView):
    """Books that fail once, on one position, as a crash mid-page would."""

    def __init__(self, engine: Any, at_position: int) -> None:
        super().__init__(engine)
        self.crash_at = at_position


def test_a_crash_mid_page_keeps_nothing_of_the_page_and_applies_each_event_once(
    store: Store,
) -> None:
    head = store.fund.recorder.max_notification_id() or 0
    views = [v for v in all_views(store.engine) if v.name != "books"]
    crash_at = head // 2 + 3
    with pytest.raises(RuntimeError, match="crash mid-page"):
        store.runner(5, [Exploding(store.engine, crash_at), *views]).run()
    positions = store.runner().positions()
    assert positions["books"] < crash_at
    assert all(p == positions["books"] for p in positions.values())
    store.runner(page_size=5).run()
    resumed = dump(store.engine)
    store.runner(page_size=1000).rebuild()
    assert dump(store.engine) == resumed


def _rows(store: Store, table: Any) -> dict[Any, dict[str, Any]]:
    keys = [c.name for c in table.primary_key.columns]
    with store.engine.connect() as conn:
        rows = conn.execute(table.select()).mappings()
        return {
            tuple(row[k] for k in keys): {
                n: v for n, v in row.items() if n not in keys and v != 0
            }
            for row in rows
        }


def _expected(sums: dict[Any, dict[str, int]]) -> dict[Any, dict[str, int]]:
    out = {}
    for key, columns in sums.items():
        key_tuple = key if isinstance(key, tuple) else (key,)
        out[key_tuple] = {n: v for n, v in columns.items() if v != 0}
    return out


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_replaying_to_position_n_equals_the_view_stopped_at_n(
    store: Store, data: st.DataObject
) -> None:
    events = events_of(store.fund)
    stop = data.draw(st.integers(1, len(events)), label="position")
    store.runner(page_size=data.draw(st.integers(1, 40), label="page")).rebuild(stop)
    replayed = books_as_of(events, position=stop)
    assert _rows(store, accounts_table) == _expected(replayed.accounts)
    assert _rows(store, cells_table) == _expected(replayed.cells)
    assert _rows(store, cases_table) == _expected(replayed.cases)
    fold = CaseScheduleFold()
    with store.engine.connect() as conn:
        stored = dict(
            fold.from_row(r) for r in conn.execute(schedules_table.select()).mappings()
        )
    assert stored == replay_states(fold, events, position=stop)


def _index_names(store: Store) -> set[str]:
    inspector = inspect(store.engine)
    return {
        str(index["name"])
        for view in all_views(store.engine)
        for table in view.tables
        for index in inspector.get_indexes(table.name)
    }


def test_a_rebuild_ends_with_every_index_and_a_broken_one_gets_them_next_run(
    store: Store,
) -> None:
    declared = {
        str(index.name)
        for view in all_views(store.engine)
        for table in view.tables
        for index in table.indexes
    }
    assert "ix_books_postings_account" in declared
    store.runner().rebuild()
    assert _index_names(store) == declared
    clean = dump(store.engine)

    head = store.fund.recorder.max_notification_id() or 0
    views = [v for v in all_views(store.engine) if v.name != "books"]
    with pytest.raises(RuntimeError, match="crash mid-page"):
        store.runner(5, [Exploding(store.engine, head // 2), *views]).rebuild()
    assert not _index_names(store) & declared, "indexes come after the rows"

    store.runner().run()
    assert _index_names(store) == declared
    assert dump(store.engine) == clean


def test_a_first_run_on_a_new_database_ends_with_every_index(store: Store) -> None:
    declared = {
        str(index.name)
        for view in all_views(store.engine)
        for table in view.tables
        for index in table.indexes
    }
    store.runner(page_size=5).run()
    assert _index_names(store) == declared
    first = dump(store.engine)
    store.runner(page_size=1000).rebuild()
    assert dump(store.engine) == first


def test_a_new_database_whose_first_page_failed_still_ends_with_every_index(
    store: Store,
) -> None:
    views = [v for v in all_views(store.engine) if v.name != "books"]
    with pytest.raises(RuntimeError, match="crash mid-page"):
        store.runner(1000, [Exploding(store.engine, 2), *views]).run()
    assert not any(store.runner().positions().values())
    store.runner().run()
    assert _index_names(store) == {
        str(index.name)
        for view in all_views(store.engine)
        for table in view.tables
        for index in table.indexes
    }


def test_the_audit_index_and_subjects_hold_what_their_logs_replay(store: Store) -> None:
    store.runner(page_size=9).run()
    events = events_of(store.fund)
    plain = ("position", "originator_id", "version", "topic", "actor_id")
    plain += ("actor_role", "occurred_on")
    with store.engine.connect() as conn:
        stored = [
            tuple(row[n] for n in plain)
            for row in conn.execute(
                events_table.select().order_by(events_table.c.position)
            ).mappings()
        ]
        subjects = sorted(tuple(r) for r in conn.execute(subjects_table.select()))
    replayed = [tuple(r[n] for n in plain) for r in replay_log(EventIndexLog(), events)]
    assert stored == replayed
    assert len(stored) == len(events)
    named = sorted(
        (r["position"], r["subject"]) for r in replay_log(SubjectLog(), events)
    )
    assert subjects == named
    assert any(s.startswith("case:") for _, s in subjects)
