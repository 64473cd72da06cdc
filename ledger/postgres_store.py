"""Reading a PostgreSQL ledger back: the chain's records and pages, for verification.

``open_store`` gives a ``PostgresLedgerStore`` for a ``postgresql://`` URL. It
reads the event and link tables that ``ledger.postgres``'s recorders write
through binary server-side cursors, inside one REPEATABLE READ snapshot, in
constant memory.
"""

from __future__ import annotations

from itertools import count
from typing import TYPE_CHECKING, Any, NamedTuple

import psycopg
from psycopg.sql import SQL, Composed, Identifier

from ledger.chain import GENESIS
from ledger.errors import StoreConfigError
from ledger.postgres import CHAIN_TABLE, EVENTS_TABLE
from ledger.reader import PAGE_SIZE, LedgerStore, merged_records

if TYPE_CHECKING:
    from collections.abc import Generator, Iterator

    from ledger.chain import ChainRecord


class PostgresLedgerStore(LedgerStore):
    """Reads the chain of a PostgreSQL ledger through a binary server-side cursor."""

    def __init__(self, url: str, env: dict[str, str]) -> None:
        self._schema = env.get("POSTGRES_SCHEMA") or "public"
        try:
            self._conn = psycopg.connect(
                host=env["POSTGRES_HOST"],
                port=env["POSTGRES_PORT"],
                user=env["POSTGRES_USER"],
                password=env["POSTGRES_PASSWORD"],
                dbname=env["POSTGRES_DBNAME"],
                autocommit=True,
            )
            self._conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            self._conn.read_only = True
            found = self._conn.execute(
                "SELECT to_regclass(%s), to_regclass(%s)",
                (f'"{self._schema}".{EVENTS_TABLE}', f'"{self._schema}".{CHAIN_TABLE}'),
            ).fetchone()
        except psycopg.Error as error:
            reason = f"the PostgreSQL database cannot be read ({error})"
            raise StoreConfigError(url, reason) from None
        if found is None or None in found:
            self._conn.close()
            raise StoreConfigError(url, "it holds no ledger tables (run relief init)")
        uuid_ids = env.get("ORIGINATOR_ID_TYPE", "uuid") == "uuid"
        self.url = url
        self._queries = _queries(self._schema, uuid_ids=uuid_ids)

    def records(self, after: int = 0, stop: int | None = None) -> Iterator[ChainRecord]:
        upper = _MAX_POSITION if stop is None else stop
        # One REPEATABLE READ snapshot for every cursor (see __init__).
        with self._conn.transaction():
            yield from merged_records(
                self._rows(self._queries.events, (after, upper)),
                self._rows(self._queries.links, (after, upper)),
                after,
                lambda last: self._rows(self._queries.records, (last, upper) * 2),
            )

    def pages(
        self, after: int = 0, stop: int | None = None, size: int = PAGE_SIZE
    ) -> Iterator[tuple[list[Any], list[Any]]]:
        bounds = (after, _MAX_POSITION if stop is None else stop)
        # One REPEATABLE READ snapshot for both cursors (see __init__).
        with (
            self._conn.transaction(),
            self._cursor() as events,
            self._cursor() as links,
        ):
            events.execute(self._queries.events, bounds)
            links.execute(self._queries.links, bounds)
            while True:
                pair = events.fetchmany(size), links.fetchmany(size)
                if not pair[0] and not pair[1]:
                    return
                yield pair

    def _cursor(self) -> psycopg.ServerCursor[Any]:
        return self._conn.cursor(name=f"ledger_{next(_cursor_names)}", binary=True)

    def _rows(self, query: Composed, params: tuple[int, ...]) -> Generator[Any]:
        cursor = self._cursor()
        try:
            cursor.execute(query, params)
            while rows := cursor.fetchmany(FETCH_SIZE):
                yield from rows
        finally:
            cursor.close()

    def head(self) -> tuple[int, bytes]:
        row = self._conn.execute(self._queries.head).fetchone()
        return (0, GENESIS) if row is None else (int(row[0]), bytes(row[1]))

    def link_at(self, position: int) -> bytes | None:
        row = self._conn.execute(self._queries.link_at, (position,)).fetchone()
        return None if row is None else bytes(row[0])

    def close(self) -> None:
        self._conn.close()


FETCH_SIZE = 20_000
"""Rows per round trip of the verification cursor."""

_MAX_POSITION = 2**63 - 1


_cursor_names = count()


class _Queries(NamedTuple):
    events: Composed
    links: Composed
    records: Composed
    head: Composed
    link_at: Composed


def _queries(schema: str, *, uuid_ids: bool) -> _Queries:
    names = {
        "events": SQL(".").join([Identifier(schema), Identifier(EVENTS_TABLE)]),
        "chain": SQL(".").join([Identifier(schema), Identifier(CHAIN_TABLE)]),
        "oid": SQL(
            "uuid_send(originator_id)"
            if uuid_ids
            else "convert_to(originator_id, 'UTF8')"
        ),
    }
    range_ = "notification_id > %s AND notification_id <= %s"
    statements = {
        "events": "SELECT notification_id, {oid}, originator_version, topic, state "
        f"FROM {{events}} WHERE {range_} ORDER BY notification_id",
        "links": "SELECT notification_id, prev_hash, hash FROM {chain} "
        f"WHERE {range_} ORDER BY notification_id",
        # The full outer join: events with their links, then links whose event
        # is gone (only in a damaged ledger), in position order.
        "records": "SELECT e.notification_id, {oid}, originator_version, topic, "
        "state, c.prev_hash, c.hash FROM {events} e LEFT JOIN {chain} c "
        f"USING (notification_id) WHERE e.{range_} "
        "UNION ALL SELECT c.notification_id, NULL, NULL, NULL, NULL, c.prev_hash, "
        f"c.hash FROM {{chain}} c WHERE c.{range_} AND NOT EXISTS (SELECT 1 FROM "
        "{events} e WHERE e.notification_id = c.notification_id) ORDER BY 1",
        "head": "SELECT notification_id, hash FROM {chain} "
        "ORDER BY notification_id DESC LIMIT 1",
        "link_at": "SELECT hash FROM {chain} WHERE notification_id = %s",
    }
    return _Queries(**{k: SQL(v).format(**names) for k, v in statements.items()})
