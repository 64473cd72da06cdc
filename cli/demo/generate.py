"""The demo county's legacy file: county, plants, history and money, in order.

``generate(seed, households)`` is deterministic: the same seed and size give
the same lines, byte for byte.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cli.demo.county import assign_refs
from cli.demo.draw import build_county
from cli.demo.history import write_history
from cli.demo.lines import LegacyFile
from cli.demo.payments import Money, payee_accounts, write_payments
from cli.demo.plants import plant
from cli.demo.reference import kinship_lines, reference_lines

if TYPE_CHECKING:
    from cli.demo.cases import Case
    from cli.demo.county import County
    from cli.demo.plants import Plan

DEFAULT_HOUSEHOLDS = 8_000
DEMO_PERSON_KEY = "relief-demo-county-person-key"
"""The person key the demo uses when ``RELIEF_PERSON_KEY`` is not set."""


@dataclass(frozen=True)
class Generated:
    """The generated county, its cases, the plan of plants and the file's lines."""

    county: County
    cases: list[Case]
    plan: Plan
    lines: list[bytes]
    by_type: dict[str, int]
    paid: dict[str, int]
    """Fen paid out by programme over the imported history."""

    @property
    def persons(self) -> int:
        return sum(len(h.members) for h in self.county.homes)


def generate(
    seed: int, households: int = DEFAULT_HOUSEHOLDS, person_key: str = DEMO_PERSON_KEY
) -> Generated:
    """Generate the county's five-year history as legacy JSON lines.

    Persons are named by their refs under ``person_key``, the deployment's
    ``RELIEF_PERSON_KEY``.
    """
    county = build_county(seed, households)
    assign_refs(county, person_key.encode("utf-8"))
    rng = random.Random(seed * 7919 + 1)  # demo data only, not security
    plan = plant(county, rng, households / DEFAULT_HOUSEHOLDS)
    out = LegacyFile()
    reference_lines(county, out)
    cases = write_history(county, plan, rng, out)
    kinship_lines(county, {c.home.number for c in cases}, out)
    payee_accounts(county, plan, cases, seed, out)
    money = Money(county, plan, rng, out, seed)
    write_payments(money, cases)
    paid: dict[str, int] = {}
    for (programme, _), fen in money.totals.items():
        paid[programme] = paid.get(programme, 0) + fen
    return Generated(county, cases, plan, out.ordered(), dict(out.by_type), paid)
