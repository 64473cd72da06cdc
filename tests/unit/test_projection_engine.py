"""The views' engine sits on the ledger's database: SQLite path or PostgreSQL schema."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from projections.engine import BUSY_MS, views_engine

if TYPE_CHECKING:
    from pathlib import Path


def test_a_sqlite_path_gives_an_engine_on_that_file() -> None:
    engine = views_engine("/tmp/ledger.db")
    assert engine.dialect.name == "sqlite"
    assert engine.url.database == "/tmp/ledger.db"


def test_an_empty_url_is_the_default_relief_db() -> None:
    assert views_engine("").url.database == "./relief.db"


def test_a_postgres_url_keeps_its_schema_as_the_search_path() -> None:
    engine = views_engine("postgresql://postgres@127.0.0.1:5432/test?schema=county_a")
    assert engine.dialect.name == "postgresql"
    assert engine.dialect.driver == "psycopg"
    assert engine.url.database == "test"
    assert "schema" not in engine.url.query


def test_another_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="neither SQLite nor PostgreSQL"):
        views_engine("mysql://localhost/relief")


def test_sqlite_views_connections_wait_and_skip_zeroing_freed_pages(
    tmp_path: Path,
) -> None:
    engine = views_engine(str(tmp_path / "relief.db"))
    with engine.connect() as conn:
        pragma = conn.exec_driver_sql
        assert pragma("PRAGMA busy_timeout").scalar() == BUSY_MS
        assert pragma("PRAGMA secure_delete").scalar() == SECURE_DELETE_FAST
        assert pragma("PRAGMA temp_store").scalar() == TEMP_STORE_MEMORY
    engine.dispose()


SECURE_DELETE_FAST = 2
TEMP_STORE_MEMORY = 2
