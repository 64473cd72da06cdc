"""PostgreSQL persistence module: eventsourcing's recorders, hash-chained.

Select it with ``PERSISTENCE_MODULE=ledger.postgres`` and the library's
``POSTGRES_*`` settings. The library inserts events while holding
``LOCK TABLE … IN EXCLUSIVE MODE``; the links are read and written right after
that insert, in ``_fetch_ids_after_insert_events``, while the lock is still
held and in the same transaction, so writers extend the chain one at a time.
``POSTGRES_ENABLE_DB_FUNCTIONS`` is refused: that path skips these hooks.
"""

from __future__ import annotations

from itertools import count
from typing import TYPE_CHECKING, Any, NamedTuple
from uuid import UUID

# The library finds the factory as the one factory class in this module's
# namespace, so the base class is reached through its module.
import eventsourcing.postgres as _library
import psycopg
from eventsourcing.postgres import (
    PostgresApplicationRecorder,
    PostgresProcessRecorder,
)
from eventsourcing.utils import resolve_topic
from psycopg.sql import SQL, Composed, Identifier

from ledger.chain import GENESIS, chain_links
from ledger.errors import StoreConfigError
from ledger.store import PAGE_SIZE, LedgerStore, merged_records

if TYPE_CHECKING:
    from collections.abc import Generator, Iterator, Sequence

    from eventsourcing.persistence import (
        ApplicationRecorder,
        ProcessRecorder,
        StoredEvent,
    )
    from eventsourcing.postgres import PostgresDatastore
    from eventsourcing.utils import Environment, EnvType
    from psycopg import Cursor
    from psycopg.rows import DictRow

    from ledger.chain import ChainRecord

EVENTS_TABLE = "stored_events"
CHAIN_TABLE = "ledger_chain"
REFUSE_FUNCTION = "ledger_refuse_change"


def chain_table_statements(schema: str, events_table: str) -> list[Composed]:
    """Return the DDL of the link table and of the append-only triggers."""
    names = {
        "schema": Identifier(schema),
        "chain": Identifier(CHAIN_TABLE),
        "refuse": Identifier(REFUSE_FUNCTION),
    }
    statements = [
        SQL(
            "CREATE TABLE IF NOT EXISTS {schema}.{chain} ("
            "notification_id bigint PRIMARY KEY, "
            "prev_hash bytea NOT NULL UNIQUE, "
            "hash bytea NOT NULL)"
        ).format(**names),
        SQL(
            "CREATE OR REPLACE FUNCTION {schema}.{refuse}() RETURNS trigger "
            "LANGUAGE plpgsql AS $body$ BEGIN "
            "RAISE EXCEPTION '% is append-only: % refused by the ledger', "
            "TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation'; "
            "END $body$"
        ).format(**names),
    ]
    for table in (events_table, CHAIN_TABLE):
        target = {**names, "table": Identifier(table)}
        statements += [
            SQL(
                "CREATE OR REPLACE TRIGGER {name} BEFORE UPDATE OR DELETE "
                "ON {schema}.{table} FOR EACH ROW EXECUTE FUNCTION {schema}.{refuse}()"
            ).format(name=Identifier(f"{table}_no_change"), **target),
            SQL(
                "CREATE OR REPLACE TRIGGER {name} BEFORE TRUNCATE "
                "ON {schema}.{table} FOR EACH STATEMENT "
                "EXECUTE FUNCTION {schema}.{refuse}()"
            ).format(name=Identifier(f"{table}_no_truncate"), **target),
        ]
    return statements


class ChainedPostgresApplicationRecorder(PostgresApplicationRecorder):
    """eventsourcing's PostgreSQL application recorder that also writes links."""

    def __init__(
        self, datastore: PostgresDatastore, *, events_table_name: str = EVENTS_TABLE
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        schema = Identifier(self.datastore.schema)
        chain = Identifier(CHAIN_TABLE)
        self.sql_create_statements += chain_table_statements(
            self.datastore.schema, events_table_name
        )
        self._select_head = SQL(
            "SELECT notification_id, hash FROM {0}.{1} "
            "ORDER BY notification_id DESC LIMIT 1"
        ).format(schema, chain)
        self._insert_columns = SQL(
            "INSERT INTO {0}.{1} (originator_id, originator_version, topic, state) "
            "SELECT * FROM unnest(%b::{2}[], %b::bigint[], %b::text[], %b::bytea[]) "
            "RETURNING notification_id"
        ).format(
            schema,
            Identifier(events_table_name),
            Identifier(self.datastore.originator_id_type),
        )
        self._insert_links = SQL(
            "INSERT INTO {0}.{1} (notification_id, prev_hash, hash) "
            "SELECT * FROM unnest(%b::bigint[], %b::bytea[], %b::bytea[])"
        ).format(schema, chain)

    def _insert_stored_events(
        self,
        curs: Cursor[DictRow],
        stored_events: Sequence[StoredEvent],
        **_: Any,
    ) -> None:
        # As the library does, but with binary column arrays instead of an array
        # of composites in text form: the chain's cost is paid for here.
        self._lock_table(curs)
        self._notify_channel(curs)
        columns = (
            [e.originator_id for e in stored_events],
            [e.originator_version for e in stored_events],
            [e.topic for e in stored_events],
            [e.state for e in stored_events],
        )
        curs.execute(self._insert_columns, columns, prepare=True)

    def _fetch_ids_after_insert_events(
        self,
        curs: Cursor[DictRow],
        stored_events: Sequence[StoredEvent],
        **kwargs: Any,
    ) -> Sequence[int] | None:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        if not ids:
            return ids
        curs.execute(self._select_head, prepare=True)
        head = curs.fetchone()
        head_hash = GENESIS if head is None else bytes(head["hash"])
        uuid_ids = self.datastore.originator_id_type == "uuid"
        rows = [
            (
                position,
                _originator_id_bytes(event.originator_id, uuid_ids),
                event.originator_version,
                event.topic,
                event.state,
            )
            for position, event in sorted(zip(ids, stored_events, strict=True))
        ]
        links = chain_links(head_hash, rows)
        positions, prevs, hashes = zip(*links, strict=True)
        params = (list(positions), list(prevs), list(hashes))
        curs.execute(self._insert_links, params, prepare=True)
        return ids


def _originator_id_bytes(originator_id: UUID | str, uuid_ids: bool) -> bytes:
    """Return the canonical chain bytes of an originator id as the column stores it."""
    if uuid_ids:
        uuid = originator_id if isinstance(originator_id, UUID) else UUID(originator_id)
        return uuid.bytes
    return str(originator_id).encode("utf-8")


class ChainedPostgresProcessRecorder(
    PostgresProcessRecorder, ChainedPostgresApplicationRecorder
):
    """eventsourcing's PostgreSQL process recorder with chained events."""


class Factory(_library.PostgresFactory):
    """Infrastructure factory selecting the chained recorders.

    Every application writes to the one events table, ``stored_events``, so that
    a store holds one global chain whatever the application is called.
    """

    application_recorder_class = ChainedPostgresApplicationRecorder
    process_recorder_class = ChainedPostgresProcessRecorder

    def __init__(self, env: Environment | EnvType | None) -> None:
        super().__init__(env)
        if self.datastore.enable_db_functions:
            self.datastore.close()
            raise StoreConfigError(
                f"{self.env.get(self.POSTGRES_DBNAME)} "
                f"(schema {self.datastore.schema})",
                f"{self.POSTGRES_ENABLE_DB_FUNCTIONS} must be off, because "
                "inserting through database functions bypasses the hash chain",
            )

    def application_recorder(self) -> ApplicationRecorder:
        topic = self.env.get(self.APPLICATION_RECORDER_TOPIC)
        cls = resolve_topic(topic) if topic else self.application_recorder_class
        recorder: ApplicationRecorder = cls(
            datastore=self.datastore, events_table_name=EVENTS_TABLE
        )
        self._create_tables(recorder)
        return recorder

    def process_recorder(self) -> ProcessRecorder:
        topic = self.env.get(self.PROCESS_RECORDER_TOPIC)
        cls = resolve_topic(topic) if topic else self.process_recorder_class
        prefix = self.env.name.lower() or "notification"
        recorder: ProcessRecorder = cls(
            datastore=self.datastore,
            events_table_name=EVENTS_TABLE,
            tracking_table_name=f"{prefix}_tracking",
        )
        self._create_tables(recorder)
        return recorder

    def _create_tables(self, recorder: ApplicationRecorder) -> None:
        if self.env_create_table():
            recorder.create_table()  # type: ignore[attr-defined]


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
