"""The ledger store: configuration from a store URL, and opening it for reading.

A store URL is either a SQLite path (default ``./relief.db``) or a
``postgresql://user[:password]@host[:port]/dbname[?schema=name]`` URL.
``persistence_env`` turns it into eventsourcing settings for an application;
``create_ledger`` makes the tables once; ``open_store`` gives a
``ledger.reader.LedgerStore`` to read and verify the chain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlsplit

from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.utils import Environment

from ledger.errors import StoreConfigError

if TYPE_CHECKING:
    from ledger.reader import LedgerStore

DEFAULT_SQLITE_PATH = "./relief.db"
TRANSCODER_TOPIC = "ledger.transcoder:FastJSONTranscoder"
MAPPER_TOPIC = "ledger.decoding:LeanMapper"

_POSTGRES_SCHEMES = ("postgresql", "postgres")


def persistence_env(url: str) -> dict[str, str]:
    """Return eventsourcing settings for an application on the store at ``url``.

    Args:
        url: a SQLite path (empty for ``./relief.db``) or a ``postgresql://``
            URL; ``?schema=`` selects a PostgreSQL schema.

    Returns:
        Settings selecting the chained persistence module, the fast transcoder,
        the lean mapper (``ledger.decoding``) and ``CREATE_TABLE=no`` (tables
        are made once by ``create_ledger``).

    Raises:
        StoreConfigError: the URL cannot name a store.
    """
    common = {
        "TRANSCODER_TOPIC": TRANSCODER_TOPIC,
        "MAPPER_TOPIC": MAPPER_TOPIC,
        "CREATE_TABLE": "no",
    }
    scheme = urlsplit(url).scheme if "://" in url else ""
    if scheme in _POSTGRES_SCHEMES:
        return {**common, **_postgres_env(url)}
    if scheme not in ("", "sqlite"):
        reason = f"the scheme {scheme!r} is neither sqlite nor postgresql"
        raise StoreConfigError(url, reason)
    path = url.removeprefix("sqlite://") if scheme else url
    path = path or DEFAULT_SQLITE_PATH
    if path.startswith(":memory:") or "mode=memory" in path:
        raise StoreConfigError(url, "an in-memory SQLite database cannot hold a ledger")
    return {**common, "PERSISTENCE_MODULE": "ledger.sqlite", "SQLITE_DBNAME": path}


def _postgres_env(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    dbname = unquote(parts.path.lstrip("/"))
    if not dbname or not parts.hostname:
        raise StoreConfigError(url, "a PostgreSQL URL needs a host and a database name")
    try:
        port = parts.port or 5432
    except ValueError:
        raise StoreConfigError(url, "the port is not a number") from None
    env = {
        "PERSISTENCE_MODULE": "ledger.postgres",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": parts.hostname,
        "POSTGRES_PORT": str(port),
        "POSTGRES_USER": unquote(parts.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
    }
    schema = parse_qs(parts.query).get("schema")
    if schema:
        env["POSTGRES_SCHEMA"] = schema[-1]
    return env


def create_ledger(url: str) -> None:
    """Create the event, link and tracking tables and the triggers (idempotent).

    Run it once, from one process, before applications start: creating tables
    from several processes at once races in PostgreSQL.

    Raises:
        StoreConfigError: the URL cannot name a store.
    """
    env = {**persistence_env(url), "CREATE_TABLE": "yes"}
    factory = InfrastructureFactory.construct(Environment(env=env))
    try:
        factory.process_recorder()
    finally:
        factory.close()


def open_store(url: str) -> LedgerStore:
    """Open the ledger at ``url`` for reading and verification.

    Raises:
        StoreConfigError: the URL cannot name a store, or it holds no ledger.
    """
    env = persistence_env(url)
    if env["PERSISTENCE_MODULE"] == "ledger.postgres":
        from ledger.postgres_store import PostgresLedgerStore

        return PostgresLedgerStore(url, env)
    from ledger.sqlite_store import SQLiteLedgerStore

    return SQLiteLedgerStore(url, env["SQLITE_DBNAME"])
