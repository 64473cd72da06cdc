"""eventsourcing's own recorder test cases, run on the chained recorders.

Each case runs on a fresh SQLite file or PostgreSQL schema made by
``create_ledger``, and afterwards the whole store must verify as one chain.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, ClassVar

import pytest
from eventsourcing.persistence import (
    AggregateRecorder,
    ApplicationRecorder,
    InfrastructureFactory,
    ProcessRecorder,
)
from eventsourcing.tests import persistence as library_cases
from eventsourcing.utils import Environment

from ledger.postgres import ChainedPostgresApplicationRecorder
from ledger.sqlite import ChainedSQLiteApplicationRecorder
from ledger.store import create_ledger, open_store, persistence_env

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from eventsourcing.persistence import StoredEvent


class _OnChainedStore:
    """Gives each library case a fresh store, and verifies the chain after it."""

    __test__ = False  # only the concrete cases below are collected
    backend: ClassVar[str]
    factory: InfrastructureFactory

    @pytest.fixture(autouse=True)
    def _chained_store(self, request: pytest.FixtureRequest) -> Iterator[None]:
        url = request.getfixturevalue(f"{self.backend}_url")
        create_ledger(url)
        self.factory = InfrastructureFactory.construct(
            Environment(env=persistence_env(url))
        )
        before = set(threading.enumerate())
        yield
        # Some library cases leave reader threads running after the test
        # returns; closing connections under them would crash SQLite.
        for thread in set(threading.enumerate()) - before:
            if not thread.daemon:
                thread.join(timeout=10)
        self.factory.close()
        with open_store(url) as store:
            report = store.verify()
            head = store.head()
        assert report.ok, report.first_break
        assert (report.head_position, report.head_hash) == head


def _aggregate_view(cls: type[Any]) -> type[Any]:
    """View a chained application recorder as a plain aggregate recorder.

    The library's aggregate case expects ``insert_events`` to return ``None``;
    application recorders return notification ids. Everything else (the
    chained insert, the conflict check, the selects) is the recorder's own.
    """

    class AsAggregateRecorder(cls):  # type: ignore[misc]
        def insert_events(
            self, stored_events: Sequence[StoredEvent], **kwargs: Any
        ) -> Sequence[int] | None:
            super().insert_events(stored_events, **kwargs)
            return None

    return AsAggregateRecorder


class _AggregateCase(_OnChainedStore, library_cases.AggregateRecorderTestCase):
    recorder_class: ClassVar[type[Any]]

    def create_recorder(self) -> AggregateRecorder:
        datastore = self.factory.datastore  # type: ignore[attr-defined]
        recorder = _aggregate_view(self.recorder_class)(datastore=datastore)
        assert isinstance(recorder, AggregateRecorder)
        return recorder


class _ApplicationCase(_OnChainedStore, library_cases.ApplicationRecorderTestCase):
    def create_recorder(self) -> ApplicationRecorder:
        return self.factory.application_recorder()


class _ProcessCase(_OnChainedStore, library_cases.ProcessRecorderTestCase):
    def create_recorder(self) -> ProcessRecorder:
        return self.factory.process_recorder()


class TestSQLiteAggregateRecorder(_AggregateCase):
    __test__ = True
    backend = "sqlite"
    recorder_class = ChainedSQLiteApplicationRecorder


class TestSQLiteApplicationRecorder(_ApplicationCase):
    __test__ = True
    backend = "sqlite"

    def test_insert_subscribe(self) -> None:
        # The library's SQLite recorders do not support subscriptions.
        with pytest.raises(NotImplementedError):
            self.create_recorder().subscribe()


class TestSQLiteProcessRecorder(_ProcessCase):
    __test__ = True
    backend = "sqlite"


@pytest.mark.postgres
class TestPostgresAggregateRecorder(_AggregateCase):
    __test__ = True
    backend = "postgres"
    recorder_class = ChainedPostgresApplicationRecorder


@pytest.mark.postgres
class TestPostgresApplicationRecorder(_ApplicationCase):
    __test__ = True
    backend = "postgres"

    def test_insert_subscribe(self) -> None:
        self.optional_test_insert_subscribe()


@pytest.mark.postgres
class TestPostgresProcessRecorder(_ProcessCase):
    __test__ = True
    backend = "postgres"
