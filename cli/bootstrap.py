"""The composition root: the one place that turns options into live services."""

from __future__ import annotations

import os
from pathlib import Path

from cli.services import Services

__all__ = ["Services", "build_services"]


def build_services(db: str, keys: str | Path) -> Services:
    """Wire the services for a store URL or SQLite path and a key directory.

    Nothing is opened here: each service call connects and closes on its own,
    so ``relief --help`` works with no database at all. The person key (for
    person refs of ID numbers) comes from ``RELIEF_PERSON_KEY``.
    """
    person_key = os.environ.get("RELIEF_PERSON_KEY") or None
    return Services(db=db, keys=Path(keys), person_key=person_key)
