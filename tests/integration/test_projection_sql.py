"""Bulk SQL on both backends: one-column and all-key tables, small and large batches."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, select
from test_projection_support import open_backend

from projections.sql import (
    CHUNK,
    COPY_FROM,
    add_to_rows,
    insert_rows,
    rows_for_keys,
    upsert,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from sqlalchemy.engine import Engine

tables = MetaData()
seen = Table("test_sql_seen", tables, Column("ref", String(20), primary_key=True))
pairs = Table(
    "test_sql_pairs",
    tables,
    Column("a", String(10), primary_key=True),
    Column("b", Integer, primary_key=True),
)
stamps = Table(
    "test_sql_stamps",
    tables,
    Column("n", Integer, primary_key=True),
    Column("at", DateTime, nullable=False),
)
sums = Table(
    "test_sql_sums",
    tables,
    Column("k", String(10), primary_key=True),
    Column("x", Integer, nullable=False),
    Column("y", Integer, nullable=False),
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with open_backend(request.param, str(tmp_path)) as backend:
        tables.create_all(backend.engine)
        yield backend.engine


@pytest.mark.parametrize("size", [3, COPY_FROM + 5])
def test_a_one_column_table_takes_inserts_and_repeated_upserts(
    engine: Engine, size: int
) -> None:
    rows = [{"ref": f"r{n}"} for n in range(size)]
    with engine.begin() as conn:
        insert_rows(conn, seen, rows[: size // 2])
        upsert(conn, seen, rows)
        upsert(conn, seen, rows)
    with engine.connect() as conn:
        got = sorted(conn.execute(select(seen.c.ref)).scalars())
    assert got == sorted(row["ref"] for row in rows)


@pytest.mark.parametrize("size", [4, COPY_FROM + 1])
def test_an_all_key_table_ignores_rows_it_holds(engine: Engine, size: int) -> None:
    rows = [{"a": f"k{n % 7}", "b": n} for n in range(size)]
    with engine.begin() as conn:
        upsert(conn, pairs, rows)
        upsert(conn, pairs, rows[:3])
        found = list(rows_for_keys(conn, pairs, [("k1", 1), ("k2", 2), ("k9", 9)]))
    assert sorted((r["a"], r["b"]) for r in found) == [("k1", 1), ("k2", 2)]
    with engine.connect() as conn:
        assert conn.execute(select(pairs)).all().__len__() == size


def test_values_keep_their_types_through_bind_processors(engine: Engine) -> None:
    at = datetime(2024, 5, 6, 7, 8, 9, 123456)
    with engine.begin() as conn:
        insert_rows(conn, stamps, [{"n": 1, "at": at}])
        upsert(conn, stamps, [{"n": 2, "at": at}, {"n": 1, "at": at.replace(hour=1)}])
    with engine.connect() as conn:
        got = dict(conn.execute(select(stamps.c.n, stamps.c.at)).all())
    assert got == {1: at.replace(hour=1), 2: at}


def test_a_failed_page_leaves_no_rows(engine: Engine) -> None:
    def failing_page() -> None:
        with engine.begin() as conn:
            insert_rows(conn, seen, [{"ref": "kept?"}])
            upsert(conn, seen, [{"ref": f"r{n}"} for n in range(COPY_FROM)])
            raise RuntimeError

    with pytest.raises(RuntimeError):
        failing_page()
    with engine.connect() as conn:
        assert conn.execute(select(seen)).all() == []


def test_key_lookups_span_several_chunks(engine: Engine) -> None:
    singles = [{"ref": f"r{n}"} for n in range(CHUNK * 2 + 10)]
    doubles = [{"a": f"k{n % 3}", "b": n} for n in range(CHUNK + 20)]
    with engine.begin() as conn:
        upsert(conn, seen, singles)
        upsert(conn, pairs, doubles)
        wanted = [row["ref"] for row in singles] + ["missing"]
        found = list(rows_for_keys(conn, seen, wanted))
        pair_keys = [(row["a"], row["b"]) for row in doubles] + [("k0", -1)]
        found_pairs = list(rows_for_keys(conn, pairs, pair_keys))
    assert len(found) == len(singles)
    assert len(found_pairs) == len(doubles)


def test_a_bulk_written_midnight_compares_equal_in_a_query(engine: Engine) -> None:
    midnight = datetime(2024, 2, 1)
    with engine.begin() as conn:
        insert_rows(conn, stamps, [{"n": 1, "at": midnight}])
    with engine.connect() as conn:
        found = conn.execute(select(stamps.c.n).where(stamps.c.at == midnight))
        assert list(found.scalars()) == [1]


@pytest.mark.parametrize("size", [5, COPY_FROM + 3])
def test_added_rows_sum_into_stored_rows_and_missing_numbers_count_zero(
    engine: Engine, size: int
) -> None:
    first = [{"k": f"k{n}", "x": n, "y": 1} for n in range(size)]
    second = [{"k": f"k{n}", "x": 10} for n in range(0, size + 2, 2)]
    with engine.begin() as conn:
        add_to_rows(conn, sums, first)
        add_to_rows(conn, sums, second)
        add_to_rows(conn, sums, [])
    with engine.connect() as conn:
        got = {k: (x, y) for k, x, y in conn.execute(select(sums))}
    expected = {f"k{n}": (n + (10 if n % 2 == 0 else 0), 1) for n in range(size)}
    expected |= {f"k{n}": (10, 0) for n in range(size, size + 2) if n % 2 == 0}
    assert got == expected
