"""Stateless views far behind: the later half built in a worker, written here.

The risk scan's fact log over a large county catches up this way
(``projections.parallel_logs``). These tests hold it to what a run in one
process gives, row for row, and to exactly-once when either half fails.
"""

from __future__ import annotations

import multiprocessing
from typing import TYPE_CHECKING, Any

import pytest
from test_views_support import CrashesAt

from cli.bootstrap import fund_reader
from projections.audit import EventIndexLog, SubjectLog
from projections.balances import BooksView
from projections.forking import ViewWorkerError
from projections.parallel_logs import FIRST_PART
from projections.parallel_views import Workers
from projections.risk.fact_views import RiskFactLog
from projections.views import LogView

if TYPE_CHECKING:
    from test_views_support import Store

    from projections.runner import ViewRunner
    from projections.views import View


def logs(store: Store) -> list[View]:
    """Three stateless views: the risk facts and two audit indexes."""
    return [
        LogView(store.engine, RiskFactLog()),
        LogView(store.engine, EventIndexLog()),
        LogView(store.engine, SubjectLog()),
    ]


def dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the three views' tables, and their positions, in key order."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with store.engine.connect() as conn:
        for view in logs(store):
            for table in view.tables:
                order = list(table.primary_key.columns)
                rows = conn.execute(table.select().order_by(*order))
                out[table.name] = [tuple(row) for row in rows]
    out["positions"] = sorted(store.runner(views=logs(store)).positions().items())
    return out


def runner(
    store: Store, views: list[View], *, far: int = 1, reader: Any = None
) -> ViewRunner:
    """A runner over ``views`` whose later half may go to a worker."""
    workers = Workers(reader or fund_reader(store.url), 2, far)
    return store.runner(5, views, workers=workers)


def alone(store: Store, views: list[View]) -> dict[str, list[tuple[Any, ...]]]:
    """The tables after a run in this process only, pages of 5."""
    store.runner(page_size=5, views=views).run()
    return dump(store)


def test_the_later_half_in_a_worker_gives_the_rows_of_one_process(
    store: Store,
) -> None:
    expected = alone(store, logs(store))
    store.runner(views=logs(store)).drop_tables()
    head = store.fund.recorder.max_notification_id() or 0
    report = runner(store, logs(store)).run()
    assert (report.workers, report.position, report.events) == (2, head, head)
    assert report.worker_cpu > 0
    assert dump(store) == expected
    assert set(store.runner(views=logs(store)).positions().values()) == {head}
    again = runner(store, logs(store)).run()
    assert (again.workers, again.events) == (1, 0), "nothing behind: no fork"


def test_a_stop_inside_the_ledger_splits_only_what_is_asked(store: Store) -> None:
    head = store.fund.recorder.max_notification_id() or 0
    stop = head * 2 // 3
    report = runner(store, logs(store)).run(stop=stop)
    assert report.workers == 2
    assert report.position <= stop
    rest = store.runner(page_size=5, views=logs(store)).run()
    assert report.events + rest.events == head
    assert dump(store) == alone_from_scratch(store)


def alone_from_scratch(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """The tables as one process rebuilds them from position 1."""
    store.runner(views=logs(store)).drop_tables()
    return alone(store, logs(store))


def test_not_close_enough_behind_stateful_or_no_fork_runs_here(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = store.fund.recorder.max_notification_id() or 0
    assert runner(store, logs(store), far=head + 1).run().workers == 1
    store.runner(views=logs(store)).drop_tables()
    assert runner(store, [BooksView(store.engine)]).run().workers == 1
    store.runner(views=logs(store)).drop_tables()
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert runner(store, logs(store)).run().workers == 1


def failing_reader(url: str) -> Any:
    """A reader factory that fails in the worker, as a lost database would."""
    opened = fund_reader(url)

    def open_then_fail() -> Any:
        fund = opened()
        fund.close()
        msg = "the ledger went away"
        raise ConnectionError(msg)

    return open_then_fail


def test_a_failed_worker_leaves_the_first_half_and_the_next_run_finishes_once(
    store: Store,
) -> None:
    expected = alone_from_scratch(store)
    store.runner(views=logs(store)).drop_tables()
    head = store.fund.recorder.max_notification_id() or 0
    failing = runner(store, logs(store), reader=failing_reader(store.url))
    with pytest.raises(ViewWorkerError, match=r"risk-facts.*the ledger went away"):
        failing.run()
    positions = set(store.runner(views=logs(store)).positions().values())
    (stood,) = positions
    assert 0 < stood <= head // 2 + 1, "the first half committed, no more"
    rest = store.runner(page_size=5, views=logs(store)).run()
    assert rest.events == head - stood
    assert dump(store) == expected


class Failing(CrashesAt, LogView):
    """The risk facts, failing on one position, as a crash mid-page would."""

    def __init__(self, store: Store, at_position: int) -> None:
        super().__init__(store.engine, RiskFactLog())
        self.crash_at = at_position


def test_a_failed_first_half_stops_the_worker_and_keeps_whole_pages(
    store: Store,
) -> None:
    expected = alone_from_scratch(store)
    store.runner(views=logs(store)).drop_tables()
    first = expected["risk_facts"][0][0]
    views = [Failing(store, first), *logs(store)[1:]]
    with pytest.raises(RuntimeError, match="crash mid-page"):
        runner(store, views).run()
    assert multiprocessing.active_children() == [], "the worker was stopped"
    (stood,) = set(store.runner(views=logs(store)).positions().values())
    assert stood < first, "nothing of the failed page was kept"
    assert stood % 5 == 0, "the views stopped at a page boundary"
    rest = store.runner(page_size=5, views=logs(store)).run()
    assert rest.events == (store.fund.recorder.max_notification_id() or 0) - stood
    assert dump(store) == expected


def test_a_worker_failing_midway_keeps_the_pages_it_sent_before(
    store: Store,
) -> None:
    # The worker sends each page as it builds it: pages before its failure are
    # written, whole and in order, and the next run carries on after them.
    expected = alone_from_scratch(store)
    store.runner(views=logs(store)).drop_tables()
    positions = [row[0] for row in expected["risk_facts"]]
    late = positions[len(positions) * 9 // 10]  # in the worker's part
    views = [Failing(store, late), *logs(store)[1:]]
    failing = runner(store, views, reader=fund_reader(store.url))
    with pytest.raises(ViewWorkerError, match=r"risk-facts.*crash mid-page"):
        failing.run()
    (stood,) = set(store.runner(views=logs(store)).positions().values())
    head = store.fund.recorder.max_notification_id() or 0
    mid = head * FIRST_PART // 100
    assert mid < stood < late, "the pages the worker sent were kept"
    assert (stood - mid) % 5 == 0, "the views stopped at one of its page boundaries"
    rest = store.runner(page_size=5, views=logs(store)).run()
    assert rest.events == head - stood
    assert dump(store) == expected
