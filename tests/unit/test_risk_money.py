"""Money rules, rule by rule: a planted pattern is found, a near miss is not."""

from __future__ import annotations

from bisect import bisect_left
from datetime import date
from typing import TYPE_CHECKING

from hypothesis import given
from hypothesis import strategies as st
from test_risk_money_support import (
    OTHER_VILLAGE,
    County,
    paid_month,
    stand_in_hash,
    token,
)

from domain import roles
from projections.evidence import Evidence
from projections.risk import money_amounts
from projections.risk.money import account_misuse, double_enrolment, yuan
from projections.risk.money_amounts import paid_above_approved
from projections.risk.money_facts import Decision, Schedule
from projections.risk.money_flow import (
    paid_after_death,
    stalled_money,
    statement_disagrees,
)
from projections.risk.money_fold import money_facts

if TYPE_CHECKING:
    from projections.risk.findings import RiskFinding, Rule
    from projections.risk.money_facts import MoneyFacts


def found(check: Rule[MoneyFacts], facts: MoneyFacts) -> list[RiskFinding]:
    return list(check(facts))


def topics(finding: RiskFinding) -> list[str]:
    return [e.topic for e in finding.evidence]


def one_household(people: list[int] | None = None) -> County:
    county = County()
    county.household("H1", people or [1, 2])
    return county


# RF-16: accounts.


def test_an_account_held_by_no_member_of_its_household_is_found() -> None:
    county = one_household()
    county.account("a1", "H1", holder=9)
    findings = found(account_misuse, county.money())
    assert [(f.subject, f.severity) for f in findings] == [
        (f"account {token('a1')}", "high")
    ]
    assert "no member of household H1" in findings[0].summary
    assert topics(findings[0]) == ["BankAccount.Registered"]


def test_an_account_held_by_a_member_is_not_found() -> None:
    county = one_household()
    county.account("a1", "H1", holder=2)
    assert found(account_misuse, county.money()) == []


def test_an_account_held_by_staff_is_found_even_when_a_member_holds_it() -> None:
    county = one_household([1, 7])
    county.staff("S5", 7)
    county.account("a1", "H1", holder=7)
    (finding,) = found(account_misuse, county.money())
    assert "held by staff member S5" in finding.summary
    assert topics(finding) == ["Staff.Registered", "BankAccount.Registered"]


def test_staff_on_file_do_not_taint_an_account_they_do_not_hold() -> None:
    county = one_household([1, 7])
    county.staff("S5", 7)
    county.account("a1", "H1", holder=1)
    assert found(account_misuse, county.money()) == []


def test_one_account_paying_two_households_is_found_with_both_first_lines() -> None:
    county = one_household()
    county.household("H2", [3])
    shared = county.account("a1", "H1", holder=1)
    county.case("DB-1", "H1", [1, 2])
    county.case("DB-2", "H2", [3])
    for period in ("2023-02", "2023-03"):
        paid_month(
            county,
            period,
            [("DB-1", "H1", 50_000, shared), ("DB-2", "H2", 50_000, shared)],
        )
    (finding,) = found(account_misuse, county.money())
    assert finding.subject == f"account {shared}"
    assert "paid lines of H2" in finding.summary
    assert topics(finding) == ["BankAccount.Registered", "PaymentBatch.LinesDisbursed"]


def test_households_paid_into_their_own_accounts_are_not_found() -> None:
    county = one_household()
    county.household("H2", [3])
    own_1 = county.account("a1", "H1", holder=1)
    own_2 = county.account("a2", "H2", holder=3)
    county.case("DB-1", "H1", [1, 2])
    county.case("DB-2", "H2", [3])
    paid_month(
        county,
        "2023-02",
        [("DB-1", "H1", 50_000, own_1), ("DB-2", "H2", 50_000, own_2)],
    )
    assert found(account_misuse, county.money()) == []


# RF-18: above the approved amount or the formula.


def paid_case(fen_paid: int, *, approved: int = 50_000) -> County:
    county = one_household()
    account = county.account("a1", "H1", holder=1)
    county.case("DB-1", "H1", [1, 2], fen=approved)
    paid_month(county, "2023-02", [("DB-1", "H1", 50_000, account)])
    paid_month(county, "2023-03", [("DB-1", "H1", fen_paid, account)])
    return county


def test_a_line_paid_above_the_schedule_is_found_citing_schedule_and_line() -> None:
    (finding,) = found(paid_above_approved, paid_case(60_000).money())
    assert finding.subject == "DB-1"
    assert "100.00 yuan" in finding.summary
    assert topics(finding) == [
        "Roll.ScheduleSet",
        "PaymentBatch.LinesScheduled",
        "PaymentBatch.LinesDisbursed",
    ]


def test_lines_paid_at_the_approved_amount_are_not_found() -> None:
    assert found(paid_above_approved, paid_case(50_000).money()) == []


def test_a_schedule_recorded_before_its_case_still_counts() -> None:
    # A roll's event may stand on the ledger before the case's own events.
    rows = paid_case(50_000).rows()
    first = [r for r in rows if r.kind == "schedule"]
    facts = money_facts([*first, *(r for r in rows if r.kind != "schedule")])
    assert found(paid_above_approved, facts) == []


def test_an_amount_above_the_subsidy_formula_is_found() -> None:
    county = one_household()
    # (800 − 300) × 2 persons = 1,000 yuan is the most; 1,000.01 was approved.
    county.case("DB-1", "H1", [1, 2], fen=100_001, income=30_000)
    (finding,) = found(paid_above_approved, county.money())
    assert "exceeds the 补差 cap 1000.00 yuan" in finding.summary
    assert topics(finding) == ["ReliefCase.CheckCompleted", "ReliefCase.Approved"]


def test_an_amount_exactly_at_the_subsidy_formula_is_not_found() -> None:
    county = one_household()
    county.case("DB-1", "H1", [1, 2], fen=100_000, income=30_000)
    assert found(paid_above_approved, county.money()) == []


# RF-14: one person in two cases that exclude each other.


def test_one_person_in_two_dibao_households_in_two_regions_is_found() -> None:
    county = one_household([1, 3])
    county.household("H2", [3, 4], village=OTHER_VILLAGE)
    county.case("DB-1", "H1", [1, 3])
    county.case("DB-2", "H2", [3, 4], village=OTHER_VILLAGE, first="2023-05")
    (finding,) = found(double_enrolment, county.money())
    assert finding.subject == county.ref(3)
    assert "from 2023-05" in finding.summary
    assert topics(finding) == ["ReliefCase.Applied", "ReliefCase.Approved"] * 2


def test_tekun_and_orphan_support_together_is_found() -> None:
    county = one_household([5])
    county.case("TK-1", "H1", [5], programme=roles.TEKUN)
    county.case("GE-1", "H1", [5], programme=roles.GUER)
    (finding,) = found(double_enrolment, county.money())
    assert "特困 case TK-1" in finding.summary


def test_a_case_ended_before_the_next_began_is_not_double() -> None:
    county = one_household([1, 3])
    county.household("H2", [3, 4], village=OTHER_VILLAGE)
    county.case("DB-1", "H1", [1, 3])
    county.add(
        "case.Terminated",
        "DB-1",
        "2023-04-20",
        effective_month="2023-05",
        reason="迁出",
        written_reasons="迁往景山街道",
    )
    county.case("DB-2", "H2", [3, 4], village=OTHER_VILLAGE, first="2023-05")
    assert found(double_enrolment, county.money()) == []


def test_tekun_with_the_disability_subsidy_is_not_double() -> None:
    county = one_household([5])
    county.case("TK-1", "H1", [5], programme=roles.TEKUN)
    county.case("CJ-1", "H1", [5], programme=roles.CANJI)
    assert found(double_enrolment, county.money()) == []


# RF-01: paid after a recorded death.


def died(county: County, person: int, day: str) -> None:
    county.add(
        "household.member_deceased",
        "H1",
        day,
        person=f"{county.ref(person)}",
        date_of_death=day,
        source="公安",
    )


def test_a_sole_member_paid_for_a_month_after_death_is_found() -> None:
    county = one_household([5])
    account = county.account("a1", "H1", holder=5)
    county.case("DB-1", "H1", [5])
    died(county, 5, "2023-02-15")
    for period in ("2023-02", "2023-03", "2023-04"):
        paid_month(county, period, [("DB-1", "H1", 50_000, account)])
    (finding,) = found(paid_after_death, county.money())
    assert (finding.subject, finding.severity) == ("DB-1", "high")
    assert "2 month(s) paid after the death on 2023-02-15" in finding.summary
    assert topics(finding) == [
        "Household.MemberDeceased",
        "PaymentBatch.LinesDisbursed",
    ]


def test_the_month_of_death_itself_is_not_found() -> None:
    county = one_household([5])
    account = county.account("a1", "H1", holder=5)
    county.case("DB-1", "H1", [5])
    died(county, 5, "2023-02-15")
    paid_month(county, "2023-02", [("DB-1", "H1", 50_000, account)])
    assert found(paid_after_death, county.money()) == []


def family_with_a_death(*, reviewed: bool) -> County:
    county = one_household([1, 2])
    account = county.account("a1", "H1", holder=1)
    county.case("DB-1", "H1", [1, 2])
    died(county, 2, "2023-02-15")
    if reviewed:
        county.add(
            "case.ReviewCompleted",
            "DB-1",
            "2023-04-10",
            review_class="annual",
            outcome="减",
            per_capita_income=30_000,
            next_due="2024-04-10",
        )
    for period in ("2023-03", "2023-06"):
        paid_month(county, period, [("DB-1", "H1", 50_000, account)])
    return county


def test_a_family_paid_past_the_review_window_after_a_death_is_found() -> None:
    (finding,) = found(paid_after_death, family_with_a_death(reviewed=False).money())
    assert (finding.subject, finding.severity) == ("DB-1", "medium")
    assert "paid for 2023-06 with no review" in finding.summary


def test_a_family_reviewed_after_the_death_is_not_found() -> None:
    assert found(paid_after_death, family_with_a_death(reviewed=True).money()) == []


# RF-19: failed lines left open, idle money.


def failed_line(*, reissued_on: str = "") -> County:
    county = one_household()
    account = county.account("a1", "H1", holder=1)
    county.case("DB-1", "H1", [1, 2])
    record = county.batch("2023-03", [("DB-1", "H1", 50_000)])
    county.add(
        "payment.failed",
        record,
        "2023-03-12",
        line_no=1,
        reason_code="frozen",
        bank_ref="F1",
    )
    if reissued_on:
        county.add(
            "payment.reissued",
            record,
            reissued_on,
            line_no=1,
            bank_txn_ref="R1",
            value_date=reissued_on,
            amount_fen=50_000,
            account_token=account,
        )
    return county


def test_a_failed_line_left_open_past_the_window_is_found() -> None:
    (finding,) = found(stalled_money, failed_line().money(date(2023, 5, 1)))
    assert finding.subject == f"{roles.DIBAO}/110101001/2023-03 line 1"
    assert "still open" in finding.summary
    assert topics(finding) == ["PaymentBatch.LineFailed"]


def test_a_failed_line_reissued_late_is_found() -> None:
    county = failed_line(reissued_on="2023-04-30")
    (finding,) = found(stalled_money, county.money(date(2023, 5, 1)))
    assert "closed only on 2023-04-30" in finding.summary


def test_a_failed_line_reissued_in_time_is_not_found() -> None:
    county = failed_line(reissued_on="2023-03-20")
    assert found(stalled_money, county.money(date(2023, 5, 1))) == []


def funded(received: int, spent: int) -> County:
    county = one_household()
    account = county.account("a1", "H1", holder=1)
    county.case("DB-1", "H1", [1, 2], fen=spent)
    county.add(
        "payment.funds_received",
        f"{roles.DIBAO}/110101",
        "2023-01-02",
        source="中央",
        amount_fen=received,
        treasury_ref="GK1",
        received_on="2023-01-02",
    )
    paid_month(county, "2023-02", [("DB-1", "H1", spent, account)])
    return county


def test_money_mostly_unspent_long_after_it_arrived_is_found() -> None:
    (finding,) = found(
        stalled_money, funded(1_000_000, 100_000).money(date(2023, 6, 1))
    )
    assert finding.subject == f"fund {roles.DIBAO}/110101"
    assert "9000.00 yuan of 10000.00 yuan received 2023-01-02" in finding.summary
    assert topics(finding) == ["ProgrammeAccount.FundsReceived"]


def test_a_small_remainder_or_a_recent_receipt_is_not_idle() -> None:
    assert found(stalled_money, funded(100_000, 95_000).money(date(2023, 6, 1))) == []
    assert (
        found(stalled_money, funded(1_000_000, 100_000).money(date(2023, 3, 1))) == []
    )


# RF-20: statement and disbursements disagree.


def reconciled(extra: bool) -> County:
    county = one_household()
    account = county.account("a1", "H1", holder=1)
    county.case("DB-1", "H1", [1, 2])
    record = paid_month(county, "2023-02", [("DB-1", "H1", 50_000, account)])
    entries = [{"bank_txn_ref": f"T{record}-1", "amount_fen": 50_000}]
    if extra:
        entries.append({"bank_txn_ref": "X-unknown", "amount_fen": 88_800})
    county.add(
        "payment.reconciled", record, "2023-02-26", statement_id="ST1", entries=entries
    )
    return county


def test_a_statement_with_a_debit_no_line_matches_is_found() -> None:
    (finding,) = found(statement_disagrees, reconciled(extra=True).money())
    assert finding.subject == f"{roles.DIBAO}/110101001/2023-02 ST1"
    assert "1 unmatched debit(s) of 888.00 yuan" in finding.summary
    assert topics(finding) == ["BankStatement.Reconciled"]


def test_a_statement_matching_every_line_is_not_found() -> None:
    assert found(statement_disagrees, reconciled(extra=False).money()) == []


def test_a_line_paid_to_an_account_never_registered_is_found() -> None:
    county = one_household()
    county.account("a1", "H1", holder=1)
    county.case("DB-1", "H1", [1, 2])
    paid_month(county, "2023-02", [("DB-1", "H1", 50_000, token("elsewhere"))])
    (finding,) = found(statement_disagrees, county.money())
    assert finding.subject == f"account {token('elsewhere')}"
    assert stand_in_hash(finding.evidence[0].position) == finding.evidence[0].hash_hex


def test_yuan_shows_fen_exactly() -> None:
    assert [yuan(1), yuan(100_001), yuan(-250)] == [
        "0.01 yuan",
        "1000.01 yuan",
        "-2.50 yuan",
    ]


@given(
    st.lists(st.integers(1, 60), unique=True).map(sorted),
    st.lists(st.integers(1, 60), unique=True).map(sorted),
    st.integers(1, 70),
)
def test_a_lines_limit_is_reused_exactly_where_the_same_decisions_were_known(
    schedule_at: list[int], decision_at: list[int], made: int
) -> None:
    known = (bisect_left(schedule_at, made), bisect_left(decision_at, made))
    low, high = money_amounts._span(known, schedule_at, decision_at)
    assert low <= made < high
    for other in range(0, 75):
        same = (bisect_left(schedule_at, other), bisect_left(decision_at, other))
        assert (same == known) == (low <= other < high)


MONTHS = st.sampled_from([f"2024-{m:02d}" for m in range(1, 13)])
FEN = st.integers(0, 900)


@given(
    st.lists(st.dictionaries(MONTHS, FEN, max_size=5), max_size=3),
    st.lists(st.tuples(FEN, MONTHS), max_size=6),
    st.data(),
)
def test_a_step_function_gives_each_month_the_limit_worked_out_alone(
    steps: list[dict[str, int]],
    decided: list[tuple[int, str]],
    data: st.DataObject,
) -> None:
    def evidence(position: int) -> Evidence:
        return Evidence(position, "", "t")

    schedules = [Schedule(s, evidence(2 * i + 1)) for i, s in enumerate(steps)]
    decisions = [
        Decision(fen, month, 0, None, evidence(2 * i + 2))
        for i, (fen, month) in enumerate(decided)
    ]
    limits = money_amounts._Limits(schedules, decisions)
    known = (
        data.draw(st.integers(0, len(schedules))),
        data.draw(st.integers(0, len(decisions))),
    )
    months, caps, _ = limits.steps_at(known)
    schedule = limits.schedules[known[0] - 1] if known[0] else None
    alone = [
        money_amounts._Limits._limit(schedule, limits.decisions[: known[1]], month)
        for month in months
    ]
    assert caps == alone
