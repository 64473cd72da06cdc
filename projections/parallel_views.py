"""Running the views in forked worker processes, one group of views each.

A rebuild (or a catch-up of several views far behind) splits the runner's
views into groups balanced by their measured cost, forks one worker per
group, up to the cores this process may use, and waits for them all. Each
worker runs the very same ``ViewRunner`` pages over its own views, on its own
connections: the parent's engine is disposed of in the child without closing
the parent's, and the ledger is read through a fresh recorder and mapper that
the composition root's ``reader`` opens in the child. So each page still
commits its views' rows with their positions in one transaction, and a
worker's views stop, as before, at a committed page boundary.

A worker that raises makes the whole run raise ``ViewWorkerError`` naming its
views and the error, once every worker has ended; the next run carries every
view on from its tracked position. Systems without ``fork``, one core, or a
single view run in this process, as before.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from projections.forking import (
    can_fork,
    cores,
    described,
    fork,
    worker_error,
)
from projections.parallel_logs import LaterHalf, later_half
from projections.run_report import RunReport
from projections.schema import create_bookkeeping

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from multiprocessing.connection import Connection as Pipe

    from projections.forking import LedgerReader
    from projections.runner import ViewRunner
    from projections.views import View

CATCH_UP_FROM = 50_000
"""A catch-up forks workers only when two views or more stand this many
events behind the ledger: below it a worker's start and its own decoding of
the events cost more than it saves."""

VIEW_COSTS = {
    "books": 3.6,
    "audit-events": 2.2,
    "risk-facts": 1.4,
    "audit-subjects": 1.2,
    "audit-originators": 0.6,
    "case-schedules": 0.4,
    "public-notices": 0.1,
}
"""CPU seconds of each catalogue view's own work (its ``take`` and ``flush``
and its indexes) in a rebuild of the demo county on SQLite (178,669 events)."""

READ_COST = 3.4
"""CPU seconds to read and decode every event of the same county: paid once
by every group that holds a view reading every topic."""

TOPIC_SHARES = {"risk-facts": 0.8, "case-schedules": 0.14, "public-notices": 0.03}
"""The share of the same county's events in the topics each of these views
reads (the other catalogue views read every topic)."""

OTHER_VIEW_COST = 1.0
"""The cost assumed for a view not measured above."""


@dataclass(frozen=True)
class Workers:
    """How a runner may spread its views over forked worker processes.

    ``reader`` opens a fresh ledger reader; it is called in the worker, never
    in this process. ``count`` caps the workers (the cores this process may
    use when None); ``catch_up_from`` is how far two views must stand behind
    before a ``run`` forks.
    """

    reader: Callable[[], LedgerReader]
    count: int | None = None
    catch_up_from: int = CATCH_UP_FROM

    def groups(self, views: Sequence[View]) -> list[list[View]]:
        """The views split for workers, or one group when they run here."""
        count = min(self.count or cores(), len(views))
        if count < 2 or not can_fork() or all(view.stateless for view in views):
            # Stateless views split the events instead (``later_half``):
            # each event is then decoded once, not once per group.
            return [list(views)]
        return balanced(views, count)

    def rebuild(self, runner: ViewRunner, stop: int | None) -> RunReport | None:
        """Rebuild ``runner``'s views in workers; None to rebuild them here."""
        groups = self.groups(runner.views)
        if len(groups) < 2:
            return None
        return run_in_workers(runner, groups, self.reader, rebuild=True, stop=stop)

    def catch_up(self, runner: ViewRunner, stop: int | None) -> RunReport | None:
        """Catch ``runner``'s views up in workers when two or more stand
        ``catch_up_from`` events behind; None to run them here."""
        if not _far_behind(runner, self.catch_up_from):
            return None
        groups = self.groups(runner.views)
        if len(groups) < 2:
            return None
        return run_in_workers(runner, groups, self.reader, rebuild=False, stop=stop)

    def later_half(
        self, runner: ViewRunner, positions: dict[str, int], stop: int | None
    ) -> LaterHalf | None:
        """A worker building the later half of a long catch-up of stateless
        views standing at ``positions`` (``projections.parallel_logs``); None
        to run it all here."""
        if (self.count or cores()) < 2:
            return None
        return later_half(runner, self.reader, positions, stop, self.catch_up_from)


def balanced(views: Sequence[View], count: int) -> list[list[View]]:
    """Split ``views`` into ``count`` groups of about equal cost.

    The heaviest views are placed first, each in the group it leaves the
    cheapest; a group pays its views' own costs plus the reading and decoding
    of the events of their topics (every event once any of them reads all).
    """
    groups: list[list[View]] = [[] for _ in range(count)]
    for view in sorted(views, key=lambda v: -VIEW_COSTS.get(v.name, OTHER_VIEW_COST)):
        best = min(groups, key=lambda group: _cost([*group, view]))
        best.append(view)
    return [group for group in groups if group]


def _far_behind(runner: ViewRunner, events: int) -> bool:
    head = runner.recorder.max_notification_id() or 0
    if head < events:
        return False
    name = runner.application_name
    with runner.engine.begin() as conn:
        create_bookkeeping(conn)
        positions = [view.position(conn, name) or 0 for view in runner.views]
    return sum(1 for position in positions if head - position >= events) > 1


def _cost(group: Sequence[View]) -> float:
    own = sum(VIEW_COSTS.get(view.name, OTHER_VIEW_COST) for view in group)
    share = (
        1.0
        if any(not view.topics for view in group)
        else min(1.0, sum(TOPIC_SHARES.get(view.name, 1.0) for view in group))
    )
    return own + READ_COST * share


@dataclass(frozen=True)
class _Task:
    """What a forked worker runs: a group of the runner's views."""

    runner: ViewRunner
    views: Sequence[View]
    reader: Callable[[], LedgerReader]
    rebuild: bool
    stop: int | None


@dataclass(frozen=True)
class _Outcome:
    """What a worker sends back: its run's report and CPU seconds, or its
    error described (and the error itself when it could be pickled)."""

    report: RunReport | None
    cpu: float
    failure: str = ""
    error: BaseException | None = None
    trace: str = ""


def run_in_workers(
    runner: ViewRunner,
    groups: Sequence[Sequence[View]],
    reader: Callable[[], LedgerReader],
    *,
    rebuild: bool,
    stop: int | None,
) -> RunReport:
    """Run each group of ``runner``'s views in a forked worker of its own.

    With ``rebuild`` each worker first drops its views' tables and positions.
    Returns the workers' reports merged (``RunReport`` says how).

    Raises:
        ViewWorkerError: a worker failed (raised, or died); raised once every
            worker has ended, naming the views of the first that failed.
    """
    with runner.engine.begin() as conn:
        create_bookkeeping(conn)
    runner.engine.dispose()
    started = [
        (group, *_fork(_Task(runner, group, reader, rebuild, stop))) for group in groups
    ]
    outcomes = [_collect(process, receive) for _, process, receive in started]
    for (group, _, _), outcome in zip(started, outcomes, strict=True):
        if outcome.report is None:
            names = ", ".join(view.name for view in group)
            raise worker_error(names, outcome.failure, outcome.trace, outcome.error)
    reports = [outcome.report for outcome in outcomes if outcome.report is not None]
    return RunReport(
        pages=sum(report.pages for report in reports),
        events=max(report.events for report in reports),
        position=min(report.position for report in reports),
        workers=len(reports),
        worker_cpu=sum(outcome.cpu for outcome in outcomes),
    )


def _fork(task: _Task) -> tuple[Any, Pipe]:
    """Start a worker on ``task``; return it and the end its outcome comes on."""
    name = "views:" + ",".join(view.name for view in task.views)
    return fork(_work, (task,), name)


def _collect(process: Any, receive: Pipe) -> _Outcome:
    try:
        outcome: _Outcome = receive.recv()
    except EOFError:
        outcome = _Outcome(None, 0.0, "it ended without a report")
    finally:
        receive.close()
        process.join()
    if outcome.report is None and not outcome.failure:
        outcome = _Outcome(None, 0.0, f"it exited with code {process.exitcode}")
    return outcome


def _work(task: _Task, send: Pipe) -> None:
    """In the worker: run the task's views on connections of its own, send
    back the outcome."""
    task.runner.engine.dispose(close=False)
    try:
        opened = task.reader()
        try:
            own = task.runner.over(task.views, opened.recorder, opened.mapper)
            if task.rebuild:
                own.drop_tables()
            report = own.run(task.stop)
        finally:
            opened.close()
        outcome = _Outcome(report, time.process_time())
    except BaseException as error:  # sent to the parent, which raises
        line, trace, crossing = described(error)
        outcome = _Outcome(None, time.process_time(), line, crossing, trace)
    try:
        send.send(outcome)
    finally:
        send.close()
