"""RF-15 (平均保): a village sharing out equal amounts a head is found; one whose
amounts follow the 补差 formula, or too small to weigh, is not."""

from __future__ import annotations

from test_risk_money import found
from test_risk_money_support import OTHER_VILLAGE, STANDARD, County

from projections.risk.equal_shares import equal_shares

HEAD = 20_000
"""The equal share a head planted: 200 yuan a month."""


def village(
    incomes: list[int], sizes: list[int], *, equal: bool, where: str = ""
) -> County:
    """One 补差 低保 case per (income, size): paid ``HEAD`` a head when
    ``equal``, else the standard less the income, a head."""
    county = County()
    person = 0
    for n, (income, size) in enumerate(zip(incomes, sizes, strict=True), start=1):
        people = list(range(person + 1, person + size + 1))
        person += size
        county.household(f"H{n}", people, **({"village": where} if where else {}))
        head = HEAD if equal else STANDARD - income
        county.case(
            f"DB-{n}",
            f"H{n}",
            people,
            fen=head * size,
            income=income,
            **({"village": where} if where else {}),
        )
    return county


INCOMES = [10_000, 30_000, 45_000, 52_000, 60_000]
SIZES = [1, 2, 3, 2, 4]


def test_equal_shares_a_head_despite_different_incomes_are_found() -> None:
    (finding,) = found(equal_shares, village(INCOMES, SIZES, equal=True).money())
    assert (finding.rule_id, finding.subject, finding.severity) == (
        "RF-15",
        "110101001001",
        "medium",
    )
    assert finding.summary == (
        "all 5 补差 低保 cases in payment get 200.00 yuan a head, though their "
        "per-capita incomes differ (100.00 yuan to 600.00 yuan)"
    )
    topics = sorted({e.topic for e in finding.evidence})
    assert topics == ["ReliefCase.Approved", "ReliefCase.CheckCompleted"]
    assert len(finding.evidence) == 10


def test_amounts_that_follow_the_formula_are_not_found() -> None:
    assert found(equal_shares, village(INCOMES, SIZES, equal=False).money()) == []


def test_equal_shares_of_equal_incomes_follow_the_formula() -> None:
    same = [STANDARD - HEAD] * 5
    assert found(equal_shares, village(same, SIZES, equal=True).money()) == []


def test_a_village_of_fewer_cases_than_the_floor_is_not_weighed() -> None:
    county = village(INCOMES[:4], SIZES[:4], equal=True)
    assert found(equal_shares, county.money()) == []


def test_one_case_off_the_equal_share_breaks_the_pattern() -> None:
    county = village(INCOMES, SIZES, equal=True)
    county.household("H9", [90, 91])
    county.case("DB-9", "H9", [90, 91], fen=2 * HEAD + 1, income=5_000)
    assert found(equal_shares, county.money()) == []


def test_villages_are_weighed_apart() -> None:
    county = village(INCOMES[:3], SIZES[:3], equal=True)
    other = village(INCOMES[3:], SIZES[3:], equal=True, where=OTHER_VILLAGE)
    county.lines.extend(other.lines[len(county.lines) :])
    assert found(equal_shares, county.money()) == []


def test_a_share_is_counted_over_the_members_living_at_the_decision() -> None:
    county = village(INCOMES, SIZES, equal=True)
    county.add(
        "case.MemberDeceased",
        "DB-3",
        "2023-03-01",
        person_ref=county.ref(6),
        date_of_death="2023-02-20",
        source="公安",
    )
    county.add(
        "case.Adjusted",
        "DB-3",
        "2023-03-05",
        old_amount=3 * HEAD,
        new_amount=2 * HEAD,
        effective_month="2023-04",
        reason="家庭成员死亡",
    )
    (finding,) = found(equal_shares, county.money())
    assert finding.summary.startswith("all 5 补差 低保 cases in payment get 200.00")
