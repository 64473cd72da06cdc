"""The recorders' pages of notifications equal the library's, only quicker."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

import psycopg
import pytest
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from hypothesis import given
from hypothesis import strategies as st

from ledger.sqlite import uuid_from_hex
from ledger.store import create_ledger, open_store, persistence_env

if TYPE_CHECKING:
    from collections.abc import Sequence


class Parcel(Aggregate):
    def __init__(self, label: str) -> None:
        self.label = label

    def relabel(self, label: str) -> None:
        self._relabelled(label=label)

    @event("Relabelled")
    def _relabelled(self, label: str) -> None:
        self.label = label


@given(st.uuids())
def test_a_stored_hex_reads_back_as_the_same_uuid(value: UUID) -> None:
    read = uuid_from_hex(value.hex)
    assert (read, str(read), hash(read), read.is_safe) == (
        value,
        str(value),
        hash(value),
        UUID(value.hex).is_safe,
    )


@pytest.mark.parametrize("text", ["", "xyz", "0" * 31, "g" * 32, "0" * 33])
def test_a_malformed_id_fails_as_the_library_would(text: str) -> None:
    with pytest.raises(ValueError, match=r"\w") as library:
        UUID(text)
    with pytest.raises(ValueError, match=r"\w") as ours:
        uuid_from_hex(text)
    assert str(ours.value) == str(library.value)


SELECTIONS: list[dict[str, Any]] = [
    {"start": 1, "limit": 100},
    {"start": 3, "limit": 4},
    {"start": 3, "limit": 4, "inclusive_of_start": False},
    {"start": None, "limit": 5, "stop": 6},
    {"start": 2, "limit": 100, "stop": 9},
    {"start": 1, "limit": 100, "topics": "relabelled"},
    {"start": 4, "limit": 2, "stop": 12, "topics": "both"},
]


@pytest.mark.parametrize("selection", SELECTIONS)
def test_pages_equal_the_library_recorders(
    store_url: str, selection: dict[str, Any]
) -> None:
    create_ledger(store_url)
    app: Application[Any] = Application(env=persistence_env(store_url))
    parcels = [Parcel(f"p{i}") for i in range(6)]
    for parcel in parcels[::2]:
        parcel.relabel("moved")
    app.save(*parcels)
    recorder = app.recorder
    library: type[Any] = (
        PostgresApplicationRecorder
        if store_url.startswith("postgresql://")
        else SQLiteApplicationRecorder
    )
    assert isinstance(recorder, library)
    created = recorder.select_notifications(1, 1)[0].topic
    relabelled = created.replace("Created", "Relabelled")
    kinds = {"relabelled": [relabelled], "both": [created, relabelled]}
    arguments = {**selection, "topics": kinds.get(selection.get("topics", ""), ())}
    ours = recorder.select_notifications(**arguments)
    assert ours == library.select_notifications(recorder, **arguments)
    assert ours
    assert all(type(n.originator_id) is UUID for n in ours)
    app.close()


@pytest.mark.postgres
def test_a_batch_of_tens_of_megabytes_is_stored_whole(postgres_url: str) -> None:
    # A pipelined insert this size never completed with psycopg 3.3; run it in
    # a daemon thread so that a hang fails the test instead of the suite.
    create_ledger(postgres_url)
    app: Application[Any] = Application(env=persistence_env(postgres_url))
    events = [
        StoredEvent(uuid4(), 1, "ledger.test:Big.Created", b"x" * 1_000)
        for _ in range(20_000)
    ]
    done: list[Sequence[int] | None] = []
    writer = threading.Thread(
        target=lambda: done.append(app.recorder.insert_events(events)), daemon=True
    )
    writer.start()
    writer.join(timeout=60)
    if writer.is_alive():  # free the schema's locks for the fixture's clean-up
        schema = postgres_url.rsplit("schema=", 1)[1]
        with psycopg.connect(postgres_url.split("?", 1)[0], autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE pid <> pg_backend_pid() AND query LIKE %s",
                (f'%"{schema}".%',),
            )
        pytest.fail("a 20 MB batch was not stored within 60 s")
    assert done == [list(range(1, 20_001))]
    with open_store(postgres_url) as store:
        assert store.verify().checked == 20_000
    app.close()
