"""Money rules at their edges: approved amount and tier caps (RF-18), partial and
value-dated handling of failed lines (RF-19), lines a statement leaves out
(RF-20) and the month of death (RF-01). Each planted pattern is found; each
near miss is not.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from test_risk_money_support import STANDARD, County, paid_month

from domain import roles
from projections.risk.money_amounts import paid_above_approved
from projections.risk.money_flow import (
    paid_after_death,
    stalled_money,
    statement_disagrees,
)

if TYPE_CHECKING:
    from projections.risk.findings import RiskFinding, Rule
    from projections.risk.money_facts import MoneyFacts


def found(check: Rule[MoneyFacts], facts: MoneyFacts) -> list[RiskFinding]:
    return list(check(facts))


def topics(finding: RiskFinding) -> list[str]:
    return [e.topic for e in finding.evidence]


def approved_case(
    county: County,
    *,
    fen: int,
    schedule: int,
    category: str = "补差",
    people: tuple[int, ...] = (1, 2),
    income: int = 30_000,
) -> None:
    """Case DB-1 of H1 approved at ``fen`` while its roll schedules ``schedule``."""
    refs = [county.ref(n) for n in people]
    county.add(
        "case.Applied",
        "DB-1",
        "2023-01-05",
        programme=roles.DIBAO,
        category=category,
        household_no="H1",
        region_code="110101001001",
        area="urban",
        applicant_ref=refs[0],
        member_refs=refs,
        channel="窗口",
        authorisation_ref="AUTH",
        commitment_ref="COMMIT",
    )
    county.add(
        "case.CheckCompleted",
        "DB-1",
        "2023-01-10",
        per_capita_income=income,
        report_ref="REPORT",
    )
    county.add(
        "case.Approved",
        "DB-1",
        "2023-01-20",
        method=category,
        monthly_amount=fen,
        standard_fen=STANDARD,
        first_pay_month="2023-02",
        schedule={"2023-02": schedule},
    )


# RF-18: above the amount approved, though the roll allowed it.


def roll_above_approval(paid: int) -> County:
    county = County()
    county.household("H1", [1, 2])
    account = county.account("a1", "H1", holder=1)
    approved_case(county, fen=50_000, schedule=60_000)
    paid_month(county, "2023-02", [("DB-1", "H1", paid, account)])
    return county


def test_a_line_above_the_approved_amount_is_found_though_the_roll_allowed_it() -> None:
    (finding,) = found(paid_above_approved, roll_above_approval(60_000).money())
    assert "paid above the amount decided" in finding.summary
    assert "600.00 yuan against 500.00 yuan" in finding.summary
    assert topics(finding) == [
        "ReliefCase.Approved",
        "PaymentBatch.LinesScheduled",
        "PaymentBatch.LinesDisbursed",
    ]


def test_a_line_at_the_approved_amount_is_not_found() -> None:
    assert found(paid_above_approved, roll_above_approval(50_000).money()) == []


# RF-18: a tiered (分档) amount above the standard × persons covered.


def tiered(fen: int, *, dead: bool = False) -> County:
    county = County()
    county.household("H1", [1, 2])
    approved_case(county, fen=fen, schedule=fen, category="分档")
    if dead:
        county.add(
            "case.MemberDeceased",
            "DB-1",
            "2023-02-10",
            person_ref=county.ref(2),
            date_of_death="2023-02-10",
            source="公安",
        )
        county.add(
            "case.Adjusted",
            "DB-1",
            "2023-02-12",
            old_amount=fen,
            new_amount=fen,
            effective_month="2023-03",
            reason="成员死亡",
        )
    return county


def test_a_tiered_amount_above_the_standard_times_persons_is_found() -> None:
    (finding,) = found(paid_above_approved, tiered(2 * STANDARD + 1).money())
    assert "exceeds the standard × persons 1600.00 yuan (2 persons)" in finding.summary
    assert topics(finding) == ["ReliefCase.Approved"]


def test_a_tiered_amount_at_the_cap_is_not_found() -> None:
    assert found(paid_above_approved, tiered(2 * STANDARD).money()) == []


def test_a_member_dead_before_the_decision_is_not_covered() -> None:
    (finding,) = found(paid_above_approved, tiered(2 * STANDARD, dead=True).money())
    assert "from 2023-03 exceeds" in finding.summary
    assert "(1 persons)" in finding.summary
    assert found(paid_above_approved, tiered(STANDARD, dead=True).money()) == []


# RF-19: failed lines, judged by the day the money moved and by the amount.


def failed_then_reissued(*, recorded: str, value_date: str, fen: int) -> County:
    county = County()
    county.household("H1", [1, 2])
    account = county.account("a1", "H1", holder=1)
    approved_case(county, fen=50_000, schedule=50_000)
    record = county.batch("2023-03", [("DB-1", "H1", 50_000)])
    county.add(
        "payment.failed",
        record,
        "2023-03-12",
        line_no=1,
        reason_code="frozen",
        bank_ref="F1",
    )
    county.add(
        "payment.reissued",
        record,
        recorded,
        line_no=1,
        bank_txn_ref="R1",
        value_date=value_date,
        amount_fen=fen,
        account_token=account,
    )
    return county


def test_a_reissue_dated_in_time_whose_money_moved_late_is_found() -> None:
    county = failed_then_reissued(
        recorded="2023-03-20", value_date="2023-04-25", fen=50_000
    )
    (finding,) = found(stalled_money, county.money(date(2023, 6, 1)))
    assert "closed only on 2023-04-25 (due by 2023-04-11)" in finding.summary


def test_a_reissue_recorded_late_whose_money_moved_in_time_is_not_found() -> None:
    county = failed_then_reissued(
        recorded="2023-04-25", value_date="2023-03-20", fen=50_000
    )
    assert found(stalled_money, county.money(date(2023, 6, 1))) == []


def test_a_partial_reissue_leaves_the_rest_open() -> None:
    county = failed_then_reissued(
        recorded="2023-03-20", value_date="2023-03-20", fen=30_000
    )
    (finding,) = found(stalled_money, county.money(date(2023, 6, 1)))
    assert "only 300.00 yuan of 500.00 yuan handled on 2023-03-20" in finding.summary
    assert "200.00 yuan still open" in finding.summary
    assert found(stalled_money, county.money(date(2023, 4, 1))) == []


# RF-20: a paid line the statement leaves out.


def statement_of(*, shown: list[int], late_line: bool = False) -> County:
    county = County()
    county.household("H1", [1, 2])
    county.household("H2", [3])
    a1 = county.account("a1", "H1", holder=1)
    a2 = county.account("a2", "H2", holder=3)
    approved_case(county, fen=50_000, schedule=50_000)
    county.case("DB-2", "H2", [3], fen=40_000)
    record = county.batch("2023-02", [("DB-1", "H1", 50_000), ("DB-2", "H2", 40_000)])
    county.paid(record, 1, 50_000, a1)
    if not late_line:
        county.paid(record, 2, 40_000, a2)
    entries = [
        {"bank_txn_ref": f"T{record}-{n}", "amount_fen": [50_000, 40_000][n - 1]}
        for n in shown
    ]
    county.add(
        "payment.reconciled", record, "2023-02-26", statement_id="ST1", entries=entries
    )
    if late_line:
        county.imported()  # the statement is on the ledger before the line
        county.paid(record, 2, 40_000, a2, day="2023-02-09")
    return county


def test_a_paid_line_missing_from_the_statement_is_found_citing_it() -> None:
    (finding,) = found(statement_disagrees, statement_of(shown=[1]).money())
    assert "1 paid line(s) not on the statement" in finding.summary
    assert topics(finding) == [
        "PaymentBatch.LinesDisbursed",
        "BankStatement.Reconciled",
    ]


def test_a_line_recorded_paid_after_the_statement_it_belongs_on_is_found() -> None:
    county = statement_of(shown=[1], late_line=True)
    (finding,) = found(statement_disagrees, county.money())
    assert finding.subject.endswith("line 2")
    assert "recorded after statement ST1 of 2023-02-26" in finding.summary


def test_a_statement_showing_every_paid_line_is_not_found() -> None:
    assert found(statement_disagrees, statement_of(shown=[1, 2]).money()) == []


# RF-01: the month of death is due; the next month is not.


def sole_member(died_on: str, periods: tuple[str, ...]) -> County:
    county = County()
    county.household("H1", [5])
    account = county.account("a1", "H1", holder=5)
    approved_case(county, fen=50_000, schedule=50_000, people=(5,))
    county.add(
        "household.member_deceased",
        "H1",
        died_on,
        person=county.ref(5),
        date_of_death=died_on,
        source="公安",
    )
    for period in periods:
        paid_month(county, period, [("DB-1", "H1", 50_000, account)])
    return county


def test_paid_for_the_month_after_a_death_on_its_last_day_is_found() -> None:
    county = sole_member("2023-02-28", ("2023-02", "2023-03"))
    (finding,) = found(paid_after_death, county.money())
    assert "1 month(s) paid after the death on 2023-02-28" in finding.summary
    assert "first 2023-03" in finding.summary


def test_paid_for_the_month_of_a_death_on_its_first_day_is_not_found() -> None:
    county = sole_member("2023-03-01", ("2023-02", "2023-03"))
    assert found(paid_after_death, county.money()) == []
