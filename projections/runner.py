"""The batched runner: catch every view up, one transaction per page of events.

It reads pages of notifications straight from the application recorder
(``select_notifications``), decodes each event once with the application's
mapper, hands it to every view that reads its topic, then writes all the
views' rows and positions in ONE transaction per page. (The library's
``Projection.process_event``, ``projections.views.ViewProjection``, remains
the one-event entry point; the runner skips it only to place each event once per page.)
If anything raises, that transaction rolls back: nothing of the page is
kept, and the next run reads the page again from the tracked positions, so
every event is applied exactly once.

``rebuild`` drops every view's table and position and replays from position 1.
Given ``Workers`` (``projections.parallel_views``), a rebuild, and a run in
which several views stand far behind, split the views among forked worker
processes, each running these same pages over its own views.
"""

from __future__ import annotations

import gc
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import Tracking

from projections.definitions import renew
from projections.folds import at_of
from projections.run_report import RunReport
from projections.schema import create_bookkeeping
from projections.views import ViewProjection

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from eventsourcing.persistence import ApplicationRecorder, Mapper, Notification
    from sqlalchemy.engine import Connection, Engine

    from projections.parallel_views import Workers
    from projections.views import View

DEFAULT_PAGE_SIZE = 20_000
"""Events per page. On the demo county a rebuild with pages of 20,000 took
about a fifth less CPU than with 5,000 (fewer commits, fewer balance upserts
and key lookups per event) and peaked near 300 MB; 50,000 gained nothing more."""


class ViewRunner:
    """Keeps a set of views in step with one application's events."""

    def __init__(
        self,
        engine: Engine,
        recorder: ApplicationRecorder,
        mapper: Mapper[Any],
        application_name: str,
        views: Iterable[View],
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        workers: Workers | None = None,
    ) -> None:
        self.engine = engine
        self.recorder = recorder
        self.mapper = mapper
        self.application_name = application_name
        self.projections = tuple(ViewProjection(view) for view in views)
        self.page_size = page_size
        self.workers = workers
        topics = [p.topics for p in self.projections]
        self.topics: tuple[str, ...] = (
            ()
            if not topics or any(not t for t in topics)
            else tuple(sorted({topic for t in topics for topic in t}))
        )

    @property
    def views(self) -> tuple[View, ...]:
        return tuple(p.view for p in self.projections)

    def over(
        self, views: Iterable[View], recorder: ApplicationRecorder, mapper: Mapper[Any]
    ) -> ViewRunner:
        """A runner in this process over ``views``, reading through ``recorder``."""
        return ViewRunner(
            self.engine,
            recorder,
            mapper,
            self.application_name,
            views,
            page_size=self.page_size,
        )

    def create_tables(self, *, indexes: bool = True) -> bool:
        """Create the tracking table and every view's tables if missing.

        Returns whether a new table's indexes were left for later.
        """
        with self.engine.begin() as conn:
            create_bookkeeping(conn)
            return self._create_tables(conn, indexes=indexes)

    def _create_tables(self, conn: Connection, *, indexes: bool) -> bool:
        deferred = False
        for view in self.views:
            deferred = view.create_tables(conn, indexes=indexes) or deferred
        return deferred

    def positions(self) -> dict[str, int]:
        """Return each view's tracked position (0 before its first page)."""
        return {
            view.name: view.max_tracking_id(self.application_name) or 0
            for view in self.views
        }

    def run(self, stop: int | None = None) -> RunReport:
        """Process pages until the ledger's end (or ``stop``), one transaction each.

        When no view has a position yet (a new database, or a rebuild), new
        tables are filled before their secondary indexes exist and the
        indexes are built once at the end. If such a run stops midway, the
        next one finds positions and creates the indexes before it goes on.
        When two views or more stand ``Workers.catch_up_from`` events behind,
        the views run in worker processes. A view built by another definition
        is built again (``projections.definitions``).
        """
        rebuilt = renew(self.engine, self.views, self.application_name)
        report = self._run(stop)
        return replace(report, rebuilt=tuple(rebuilt)) if rebuilt else report

    def _run(self, stop: int | None) -> RunReport:
        if self.workers is not None:
            spread = self.workers.catch_up(self, stop)
            if spread is not None:
                return spread
        with self.engine.begin() as conn:
            create_bookkeeping(conn)
            name = self.application_name
            fresh = not any(view.position(conn, name) for view in self.views)
            deferred = self._create_tables(conn, indexes=not fresh)
        report = self._catch_up(stop)
        if deferred:
            self.create_tables()
        return report

    def rebuild(self, stop: int | None = None) -> RunReport:
        """Drop every view's tables and positions, then replay from position 1.

        With ``workers``, each worker drops and rebuilds its own group.
        """
        if self.workers is not None:
            spread = self.workers.rebuild(self, stop)
            if spread is not None:
                return spread
        self.drop_tables()
        return self.run(stop)

    def drop_tables(self) -> None:
        """Drop every view's tables and forget its positions."""
        with self.engine.begin() as conn:
            create_bookkeeping(conn)
            for view in self.views:
                view.drop_tables(conn)

    def _catch_up(self, stop: int | None) -> RunReport:
        # The cyclic garbage collector is paused while pages run: a page
        # allocates hundreds of thousands of rows and states, none of them in
        # reference cycles (reference counting frees them), and each full
        # collection would walk every state the views keep cached.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._pages(stop)
        finally:
            if collecting:
                gc.enable()

    def _pages(self, stop: int | None) -> RunReport:
        positions = self.positions()
        for view in self.views:
            view.forget_cache()
        after = min(positions.values(), default=0)
        workers = self.workers
        later = workers.later_half(self, positions, stop) if workers else None
        if later is not None:
            stop = later.mid
        pages = events = 0
        try:
            for page in self.pages(after, stop):
                self._process_page(page, positions)
                pages += 1
                events += len(page)
                after = page[-1].id
        except BaseException:
            if later is not None:
                later.abandon()
            raise
        if later is None:
            return RunReport(pages, events, after)
        written, after = later.write(self, positions, after)
        return RunReport(pages + written, events + later.events, after, 2, later.cpu)

    def pages(self, after: int, stop: int | None) -> Iterator[Sequence[Notification]]:
        """Yield the pages of the views' topics after position ``after``, to
        ``stop`` (or the ledger's end)."""
        while True:
            page = self.recorder.select_notifications(
                after,
                self.page_size,
                stop=stop,
                topics=self.topics,
                inclusive_of_start=False,
            )
            if not page:
                return
            yield page
            if len(page) < self.page_size:
                return
            after = page[-1].id

    def _process_page(
        self, page: Sequence[Notification], positions: dict[str, int]
    ) -> None:
        try:
            self.take_page(page, positions)
        except BaseException:
            for view in self.views:
                view.discard_page()
            raise
        self.commit_page(page[-1].id, positions)

    def commit_page(self, last_id: int, positions: dict[str, int]) -> None:
        """Write every view's buffered page and move it to ``last_id``, all in
        one transaction; on any error nothing of the page is kept."""
        last = Tracking(self.application_name, last_id)
        try:
            with self.engine.begin() as conn:
                for view in self.views:
                    view.flush(conn)
                    expected = positions[view.name] or None
                    if last_id > positions[view.name]:
                        view.advance(conn, last, expected)
        except BaseException:
            for view in self.views:
                view.discard_page()
            raise
        for view in self.views:
            view.commit_page()
            positions[view.name] = max(positions[view.name], last_id)

    def take_page(
        self, page: Sequence[Notification], positions: dict[str, int]
    ) -> None:
        """Open a page in every view and hand it each event it reads."""
        # The hot path: each event is decoded and placed (``At``) once, then
        # handed to every view that reads it. Views that stand before the
        # page are chosen once per topic; only a view whose position lies
        # inside the page (one added or caught up separately) is tested per
        # event.
        to_event = self.mapper.to_domain_event
        first = page[0].id
        everything: list[View] = []
        topical: list[tuple[View, frozenset[str]]] = []
        late: list[tuple[View, int, frozenset[str]]] = []
        for p in self.projections:
            p.view.begin_page()
            since = positions[p.name]
            if since >= first:
                late.append((p.view, since, frozenset(p.topics)))
            elif p.topics:
                topical.append((p.view, frozenset(p.topics)))
            else:
                everything.append(p.view)
        readers: dict[str, list[View]] = {}
        for notification in page:
            topic = notification.topic
            views = readers.get(topic)
            if views is None:
                views = everything + [v for v, topics in topical if topic in topics]
                readers[topic] = views
            if late:
                position = notification.id
                views = views + [
                    view
                    for view, since, topics in late
                    if position > since and (not topics or topic in topics)
                ]
            if views:
                event = to_event(notification)
                at = at_of(event, notification.id)
                for view in views:
                    view.take(event, at)
