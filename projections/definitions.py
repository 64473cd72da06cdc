"""Which definition built each view: a fingerprint kept beside its position.

A view's rows depend on the events it reads (its topics), the tables it
writes (their columns and indexes) and its own code. ``fingerprint`` hashes
the first two with the view's name and its ``revision``, which a view bumps
when its code changes what it keeps and neither of the others moves.

``renew`` runs before a runner's pages: a view that holds rows (a position)
under another fingerprint, or under none (built before fingerprints were
kept), has its tables and position dropped in the same transaction, so the
run builds it again from position 1. No view mixes rows of two definitions,
and no rule misses the events that a newer definition reads and an older
one skipped (the risk-fact log read no reported changes before RF-02).
"""

from __future__ import annotations

import hashlib
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.schema import CreateIndex, CreateTable

from projections.schema import create_bookkeeping, definitions

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy import Table
    from sqlalchemy.engine import Connection, Engine

    from projections.views import View

_DIALECT = sqlite.dialect()
"""The DDL is hashed as compiled for one dialect, so a definition has the same
fingerprint on every backend."""


def fingerprint(view: View) -> str:
    """Return the SHA-256 (hex) of ``view``'s name, revision, topics and tables."""
    return _fingerprint(view.name, view.revision, view.topics, view.tables)


@cache
def _fingerprint(
    name: str, revision: int, topics: tuple[str, ...], tables: tuple[Table, ...]
) -> str:
    # Kept per definition: compiling the DDL costs about a millisecond a view,
    # and every run checks every view.
    parts = [name, f"revision {revision}", *sorted(topics)]
    for table in tables:
        parts.append(str(CreateTable(table).compile(dialect=_DIALECT)).strip())
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            parts.append(str(CreateIndex(index).compile(dialect=_DIALECT)))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def outdated(engine: Engine, views: Sequence[View], application_name: str) -> list[str]:
    """The views holding rows under another definition (or an unrecorded one),
    which the next run builds again. Changes nothing (it only creates the
    bookkeeping tables if they are missing)."""
    with engine.begin() as conn:
        create_bookkeeping(conn)
        kept = _kept(conn, [view.name for view in views])
        return [view.name for view in _stale(conn, views, kept, application_name)]


def _kept(conn: Connection, names: list[str]) -> dict[str, str]:
    query = select(definitions.c.view_name, definitions.c.fingerprint).where(
        definitions.c.view_name.in_(names)
    )
    return {name: value for name, value in conn.execute(query)}


def _stale(
    conn: Connection,
    views: Sequence[View],
    kept: dict[str, str],
    application_name: str,
) -> list[View]:
    """The views that hold a position under a fingerprint (``kept``) not their
    own."""
    return [
        view
        for view in views
        if kept.get(view.name) != fingerprint(view)
        and view.position(conn, application_name)
    ]


def renew(engine: Engine, views: Sequence[View], application_name: str) -> list[str]:
    """Drop the views built by another definition, record every view's own.

    Returns the names of the views dropped (in ``views``' order); the caller's
    run builds them again from position 1.
    """
    own = {view.name: fingerprint(view) for view in views}
    with engine.begin() as conn:
        create_bookkeeping(conn)
        kept = _kept(conn, list(own))
        stale = _stale(conn, views, kept, application_name)
        for view in stale:
            view.drop_tables(conn)
        changed = [name for name in own if kept.get(name) != own[name]]
        if changed:
            conn.execute(
                delete(definitions).where(definitions.c.view_name.in_(changed))
            )
            conn.execute(
                insert(definitions),
                [{"view_name": name, "fingerprint": own[name]} for name in changed],
            )
    return [view.name for view in stale]
