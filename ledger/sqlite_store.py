"""Reading a SQLite ledger back: the chain's records and pages, for verification.

``open_store`` gives a ``SQLiteLedgerStore`` for a SQLite path. It reads the
event and link tables that ``ledger.sqlite``'s recorders write, straight from
``sqlite3`` cursors, in constant memory.
"""

from __future__ import annotations

import sqlite3
from contextlib import suppress
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ledger.chain import GENESIS
from ledger.errors import StoreConfigError
from ledger.reader import PAGE_SIZE, LedgerStore, merged_records
from ledger.sqlite import CHAIN_TABLE, EVENTS_TABLE

if TYPE_CHECKING:
    from collections.abc import Generator, Iterable, Iterator

    from ledger.chain import ChainRecord


class SQLiteLedgerStore(LedgerStore):
    """Reads the chain of a SQLite ledger straight from ``sqlite3`` cursors."""

    def __init__(self, url: str, path: str, originator_id_type: str = "uuid") -> None:
        try:
            self._conn = sqlite3.connect(
                f"file:{quote(path)}?mode=rw",
                uri=True,
                isolation_level=None,
                check_same_thread=False,
            )
            found = self._conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE name IN (?, ?)",
                (EVENTS_TABLE, CHAIN_TABLE),
            ).fetchone()[0]
        except sqlite3.Error as error:
            reason = f"the SQLite file cannot be read ({error})"
            raise StoreConfigError(url, reason) from None
        if found != 2:
            self._conn.close()
            raise StoreConfigError(url, "it holds no ledger tables (run relief init)")
        self._uuid_ids = originator_id_type == "uuid"
        self.url = url
        # SQLite keeps a UUID as 32 hex digits, a text id as itself.
        self.id_bytes = bytes.fromhex if self._uuid_ids else str.encode

    def records(self, after: int = 0, stop: int | None = None) -> Iterator[ChainRecord]:
        upper = _MAX_POSITION if stop is None else stop
        return merged_records(
            self._rows(_SELECT_EVENTS, (after, upper)),
            self._rows(_SELECT_LINKS, (after, upper)),
            after,
            lambda last: self._outer_join(last, upper),
            bytes.fromhex if self._uuid_ids else None,
        )

    def pages(
        self, after: int = 0, stop: int | None = None, size: int = PAGE_SIZE
    ) -> Iterator[tuple[list[Any], list[Any]]]:
        bounds = (after, _MAX_POSITION if stop is None else stop)
        events = self._conn.execute(_SELECT_EVENTS, bounds)
        links = self._conn.cursor().execute(_SELECT_LINKS, bounds)
        try:
            while True:
                pair = events.fetchmany(size), links.fetchmany(size)
                if not pair[0] and not pair[1]:
                    return
                yield pair
        finally:
            with suppress(sqlite3.ProgrammingError):  # the store was closed first
                events.close()
                links.close()

    def _outer_join(self, after: int, upper: int) -> Iterator[ChainRecord]:
        rows = self._rows(_SELECT_RECORDS, (after, upper) * 2)
        return _with_uuid_bytes(rows) if self._uuid_ids else rows

    def _rows(self, query: str, params: tuple[int, ...]) -> Generator[Any]:
        cursor = self._conn.cursor()
        try:
            yield from cursor.execute(query, params)
        finally:
            with suppress(sqlite3.ProgrammingError):  # the store was closed first
                cursor.close()

    def head(self) -> tuple[int, bytes]:
        row = self._conn.execute(
            f"SELECT notification_id, hash FROM {CHAIN_TABLE} "
            "ORDER BY notification_id DESC LIMIT 1"
        ).fetchone()
        return (0, GENESIS) if row is None else (int(row[0]), bytes(row[1]))

    def link_at(self, position: int) -> bytes | None:
        row = self._conn.execute(
            f"SELECT hash FROM {CHAIN_TABLE} WHERE notification_id = ?", (position,)
        ).fetchone()
        return None if row is None else bytes(row[0])

    def close(self) -> None:
        self._conn.close()


def _with_uuid_bytes(rows: Iterable[tuple[Any, ...]]) -> Iterator[ChainRecord]:
    """Turn the 32-hex originator ids SQLite keeps into the 16 bytes chained."""
    fromhex = bytes.fromhex
    for position, oid, version, topic, state, prev_hash, link in rows:
        yield (  # type: ignore[misc]
            position,
            None if oid is None else fromhex(oid),
            version,
            topic,
            state,
            prev_hash,
            link,
        )


_MAX_POSITION = 2**63 - 1
_SELECT_EVENTS = (
    "SELECT rowid, originator_id, originator_version, topic, state "
    f"FROM {EVENTS_TABLE} WHERE rowid > ? AND rowid <= ? ORDER BY rowid"
)
_SELECT_LINKS = (
    f"SELECT notification_id, prev_hash, hash FROM {CHAIN_TABLE} "
    "WHERE notification_id > ? AND notification_id <= ? ORDER BY notification_id"
)
_SELECT_RECORDS = (
    "SELECT e.rowid, e.originator_id, e.originator_version, e.topic, e.state, "
    "c.prev_hash, c.hash "
    f"FROM {EVENTS_TABLE} e LEFT JOIN {CHAIN_TABLE} c ON c.notification_id = e.rowid "
    "WHERE e.rowid > ? AND e.rowid <= ? "
    "UNION ALL SELECT c.notification_id, NULL, NULL, NULL, NULL, "
    f"c.prev_hash, c.hash FROM {CHAIN_TABLE} c "
    "WHERE c.notification_id > ? AND c.notification_id <= ? AND NOT EXISTS "
    f"(SELECT 1 FROM {EVENTS_TABLE} e WHERE e.rowid = c.notification_id) "
    "ORDER BY 1"
)
"""The full outer join, as SQLite merges two ordered scans (no sort)."""
