"""The composition root: the one place that turns options into live services."""

from __future__ import annotations

import os
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cli.services import Services
from domain.reference_queries import PERSON_KEY
from domain.service import ReliefFund
from ledger.store import persistence_env
from projections.catalogue import catalogue_runner
from projections.engine import views_engine
from projections.runner import DEFAULT_PAGE_SIZE

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from sqlalchemy.engine import Engine

    from projections.runner import ViewRunner

__all__ = [
    "Services",
    "build_services",
    "caught_up_views",
    "fund_reader",
    "views_runner",
]


def build_services(db: str, keys: str | Path) -> Services:
    """Wire the services for a store URL or SQLite path and a key directory.

    Nothing is opened here: each service call connects and closes on its own,
    so ``relief --help`` works with no database at all. The person key (for
    person refs of ID numbers) comes from ``RELIEF_PERSON_KEY``.
    """
    person_key = os.environ.get("RELIEF_PERSON_KEY") or None
    return Services(db=db, keys=Path(keys), person_key=person_key)


def fund_reader(db: str, person_key: str | None = None) -> Callable[[], ReliefFund]:
    """Return a factory of fresh fund services on the store at ``db``.

    The views' worker processes (``projections.parallel_views``) read the
    ledger through it: each call opens new connections, so a forked worker
    never touches the ones its parent holds. Nothing is opened here.
    """
    env = persistence_env(db)
    if person_key:
        env[PERSON_KEY] = person_key
    return partial(ReliefFund, env=env)


def views_runner(
    fund: ReliefFund,
    engine: Engine,
    db: str,
    person_key: str | None = None,
    *,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> ViewRunner:
    """Return the catalogue's runner on ``engine``, reading ``fund``'s ledger;
    its worker processes read through fresh funds on ``db``."""
    return catalogue_runner(
        engine,
        fund.recorder,
        fund.mapper,
        fund.name,
        page_size=page_size,
        reader=fund_reader(db, person_key),
    )


@contextmanager
def caught_up_views(services: Services, fund: ReliefFund) -> Iterator[Engine]:
    """Catch every view up with the ledger, then yield the views' engine.

    A view rebuilt because its definition changed (an upgrade) is named on
    standard error: the first command after an upgrade may take a while.
    """
    engine = views_engine(services.db)
    try:
        report = views_runner(fund, engine, services.db, services.person_key).run()
        if report.rebuilt:  # on standard error: the command's output stays clean
            click.echo(
                "Views built by another definition were built again from "
                f"position 1: {', '.join(report.rebuilt)}.",
                err=True,
            )
        yield engine
    finally:
        engine.dispose()
