"""Shared fixtures: an isolated PostgreSQL schema per test, a SQLite file, raw SQL."""

from __future__ import annotations

import os
import sqlite3
import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import psycopg
import pytest
from psycopg import sql

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

PG_HOST = os.environ.get("RELIEF_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("RELIEF_TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("RELIEF_TEST_PG_USER", "postgres")
PG_DBNAME = os.environ.get("RELIEF_TEST_PG_DBNAME", "test")


def _admin_connection() -> psycopg.Connection[tuple[object, ...]]:
    """Connect to the test server, or skip (fail under CI=true) when it is down."""
    try:
        return psycopg.connect(
            host=PG_HOST,
            port=PG_PORT,
            user=PG_USER,
            dbname=PG_DBNAME,
            autocommit=True,
            connect_timeout=3,
        )
    except psycopg.OperationalError as error:
        reason = (
            f"PostgreSQL is unreachable at {PG_HOST}:{PG_PORT} "
            f"(user {PG_USER}, database {PG_DBNAME}): {error}"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}; it is required under CI=true")
        pytest.skip(reason)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A ``postgresql://`` store URL whose ``?schema=`` exists only for this test."""
    yield from _postgres_schema()


@pytest.fixture(scope="module")
def postgres_url_module() -> Iterator[str]:
    """Like ``postgres_url``, shared by the tests of one module (built once)."""
    yield from _postgres_schema()


def _postgres_schema() -> Iterator[str]:
    schema = f"t_{uuid.uuid4().hex[:16]}"
    with _admin_connection() as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    try:
        yield (
            f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{PG_DBNAME}?schema={schema}"
        )
    finally:
        with _admin_connection() as conn:
            conn.execute(
                sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema))
            )


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite store path in the test's own temporary directory."""
    return str(tmp_path / "relief.db")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest) -> str:
    """A fresh store URL, once per backend (SQLite file, PostgreSQL schema)."""
    url: str = request.getfixturevalue(f"{request.param}_url")
    return url


@pytest.fixture
def raw_sql(store_url: str) -> Iterator[Callable[[str], list[tuple[Any, ...]]]]:
    """Run one SQL statement on ``store_url`` outside the ledger, as an operator might.

    Returns the rows; the driver's own error propagates (sqlite3 or psycopg).
    """
    connections: list[Any] = []

    def run(statement: str) -> list[tuple[Any, ...]]:
        if not connections:
            connections.append(_raw_connection(store_url))
        cursor = connections[0].execute(statement)
        return list(cursor.fetchall()) if cursor.description else []

    yield run
    for connection in connections:
        connection.close()


def _raw_connection(url: str) -> Any:
    if not url.startswith("postgresql://"):
        return sqlite3.connect(url, isolation_level=None)
    parts = urlsplit(url)
    schema = parse_qs(parts.query)["schema"][0]
    return psycopg.connect(
        host=parts.hostname,
        port=parts.port,
        user=parts.username,
        dbname=parts.path.lstrip("/"),
        autocommit=True,
        options=f"-c search_path={schema}",
    )
