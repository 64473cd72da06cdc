"""RF-19 on batches as paid: late or short lines are found, lines paid on time
and in full are not."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from test_risk_money import failed_line, found, one_household, topics

from domain import roles
from projections.risk.money_facts import MoneyPolicy
from projections.risk.money_flow import stalled_money
from projections.risk.money_fold import MONEY_KINDS, money_facts

if TYPE_CHECKING:
    from test_risk_money_support import County


def march_batch(*days: str) -> County:
    """A March 2023 batch of one line per day given, each paid on that day."""
    county = one_household([1, 2, 3])
    account = county.account("a1", "H1", holder=1)
    lines = []
    for n, _ in enumerate(days, start=1):
        county.case(f"DB-{n}", "H1", [n])
        lines.append((f"DB-{n}", "H1", 50_000 + n))
    record = county.batch("2023-03", lines)
    for line_no, day in enumerate(days, start=1):
        county.paid(record, line_no, 50_000 + line_no, account, day)
    return county


def test_a_batch_with_lines_paid_after_the_pay_day_is_found_once() -> None:
    county = march_batch("2023-03-08", "2023-03-15", "2023-03-17")
    (finding,) = found(stalled_money, county.money())
    assert (finding.rule_id, finding.subject, finding.severity) == (
        "RF-19",
        f"{roles.DIBAO}/110101001/2023-03",
        "low",
    )
    assert finding.summary == (
        "2 line(s) paid after the pay day (day 10 of 2023-03), 1000.05 yuan; "
        "value dates 2023-03-15 to 2023-03-17"
    )
    assert topics(finding) == ["PaymentBatch.LinesDisbursed"] * 2
    assert finding.evidence[0].position < finding.evidence[1].position


def test_lines_paid_on_the_pay_day_are_not_late() -> None:
    county = march_batch("2023-03-08", "2023-03-10")
    assert found(stalled_money, county.money()) == []


def test_the_pay_day_is_the_countys_to_set() -> None:
    county = march_batch("2023-03-15")
    later = money_facts(county.rows(MONEY_KINDS), policy=MoneyPolicy(pay_day=15))
    assert found(stalled_money, later) == []
    assert len(found(stalled_money, county.money())) == 1


def test_a_reissue_after_a_failure_is_not_a_late_line() -> None:
    county = failed_line(reissued_on="2023-03-20")  # the 20th: past the pay day
    facts = county.money(date(2023, 5, 1))
    assert facts.late == {}
    assert found(stalled_money, facts) == []


def test_a_batch_with_lines_paid_short_is_found_once() -> None:
    county = one_household([1, 2])
    account = county.account("a1", "H1", holder=1)
    county.case("DB-1", "H1", [1])
    county.case("DB-2", "H1", [2])
    record = county.batch("2023-03", [("DB-1", "H1", 50_000), ("DB-2", "H1", 40_000)])
    county.paid(record, 1, 50_000, account)
    county.paid(record, 2, 35_000, account)
    (finding,) = found(stalled_money, county.money())
    assert (finding.subject, finding.severity) == (
        f"{roles.DIBAO}/110101001/2023-03",
        "medium",
    )
    assert finding.summary == (
        "1 line(s) paid less than scheduled, 50.00 yuan short in all; "
        "first line 2: 350.00 yuan against 400.00 yuan"
    )
    assert topics(finding) == ["PaymentBatch.LinesDisbursed"]


def test_lines_paid_in_full_are_not_short() -> None:
    county = march_batch("2023-03-08", "2023-03-09")
    assert county.money().short == {}
    assert found(stalled_money, county.money()) == []
