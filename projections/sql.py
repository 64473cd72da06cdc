"""Small SQL helpers shared by the views: upserts and key lookups on both backends."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select, tuple_
from sqlalchemy.dialects import postgresql, sqlite

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from sqlalchemy import Table
    from sqlalchemy.engine import Connection, RowMapping

CHUNK = 500
"""Keys per ``IN (...)`` lookup: under SQLite's default variable limit."""


def upsert(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` into ``table``, replacing rows with the same primary key."""
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table)
    keys = [column.name for column in table.primary_key.columns]
    others = [column.name for column in table.columns if column.name not in keys]
    if others:
        statement = statement.on_conflict_do_update(
            index_elements=keys,
            set_={name: statement.excluded[name] for name in others},
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=keys)
    conn.execute(statement, list(rows))


def rows_for_keys(
    conn: Connection, table: Table, keys: Sequence[Any]
) -> Iterator[RowMapping]:
    """Yield the rows of ``table`` whose primary key is in ``keys``.

    A table with one key column takes plain values; one with several takes
    tuples in key-column order.
    """
    columns = list(table.primary_key.columns)
    target = columns[0] if len(columns) == 1 else tuple_(*columns)
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        result = conn.execute(select(table).where(target.in_(chunk)))
        yield from result.mappings()
