"""Shared setup for the view tests on real stores: the money story and table dumps.

The story itself lives with the unit tests (``tests/unit/views_support.py``,
which builds on ``case_support``); this module puts that folder on the import
path so both suites run the very same commands.
"""

from __future__ import annotations

import os
import sys
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))

from views_support import HOUSEHOLDS, PERIODS, events_of, pay_month, story

from domain.service import ReliefFund
from ledger.store import create_ledger, persistence_env
from projections.catalogue import all_views
from projections.engine import views_engine
from projections.runner import ViewRunner

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy.engine import Engine

    from projections.parallel_views import Workers
    from projections.views import View

__all__ = [
    "HOUSEHOLDS",
    "PERIODS",
    "Store",
    "dump",
    "events_of",
    "module_store_url",
    "open_store",
    "pay_month",
]


@contextmanager
def module_store_url(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A store URL that lives for a whole module (the conftest's live per test)."""
    if backend == "sqlite":
        yield str(tmp_path_factory.mktemp("views") / "relief.db")
        return
    schema = f"t_{uuid.uuid4().hex[:16]}"
    try:
        admin = psycopg.connect(PG, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL is unreachable: {error}")
    with admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{PG}?schema={schema}"
    finally:
        with psycopg.connect(PG, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


PG = "postgresql://{}@{}:{}/{}".format(
    os.environ.get("RELIEF_TEST_PG_USER", "postgres"),
    os.environ.get("RELIEF_TEST_PG_HOST", "127.0.0.1"),
    os.environ.get("RELIEF_TEST_PG_PORT", "5432"),
    os.environ.get("RELIEF_TEST_PG_DBNAME", "test"),
)


@dataclass
class Store:
    """A ledger holding the money story, and an engine for its views."""

    url: str
    fund: ReliefFund
    engine: Engine

    def runner(
        self,
        page_size: int = 7,
        views: list[View] | None = None,
        *,
        workers: Workers | None = None,
    ) -> ViewRunner:
        """A runner over ``views`` (the catalogue by default), forking through
        ``workers`` if given."""
        return ViewRunner(
            self.engine,
            self.fund.recorder,
            self.fund.mapper,
            self.fund.name,
            all_views(self.engine) if views is None else views,
            page_size=page_size,
            workers=workers,
        )

    def close(self) -> None:
        self.engine.dispose()
        self.fund.close()


def open_store(url: str, *, with_story: bool = True) -> Store:
    create_ledger(url)
    fund = ReliefFund(env=persistence_env(url))
    if with_story:
        story(fund)
    return Store(url, fund, views_engine(url))


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every catalogue table (and the positions), in key order."""
    from projections.schema import tracking

    tables = {t.name: t for view in all_views(engine) for t in view.tables}
    tables[tracking.name] = tracking
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for name, table in sorted(tables.items()):
            order = list(table.primary_key.columns) or list(table.columns)
            rows = conn.execute(table.select().order_by(*order))
            out[name] = [tuple(row) for row in rows]
    return out


class CrashesAt:
    """Mixed in before a view class: its ``take`` fails at one position, as a
    crash mid-page would (``crash_at`` set by the subclass or the caller)."""

    crash_at: int

    def take(self, event: Any, at: Any) -> None:
        if at.position == self.crash_at:
            msg = "crash mid-page"
            raise RuntimeError(msg)
        super().take(event, at)  # type: ignore[misc]
