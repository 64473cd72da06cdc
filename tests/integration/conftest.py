"""Fixtures shared by the integration tests of the views."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from test_projection_support import Backend, open_backend
from test_views_support import Store, open_store

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A fresh store holding the money story, once per backend (a test module
    may define its own ``store``, which then takes precedence)."""
    opened = open_store(store_url)
    yield opened
    opened.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """An application and an engine on a fresh database, once per backend (the
    runner's, tracking's and definitions' tests)."""
    with open_backend(request.param, str(tmp_path)) as opened:
        yield opened
