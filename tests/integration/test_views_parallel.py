"""The catalogue's views in forked workers: equal to one process, failures loud."""

from __future__ import annotations

import multiprocessing
import time
from typing import TYPE_CHECKING, Any

import pytest
from test_views_support import CrashesAt, Store, dump

from cli.bootstrap import fund_reader
from projections.balances import BooksView
from projections.catalogue import all_views
from projections.forking import ViewWorkerError
from projections.parallel_views import Workers

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from projections.runner import ViewRunner
    from projections.views import View


def in_workers(
    store: Store,
    views: list[View] | None = None,
    *,
    page_size: int = 7,
    count: int = 2,
    catch_up_from: int = 1,
) -> ViewRunner:
    """A runner over ``views`` (the catalogue by default) that may fork."""
    workers = Workers(fund_reader(store.url), count, catch_up_from)
    return store.runner(page_size, views, workers=workers)


class Exploding(CrashesAt, BooksView):
    """Books that fail on one position, as a crash mid-page would."""

    def __init__(self, engine: Any, at_position: int) -> None:
        super().__init__(engine)
        self.crash_at = at_position


class Slow(BooksView):
    """Books that hold the write transaction a while at every page's flush."""

    def flush(self, conn: Connection) -> None:
        super().flush(conn)
        time.sleep(0.05)


def incremental(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every table after one-process runs that stop at three places."""
    head = store.fund.recorder.max_notification_id() or 0
    runner = store.runner(page_size=7)
    for stop in (head // 3, head // 2, head):
        runner.run(stop=stop)
    return dump(store.engine)


def test_a_rebuild_in_workers_equals_incremental_runs_row_for_row(
    store: Store,
) -> None:
    expected = incremental(store)
    assert expected["books_postings"], "the story posted nothing"
    report = in_workers(store, page_size=11).rebuild()
    assert report.workers == 2
    assert report.worker_cpu > 0
    assert report.position == store.fund.recorder.max_notification_id()
    assert dump(store.engine) == expected


def test_views_far_behind_catch_up_in_workers_as_in_one_process(store: Store) -> None:
    expected = incremental(store)
    store.runner().drop_tables()
    report = in_workers(store).run()
    assert report.workers == 2
    assert dump(store.engine) == expected
    again = in_workers(store).run()
    assert (again.workers, again.events) == (1, 0), "nothing behind: no fork"


def test_two_workers_wait_for_each_others_page_commits(store: Store) -> None:
    expected = incremental(store)
    views = [Slow(store.engine), *all_views(store.engine)[1:]]
    report = in_workers(store, views, page_size=2).rebuild()
    assert report.workers == 2
    assert report.pages == 2 * -(-report.events // 2), "each wrote its own pages"
    assert dump(store.engine) == expected


def test_a_failed_worker_fails_the_rebuild_and_the_next_run_applies_each_event_once(
    store: Store,
) -> None:
    expected = incremental(store)
    head = store.fund.recorder.max_notification_id() or 0
    crash_at = head // 2 + 3
    views = [Exploding(store.engine, crash_at), *all_views(store.engine)[1:]]
    with pytest.raises(ViewWorkerError, match=r"books.*crash mid-page") as failed:
        in_workers(store, views, page_size=5).rebuild()
    assert isinstance(failed.value.__cause__, RuntimeError)
    positions = store.runner().positions()
    assert positions["books"] < crash_at
    assert positions["books"] % 5 == 0, "books stopped at a page boundary"
    assert max(positions.values()) == head, "the other worker finished"
    report = store.runner(page_size=5).run()
    assert report.events == head - positions["books"]
    assert dump(store.engine) == expected


def test_one_worker_or_no_fork_rebuilds_in_this_process(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = incremental(store)
    assert in_workers(store, count=1).rebuild().workers == 1
    assert dump(store.engine) == expected
    books = all_views(store.engine)[:1]
    assert in_workers(store, books).rebuild().workers == 1
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    report = in_workers(store).rebuild()
    assert (report.workers, report.worker_cpu) == (1, 0.0)
    assert dump(store.engine) == expected
