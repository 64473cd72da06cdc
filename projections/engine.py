"""The views' SQLAlchemy engine, on the same database (and schema) as the ledger.

Takes the ledger's store URL as people type it (a SQLite path, empty for
``./relief.db``, or ``postgresql://user@host:port/db?schema=name``) and returns
an engine whose tables sit beside the ledger's, so evidence joins
``ledger_chain`` in the same database. Nothing connects until first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit, urlunsplit

from sqlalchemy import create_engine, event

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

DEFAULT_SQLITE_PATH = "./relief.db"
_POSTGRES_SCHEMES = ("postgresql", "postgres")


def views_engine(url: str) -> Engine:
    """Return an engine for the views beside the ledger at ``url``.

    Raises:
        ValueError: if ``url`` names neither a SQLite file nor PostgreSQL.
    """
    scheme = urlsplit(url).scheme if "://" in url else ""
    if scheme in _POSTGRES_SCHEMES:
        return _postgres_engine(url)
    if scheme not in ("", "sqlite"):
        msg = f"The store URL {url!r} names neither SQLite nor PostgreSQL."
        raise ValueError(msg)
    path = (url.removeprefix("sqlite://") if scheme else url) or DEFAULT_SQLITE_PATH
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _postgres_engine(url: str) -> Engine:
    parts = urlsplit(url)
    schema = parse_qs(parts.query).get("schema")
    target = urlunsplit(("postgresql+psycopg", parts.netloc, parts.path, "", ""))
    if not schema:
        return create_engine(target)
    return create_engine(
        target, connect_args={"options": f"-csearch_path={schema[-1]}"}
    )


BUSY_MS = 30_000
"""How long a views connection waits for SQLite's one write lock. The ledger
holds it for an append; a views worker (``projections.parallel_views``) holds
it for a page's flush and commit (under a second on the demo county), and
once for building its indexes at the end of a rebuild (about 2 s for the
postings on that county): 30 s leaves room for a far larger county and a
loaded machine, and a wait that long still ends in an error, not a hang."""

CACHE_KIB = 65_536
"""Page cache per views connection (64 MiB): a page of a rebuild dirties tens of
megabytes of table and index pages, which then reach the WAL once, at commit."""


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    # The ledger, and other views workers, write the same file from other
    # connections: wait for the write lock instead of failing at once.
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
    cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    cursor.execute("PRAGMA temp_store = MEMORY")
    # Builds such as Debian's turn secure_delete on, which writes every page a
    # rebuild frees (the old views' tables) back as zeros through the WAL.
    # The ledger itself holds everything a view derives from it, so wiping a
    # dropped view's pages protects nothing: "fast" zeroes only what costs
    # no extra I/O.
    cursor.execute("PRAGMA secure_delete = FAST")
    (mode,) = cursor.execute("PRAGMA journal_mode").fetchone()
    if str(mode).lower() == "wal":
        # Views are derived data, and a page's rows and its position commit
        # in one transaction: in WAL mode a commit without fsync stays atomic,
        # so a power cut can only lose whole pages, which the next run reads
        # again from the tracked position. The ledger's own connection keeps
        # its stricter setting (the pragma is per connection).
        cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()
