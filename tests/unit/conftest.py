"""Fixtures the unit tests share: the demo county the generator tests read.

Five test files check the generated lines of the same county (seed 7, 400
households); it is generated once per test process, and the tests only read it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import TYPE_CHECKING, Any

import pytest

from cli.demo.generate import generate

if TYPE_CHECKING:
    from cli.demo.generate import Generated

DEMO_SEED = 7
DEMO_HOUSEHOLDS = 400


@pytest.fixture(scope="session")
def generated() -> Generated:
    """The demo county of ``DEMO_SEED`` at ``DEMO_HOUSEHOLDS`` households."""
    return generate(DEMO_SEED, DEMO_HOUSEHOLDS)


@pytest.fixture(scope="session")
def lines(generated: Generated) -> list[dict[str, Any]]:
    """Its legacy lines, decoded, in file order."""
    return [json.loads(raw) for raw in generated.lines]


@pytest.fixture(scope="session")
def by_record(lines: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Its lines by the record they belong to, in file order."""
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in lines:
        found[line["record"]].append(line)
    return found
