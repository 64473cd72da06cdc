"""Fixtures shared by the integration tests of the views."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from test_views_support import Store, open_store

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A fresh store holding the money story, once per backend (a test module
    may define its own ``store``, which then takes precedence)."""
    opened = open_store(store_url)
    yield opened
    opened.close()
