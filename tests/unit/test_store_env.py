"""Store URLs become eventsourcing settings, or a clear refusal."""

from __future__ import annotations

import pytest

from ledger.errors import LedgerError, StoreConfigError
from ledger.store import (
    DEFAULT_SQLITE_PATH,
    MAPPER_TOPIC,
    TRANSCODER_TOPIC,
    persistence_env,
)


def test_a_path_selects_the_chained_sqlite_module() -> None:
    env = persistence_env("data/ledger.db")
    assert env["PERSISTENCE_MODULE"] == "ledger.sqlite"
    assert env["SQLITE_DBNAME"] == "data/ledger.db"


def test_no_path_means_the_default_file() -> None:
    assert persistence_env("")["SQLITE_DBNAME"] == DEFAULT_SQLITE_PATH == "./relief.db"


def test_a_sqlite_url_is_read_as_its_path() -> None:
    assert persistence_env("sqlite:///tmp/x.db")["SQLITE_DBNAME"] == "/tmp/x.db"


def test_apps_create_no_tables_and_use_the_fast_transcoder() -> None:
    for url in ("relief.db", "postgresql://u@h/db"):
        env = persistence_env(url)
        assert env["CREATE_TABLE"] == "no"
        assert env["TRANSCODER_TOPIC"] == TRANSCODER_TOPIC
        assert env["MAPPER_TOPIC"] == MAPPER_TOPIC


def test_a_postgres_url_is_split_into_the_librarys_settings() -> None:
    env = persistence_env(
        "postgresql://auditor:s%40cret@db.example:6543/relief?schema=t1"
    )
    assert env == {
        "PERSISTENCE_MODULE": "ledger.postgres",
        "POSTGRES_DBNAME": "relief",
        "POSTGRES_HOST": "db.example",
        "POSTGRES_PORT": "6543",
        "POSTGRES_USER": "auditor",
        "POSTGRES_PASSWORD": "s@cret",
        "POSTGRES_SCHEMA": "t1",
        "CREATE_TABLE": "no",
        "TRANSCODER_TOPIC": TRANSCODER_TOPIC,
        "MAPPER_TOPIC": MAPPER_TOPIC,
    }


def test_postgres_defaults_are_the_usual_ones() -> None:
    env = persistence_env("postgres://localhost/test")
    assert (env["POSTGRES_PORT"], env["POSTGRES_USER"], env["POSTGRES_PASSWORD"]) == (
        "5432",
        "postgres",
        "",
    )
    assert "POSTGRES_SCHEMA" not in env


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("mysql://u@h/db", "neither sqlite nor postgresql"),
        ("postgresql://u@h", "needs a host and a database name"),
        ("postgresql://u@h:port/db", "port is not a number"),
        (":memory:", "in-memory"),
    ],
)
def test_bad_urls_are_refused_in_one_sentence(url: str, reason: str) -> None:
    with pytest.raises(StoreConfigError) as refused:
        persistence_env(url)
    message = str(refused.value)
    assert isinstance(refused.value, LedgerError)
    assert reason in message
    assert url in message
    assert message.endswith(".")
    assert message.count(". ") == 0


def test_a_refusal_never_shows_the_password() -> None:
    with pytest.raises(StoreConfigError) as refused:
        persistence_env("postgresql://auditor:hunter2@db.example/")
    assert "hunter2" not in str(refused.value)
    assert "auditor:***@db.example" in str(refused.value)


def test_a_driver_error_is_cut_to_its_first_line() -> None:
    error = StoreConfigError("relief.db", "cannot connect\n\tIs the server running?")
    assert str(error) == (
        "Store configuration rule broken for store relief.db: cannot connect."
    )
