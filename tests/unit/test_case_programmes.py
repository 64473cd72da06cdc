"""特困, 孤儿, 残疾人两项补贴 and 临时救助 through the service."""

from __future__ import annotations

from datetime import date

import pytest
from case_support import (
    APPLIED,
    BUREAU,
    COUNTY,
    DECIDED,
    CaseFund,
    act,
    applied,
    investigated,
    noticed,
    recorded,
    ref,
    seeded_fund,
)

from domain import roles
from domain.errors import (
    AmountError,
    DeadlineError,
    DomainError,
    InvalidDataError,
    OrderingError,
)
from domain.people import Member
from domain.rolls import Roll, roll_id


@pytest.fixture
def fund() -> CaseFund:
    return seeded_fund()


def refused(fund: CaseFund, error: type[DomainError], call, *args, **kwargs) -> str:
    before = recorded(fund)
    with pytest.raises(error) as caught:
        call(*args, **kwargs)
    assert recorded(fund) == before
    return str(caught.value)


def ready_tekun(fund: CaseFund, case_no: str, household_no: str, person: str) -> None:
    applied(fund, case_no, roles.TEKUN, "分散供养", household_no)
    investigated(fund, case_no, income=0)
    fund.assess_self_care(act("T1", APPLIED), case_no, ref(person), ("bathing",))
    fund.choose_support_mode(act("T1", APPLIED), case_no, "分散供养")
    noticed(fund, case_no, 110_000)


def test_a_tekun_case_is_approved_after_a_care_assessment(fund: CaseFund) -> None:
    ready_tekun(fund, "T-1", "H2", "h2-old")
    fund.approve(act("A1", DECIDED), "T-1", 110_000)
    case = fund.case("T-1")
    assert (case.status, case.self_care, case.support_mode) == (
        "active",
        "partial-loss",
        "分散供养",
    )
    assert case.payable_amount("2024-04") == 110_000


def test_a_tekun_case_needs_a_care_assessment(fund: CaseFund) -> None:
    applied(fund, "T-1", roles.TEKUN, "分散供养", "H2")
    investigated(fund, "T-1", income=0)
    fund.choose_support_mode(act("T1", APPLIED), "T-1", "分散供养")
    noticed(fund, "T-1", 110_000)
    message = refused(
        fund, OrderingError, fund.approve, act("A1", DECIDED), "T-1", 110_000
    )
    assert "self-care-assessed" in message


def test_a_tekun_amount_is_at_most_the_standard(fund: CaseFund) -> None:
    ready_tekun(fund, "T-1", "H2", "h2-old")
    refused(fund, AmountError, fund.approve, act("A1", DECIDED), "T-1", 110_001)


def test_adl_items_come_from_the_six(fund: CaseFund) -> None:
    applied(fund, "T-1", roles.TEKUN, "分散供养", "H2")
    refused(
        fund,
        InvalidDataError,
        fund.assess_self_care,
        act("T1", APPLIED),
        "T-1",
        ref("h2-old"),
        ("flying",),
    )


def test_centralised_support_names_the_institution(fund: CaseFund) -> None:
    applied(fund, "T-1", roles.TEKUN, "集中供养", "H2")
    refused(
        fund,
        InvalidDataError,
        fund.choose_support_mode,
        act("T1", APPLIED),
        "T-1",
        "集中供养",
    )
    fund.choose_support_mode(act("T1", APPLIED), "T-1", "集中供养", "东城区养老院")
    assert fund.case("T-1").support_mode == "集中供养"


def test_an_orphan_case_is_approved(fund: CaseFund) -> None:
    applied(fund, "G-1", roles.GUER, "孤儿", "H3")
    investigated(fund, "G-1", income=0)
    noticed(fund, "G-1", 150_000)
    fund.approve(act("A1", DECIDED), "G-1", 150_000)
    assert fund.case("G-1").payable_amount("2024-04") == 150_000


def test_a_minor_is_not_both_orphan_and_tekun(fund: CaseFund) -> None:
    applied(fund, "G-1", roles.GUER, "孤儿", "H3")
    investigated(fund, "G-1", income=0)
    noticed(fund, "G-1", 150_000)
    fund.approve(act("A1", DECIDED), "G-1", 150_000)
    ready_tekun(fund, "T-2", "H3", "h3-child")
    message = refused(
        fund, OrderingError, fund.approve, act("A1", DECIDED), "T-2", 110_000
    )
    assert "tekun-orphan-exclusive" in message


def test_a_disability_subsidy_is_approved_on_its_roll(fund: CaseFund) -> None:
    applied(fund, "D-1", roles.CANJI, "护理补贴", "H4")
    investigated(fund, "D-1")
    noticed(fund, "D-1", 10_000)
    fund.approve(act("A1", DECIDED), "D-1", 10_000)
    roll = fund.repository.get(roll_id(roles.CANJI, COUNTY + "001"))
    assert isinstance(roll, Roll)
    assert [e.case_no for e in roll.entitlements("2024-04")] == ["D-1"]


def test_a_programme_needs_a_standard_in_force() -> None:
    fund = seeded_fund(standards={roles.DIBAO: 80_000})
    fund.set_standard(
        BUREAU,
        COUNTY,
        roles.CANJI,
        "urban",
        10_000,
        effective_from=date(2025, 1, 1),
        document="doc",
    )
    applied(fund, "D-1", roles.CANJI, "护理补贴", "H4")
    investigated(fund, "D-1")
    noticed(fund, "D-1", 10_000)
    message = refused(
        fund, OrderingError, fund.approve, act("A1", DECIDED), "D-1", 10_000
    )
    assert "standard-in-force" in message


def test_emergency_aid_is_granted_first_within_the_township_limit(
    fund: CaseFund,
) -> None:
    applied(fund, "L-1", roles.LINSHI, "急难型", "H1")
    fund.grant_emergency_aid(act("T1", APPLIED), "L-1", 100_000, "火灾")
    case = fund.case("L-1")
    assert case.emergency == ((100_000, APPLIED),)


def test_emergency_aid_above_the_township_limit_is_refused(fund: CaseFund) -> None:
    applied(fund, "L-1", roles.LINSHI, "急难型", "H1")
    message = refused(
        fund,
        AmountError,
        fund.grant_emergency_aid,
        act("T1", APPLIED),
        "L-1",
        100_001,
        "火灾",
    )
    assert "emergency-limit" in message


def test_emergency_aid_is_only_for_the_emergency_type(fund: CaseFund) -> None:
    applied(fund, "L-1", roles.LINSHI, "支出型", "H1")
    refused(
        fund,
        OrderingError,
        fund.grant_emergency_aid,
        act("T1", APPLIED),
        "L-1",
        1_000,
        "医疗",
    )


def test_emergency_aid_is_regularised_within_the_window(fund: CaseFund) -> None:
    applied(fund, "L-1", roles.LINSHI, "急难型", "H1")
    fund.grant_emergency_aid(act("T1", APPLIED), "L-1", 50_000, "火灾")
    fund.regularise_emergency_aid(act("T1", date(2024, 3, 31)), "L-1", 1, "签字盖章")
    assert fund.case("L-1").regularised == (1,)


def test_late_regularisation_is_refused(fund: CaseFund) -> None:
    applied(fund, "L-1", roles.LINSHI, "急难型", "H1")
    fund.grant_emergency_aid(act("T1", APPLIED), "L-1", 50_000, "火灾")
    message = refused(
        fund,
        DeadlineError,
        fund.regularise_emergency_aid,
        act("T1", date(2024, 4, 1)),
        "L-1",
        1,
        "签字盖章",
    )
    assert "regularise-window" in message


def ready_expense_aid(fund: CaseFund) -> None:
    applied(fund, "L-2", roles.LINSHI, "支出型", "H1")
    investigated(fund, "L-2")
    fund.declare_relative(
        act("T1", APPLIED), "L-2", ref("h1-wife"), "K1", roles.SIBLING
    )
    fund.record_visit(act("C1", APPLIED), "L-2", "county", ("C1", "T2"))
    noticed(fund, "L-2", 300_000)


def test_aid_above_the_limit_needs_a_case_by_case_decision(fund: CaseFund) -> None:
    ready_expense_aid(fund)
    message = refused(
        fund, AmountError, fund.approve, act("A1", DECIDED), "L-2", 300_000
    )
    assert "amount-cap" in message
    fund.decide_case_by_case(act("A1", DECIDED), "L-2", "一事一议-7", 300_000)
    fund.approve(act("A2", DECIDED), "L-2", 300_000)
    assert fund.case("L-2").status == "active"


def test_aid_is_approved_once_and_paid_in_stages(fund: CaseFund) -> None:
    ready_expense_aid(fund)
    fund.approve(act("A1", DECIDED), "L-2", 90_000, stages=(50_000, 40_000))
    case = fund.case("L-2")
    paid = [
        case.payable_amount(p) for p in ("2024-03", "2024-04", "2024-05", "2024-06")
    ]
    assert paid == [0, 50_000, 40_000, 0]


def test_stages_must_sum_to_the_amount(fund: CaseFund) -> None:
    ready_expense_aid(fund)
    refused(
        fund,
        InvalidDataError,
        fund.approve,
        act("A1", DECIDED),
        "L-2",
        90_000,
        stages=(50_000, 30_000),
    )


def test_stages_are_only_for_temporary_aid(fund: CaseFund) -> None:
    applied(fund, "D-1", roles.CANJI, "护理补贴", "H4")
    investigated(fund, "D-1")
    noticed(fund, "D-1", 10_000)
    refused(
        fund,
        InvalidDataError,
        fund.approve,
        act("A1", DECIDED),
        "D-1",
        10_000,
        stages=(5_000, 5_000),
    )


def test_tekun_covers_only_the_elderly_disabled_or_minors(fund: CaseFund) -> None:
    head = ref("h1-head")  # born 1970, no disability
    fund.submit_application(
        act("T1", APPLIED),
        "T-9",
        roles.TEKUN,
        "分散供养",
        "H1",
        covered=(head, (head,)),
        consent=("授权书", "承诺书"),
    )
    fund.accept(act("T1", APPLIED), "T-9")
    investigated(fund, "T-9", income=0)
    fund.assess_self_care(act("T1", APPLIED), "T-9", head, ())
    fund.choose_support_mode(act("T1", APPLIED), "T-9", "分散供养")
    noticed(fund, "T-9", 110_000)
    message = refused(
        fund, DomainError, fund.approve, act("A1", DECIDED), "T-9", 110_000
    )
    assert "eligibility-特困" in message


def test_the_nursing_subsidy_needs_a_severe_disability() -> None:
    fund = seeded_fund()
    clerk = act("T1", APPLIED)
    person = ref("h5-mild")
    fund.register_household(
        clerk,
        "H5",
        "110101001001",
        "urban",
        [Member(person, "周轻", "户主", date(1985, 1, 1), disability_grade=3)],
    )
    fund.submit_application(
        clerk,
        "D-5",
        roles.CANJI,
        "护理补贴",
        "H5",
        covered=(person, (person,)),
        consent=("授权书", "承诺书"),
    )
    fund.accept(clerk, "D-5")
    investigated(fund, "D-5")
    noticed(fund, "D-5", 10_000)
    message = refused(
        fund, DomainError, fund.approve, act("A1", DECIDED), "D-5", 10_000
    )
    assert "grade 1 or 2" in message


def plain(value: object) -> object:
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def test_cases_and_rolls_survive_a_snapshot() -> None:
    fund = seeded_fund(snapshots=True)
    applied(fund, "L-1", roles.LINSHI, "急难型", "H1")
    fund.grant_emergency_aid(act("T1", APPLIED), "L-1", 50_000, "火灾")
    fund.regularise_emergency_aid(act("T1", APPLIED), "L-1", 1, "签字盖章")
    investigated(fund, "L-1")
    fund.declare_relative(act("T1", APPLIED), "L-1", ref("h1-wife"), "K1", "兄弟姐妹")
    fund.record_visit(act("C1", APPLIED), "L-1", "county", ("C1", "T2"))
    noticed(fund, "L-1", 90_000)
    fund.approve(act("A1", DECIDED), "L-1", 90_000, stages=(50_000, 40_000))
    live = fund.case("L-1")
    fund.take_snapshot(live.id)
    roll = fund.repository.get(roll_id(roles.LINSHI, COUNTY + "001"))
    fund.take_snapshot(roll.id)
    again = fund.repository.get(live.id)
    # JSON gives lists for tuples; the state is otherwise the same.
    assert plain(again.__dict__) == plain(live.__dict__)
    assert again.regularised == [1]
    assert again.payable_amount("2024-05") == 40_000
    rolled = fund.repository.get(roll.id)
    assert isinstance(rolled, Roll)
    assert rolled.entitlements("2024-04") == roll.entitlements("2024-04")
    assert rolled.household_paid("H1", {"2024-04"}, "other")
