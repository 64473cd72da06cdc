"""Dynamic management through the service: reviews, changes, deaths, exits, recovery."""

from __future__ import annotations

from datetime import date

import pytest
from case_support import (
    DECIDED,
    VILLAGE,
    CaseFund,
    act,
    applied,
    approved_dibao,
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
    RoleError,
)
from domain.rolls import Roll, roll_id

JUNE = date(2024, 6, 3)


@pytest.fixture
def fund() -> CaseFund:
    fund = seeded_fund()
    approved_dibao(fund)
    return fund


def refused(fund: CaseFund, error: type[DomainError], call, *args, **kwargs) -> str:
    before = recorded(fund)
    with pytest.raises(error) as caught:
        call(*args, **kwargs)
    assert recorded(fund) == before
    return str(caught.value)


def lines(fund: CaseFund, period: str, programme: str = roles.DIBAO) -> dict[str, int]:
    roll = fund.repository.get(roll_id(programme, VILLAGE))
    assert isinstance(roll, Roll)
    return {e.case_no: e.amount_fen for e in roll.entitlements(period)}


def test_a_stable_household_is_reviewed_again_in_twelve_months(fund: CaseFund) -> None:
    fund.complete_review(act("T1", JUNE), "C1", "no-change", 30_000)
    assert fund.case("C1").next_review_due == date(2025, 6, 3)


def test_an_unstable_household_is_reviewed_again_in_six_months(fund: CaseFund) -> None:
    fund.complete_review(act("T1", JUNE), "C1", "no-change", 30_000, stable=False)
    assert fund.case("C1").next_review_due == date(2024, 12, 3)


def test_a_review_outcome_comes_from_the_list(fund: CaseFund) -> None:
    refused(
        fund, InvalidDataError, fund.complete_review, act("T1", JUNE), "C1", "maybe", 0
    )


def test_a_reported_change_is_recorded(fund: CaseFund) -> None:
    fund.report_change(act("T1", JUNE), "C1", "income", date(2024, 5, 20), "self")
    assert fund.case("C1").last_change == "income"


def test_a_change_is_not_reported_from_the_future(fund: CaseFund) -> None:
    refused(
        fund,
        DeadlineError,
        fund.report_change,
        act("T1", JUNE),
        "C1",
        "income",
        date(2024, 7, 1),
        "self",
    )


def test_an_increase_takes_effect_from_its_month(fund: CaseFund) -> None:
    fund.complete_review(act("T1", JUNE), "C1", "increase", 20_000)
    fund.adjust(act("A1", JUNE), "C1", 180_000, "2024-07", "收入下降")
    assert lines(fund, "2024-06") == {"C1": 150_000}
    assert lines(fund, "2024-07") == {"C1": 180_000}


def test_an_increase_is_capped_by_the_subsidy_gap(fund: CaseFund) -> None:
    # The latest reviewed income is 30,000: the cap stays 150,000 fen.
    refused(
        fund, AmountError, fund.adjust, act("A1", JUNE), "C1", 150_001, "2024-07", "x"
    )


def test_a_decrease_gives_its_reason(fund: CaseFund) -> None:
    message = refused(
        fund,
        InvalidDataError,
        fund.adjust,
        act("A1", JUNE),
        "C1",
        100_000,
        "2024-07",
        "",
    )
    assert "decrease-reason" in message
    fund.adjust(act("A1", JUNE), "C1", 100_000, "2024-07", "就业收入增加")
    assert fund.case("C1").monthly_amount == 100_000


def test_a_decrease_is_never_backdated(fund: CaseFund) -> None:
    refused(
        fund,
        DeadlineError,
        fund.adjust,
        act("A1", JUNE),
        "C1",
        100_000,
        "2024-06",
        "就业收入增加",
    )


def test_only_an_approver_adjusts_an_amount(fund: CaseFund) -> None:
    refused(
        fund, RoleError, fund.adjust, act("T1", JUNE), "C1", 100_000, "2024-07", "x"
    )


def test_a_suspended_case_has_no_line_until_it_resumes(fund: CaseFund) -> None:
    fund.suspend(act("A1", JUNE), "C1", "2024-06", "失联")
    assert lines(fund, "2024-06") == {}
    fund.resume(act("A1", date(2024, 8, 1)), "C1", "2024-08", "已联系")
    assert lines(fund, "2024-07") == {}
    assert lines(fund, "2024-08") == {"C1": 150_000}


def test_a_suspension_is_not_backdated(fund: CaseFund) -> None:
    refused(fund, DeadlineError, fund.suspend, act("A1", JUNE), "C1", "2024-05", "x")


def test_a_suspended_case_is_not_adjusted(fund: CaseFund) -> None:
    fund.suspend(act("A1", JUNE), "C1", "2024-06", "失联")
    refused(
        fund, OrderingError, fund.adjust, act("A1", JUNE), "C1", 100_000, "2024-07", "x"
    )


def test_a_gradual_exit_pays_the_exit_amount_then_stops(fund: CaseFund) -> None:
    fund.start_gradual_exit(
        act("A1", JUNE), "C1", ("2024-07", "2024-12"), 50_000, "就业"
    )
    assert lines(fund, "2024-06") == {"C1": 150_000}
    assert lines(fund, "2024-07") == {"C1": 50_000}
    assert lines(fund, "2024-12") == {"C1": 50_000}
    assert lines(fund, "2025-01") == {}


def test_a_gradual_exit_lasts_at_most_six_months(fund: CaseFund) -> None:
    message = refused(
        fund,
        DeadlineError,
        fund.start_gradual_exit,
        act("A1", JUNE),
        "C1",
        ("2024-07", "2025-01"),
        50_000,
        "就业",
    )
    assert "gradual-exit-length" in message


def test_a_gradual_exit_pays_no_more_than_the_approved_amount(fund: CaseFund) -> None:
    refused(
        fund,
        AmountError,
        fund.start_gradual_exit,
        act("A1", JUNE),
        "C1",
        ("2024-07", "2024-09"),
        150_001,
        "就业",
    )


def test_termination_takes_effect_the_next_month(fund: CaseFund) -> None:
    fund.terminate(act("A1", JUNE), "C1", "income-or-assets", "家庭收入超过标准")
    case = fund.case("C1")
    assert (case.status, case.end_month) == ("terminated", "2024-07")
    assert lines(fund, "2024-06") == {"C1": 150_000}
    assert lines(fund, "2024-07") == {}


def test_termination_cuts_a_gradual_exit_short(fund: CaseFund) -> None:
    fund.start_gradual_exit(
        act("A1", JUNE), "C1", ("2024-07", "2024-12"), 50_000, "就业"
    )
    fund.terminate(act("A1", date(2024, 8, 5)), "C1", "voluntary", "本人申请退出")
    assert lines(fund, "2024-08") == {"C1": 50_000}
    assert lines(fund, "2024-09") == {}
    assert lines(fund, "2024-12") == {}


def test_termination_gives_written_reasons(fund: CaseFund) -> None:
    refused(fund, InvalidDataError, fund.terminate, act("A1", JUNE), "C1", "fraud", " ")


def test_a_terminated_case_is_not_terminated_again(fund: CaseFund) -> None:
    fund.terminate(act("A1", JUNE), "C1", "voluntary", "本人申请")
    refused(fund, OrderingError, fund.terminate, act("A1", JUNE), "C1", "fraud", "x")


def test_termination_releases_the_members_for_a_new_case(fund: CaseFund) -> None:
    fund.terminate(act("A1", JUNE), "C1", "voluntary", "本人申请")
    enrolment = fund.enrolment(act("A1", JUNE), ref("h1-head"))
    assert enrolment.cases() == frozenset()


def test_a_death_is_recorded_on_the_household_and_the_case(fund: CaseFund) -> None:
    fund.report_death(act("T1", JUNE), "H1", ref("h1-head"), date(2024, 5, 30), "公安")
    assert fund.case("C1").deaths == {ref("h1-head"): date(2024, 5, 30)}
    assert fund.household("H1").size == 2
    assert fund.case("C1").status == "active"


def tekun_case(fund: CaseFund) -> None:
    applied(fund, "T-1", roles.TEKUN, "分散供养", "H2")
    investigated(fund, "T-1", income=0)
    fund.assess_self_care(act("T1", DECIDED), "T-1", ref("h2-old"), ())
    fund.choose_support_mode(act("T1", DECIDED), "T-1", "分散供养")
    noticed(fund, "T-1", 110_000)
    fund.approve(act("A1", DECIDED), "T-1", 110_000)


def test_the_death_of_the_only_person_ends_the_case_next_month(fund: CaseFund) -> None:
    tekun_case(fund)
    fund.report_death(act("T1", JUNE), "H2", ref("h2-old"), date(2024, 6, 1), "殡葬")
    case = fund.case("T-1")
    assert (case.status, case.end_month, case.end_reason) == (
        "terminated",
        "2024-07",
        "death",
    )
    assert lines(fund, "2024-07", roles.TEKUN) == {}


def test_a_death_is_recorded_once(fund: CaseFund) -> None:
    fund.report_death(act("T1", JUNE), "H1", ref("h1-head"), date(2024, 5, 30), "公安")
    refused(
        fund,
        InvalidDataError,
        fund.report_death,
        act("T1", JUNE),
        "H1",
        ref("h1-head"),
        date(2024, 5, 30),
        "公安",
    )


def test_tekun_termination_needs_an_ended_notice(fund: CaseFund) -> None:
    tekun_case(fund)
    message = refused(
        fund,
        OrderingError,
        fund.terminate,
        act("A1", JUNE),
        "T-1",
        "supporter-able",
        "x",
    )
    assert "termination-notice" in message
    fund.post_termination_notice(act("T1", JUNE), "T-1", JUNE, date(2024, 6, 10))
    fund.terminate(
        act("A1", date(2024, 6, 11)), "T-1", "supporter-able", "赡养人有能力"
    )
    assert fund.case("T-1").end_month == "2024-07"


def test_an_overpayment_is_identified_ordered_and_recovered(fund: CaseFund) -> None:
    fund.identify_overpayment(
        act("T1", JUNE),
        "R-1",
        "C1",
        ("2024-04", "2024-05"),
        amount_fen=300_000,
        cause="error",
    )
    fund.order_recovery(act("A1", JUNE), "R-1", 300_000, 0, "追回决定-1")
    fund.record_recovery(act("F1", JUNE), "R-1", 200_000, "收据-1")
    fund.record_recovery(act("F1", JUNE), "R-1", 100_000, "收据-2")
    recovery = fund.recovery("R-1")
    assert (recovery.ordered, recovery.recovered, recovery.fine) == (
        300_000,
        300_000,
        0,
    )


def test_more_than_ordered_is_never_recovered(fund: CaseFund) -> None:
    fund.identify_overpayment(
        act("T1", JUNE), "R-1", "C1", ("2024-04",), amount_fen=150_000, cause="error"
    )
    fund.order_recovery(act("A1", JUNE), "R-1", 150_000, 0, "追回决定-1")
    fund.record_recovery(act("F1", JUNE), "R-1", 100_000, "收据-1")
    message = refused(
        fund,
        AmountError,
        fund.record_recovery,
        act("F1", JUNE),
        "R-1",
        50_001,
        "收据-2",
    )
    assert "recovered-within-order" in message


def test_only_fraud_is_fined_one_to_three_times(fund: CaseFund) -> None:
    fund.identify_overpayment(
        act("T1", JUNE), "R-1", "C1", ("2024-04",), amount_fen=150_000, cause="fraud"
    )
    fund.identify_overpayment(
        act("T1", JUNE), "R-2", "C1", ("2024-05",), amount_fen=150_000, cause="error"
    )
    refused(fund, AmountError, fund.order_recovery, act("A1", JUNE), "R-1", 1, 4, "d")
    refused(fund, AmountError, fund.order_recovery, act("A1", JUNE), "R-2", 1, 1, "d")
    fund.order_recovery(act("A1", JUNE), "R-1", 150_000, 3, "d")
    assert fund.recovery("R-1").fine == 450_000


def test_auditors_do_not_order_recovery(fund: CaseFund) -> None:
    fund.identify_overpayment(
        act("T1", JUNE), "R-1", "C1", ("2024-04",), amount_fen=150_000, cause="error"
    )
    refused(fund, RoleError, fund.order_recovery, act("J1", JUNE), "R-1", 1, 0, "d")


def test_a_death_outside_any_case_opens_no_enrolment(fund: CaseFund) -> None:
    from domain.enrolments import enrolment_id

    fund.report_death(act("T1", JUNE), "H4", ref("h4-dis"), date(2024, 6, 1), "卫健")
    assert fund.household("H4").size == 0
    assert not fund.exists(enrolment_id(ref("h4-dis")))


def test_a_suspension_drops_a_later_increase_until_resumed(fund: CaseFund) -> None:
    fund.adjust(act("A1", JUNE), "C1", 140_000, "2024-07", "就业收入增加")
    fund.complete_review(act("T1", JUNE), "C1", "increase", 20_000)
    fund.adjust(act("A1", JUNE), "C1", 180_000, "2024-09", "收入下降")
    fund.suspend(act("A1", JUNE), "C1", "2024-08", "失联")
    assert lines(fund, "2024-07") == {"C1": 140_000}
    assert lines(fund, "2024-09") == {}
    fund.resume(act("A1", date(2024, 10, 8)), "C1", "2024-10", "已联系")
    assert lines(fund, "2024-10") == {"C1": 180_000}


def test_an_exiting_case_is_neither_adjusted_nor_suspended(fund: CaseFund) -> None:
    fund.start_gradual_exit(
        act("A1", JUNE), "C1", ("2024-07", "2024-09"), 50_000, "就业"
    )
    refused(
        fund, OrderingError, fund.adjust, act("A1", JUNE), "C1", 100_000, "2024-08", "x"
    )
    refused(fund, OrderingError, fund.suspend, act("A1", JUNE), "C1", "2024-08", "x")


def test_a_death_reaches_every_case_covering_the_person(fund: CaseFund) -> None:
    applied(fund, "L-1", roles.LINSHI, "支出型", "H1")
    investigated(fund, "L-1")
    fund.declare_relative(act("T1", DECIDED), "L-1", ref("h1-wife"), "K1", "兄弟姐妹")
    fund.record_visit(act("C1", DECIDED), "L-1", "county", ("C1", "T2"))
    noticed(fund, "L-1", 50_000)
    fund.approve(act("A1", DECIDED), "L-1", 50_000)
    fund.report_death(act("T1", JUNE), "H1", ref("h1-wife"), date(2024, 6, 1), "公安")
    for case_no in ("C1", "L-1"):
        assert fund.case(case_no).deaths == {ref("h1-wife"): date(2024, 6, 1)}
