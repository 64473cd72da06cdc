"""The composition root: the one place that turns options into live services."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from cli.services import Services
from domain.reference_queries import PERSON_KEY
from domain.service import ReliefFund
from ledger.store import persistence_env

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["Services", "build_services", "fund_reader"]


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
