"""Append-only in the database itself: raw UPDATE, DELETE and TRUNCATE are refused."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

import psycopg
import pytest
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Tracking

from ledger.store import create_ledger, open_store, persistence_env

if TYPE_CHECKING:
    from collections.abc import Callable


class Parcel(Aggregate):
    def __init__(self, label: str) -> None:
        self.label = label


def _ledger_with_events(url: str, count: int = 5) -> None:
    create_ledger(url)
    app: Application[Any] = Application(env=persistence_env(url))
    app.save(*[Parcel(f"p{i}") for i in range(count)])
    app.close()


REFUSED = [
    ("stored_events", "UPDATE stored_events SET topic = 'x'"),
    ("stored_events", "UPDATE stored_events SET state = NULL WHERE 1 = 1"),
    ("stored_events", "DELETE FROM stored_events"),
    ("ledger_chain", "UPDATE ledger_chain SET hash = prev_hash"),
    ("ledger_chain", "DELETE FROM ledger_chain WHERE notification_id > 2"),
]


@pytest.mark.parametrize(("table", "statement"), REFUSED)
def test_raw_changes_to_the_ledger_are_refused(
    store_url: str,
    raw_sql: Callable[[str], list[tuple[Any, ...]]],
    table: str,
    statement: str,
) -> None:
    _ledger_with_events(store_url)
    before = raw_sql(f"SELECT * FROM {table} ORDER BY 1, 2")
    with pytest.raises((sqlite3.DatabaseError, psycopg.Error)) as refused:
        raw_sql(statement)
    assert f"{table} is append-only" in str(refused.value)
    assert raw_sql(f"SELECT * FROM {table} ORDER BY 1, 2") == before
    with open_store(store_url) as store:
        assert store.verify().checked == 5


def _link_row(position: int, parent: bytes, child: bytes = b"\x77" * 32) -> str:
    """A raw INSERT of one link row naming ``parent`` as its ``prev_hash``."""
    values = f"{position}, X'{parent.hex()}', X'{child.hex()}'"
    return (
        f"INSERT INTO ledger_chain (notification_id, prev_hash, hash) VALUES ({values})"
    )


def test_a_second_child_of_a_link_is_refused(
    store_url: str, raw_sql: Callable[[str], list[tuple[Any, ...]]]
) -> None:
    _ledger_with_events(store_url)
    parent = raw_sql("SELECT hash FROM ledger_chain WHERE notification_id = 3")[0][0]
    fork = _link_row(6, bytes(parent))
    with pytest.raises((sqlite3.DatabaseError, psycopg.Error)):
        raw_sql(fork)
    with open_store(store_url) as store:
        report = store.verify()
    assert (report.ok, report.checked) == (True, 5)


@pytest.mark.parametrize(
    "statement",
    [
        pytest.param(_link_row(7, bytes(32)), id="a skipped position"),
        pytest.param(
            _link_row(6, b"\xab" * 32), id="a parent that is not the link before"
        ),
        pytest.param(_link_row(1, bytes(32)), id="a second first link (the key)"),
    ],
)
def test_sqlite_refuses_a_link_that_does_not_extend_the_one_before(
    sqlite_url: str, statement: str
) -> None:
    _ledger_with_events(sqlite_url)
    with sqlite3.connect(sqlite_url) as conn:
        before = conn.execute("SELECT * FROM ledger_chain").fetchall()
        refused = "ledger_chain is one chain|UNIQUE constraint failed"
        with pytest.raises(sqlite3.DatabaseError, match=refused):
            conn.execute(statement)
        assert conn.execute("SELECT * FROM ledger_chain").fetchall() == before


def test_sqlite_takes_a_link_that_extends_the_head(sqlite_url: str) -> None:
    _ledger_with_events(sqlite_url)
    with sqlite3.connect(sqlite_url) as conn:
        (head,) = conn.execute(
            "SELECT hash FROM ledger_chain WHERE notification_id = 5"
        ).fetchone()
        conn.execute(_link_row(6, head))
        assert conn.execute(
            "SELECT MAX(notification_id) FROM ledger_chain"
        ).fetchone() == (6,)


@pytest.mark.postgres
@pytest.mark.parametrize("table", ["stored_events", "ledger_chain"])
def test_truncate_is_refused_on_postgres(postgres_url: str, table: str) -> None:
    _ledger_with_events(postgres_url)
    with open_store(postgres_url) as store:
        conn = store._conn  # type: ignore[attr-defined]
        schema = store._schema  # type: ignore[attr-defined]
        with pytest.raises(psycopg.Error, match=f"{table} is append-only"):
            conn.execute(f'TRUNCATE "{schema}".{table} CASCADE')
        assert store.verify().checked == 5


def test_projection_tracking_stays_writable(store_url: str) -> None:
    create_ledger(store_url)
    # A projection's tracking table is its own (named after the application).
    env = {**persistence_env(store_url), "CREATE_TABLE": "yes"}
    app: Application[Any] = Application(env=env)
    recorder = app.factory.process_recorder()
    recorder.insert_tracking(Tracking("balances", 1))
    recorder.insert_tracking(Tracking("balances", 7))
    assert recorder.max_tracking_id("balances") == 7
    app.close()
