"""PostgreSQL persistence module: eventsourcing's recorders, hash-chained.

Select it with ``PERSISTENCE_MODULE=ledger.postgres`` and the library's
``POSTGRES_*`` settings. The library inserts events while holding
``LOCK TABLE … IN EXCLUSIVE MODE``; the links are read and written right after
that insert, in ``_fetch_ids_after_insert_events``, while the lock is still
held and in the same transaction, so writers extend the chain one at a time.
``POSTGRES_ENABLE_DB_FUNCTIONS`` is refused: that path skips these hooks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# The library finds the factory as the one factory class in this module's
# namespace, so the base class is reached through its module.
import eventsourcing.postgres as _library
from eventsourcing.persistence import (
    InterfaceError,
    Notification,
    OperationalError,
)
from eventsourcing.postgres import (
    PostgresApplicationRecorder,
    PostgresProcessRecorder,
)
from eventsourcing.utils import resolve_topic, retry
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Composable, Composed, Identifier

from ledger.chain import GENESIS, chain_links, originator_id_bytes
from ledger.decoding import notification
from ledger.errors import StoreConfigError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from eventsourcing.persistence import (
        ApplicationRecorder,
        ProcessRecorder,
        StoredEvent,
    )
    from eventsourcing.postgres import PostgresDatastore
    from eventsourcing.utils import Environment, EnvType
    from psycopg import Cursor
    from psycopg.rows import DictRow


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
        self._events = (schema, Identifier(events_table_name))
        self._insert_links = SQL(
            "INSERT INTO {0}.{1} (notification_id, prev_hash, hash) "
            "SELECT * FROM unnest(%b::bigint[], %b::bytea[], %b::bytea[])"
        ).format(schema, chain)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """The library's insert, in one transaction, without pipeline mode.

        The library pipelines the lock, the notify and the insert. With
        psycopg 3.3 a pipelined insert of tens of megabytes (a large import)
        never completed: the server waited for the rest of the statement and
        the client for its results. The statements are the same; a batch
        costs a few more round trips.
        """
        with (
            self.datastore.get_connection() as conn,
            conn.transaction(),
            conn.cursor() as curs,
        ):
            self._insert_events(curs, stored_events, **kwargs)
            if not stored_events:
                return None
            self._insert_stored_events(curs, stored_events, **kwargs)
            return self._fetch_ids_after_insert_events(curs, stored_events, **kwargs)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        """The library's page of notifications, fetched as binary tuples.

        Same query and result as ``PostgresApplicationRecorder``'s; rows come
        in binary form (``bytea`` without hex, ``uuid`` as 16 bytes) as tuples,
        not dicts in text form (views rebuild by reading every page).
        """
        where: list[Composable] = []
        params: list[int | list[str]] = []
        if start is not None:
            op = ">=" if inclusive_of_start else ">"
            where.append(SQL(f"notification_id {op} %s"))
            params.append(start)
        if stop is not None:
            where.append(SQL("notification_id <= %s"))
            params.append(stop)
        if topics:
            where.append(SQL("topic = ANY(%s)"))
            params.append(list(topics))
        params.append(limit)
        statement = SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state "
            "FROM {0}.{1}{2} ORDER BY notification_id LIMIT %s"
        ).format(
            *self._events,
            SQL(" WHERE ") + SQL(" AND ").join(where) if where else SQL(""),
        )
        with (
            self.datastore.get_connection() as conn,
            conn.cursor(row_factory=tuple_row, binary=True) as curs,
        ):
            curs.execute(statement, params, prepare=True)
            return [
                notification(position, originator_id, version, topic, state)
                for position, originator_id, version, topic, state in curs
            ]

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
                originator_id_bytes(event.originator_id, uuid_ids=uuid_ids),
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
