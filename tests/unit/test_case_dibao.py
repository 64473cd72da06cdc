"""低保 through the service: application to approval, and every refusal on the way."""

from __future__ import annotations

from datetime import date

import pytest
from case_support import (
    APPLIED,
    BUREAU,
    DECIDED,
    MEMBERS_H1,
    NOTICE_ENDS,
    OPINED,
    POSTED,
    VILLAGE,
    VISITED,
    CaseFund,
    act,
    applied,
    approved_dibao,
    investigated,
    noticed,
    ready_dibao,
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
    NotFoundError,
    OrderingError,
    RoleError,
    SeparationOfDutiesError,
)
from domain.rolls import Entitlement, Roll, roll_id


@pytest.fixture
def fund() -> CaseFund:
    return seeded_fund()


def refused(fund: CaseFund, error: type[DomainError], call, *args, **kwargs) -> str:
    """Call a command that must be refused; prove that nothing was recorded."""
    before = recorded(fund)
    with pytest.raises(error) as caught:
        call(*args, **kwargs)
    assert recorded(fund) == before
    return str(caught.value)


def event_names(fund: CaseFund, case_no: str) -> list[str]:
    case = fund.case(case_no)
    events = fund.repository.event_store.get(case.id)
    return [type(e).__name__ for e in events]


def test_a_dibao_case_runs_from_application_to_approval(fund: CaseFund) -> None:
    approved_dibao(fund)
    assert event_names(fund, "C1") == [
        "Applied",
        "Accepted",
        "CheckRequested",
        "CheckCompleted",
        "HomeVisited",
        "RelativeDeclared",
        "HomeVisited",
        "OpinionIssued",
        "NoticePosted",
        "Approved",
    ]
    case = fund.case("C1")
    assert (case.status, case.monthly_amount, case.first_pay_month) == (
        "active",
        150_000,
        "2024-04",
    )
    assert case.approver == "A1"


def test_approval_pays_from_the_month_after_the_decision(fund: CaseFund) -> None:
    approved_dibao(fund)
    case = fund.case("C1")
    assert case.payable_amount("2024-03") == 0
    assert case.payable_amount("2024-04") == 150_000
    assert case.payable_amount("2025-01") == 150_000


def test_approval_puts_the_case_on_its_township_roll(fund: CaseFund) -> None:
    approved_dibao(fund)
    roll = fund.repository.get(roll_id(roles.DIBAO, VILLAGE[:9]))
    assert isinstance(roll, Roll)
    assert roll.entitlements("2024-04") == [Entitlement("C1", "H1", 150_000)]
    assert roll.entitlements("2024-03") == []


def test_the_deadline_is_thirty_working_days_after_acceptance(fund: CaseFund) -> None:
    applied(fund, "C1", roles.DIBAO, "补差", "H1")
    # March gives 20 working days after 03-01; 04-01..03 (23); 04-04..06 off
    # for 清明; Sunday 04-07 is a 调休 workday (24); 04-08..12 (29); 04-15 (30).
    assert fund.case("C1").deadline == date(2024, 4, 15)


def test_an_extension_allows_forty_five_working_days(fund: CaseFund) -> None:
    applied(fund, "C1", roles.DIBAO, "补差", "H1")
    fund.extend(act("T1", OPINED), "C1", "调查困难")
    # 30 working days end on 04-15; then 04-16..19 (34), 04-22..26 (39), Sunday
    # 04-28 is a 调休 workday (40), 04-29..30 (42), 05-01..05 off, 05-06..08 (45).
    assert fund.case("C1").deadline == date(2024, 5, 8)


def test_an_extension_needs_an_allowed_reason(fund: CaseFund) -> None:
    applied(fund, "C1", roles.DIBAO, "补差", "H1")
    refused(fund, InvalidDataError, fund.extend, act("T1", OPINED), "C1", "忙")


def test_an_application_needs_authorisation_and_commitment(fund: CaseFund) -> None:
    message = refused(
        fund,
        InvalidDataError,
        fund.submit_application,
        act("T1", APPLIED),
        "C9",
        roles.DIBAO,
        "补差",
        "H1",
        covered=(MEMBERS_H1[0], MEMBERS_H1),
        consent=("授权书", " "),
    )
    assert "authorisation-commitment" in message
    assert "case C9" in message


def test_the_applicant_must_be_a_covered_member(fund: CaseFund) -> None:
    refused(
        fund,
        InvalidDataError,
        fund.submit_application,
        act("T1", APPLIED),
        "C9",
        roles.DIBAO,
        "补差",
        "H1",
        covered=(ref("stranger"), MEMBERS_H1),
        consent=("a", "b"),
    )


def test_covered_persons_must_be_members_of_the_household(fund: CaseFund) -> None:
    refused(
        fund,
        InvalidDataError,
        fund.submit_application,
        act("T1", APPLIED),
        "C9",
        roles.DIBAO,
        "补差",
        "H1",
        covered=(MEMBERS_H1[0], (*MEMBERS_H1, ref("x"))),
        consent=("a", "b"),
    )


def test_a_case_number_is_used_once(fund: CaseFund) -> None:
    applied(fund, "C1", roles.DIBAO, "补差", "H1")
    refused(
        fund,
        InvalidDataError,
        fund.submit_application,
        act("T1", APPLIED),
        "C1",
        roles.DIBAO,
        "补差",
        "H1",
        covered=(MEMBERS_H1[0], MEMBERS_H1),
        consent=("a", "b"),
    )


def test_only_township_or_county_clerks_handle_intake(fund: CaseFund) -> None:
    refused(
        fund,
        RoleError,
        fund.submit_application,
        act("A1", APPLIED),
        "C9",
        roles.DIBAO,
        "补差",
        "H1",
        covered=(MEMBERS_H1[0], MEMBERS_H1),
        consent=("a", "b"),
    )


def test_a_claimed_role_must_be_held(fund: CaseFund) -> None:
    applied(fund, "C1", roles.DIBAO, "补差", "H1")
    claimed = act("A1", APPLIED, roles.TOWNSHIP_CLERK)
    refused(fund, RoleError, fund.request_check, claimed, "C1", ("户籍",))


def test_discipline_inspectors_never_alter_cases(fund: CaseFund) -> None:
    ready_dibao(fund)
    message = refused(fund, RoleError, fund.approve, act("J1", DECIDED), "C1", 150_000)
    assert "纪检" in message


def test_an_unknown_case_is_not_found(fund: CaseFund) -> None:
    refused(fund, NotFoundError, fund.accept, act("T1", APPLIED), "C404")


def test_a_check_is_completed_only_after_it_is_requested(fund: CaseFund) -> None:
    applied(fund, "C1", roles.DIBAO, "补差", "H1")
    refused(fund, OrderingError, fund.complete_check, act("C1", APPLIED), "C1", 1, "r")


def test_a_visit_needs_two_investigators(fund: CaseFund) -> None:
    applied(fund, "C1", roles.DIBAO, "补差", "H1")
    refused(
        fund,
        InvalidDataError,
        fund.record_visit,
        act("T1", VISITED),
        "C1",
        "township",
        ("T1", "T1"),
    )


def test_no_investigator_may_be_kin_of_a_member(fund: CaseFund) -> None:
    applied(fund, "C1", roles.DIBAO, "补差", "H1")
    message = refused(
        fund,
        SeparationOfDutiesError,
        fund.record_visit,
        act("T1", VISITED),
        "C1",
        "township",
        ("T1", "K1"),
    )
    assert "investigator-not-kin" in message


def test_the_opinion_needs_a_completed_check(fund: CaseFund) -> None:
    applied(fund, "C1", roles.DIBAO, "补差", "H1")
    refused(
        fund, OrderingError, fund.issue_opinion, act("T1", OPINED), "C1", "approve", 1
    )


def test_the_opinion_needs_a_township_visit(fund: CaseFund) -> None:
    applied(fund, "C1", roles.DIBAO, "补差", "H1")
    fund.request_check(act("T1", APPLIED), "C1", ("户籍",))
    fund.complete_check(act("C1", VISITED), "C1", 30_000, "r")
    message = refused(
        fund, OrderingError, fund.issue_opinion, act("T1", OPINED), "C1", "approve", 1
    )
    assert "township-visit" in message


def test_the_opinion_needs_the_relative_of_a_cadre_filed(fund: CaseFund) -> None:
    applied(fund, "C1", roles.DIBAO, "补差", "H1")
    investigated(fund, "C1")
    message = refused(
        fund, OrderingError, fund.issue_opinion, act("T1", OPINED), "C1", "approve", 1
    )
    assert "relative-filing" in message


def test_a_household_without_relatives_of_staff_needs_no_filing(fund: CaseFund) -> None:
    applied(fund, "C2", roles.CANJI, "生活补贴", "H4")
    investigated(fund, "C2")
    fund.issue_opinion(act("T1", OPINED), "C2", "approve", 10_000)
    assert fund.case("C2").opinion_officer == "T1"


def test_a_relative_is_filed_under_one_of_the_eight_relations(fund: CaseFund) -> None:
    applied(fund, "C1", roles.DIBAO, "补差", "H1")
    refused(
        fund,
        InvalidDataError,
        fund.declare_relative,
        act("T1", VISITED),
        "C1",
        ref("h1-wife"),
        "K1",
        "表兄弟",
    )


def test_the_notice_needs_a_preliminary_opinion(fund: CaseFund) -> None:
    applied(fund, "C1", roles.DIBAO, "补差", "H1")
    refused(
        fund,
        OrderingError,
        fund.post_notice,
        act("T1", POSTED),
        "C1",
        POSTED,
        NOTICE_ENDS,
    )


def test_the_notice_lasts_at_least_seven_days(fund: CaseFund) -> None:
    applied(fund, "C2", roles.CANJI, "生活补贴", "H4")
    investigated(fund, "C2")
    fund.issue_opinion(act("T1", OPINED), "C2", "approve", 10_000)
    message = refused(
        fund,
        DeadlineError,
        fund.post_notice,
        act("T1", POSTED),
        "C2",
        POSTED,
        date(2024, 3, 13),
    )
    assert "notice-days" in message


def test_the_notice_shows_only_name_household_size_and_amount(fund: CaseFund) -> None:
    ready_dibao(fund)
    events = fund.repository.event_store.get(fund.case("C1").id)
    notice = next(e for e in events if type(e).__name__ == "NoticePosted")
    shown = {k: v for k, v in notice.__dict__.items() if k.startswith("shown_")}
    assert shown == {"shown_name": "王大", "shown_size": 3, "shown_amount": 150_000}


def test_approval_waits_for_the_end_of_the_notice(fund: CaseFund) -> None:
    ready_dibao(fund)
    message = refused(
        fund, OrderingError, fund.approve, act("A1", NOTICE_ENDS), "C1", 1
    )
    assert "notice-ended" in message


def test_approval_waits_for_an_open_objection(fund: CaseFund) -> None:
    ready_dibao(fund)
    fund.receive_objection(act("T1", date(2024, 3, 8)), "C1", "O1", "12349")
    message = refused(fund, OrderingError, fund.approve, act("A1", DECIDED), "C1", 1)
    assert "objection-open" in message


def test_an_objection_is_resolved_by_democratic_review(fund: CaseFund) -> None:
    ready_dibao(fund)
    fund.receive_objection(act("T1", date(2024, 3, 8)), "C1", "O1", "12349")
    fund.hold_democratic_review(act("T1", date(2024, 3, 11)), "C1", "属实困难", "纪要")
    fund.resolve_objection(
        act("T1", date(2024, 3, 11)), "C1", "O1", "民主评议", "不成立"
    )
    case = fund.case("C1")
    assert case.objections == {}
    assert case.opinion_officer is None


def test_a_resolved_objection_needs_a_new_opinion_and_notice(fund: CaseFund) -> None:
    ready_dibao(fund)
    fund.receive_objection(act("T1", date(2024, 3, 8)), "C1", "O1", "12349")
    fund.record_visit(act("T2", date(2024, 3, 11)), "C1", "township", ("T1", "T2"))
    fund.resolve_objection(
        act("T1", date(2024, 3, 11)), "C1", "O1", "重新调查", "不成立"
    )
    refused(fund, OrderingError, fund.approve, act("A1", DECIDED), "C1", 150_000)
    fund.issue_opinion(act("T1", date(2024, 3, 12)), "C1", "approve", 150_000)
    fund.post_notice(
        act("T1", date(2024, 3, 12)), "C1", date(2024, 3, 12), date(2024, 3, 19)
    )
    fund.approve(act("A1", date(2024, 3, 20)), "C1", 150_000)
    assert fund.case("C1").status == "active"


def test_an_objection_is_not_resolved_without_its_path(fund: CaseFund) -> None:
    ready_dibao(fund)
    fund.receive_objection(act("T1", date(2024, 3, 8)), "C1", "O1", "12349")
    message = refused(
        fund,
        OrderingError,
        fund.resolve_objection,
        act("T1", date(2024, 3, 9)),
        "C1",
        "O1",
        "民主评议",
        "不成立",
    )
    assert "objection-path" in message


def test_a_filed_relative_needs_a_county_visit_before_approval(fund: CaseFund) -> None:
    applied(fund, "C1", roles.DIBAO, "补差", "H1")
    investigated(fund, "C1")
    fund.declare_relative(act("T1", VISITED), "C1", ref("h1-wife"), "K1", roles.SIBLING)
    noticed(fund, "C1", 150_000)
    message = refused(fund, OrderingError, fund.approve, act("A1", DECIDED), "C1", 1)
    assert "county-visit" in message


def test_the_approver_is_not_the_opinion_officer(fund: CaseFund) -> None:
    fund.assign_role(BUREAU, "T1", roles.APPROVER, "110101", date(2024, 1, 1))
    applied(fund, "C2", roles.CANJI, "生活补贴", "H4")
    investigated(fund, "C2")
    noticed(fund, "C2", 10_000)
    message = refused(
        fund,
        SeparationOfDutiesError,
        fund.approve,
        act("T1", DECIDED, roles.APPROVER),
        "C2",
        10_000,
    )
    assert "approver-not-opinion-officer" in message


def test_the_approver_is_not_kin_of_a_member(fund: CaseFund) -> None:
    fund.assign_role(BUREAU, "K1", roles.APPROVER, "110101", date(2024, 1, 1))
    ready_dibao(fund)
    message = refused(
        fund,
        SeparationOfDutiesError,
        fund.approve,
        act("K1", DECIDED, roles.APPROVER),
        "C1",
        150_000,
    )
    assert "approver-not-kin" in message


def test_the_amount_is_at_most_the_subsidy_gap_times_household_size(
    fund: CaseFund,
) -> None:
    ready_dibao(fund)
    # (800.00 − 300.00 yuan) × 3 persons = 1,500.00 yuan = 150,000 fen.
    message = refused(
        fund, AmountError, fund.approve, act("A1", DECIDED), "C1", 150_001
    )
    assert "amount-cap" in message
    fund.approve(act("A1", DECIDED), "C1", 150_000)


def test_an_income_above_the_standard_leaves_nothing_to_approve(fund: CaseFund) -> None:
    applied(fund, "C1", roles.DIBAO, "补差", "H1")
    investigated(fund, "C1", income=90_000)
    fund.declare_relative(act("T1", VISITED), "C1", ref("h1-wife"), "K1", roles.SIBLING)
    fund.record_visit(act("C1", VISITED), "C1", "county", ("C1", "T2"))
    noticed(fund, "C1", 1)
    refused(fund, AmountError, fund.approve, act("A1", DECIDED), "C1", 1)


def test_approval_after_the_deadline_is_refused(fund: CaseFund) -> None:
    ready_dibao(fund)
    message = refused(
        fund, DeadlineError, fund.approve, act("A1", date(2024, 4, 16)), "C1", 150_000
    )
    assert "decision-deadline" in message


def test_a_rejection_gives_written_reasons(fund: CaseFund) -> None:
    ready_dibao(fund)
    refused(fund, InvalidDataError, fund.reject, act("A1", DECIDED), "C1", ())
    fund.reject(act("A1", DECIDED), "C1", ("家庭人均收入高于当地低保标准",))
    assert fund.case("C1").status == "rejected"


def test_a_rejected_case_cannot_be_approved(fund: CaseFund) -> None:
    ready_dibao(fund)
    fund.reject(act("A1", DECIDED), "C1", ("不符合条件",))
    refused(fund, OrderingError, fund.approve, act("A2", DECIDED), "C1", 150_000)


def test_a_household_has_one_paid_dibao_case_a_month(fund: CaseFund) -> None:
    approved_dibao(fund)
    # A second case for the same household (a stand-in for a duplicate intake).
    applied(fund, "C2", roles.DIBAO, "补差", "H1")
    investigated(fund, "C2")
    fund.declare_relative(act("T1", VISITED), "C2", ref("h1-wife"), "K1", roles.SIBLING)
    fund.record_visit(act("C1", VISITED), "C2", "county", ("C1", "T2"))
    noticed(fund, "C2", 100_000)
    message = refused(fund, OrderingError, fund.approve, act("A1", DECIDED), "C2", 1)
    assert "enrolment-unique" in message or "one-line-per-household" in message


def test_the_events_carry_actor_role_and_business_time(fund: CaseFund) -> None:
    approved_dibao(fund)
    events = list(fund.repository.event_store.get(fund.case("C1").id))
    approved = events[-1]
    assert (approved.actor_id, approved.actor_role) == ("A1", roles.APPROVER)
    assert approved.occurred_at.date() == DECIDED
    assert approved.imported is False


def test_a_relative_of_former_staff_needs_no_filing(fund: CaseFund) -> None:
    fund.end_role(BUREAU, "K1", roles.VILLAGE_COMMITTEE, VILLAGE, date(2024, 2, 29))
    applied(fund, "C1", roles.DIBAO, "补差", "H1")
    investigated(fund, "C1")
    fund.issue_opinion(act("T1", OPINED), "C1", "approve", 150_000)
    assert fund.case("C1").relatives == {}
