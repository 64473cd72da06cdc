"""RF-29: orphan support paid past the month a child turned 18, and its near misses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from test_risk_money_support import County, id_number, paid_month, token

from domain import roles
from projections.risk.money import double_enrolment
from projections.risk.orphans import orphan_over_age

if TYPE_CHECKING:
    from projections.risk.findings import RiskFinding

GUARDIAN, CHILD, SIBLING = 1, 2, 3
BORN = {GUARDIAN: "1950-06-01", CHILD: "2005-03-15", SIBLING: "2009-08-01"}
"""The child turns 18 on 2023-03-15: March 2023 is the last month payable."""


class Orphans(County):
    """A grandparent and grandchildren; 孤儿 support for the grandchildren."""

    def person(self, n: int) -> str:
        return id_number(n, BORN[n].replace("-", ""))

    def ref(self, n: int) -> str:
        return self.fund.person_ref(self.person(n))

    def home(self, *, at_school: tuple[int, ...] = ()) -> None:
        members: list[dict[str, Any]] = [
            {
                "person": self.person(n),
                "name": f"成员{n}",
                "relation": "户主" if n == GUARDIAN else roles.GRANDCHILD,
                "birth_date": BORN[n],
                "in_school": n in at_school,
            }
            for n in (GUARDIAN, CHILD, SIBLING)
        ]
        self.add(
            "household.registered",
            "H1",
            "2022-12-05",
            region_code="110101001001",
            area="urban",
            members=members,
        )
        self.account("a1", "H1", holder=GUARDIAN)

    def months(self, case_no: str, *periods: str, fen: int = 50_000) -> None:
        for period in periods:
            paid_month(self, period, [(case_no, "H1", fen, token("a1"))])


def orphan_case(
    *, covered: tuple[int, ...] = (CHILD,), at_school: tuple[int, ...] = ()
) -> Orphans:
    county = Orphans()
    county.home(at_school=at_school)
    county.case("GE-1", "H1", list(covered), programme=roles.GUER, first="2023-02")
    return county


def found(county: County) -> list[RiskFinding]:
    return list(orphan_over_age(county.money()))


def test_a_month_paid_after_the_18th_birthday_month_is_found() -> None:
    county = orphan_case()
    county.months("GE-1", "2023-02", "2023-03", "2023-04", "2023-05")
    (finding,) = found(county)
    assert (finding.rule_id, finding.severity, finding.subject) == (
        "RF-29",
        "high",
        "GE-1",
    )
    assert "2 month(s) paid after" in finding.summary
    assert "turned 18 in 2023-03 (born 2005-03-15, not at school)" in finding.summary
    assert "1000.00 yuan; first 2023-04" in finding.summary
    assert [e.topic for e in finding.evidence] == [
        "Household.Registered",
        "ReliefCase.Approved",
        "PaymentBatch.LinesDisbursed",
    ]


def test_the_birthday_month_as_the_last_month_paid_is_not_found() -> None:
    county = orphan_case()
    county.months("GE-1", "2023-02", "2023-03")
    assert found(county) == []


def test_a_child_recorded_at_school_is_not_found() -> None:
    county = orphan_case(at_school=(CHILD,))
    county.months("GE-1", "2023-02", "2023-03", "2023-04")
    assert found(county) == []


def test_an_adult_in_another_programme_is_not_an_orphan_case() -> None:
    county = Orphans()
    county.home()
    county.case("DB-1", "H1", [GUARDIAN, CHILD], first="2023-02")
    county.months("DB-1", "2023-04", "2023-05")
    assert found(county) == []


def test_a_case_reworked_for_the_younger_sibling_is_found_until_the_rework() -> None:
    county = orphan_case(covered=(CHILD, SIBLING))
    county.add(
        "case.Adjusted",
        "GE-1",
        "2023-04-20",
        old_amount=50_000,
        new_amount=25_000,
        effective_month="2023-05",
        reason="成员满18周岁",
    )
    county.months("GE-1", "2023-03", "2023-04")
    county.months("GE-1", "2023-05", "2023-06", fen=25_000)
    (finding,) = found(county)
    assert "1 month(s) paid after" in finding.summary
    assert "first 2023-04" in finding.summary


def test_a_case_with_no_rework_after_one_child_came_of_age_is_found() -> None:
    county = orphan_case(covered=(CHILD, SIBLING))
    county.months("GE-1", "2023-03", "2023-04", "2023-05")
    (finding,) = found(county)
    assert "2 month(s) paid after" in finding.summary


def test_tekun_and_orphan_support_for_one_child_are_rf14s_not_rf29s() -> None:
    county = orphan_case()
    county.case("TK-1", "H1", [CHILD], programme=roles.TEKUN, first="2023-02")
    county.months("GE-1", "2023-02", "2023-03")
    assert found(county) == []
    (double,) = double_enrolment(county.money())
    assert double.subject == county.ref(CHILD)


def test_tekun_and_orphan_support_for_two_people_of_one_household_are_not_double() -> (
    None
):
    county = orphan_case()
    county.case("TK-1", "H1", [GUARDIAN], programme=roles.TEKUN, first="2023-02")
    assert double_enrolment(county.money()) == ()


def test_a_raised_standard_does_not_excuse_an_only_child_come_of_age() -> None:
    county = orphan_case()
    county.add(
        "case.Adjusted",
        "GE-1",
        "2023-04-20",
        old_amount=50_000,
        new_amount=55_000,
        effective_month="2023-05",
        reason="标准提高",
    )
    county.months("GE-1", "2023-04")
    county.months("GE-1", "2023-05", fen=55_000)
    (finding,) = found(county)
    assert "2 month(s) paid after" in finding.summary


def test_a_child_added_to_the_household_later_is_judged_by_that_record() -> None:
    county = Orphans()
    county.add(
        "household.registered",
        "H1",
        "2022-12-05",
        region_code="110101001001",
        area="urban",
        members=[
            {
                "person": county.person(GUARDIAN),
                "name": "祖父",
                "relation": "户主",
                "birth_date": BORN[GUARDIAN],
            }
        ],
    )
    county.add(
        "household.member_added",
        "H1",
        "2022-12-20",
        person=county.person(CHILD),
        name="孙子",
        relation=roles.GRANDCHILD,
        birth_date=BORN[CHILD],
    )
    county.account("a1", "H1", holder=GUARDIAN)
    county.case("GE-1", "H1", [CHILD], programme=roles.GUER, first="2023-02")
    county.months("GE-1", "2023-04")
    (finding,) = found(county)
    assert finding.evidence[0].topic == "Household.MemberAdded"
