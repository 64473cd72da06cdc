"""Bulk SQL for the views: inserts, upserts and key lookups on both backends.

Pages write thousands of rows, so rows go to the driver's ``executemany`` as
plain tuples through ``exec_driver_sql``, with each column's SQLAlchemy bind
processor applied first (so a value is stored exactly as Core would store
it), a whole column of the page at a time (``projections.binds``). This skips
Core's per-row parameter building, which cost more than the events' own
decoding (``docs/adr-0002-projection-storage.md``).
"""

from __future__ import annotations

from functools import cache
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, tuple_

from projections.binds import column_processor

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

    from sqlalchemy import Table
    from sqlalchemy.engine import Connection, Dialect, RowMapping

CHUNK = 500
"""Keys per ``IN (...)`` lookup: under SQLite's default variable limit."""

COPY_FROM = 200
"""Rows from which a PostgreSQL upsert goes through ``COPY`` and a staging table."""


def insert_rows(
    conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Insert ``rows`` into ``table``: ``COPY`` on PostgreSQL, else ``executemany``."""
    if rows and conn.dialect.name == "postgresql":
        _copy(conn, table, rows)
    else:
        _write(conn, table, rows, upsert=False)


def insert_tuples(
    conn: Connection, table: Table, rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert rows given as tuples in ``table``'s column order (no mapping built)."""
    if not rows:
        return
    statement, _, processors = _statement(table, conn.dialect, upsert=False)
    if processors:
        rows = _processed(rows, processors)
    if conn.dialect.name == "postgresql":
        _copy_tuples(conn, table, rows)
    else:
        conn.exec_driver_sql(statement, rows)


def _copy(
    conn: Connection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    into: str | None = None,
) -> None:
    names = [column.name for column in table.columns]
    _, _, processors = _statement(table, conn.dialect, upsert=False)
    as_tuple = itemgetter(*names) if len(names) > 1 else None
    tuples = [as_tuple(row) if as_tuple else (row[names[0]],) for row in rows]
    if processors:
        tuples = _processed(tuples, processors)
    _copy_tuples(conn, table, tuples, into)


def _copy_tuples(
    conn: Connection,
    table: Table,
    rows: Iterable[tuple[Any, ...]],
    into: str | None = None,
) -> None:
    # COPY runs on the same psycopg connection, inside the page's transaction.
    quote = conn.dialect.identifier_preparer.quote
    names = [column.name for column in table.columns]
    statement = (
        f"COPY {into or conn.dialect.identifier_preparer.format_table(table)} "
        f"({', '.join(quote(n) for n in names)}) FROM STDIN"
    )
    driver = conn.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
        write = copy.write_row
        for values in rows:
            write(values)


def upsert(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` into ``table``, replacing rows with the same primary key.

    On PostgreSQL a large batch is copied into a temporary table (dropped at
    commit) and merged with one ``INSERT … SELECT … ON CONFLICT``.
    """
    if len(rows) >= COPY_FROM and conn.dialect.name == "postgresql":
        statement, _, _ = _statement(table, conn.dialect, upsert=True)
        _copy_merge(conn, table, rows, statement)
    else:
        _write(conn, table, rows, upsert=True)


def add_to_rows(
    conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Add each row's numbers to the stored row with its key (insert if none).

    Every column outside the primary key is a number; a row may leave some
    out (they count as 0). Keys must be distinct within ``rows``.
    """
    if not rows:
        return
    keys = [column.name for column in table.primary_key.columns]
    numbers = [column.name for column in table.columns if column.name not in keys]
    full = [{**dict.fromkeys(numbers, 0), **row} for row in rows]
    if len(full) >= COPY_FROM and conn.dialect.name == "postgresql":
        _copy_merge(conn, table, full, _adding(table, conn.dialect))
    else:
        _write(conn, table, full, upsert=True, statement=_adding(table, conn.dialect))


def _copy_merge(
    conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]], statement: str
) -> None:
    """Merge ``rows`` with the ``INSERT … VALUES … ON CONFLICT`` ``statement``
    through ``COPY`` into a temporary table and one ``INSERT … SELECT``."""
    preparer = conn.dialect.identifier_preparer
    target = preparer.format_table(table)
    staging = preparer.quote(f"staging_{table.name}")
    conn.exec_driver_sql(
        f"CREATE TEMPORARY TABLE {staging} (LIKE {target}) ON COMMIT DROP"
    )
    _copy(conn, table, rows, into=staging)
    values = statement.index(" VALUES (")
    conflict = statement.index(" ON CONFLICT ")
    conn.exec_driver_sql(
        f"{statement[:values]} SELECT * FROM {staging}{statement[conflict:]}"
    )
    # Dropped now, not only at commit: a page may write the same table twice.
    conn.exec_driver_sql(f"DROP TABLE {staging}")


@cache
def _adding(table: Table, dialect: Dialect) -> str:
    statement, names, _ = _statement(table, dialect, upsert=False)
    quote = dialect.identifier_preparer.quote
    keys = [column.name for column in table.primary_key.columns]
    target = dialect.identifier_preparer.format_table(table)
    sums = ", ".join(
        f"{quote(n)} = {target}.{quote(n)} + excluded.{quote(n)}"
        for n in names
        if n not in keys
    )
    conflict = ", ".join(quote(k) for k in keys)
    return f"{statement} ON CONFLICT ({conflict}) DO UPDATE SET {sums}"


def _write(
    conn: Connection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    upsert: bool,
    statement: str | None = None,
) -> None:
    if not rows:
        return
    default, names, processors = _statement(table, conn.dialect, upsert=upsert)
    statement = statement or default
    if len(names) == 1:
        params = [(row[names[0]],) for row in rows]
    else:
        as_tuple = itemgetter(*names)
        params = [as_tuple(row) for row in rows]
    if processors:
        params = _processed(params, processors)
    conn.exec_driver_sql(statement, params)


Processors = tuple[tuple[int, "Callable[[Sequence[Any]], list[Any]]"], ...]
"""(column index, column processor) for each column that has one."""


def _processed(rows: Sequence[tuple[Any, ...]], processors: Processors) -> list[Any]:
    """Return ``rows`` with the columns that need it processed, column by column.

    The rows are turned into columns and back by ``zip`` (in C), so the only
    Python work per value is what a column's processor cannot do in C.
    """
    if not rows:
        return []
    columns: list[Sequence[Any]] = list(zip(*rows, strict=True))
    for index, process in processors:
        columns[index] = process(columns[index])
    return list(zip(*columns, strict=True))


@cache
def _statement(
    table: Table, dialect: Dialect, *, upsert: bool
) -> tuple[str, tuple[str, ...], Processors]:
    quote = dialect.identifier_preparer.quote
    names = tuple(column.name for column in table.columns)
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    statement = (
        f"INSERT INTO {dialect.identifier_preparer.format_table(table)} "
        f"({', '.join(quote(n) for n in names)}) "
        f"VALUES ({', '.join(mark for _ in names)})"
    )
    if upsert:
        keys = [column.name for column in table.primary_key.columns]
        others = [n for n in names if n not in keys]
        target = ", ".join(quote(k) for k in keys)
        action = (
            "DO UPDATE SET "
            + ", ".join(f"{quote(n)} = excluded.{quote(n)}" for n in others)
            if others
            else "DO NOTHING"
        )
        statement += f" ON CONFLICT ({target}) {action}"
    processors = tuple(
        (index, processor)
        for index, column in enumerate(table.columns)
        if (processor := column_processor(column.type, dialect)) is not None
    )
    return statement, names, processors


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
