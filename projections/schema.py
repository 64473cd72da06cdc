"""SQL tables of the read side: one MetaData for the views, and the ledger's chain.

Every view table and the tracking table live in ``metadata``; the views are
created, dropped and rebuilt from it. ``ledger_chain`` is declared in a
separate ``LEDGER`` MetaData because the ledger owns and writes it: the read
side only joins it to quote an event's chain hash as evidence, and nothing
here ever creates, alters or drops it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    Column,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

POSITION = BigInteger().with_variant(Integer(), "sqlite")
"""Column type for ledger positions: ``BIGINT``, but ``INTEGER`` on SQLite, where
an ``INTEGER PRIMARY KEY`` is the rowid itself and needs no separate index
(appending rows keyed by position is about 1.4 times faster)."""

metadata = MetaData()
"""The views' tables. Views add theirs here (see ``projections.views``)."""

tracking = Table(
    "projection_tracking",
    metadata,
    Column("view_name", String(100), primary_key=True),
    Column("application_name", String(100), primary_key=True),
    Column("notification_id", BigInteger, nullable=False),
)
"""One row per view and upstream application: the last position the view holds.

Written in the same transaction as the view's rows (ADR 0002), so a view and
its position never disagree.
"""

definitions = Table(
    "projection_definitions",
    metadata,
    Column("view_name", String(100), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
)
"""One row per view: the fingerprint of the definition its rows were built by
(``projections.definitions``)."""


def create_bookkeeping(conn: Connection) -> None:
    """Create the tables that say where each view stands, if missing.

    Done once before workers start: concurrent ``CREATE TABLE`` of the same
    table can fail on PostgreSQL.
    """
    tracking.create(conn, checkfirst=True)
    definitions.create(conn, checkfirst=True)


LEDGER = MetaData()
"""Tables owned by the ledger, declared read-only for joins."""

ledger_chain = Table(
    "ledger_chain",
    LEDGER,
    Column("notification_id", BigInteger, primary_key=True),
    Column("prev_hash", LargeBinary, nullable=False),
    Column("hash", LargeBinary, nullable=False),
)
"""The ledger's link table: ``hash`` is the link of the event at ``notification_id``.

Mirrors ``ledger.sqlite``/``ledger.postgres`` (``CHAIN_TABLE``) without
importing them; a test checks the two agree on a real ledger.
"""
