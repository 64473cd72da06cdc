"""RF-02, paid while imprisoned: a planted pattern is found, a near miss is not."""

from __future__ import annotations

from test_risk_money import found, one_household, topics
from test_risk_money_support import County, paid_month

from domain import roles
from projections.risk.imprisonment import paid_while_imprisoned


def imprisoned(county: County, case_no: str, *, change: str = "imprisonment") -> None:
    """Report on ``case_no``, on 20 February 2023, a change from the 10th."""
    county.add(
        "case.ChangeReported",
        case_no,
        "2023-02-20",
        change_type=change,
        effective_date="2023-02-10",
        source="data-match",
    )


def person_alone(periods: tuple[str, ...], *, change: str = "imprisonment") -> County:
    county = one_household([5])
    account = county.account("a1", "H1", holder=5)
    county.case("TK-1", "H1", [5], programme=roles.TEKUN)
    imprisoned(county, "TK-1", change=change)
    for period in periods:
        paid_month(county, period, [("TK-1", "H1", 50_000, account)])
    return county


def test_a_person_alone_paid_after_the_month_of_imprisonment_is_found() -> None:
    county = person_alone(("2023-02", "2023-03", "2023-04"))
    (finding,) = found(paid_while_imprisoned, county.money())
    assert (finding.rule_id, finding.subject, finding.severity) == (
        "RF-02",
        "TK-1",
        "high",
    )
    assert finding.summary == (
        "2 month(s) paid after the imprisonment from 2023-02-10 of the one person "
        "covered, 1000.00 yuan; first 2023-03"
    )
    assert topics(finding) == [
        "ReliefCase.ChangeReported",
        "PaymentBatch.LinesDisbursed",
    ]


def test_the_month_of_imprisonment_itself_is_not_found() -> None:
    county = person_alone(("2023-01", "2023-02"))
    assert found(paid_while_imprisoned, county.money()) == []


def test_another_kind_of_change_is_not_an_imprisonment() -> None:
    county = person_alone(("2023-02", "2023-03", "2023-04"), change="income")
    assert found(paid_while_imprisoned, county.money()) == []


def test_months_paid_after_a_step_on_the_case_are_left_to_that_step() -> None:
    county = one_household([5])
    account = county.account("a1", "H1", holder=5)
    county.case("TK-1", "H1", [5], programme=roles.TEKUN)
    imprisoned(county, "TK-1")
    paid_month(county, "2023-03", [("TK-1", "H1", 50_000, account)])
    county.add(
        "case.ReviewCompleted",
        "TK-1",
        "2023-03-20",
        review_class="annual",
        outcome="no-change",
        per_capita_income=30_000,
        next_due="2024-03-20",
    )
    paid_month(county, "2023-04", [("TK-1", "H1", 50_000, account)])
    (finding,) = found(paid_while_imprisoned, county.money())
    assert finding.summary.startswith("1 month(s) paid after the imprisonment")


def test_a_person_alone_whose_case_ended_in_time_is_not_found() -> None:
    county = person_alone(("2023-02",))
    county.add(
        "case.Terminated",
        "TK-1",
        "2023-02-25",
        effective_month="2023-03",
        reason="imprisonment",
        written_reasons="服刑: 自2023-03起停发",
    )
    assert found(paid_while_imprisoned, county.money()) == []


def family_with_a_prisoner(*, adjusted: bool) -> County:
    county = one_household([1, 2])
    account = county.account("a1", "H1", holder=1)
    county.case("DB-1", "H1", [1, 2])
    imprisoned(county, "DB-1")
    paid_month(county, "2023-03", [("DB-1", "H1", 50_000, account)])
    if adjusted:
        county.add(
            "case.Adjusted",
            "DB-1",
            "2023-04-10",
            old_amount=50_000,
            new_amount=25_000,
            effective_month="2023-05",
            reason="家庭成员服刑",
        )
    fen = 25_000 if adjusted else 50_000
    for period in ("2023-05", "2023-06"):
        paid_month(county, period, [("DB-1", "H1", fen, account)])
    return county


def test_a_family_paid_past_the_window_after_an_imprisonment_is_found() -> None:
    county = family_with_a_prisoner(adjusted=False)
    (finding,) = found(paid_while_imprisoned, county.money())
    assert (finding.subject, finding.severity) == ("DB-1", "medium")
    assert finding.summary == (
        "paid for 2023-06 with no review, adjustment or termination since a "
        "member's imprisonment from 2023-02-10"
    )
    assert topics(finding) == [
        "ReliefCase.ChangeReported",
        "PaymentBatch.LinesDisbursed",
    ]


def test_a_family_adjusted_after_the_imprisonment_is_not_found() -> None:
    county = family_with_a_prisoner(adjusted=True)
    assert found(paid_while_imprisoned, county.money()) == []
