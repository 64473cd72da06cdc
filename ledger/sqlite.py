"""SQLite persistence module: eventsourcing's SQLite recorders, hash-chained.

Select it with ``PERSISTENCE_MODULE=ledger.sqlite`` and ``SQLITE_DBNAME``.
Every insert runs in one ``BEGIN IMMEDIATE`` transaction, which takes SQLite's
write lock before the chain head is read, so no other process can extend the
chain between the read and the commit. Rows get explicit rowids (the
notification ids) so that events and links go in with one ``executemany`` each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID, SafeUUID

# The library finds the factory as the one factory class in this module's
# namespace, so the base class is reached through its module.
import eventsourcing.sqlite as _library
from eventsourcing.sqlite import (
    SQLiteApplicationRecorder,
    SQLiteConnection,
    SQLiteConnectionPool,
    SQLiteProcessRecorder,
    SQLiteTransaction,
)
from eventsourcing.utils import resolve_topic

from ledger.chain import GENESIS, chain_links, originator_id_bytes
from ledger.decoding import notification

if TYPE_CHECKING:
    from collections.abc import Sequence

    from eventsourcing.persistence import (
        ApplicationRecorder,
        Notification,
        ProcessRecorder,
        StoredEvent,
    )
    from eventsourcing.sqlite import SQLiteCursor
    from eventsourcing.utils import Environment, EnvType


_new = object.__new__
_set = object.__setattr__
_UNKNOWN = SafeUUID.unknown


def uuid_from_hex(text: str) -> UUID:
    """Return ``UUID(text)`` for the 32 hex digits SQLite keeps, in half the time.

    ``UUID.__init__`` strips prefixes, braces and dashes that a stored id
    never has; anything but 32 hex digits still takes that path (and its
    error).
    """
    if len(text) != 32:
        return UUID(text)
    value: UUID = _new(UUID)
    _set(value, "int", int(text, 16))
    _set(value, "is_safe", _UNKNOWN)
    return value


EVENTS_TABLE = "stored_events"
CHAIN_TABLE = "ledger_chain"


def append_only_statements(table: str) -> list[str]:
    """Return triggers that refuse UPDATE and DELETE on ``table``."""
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} "
        f"BEFORE {op} ON {table} BEGIN SELECT RAISE(ABORT, "
        f"'{table} is append-only: {op} refused by the ledger'); END"
        for op in ("UPDATE", "DELETE")
    ]


EXTENDS_HEAD = (
    f"CREATE TRIGGER IF NOT EXISTS {CHAIN_TABLE}_extends_head "
    f"BEFORE INSERT ON {CHAIN_TABLE} "
    "WHEN NOT (NEW.notification_id = 1 AND NEW.prev_hash = zeroblob(32)) "
    f"AND NOT EXISTS (SELECT 1 FROM {CHAIN_TABLE} "
    "WHERE notification_id = NEW.notification_id - 1 AND hash = NEW.prev_hash) "
    f"BEGIN SELECT RAISE(ABORT, '{CHAIN_TABLE} is one chain: a link must name "
    "the link at the position before it as its prev_hash'); END"
)
"""Refuses a link row that does not carry the chain on from the position before.

With the primary key, every position holds one link and its parent is the
one just before it: no link can get a second child, so the chain cannot fork,
and no position can be skipped. (The first link's parent is the genesis
value.) This replaces a UNIQUE index on ``prev_hash``, whose random keys made
every batch rewrite pages all over the index: the trigger reads one row by
its rowid (``docs/adr-0001-storage.md`` has the figures)."""


def chain_table_statements(events_table: str) -> list[str]:
    """Return the DDL of the link table, its chain trigger and the append-only ones."""
    return [
        f"CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} ("
        "notification_id INTEGER PRIMARY KEY, "
        "prev_hash BLOB NOT NULL, "
        "hash BLOB NOT NULL)",
        EXTENDS_HEAD,
        *append_only_statements(events_table),
        *append_only_statements(CHAIN_TABLE),
    ]


class _ImmediateTransaction(SQLiteTransaction):
    """The library's transaction, but taking the write lock at ``BEGIN``."""

    def __enter__(self) -> SQLiteCursor:
        cursor = self.connection.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        return cursor


class ChainedSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    """eventsourcing's SQLite application recorder that also writes links."""

    def __init__(self, datastore: Any, events_table_name: str = EVENTS_TABLE) -> None:
        super().__init__(datastore, events_table_name)
        self._insert_chained_events = (
            f"INSERT INTO {events_table_name} "
            "(rowid, originator_id, originator_version, topic, state) "
            "VALUES (?,?,?,?,?)"
        )
        self._insert_links = f"INSERT INTO {CHAIN_TABLE} VALUES (?,?,?)"
        self._select_head = (
            f"SELECT notification_id, hash FROM {CHAIN_TABLE} "
            "ORDER BY notification_id DESC LIMIT 1"
        )

    def construct_create_table_statements(self) -> list[str]:
        statements = super().construct_create_table_statements()
        return [*statements, *chain_table_statements(self.events_table_name)]

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        with (
            self.datastore.get_connection(commit=True) as connection,
            _ImmediateTransaction(connection, commit=True) as cursor,
            cursor,
        ):
            return self._insert_events(cursor, stored_events, **kwargs)

    def _insert_events(
        self,
        c: SQLiteCursor,
        stored_events: Sequence[StoredEvent],
        **_: Any,
    ) -> Sequence[int] | None:
        if not stored_events:
            return []
        head_position, head_hash = self._head(c)
        c.execute(self.select_max_notification_id_statement)
        first = max(c.fetchone()[0] or 0, head_position) + 1
        uuid_ids = self.datastore.originator_id_type == "uuid"
        hashed = [
            (
                position,
                originator_id_bytes(e.originator_id, uuid_ids=uuid_ids),
                e.originator_version,
                e.topic,
                e.state,
            )
            for position, e in enumerate(stored_events, start=first)
        ]
        # SQLite keeps a UUID as 32 hex digits, a text id as itself.
        rows = [
            (position, raw.hex() if uuid_ids else raw.decode(), version, topic, state)
            for position, raw, version, topic, state in hashed
        ]
        c.executemany(self._insert_chained_events, rows)
        c.executemany(self._insert_links, chain_links(head_hash, hashed))
        return list(range(first, first + len(rows)))

    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        """The library's page of notifications, read as plain tuples.

        Same query and result as ``SQLiteApplicationRecorder``'s, built
        without ``sqlite3.Row`` lookups by name and with UUIDs made straight
        from their stored hex (views rebuild by reading every page).
        """
        where: list[str] = []
        params: list[int | str] = []
        if start is not None:
            where.append("rowid>=?" if inclusive_of_start else "rowid>?")
            params.append(start)
        if stop is not None:
            where.append("rowid<=?")
            params.append(stop)
        if topics:
            where.append(f"topic IN ({','.join('?' * len(topics))})")
            params += topics
        params.append(limit)
        statement = (
            "SELECT rowid, originator_id, originator_version, topic, state "
            f"FROM {self.events_table_name} "
            f"{'WHERE ' + ' AND '.join(where) if where else ''} "
            "ORDER BY rowid LIMIT ?"
        )
        to_id = uuid_from_hex if self.datastore.originator_id_type == "uuid" else str
        with self.datastore.transaction(commit=False) as c:
            cursor = c.sqlite_cursor
            cursor.row_factory = None
            return [
                notification(position, to_id(originator_id), version, topic, state)
                for position, originator_id, version, topic, state in cursor.execute(
                    statement, params
                )
            ]

    def _head(self, c: SQLiteCursor) -> tuple[int, bytes]:
        c.execute(self._select_head)
        row = c.fetchone()
        if row is None:
            return 0, GENESIS
        return int(row[0]), bytes(row[1])


class ChainedSQLiteProcessRecorder(
    SQLiteProcessRecorder, ChainedSQLiteApplicationRecorder
):
    """eventsourcing's SQLite process recorder with chained events."""

    def __init__(
        self, datastore: Any, *, events_table_name: str = EVENTS_TABLE
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)


class _TunedPool(SQLiteConnectionPool):
    """The library's pool, with connections tuned for the chain's write pattern.

    Every event adds a random-key index entry (its originator key), so a
    batch dirties many pages: a larger page cache keeps that index in memory,
    and a larger WAL before each automatic checkpoint lets pages changed by
    several batches be copied back once.
    """

    def _create_connection(self) -> SQLiteConnection:
        connection = super()._create_connection()
        if not self.is_sqlite_memory_mode:
            raw = connection._sqlite_conn
            raw.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            raw.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
        return connection


CACHE_KIB = 32 * 1024
WAL_CHECKPOINT_PAGES = 10_000


class Factory(_library.SQLiteFactory):
    """Infrastructure factory selecting the chained recorders."""

    application_recorder_class = ChainedSQLiteApplicationRecorder
    process_recorder_class = ChainedSQLiteProcessRecorder

    def __init__(self, env: Environment | EnvType | None) -> None:
        super().__init__(env)
        # The library's pool opens connections lazily: none exist yet.
        stock = self.datastore.pool
        self.datastore.pool = _TunedPool(
            db_name=stock.db_name, lock_timeout=stock.lock_timeout
        )

    def application_recorder(self) -> ApplicationRecorder:
        topic = self.env.get(self.APPLICATION_RECORDER_TOPIC)
        cls = resolve_topic(topic) if topic else self.application_recorder_class
        recorder: ApplicationRecorder = cls(datastore=self.datastore)
        self._create_tables(recorder)
        return recorder

    def process_recorder(self) -> ProcessRecorder:
        topic = self.env.get(self.PROCESS_RECORDER_TOPIC)
        cls = resolve_topic(topic) if topic else self.process_recorder_class
        recorder: ProcessRecorder = cls(datastore=self.datastore)
        self._create_tables(recorder)
        return recorder

    def _create_tables(self, recorder: ApplicationRecorder) -> None:
        if self.env_create_table():
            recorder.create_table()  # type: ignore[attr-defined]
