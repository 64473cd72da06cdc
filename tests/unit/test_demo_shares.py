"""The demo's 平均保 village (RF-15's plant): every 补差 低保 case in payment there
is paid one amount a head; elsewhere amounts follow the formula."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cli.demo.management import living_in
from cli.demo.shares import LEAST_CASES
from domain import roles

if TYPE_CHECKING:
    from cli.demo.cases import Case
    from cli.demo.generate import Generated


def _heads(cases: list[Case]) -> set[int]:
    """Each case's amount a head of the people it covers alive in 2025 (-1 if
    it does not divide evenly)."""
    heads = set()
    for case in cases:
        alive = len(living_in(case, 2025))
        heads.add(case.monthly // alive if case.monthly % alive == 0 else -1)
    return heads


def _paid_dibao(generated: Generated, village: str) -> list[Case]:
    return [
        c
        for c in generated.cases
        if c.programme == roles.DIBAO
        and c.category == "补差"
        and c.home.village == village
        and c.ended is None
    ]


def test_the_planted_village_pays_one_amount_a_head(generated: Generated) -> None:
    (entry,) = [p for p in generated.plan.manifest() if p["rule"] == "RF-15"]
    village = entry["subject"]
    assert village == generated.plan.equal_village
    cases = _paid_dibao(generated, village)
    assert len(cases) >= LEAST_CASES
    (head,) = _heads(cases)
    assert head > 0
    homes = {c.home.number for c in cases}
    assert not any(generated.plan.special(number) for number in homes)


def test_other_villages_follow_the_formula(generated: Generated) -> None:
    villages = {h.village for h in generated.county.homes}
    villages.discard(generated.plan.equal_village)
    weighed = [v for v in villages if len(_paid_dibao(generated, v)) >= LEAST_CASES]
    assert weighed
    for village in weighed:
        assert len(_heads(_paid_dibao(generated, village))) > 1
