"""The views' engine sits on the ledger's database: SQLite path or PostgreSQL schema."""

from __future__ import annotations

import pytest

from projections.engine import views_engine


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
