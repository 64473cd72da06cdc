"""What a views rebuild cannot go below on this machine: reading, and writing.

Two floors, measured beside each rebuild by ``bench/views_bench.py`` so the
rebuild's rate can be read against them:

* ``read_floor``: read every notification page and decode every event with
  the application's mapper, the first thing every rebuild does, with no view
  code at all;
* ``write_floor``: copy the rows a rebuild left in the views' tables into
  fresh tables of the same shape with SQL alone (``INSERT ... SELECT``, then
  the same secondary indexes, committed), so the database's own work for
  those rows with no Python at all. On SQLite one writer holds the file's
  lock at a time, so this is wall time no number of workers shortens; on
  PostgreSQL it is one backend's, which two cores could at best halve.

Both are timed on a warm cache, right after the rebuild read the same pages.
"""

from __future__ import annotations

import os
import sqlite3
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import psycopg

if TYPE_CHECKING:
    from collections.abc import Sequence

    from eventsourcing.persistence import ApplicationRecorder, Mapper

PAGE = 20_000


@dataclass(frozen=True)
class Floor:
    """One floor as timed: how many things, wall and CPU seconds of this process."""

    items: int
    wall: float
    cpu: float


def read_floor(recorder: ApplicationRecorder, mapper: Mapper[Any]) -> Floor:
    """Read every notification, a page at a time, and decode each event."""
    began, cpu = time.perf_counter(), time.process_time()
    after, events = 0, 0
    while True:
        page = recorder.select_notifications(after, PAGE, inclusive_of_start=False)
        for notification in page:
            mapper.to_domain_event(notification)
        events += len(page)
        if len(page) < PAGE:
            break
        after = page[-1].id
    return Floor(events, time.perf_counter() - began, time.process_time() - cpu)


def sqlite_write_floor(path: str, tables: Sequence[str]) -> Floor:
    """Copy ``tables`` of the SQLite file at ``path`` into a fresh file beside it.

    The fresh file has the views' settings (WAL, ``synchronous = NORMAL``, the
    same page cache); each table gets its primary key first, its rows, then
    its secondary indexes, as a rebuild builds them.
    """
    fresh = f"{path}.floor-{uuid.uuid4().hex[:8]}"
    conn = sqlite3.connect(fresh, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA cache_size = -65536")
        conn.execute("ATTACH DATABASE ? AS src", (path,))
        schema = {
            name: (kind, sql)
            for name, kind, sql in conn.execute(
                "SELECT name, type, sql FROM src.sqlite_master WHERE tbl_name IN "
                f"({','.join('?' * len(tables))}) AND sql IS NOT NULL",
                tuple(tables),
            )
        }
        creates = [sql for kind, sql in schema.values() if kind == "table"]
        indexes = [sql for kind, sql in schema.values() if kind == "index"]
        for sql in creates:
            conn.execute(sql)
        began, cpu = time.perf_counter(), time.process_time()
        conn.execute("BEGIN")
        rows = 0
        for table in tables:
            copy = f'INSERT INTO main."{table}" SELECT * FROM src."{table}"'
            cursor = conn.execute(copy)
            rows += cursor.rowcount
        conn.execute("COMMIT")
        conn.execute("BEGIN")
        for sql in indexes:
            conn.execute(sql)
        conn.execute("COMMIT")
        return Floor(rows, time.perf_counter() - began, time.process_time() - cpu)
    finally:
        conn.close()
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(fresh + suffix):
                os.remove(fresh + suffix)


def postgres_write_floor(dsn: str, schema: str, tables: Sequence[str]) -> Floor:
    """Copy ``tables`` of ``schema`` into a fresh schema, on one backend.

    Each copy gets the source's columns and primary key, its rows, then the
    source's secondary indexes; the fresh schema is dropped afterwards. The
    CPU is this client's (nearly none): the work is the server's.
    """
    fresh = f"floor_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {fresh}")
        try:
            indexes = [
                str(definition).replace(f" ON {schema}.", f" ON {fresh}.")
                for (definition,) in conn.execute(
                    "SELECT indexdef FROM pg_indexes i WHERE schemaname = %s "
                    "AND tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM "
                    "pg_constraint c WHERE c.conname = i.indexname)",
                    (schema, list(tables)),
                )
            ]
            began, cpu = time.perf_counter(), time.process_time()
            rows = 0
            with conn.transaction():
                for table in tables:
                    conn.execute(
                        f'CREATE TABLE {fresh}."{table}" (LIKE {schema}."{table}" '
                        "INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
                    )
                    for key in _keys(conn, schema, fresh, table):
                        conn.execute(key)
                    copy = f'INSERT INTO {fresh}."{table}" SELECT * FROM '
                    cursor = conn.execute(f'{copy}{schema}."{table}"')
                    rows += cursor.rowcount
                for sql in indexes:
                    conn.execute(sql)
            return Floor(rows, time.perf_counter() - began, time.process_time() - cpu)
        finally:
            conn.execute(f"DROP SCHEMA {fresh} CASCADE")


def _keys(
    conn: psycopg.Connection[Any], schema: str, fresh: str, table: str
) -> list[str]:
    """The source table's primary key and unique constraints, for the copy."""
    rows = conn.execute(
        "SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_class t "
        "ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
        "WHERE n.nspname = %s AND t.relname = %s AND c.contype IN ('p', 'u')",
        (schema, table),
    ).fetchall()
    return [f'ALTER TABLE {fresh}."{table}" ADD {definition}' for (definition,) in rows]
