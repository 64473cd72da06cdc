"""SQL views: a fold's or a log's rows in SQLAlchemy tables, kept with their position.

A ``View`` is a library ``TrackingRecorder`` (``projections.tracking``) that
also holds the rows of one pure fold or log (``projections.folds``). Events
reach it through ``process`` in one of two ways:

* inside a page opened by the batched runner (``projections.runner``): the
  view only buffers; the runner then calls ``flush`` and ``advance`` in one
  transaction per page, for every view at once;
* on its own (the library's one-event path, ``Projection.process_event``):
  the view writes the event's rows and its position in one transaction.

Either way a view's rows and its position commit together or not at all.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from eventsourcing.projection import Projection
from sqlalchemy import inspect
from sqlalchemy.schema import CreateTable

from projections.folds import At, Fold, Log, TupleLog, at_of
from projections.sql import insert_rows, insert_tuples, rows_for_keys, upsert
from projections.tracking import SQLTrackingRecorder

if TYPE_CHECKING:
    from collections.abc import Iterable

    from eventsourcing.persistence import Tracking
    from sqlalchemy import Table
    from sqlalchemy.engine import Connection, Engine

K = TypeVar("K")
S = TypeVar("S")


class View(SQLTrackingRecorder):
    """Rows of one read model plus their tracked position."""

    revision: ClassVar[int] = 1
    """Bumped when the view's code changes what it keeps while its topics and
    tables stay the same: a run then builds it again (``projections.definitions``)."""

    def __init__(
        self,
        engine: Engine,
        name: str,
        topics: tuple[str, ...],
        tables: Iterable[Table],
    ) -> None:
        super().__init__(engine, name)
        self.name = name
        self.topics = topics
        self.tables = tuple(tables)
        self._page_open = False

    def create_tables(self, conn: Connection, *, indexes: bool = True) -> bool:
        """Create the view's tables if they do not exist, and their indexes.

        With ``indexes=False`` a new table gets its primary key only: a run
        from position 1 fills it first and adds the secondary indexes at the
        end (``create_indexes``), one sort each instead of a random insert
        per row and a rewrite of the index's pages at every page's commit.
        Returns whether a new table's indexes were left for later.
        """
        deferred = False
        for table in self.tables:
            if indexes or not table.indexes:
                table.create(conn, checkfirst=True)
                continue
            inspector = inspect(conn)
            if not inspector.has_table(table.name):
                conn.execute(CreateTable(table))
                deferred = True
            elif {i.name for i in table.indexes} - {
                i["name"] for i in inspector.get_indexes(table.name)
            }:
                deferred = True  # left without them by a run that stopped
        if indexes:
            self.create_indexes(conn)
        return deferred

    def create_indexes(self, conn: Connection) -> None:
        """Create any of the view's secondary indexes that are missing."""
        for table in self.tables:
            for index in sorted(table.indexes, key=lambda i: str(i.name)):
                index.create(conn, checkfirst=True)

    def drop_tables(self, conn: Connection) -> None:
        """Drop the view's tables and forget its positions (for a rebuild)."""
        for table in reversed(self.tables):
            table.drop(conn, checkfirst=True)
        self.forget(conn)
        self.forget_cache()

    def begin_page(self) -> None:
        """Start buffering events for one page."""
        self._reset_page()
        self._page_open = True

    def process(self, event: Any, tracking: Tracking) -> None:
        """Take one event: buffered inside a page, else written at once."""
        at = at_of(event, tracking.notification_id)
        if self._page_open:
            self.take(event, at)
            return
        self._reset_page()
        self.forget_cache()  # another writer may have moved the view since
        try:
            self.take(event, at)
            with self.engine.begin() as conn:
                self.flush(conn)
                self.record_tracking(conn, tracking)
        except BaseException:
            self.discard_page()
            raise
        self.commit_page()

    def commit_page(self) -> None:
        """The page's transaction committed: keep what it wrote."""
        self._page_open = False

    def discard_page(self) -> None:
        """The page's transaction rolled back: forget it and any cached state."""
        self._page_open = False
        self._reset_page()
        self.forget_cache()

    def forget_cache(self) -> None:
        """Drop any state cached from the tables (see ``FoldView``)."""

    @abstractmethod
    def take(self, event: Any, at: At) -> None:
        """Buffer one event of the open page."""

    @property
    def stateless(self) -> bool:
        """Whether each event's rows depend on that event alone, so that rows
        may be built apart, in another process, and written here later."""
        return False

    def page_rows(self) -> list[Any]:
        """Hand over the open page's buffered rows (a stateless view's)."""
        msg = f"the view {self.name} keeps state across events"
        raise TypeError(msg)

    def take_rows(self, rows: list[Any]) -> None:
        """Buffer rows built apart by ``page_rows`` (a stateless view's)."""
        msg = f"the view {self.name} keeps state across events ({len(rows)} rows)"
        raise TypeError(msg)

    @abstractmethod
    def flush(self, conn: Connection) -> None:
        """Write the page's rows inside ``conn``'s transaction."""

    @abstractmethod
    def _reset_page(self) -> None:
        """Empty the page buffers."""


class FoldView(View, Generic[K, S]):
    """A ``Fold``'s state, one row per key, updated once per page.

    An event is folded at once when its key's state is already in hand (from
    this page, or cached from pages this run committed); keys never seen wait
    for the page's flush, which reads them from the table in one query per
    500 keys. Per key, events always apply in position order. The cache is
    dropped whenever a page fails, at the start of each run, and when it
    outgrows ``cache_limit``.
    """

    def __init__(
        self, engine: Engine, fold: Fold[K, S], cache_limit: int = 500_000
    ) -> None:
        super().__init__(engine, fold.name, fold.topics, (fold.table,))
        self.fold = fold
        self.table = fold.table
        self.cache_limit = cache_limit
        self._cache: dict[K, S] = {}
        self._page: dict[K, S] = {}
        self._waiting: dict[K, list[tuple[Any, At]]] = {}

    def take(self, event: Any, at: At) -> None:
        fold = self.fold
        for key in fold.keys(event):
            waiting = self._waiting.get(key)
            if waiting is not None:
                waiting.append((event, at))
                continue
            state = self._page.get(key)
            if state is None:
                state = self._cache.get(key)
                if state is None:
                    self._waiting[key] = [(event, at)]
                    continue
            self._page[key] = fold.apply(key, state, event, at)

    def flush(self, conn: Connection) -> None:
        fold = self.fold
        stored = dict(
            fold.from_row(row)
            for row in rows_for_keys(conn, self.table, list(self._waiting))
        )
        for key, waiting in self._waiting.items():
            state = stored[key] if key in stored else fold.initial(key)
            for event, at in waiting:
                state = fold.apply(key, state, event, at)
            self._page[key] = state
        self._waiting = {}
        upsert(conn, self.table, [fold.to_row(k, s) for k, s in self._page.items()])

    def commit_page(self) -> None:
        super().commit_page()
        if len(self._cache) + len(self._page) > self.cache_limit:
            self._cache.clear()
        self._cache.update(self._page)
        self._reset_page()

    def forget_cache(self) -> None:
        self._cache.clear()

    def get(self, key: K) -> S | None:
        """Return the stored state of ``key``, or None."""
        with self.engine.connect() as conn:
            for row in rows_for_keys(conn, self.table, [key]):
                return self.fold.from_row(row)[1]
        return None

    def states(self) -> dict[K, S]:
        """Return every stored state (for tests and small views)."""
        with self.engine.connect() as conn:
            rows = conn.execute(self.table.select()).mappings()
            return dict(self.fold.from_row(row) for row in rows)

    def _reset_page(self) -> None:
        self._page = {}
        self._waiting = {}


class LogView(View):
    """A ``Log``'s append-only rows (a ``TupleLog``'s go to the driver as tuples)."""

    def __init__(self, engine: Engine, log: Log) -> None:
        super().__init__(engine, log.name, log.topics, (log.table,))
        self.log = log
        self.table = log.table
        self._build = log.tuples if isinstance(log, TupleLog) else log.rows
        self._as_tuples = isinstance(log, TupleLog)
        self._rows: list[Any] = []

    def take(self, event: Any, at: At) -> None:
        self._rows.extend(self._build(event, at))

    @property
    def stateless(self) -> bool:
        return True

    def page_rows(self) -> list[Any]:
        rows, self._rows = self._rows, []
        return rows

    def take_rows(self, rows: list[Any]) -> None:
        self._rows.extend(rows)

    def flush(self, conn: Connection) -> None:
        if self._as_tuples:
            insert_tuples(conn, self.table, self._rows)
        elif self._rows:
            insert_rows(conn, self.table, self._rows)

    def commit_page(self) -> None:
        super().commit_page()
        self._rows = []

    def _reset_page(self) -> None:
        self._rows = []


class ViewProjection(Projection["View"]):
    """The library's projection interface over one of our views.

    Domain dispatch lives in the view's pure fold (``projections.folds``), so
    this class only routes: inside a runner's page the view buffers, alone it
    writes the event and its position in one transaction.
    """

    def __init__(self, view: View) -> None:
        super().__init__(view)
        self.name = view.name
        self.topics = view.topics

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.process(domain_event, tracking)
