"""Every remaining refusal of the case commands: one sentence, the rule, no event."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import pytest
from case_support import (
    APPLIED,
    DECIDED,
    CaseFund,
    act,
    applied,
    approved_dibao,
    investigated,
    recorded,
    ref,
    seeded_fund,
)

from domain import roles
from domain.errors import DomainError

if TYPE_CHECKING:
    from collections.abc import Callable

JUNE = date(2024, 6, 3)


def accepted(fund: CaseFund) -> None:
    applied(fund, "C1", roles.DIBAO, "补差", "H1")


def accepted_aid(fund: CaseFund) -> None:
    applied(fund, "C1", roles.LINSHI, "急难型", "H1")


def granted_aid(fund: CaseFund) -> None:
    accepted_aid(fund)
    fund.grant_emergency_aid(act("T1", APPLIED), "C1", 10_000, "火灾")
    fund.regularise_emergency_aid(act("T1", APPLIED), "C1", 1, "签字")


def filed(fund: CaseFund) -> None:
    accepted(fund)
    fund.declare_relative(act("T1", APPLIED), "C1", ref("h1-wife"), "K1", "兄弟姐妹")


def investigated_filed(fund: CaseFund) -> None:
    filed(fund)
    investigated(fund, "C1")


def exiting(fund: CaseFund) -> None:
    approved_dibao(fund)
    fund.start_gradual_exit(act("A1", JUNE), "C1", ("2024-07", "2024-08"), 1, "就业")


def identified(fund: CaseFund) -> None:
    approved_dibao(fund)
    fund.identify_overpayment(
        act("T1", JUNE), "R-1", "C1", ("2024-04",), amount_fen=1_000, cause="error"
    )


def ordered(fund: CaseFund) -> None:
    identified(fund)
    fund.order_recovery(act("A1", JUNE), "R-1", 1_000, 0, "决定")


T1, A1 = act("T1", APPLIED), act("A1", JUNE)
CASES: list[tuple[str, Any, Any, str]] = [
    (
        "relative filed twice",
        filed,
        lambda f: f.declare_relative(T1, "C1", ref("h1-wife"), "K1", "兄弟姐妹"),
        "relative-once",
    ),
    (
        "a relative who is no member",
        accepted,
        lambda f: f.declare_relative(T1, "C1", ref("nobody"), "K1", "兄弟姐妹"),
        "relative-member",
    ),
    (
        "a check with no source",
        accepted,
        lambda f: f.request_check(T1, "C1", ()),
        "check-sources",
    ),
    (
        "a visit at no known level",
        accepted,
        lambda f: f.record_visit(T1, "C1", "province", ("T1", "T2")),
        "visit-level",
    ),
    (
        "a recommendation of neither kind",
        investigated_filed,
        lambda f: f.issue_opinion(T1, "C1", "maybe", 1),
        "opinion-recommendation",
    ),
    (
        "an objection before any notice",
        accepted,
        lambda f: f.receive_objection(T1, "C1", "O1", "12349"),
        "notice-first",
    ),
    (
        "an unknown objection resolved",
        accepted,
        lambda f: f.resolve_objection(T1, "C1", "O9", "民主评议", "x"),
        "objection-open",
    ),
    (
        "a democratic review without minutes",
        accepted,
        lambda f: f.hold_democratic_review(T1, "C1", "结论", " "),
        "review-minutes",
    ),
    (
        "a rejection of an approved case",
        approved_dibao,
        lambda f: f.reject(act("A1", DECIDED), "C1", ("理由",)),
        "status-active",
    ),
    (
        "a support mode outside 特困",
        accepted,
        lambda f: f.choose_support_mode(T1, "C1", "分散供养"),
        "programme",
    ),
    (
        "emergency aid with no reason",
        accepted_aid,
        lambda f: f.grant_emergency_aid(T1, "C1", 1_000, " "),
        "emergency-reason",
    ),
    (
        "a grant regularised twice",
        granted_aid,
        lambda f: f.regularise_emergency_aid(T1, "C1", 1, "签字"),
        "grant-open",
    ),
    (
        "一事一议 outside 临时救助",
        accepted,
        lambda f: f.decide_case_by_case(act("A1", APPLIED), "C1", "会议", 1),
        "programme",
    ),
    (
        "a review before approval",
        accepted,
        lambda f: f.complete_review(T1, "C1", "no-change", 0),
        "status-accepted",
    ),
    (
        "a change of unknown type",
        accepted,
        lambda f: f.report_change(T1, "C1", "weather", APPLIED, "self"),
        "change-terms",
    ),
    (
        "a death of no member",
        approved_dibao,
        lambda f: f.report_death(act("T1", JUNE), "H1", ref("nobody"), JUNE, "公安"),
        "death-member",
    ),
    (
        "an unchanged amount",
        approved_dibao,
        lambda f: f.adjust(A1, "C1", 150_000, "2024-07", "x"),
        "amount-changes",
    ),
    (
        "a resumption of an active case",
        approved_dibao,
        lambda f: f.resume(A1, "C1", "2024-07", "x"),
        "status-active",
    ),
    (
        "a second gradual exit",
        exiting,
        lambda f: f.start_gradual_exit(A1, "C1", ("2024-07", "2024-08"), 1, "就业"),
        "exit-under-way",
    ),
    (
        "a termination notice outside 特困",
        approved_dibao,
        lambda f: f.post_termination_notice(act("T1", JUNE), "C1", JUNE, JUNE),
        "programme",
    ),
    (
        "a termination for no listed reason",
        approved_dibao,
        lambda f: f.terminate(A1, "C1", "dislike", "x"),
        "termination-reason",
    ),
    (
        "an overpayment of unknown cause",
        approved_dibao,
        lambda f: f.identify_overpayment(
            act("T1", JUNE), "R-1", "C1", ("2024-04",), amount_fen=1, cause="luck"
        ),
        "overpayment-cause",
    ),
    (
        "an overpayment of nothing",
        approved_dibao,
        lambda f: f.identify_overpayment(
            act("T1", JUNE), "R-1", "C1", ("2024-04",), amount_fen=0, cause="error"
        ),
        "amount-positive",
    ),
    (
        "a recovery number used twice",
        identified,
        lambda f: f.identify_overpayment(
            act("T1", JUNE), "R-1", "C1", ("2024-05",), amount_fen=1, cause="error"
        ),
        "record-unique",
    ),
    (
        "an order above the overpayment",
        identified,
        lambda f: f.order_recovery(A1, "R-1", 1_001, 0, "决定"),
        "order-amount",
    ),
    (
        "a recovery ordered twice",
        ordered,
        lambda f: f.order_recovery(A1, "R-1", 1_000, 0, "决定"),
        "order-once",
    ),
    (
        "money back before an order",
        identified,
        lambda f: f.record_recovery(act("F1", JUNE), "R-1", 1, "收据"),
        "order-first",
    ),
]


@pytest.mark.parametrize(
    ("given", "when", "rule"),
    [pytest.param(g, w, r, id=name) for name, g, w, r in CASES],
)
def test_a_refused_command_names_its_rule_and_records_nothing(
    given: Callable[[CaseFund], Any], when: Callable[[CaseFund], Any], rule: str
) -> None:
    fund = seeded_fund()
    given(fund)
    before = recorded(fund)
    with pytest.raises(DomainError) as caught:
        when(fund)
    message = str(caught.value)
    assert f"rule {rule} " in message
    assert message.count(".") == 1
    assert message.endswith(".")
    assert recorded(fund) == before


def test_a_notice_needs_the_filing_too() -> None:
    fund = seeded_fund()
    applied(fund, "C1", roles.DIBAO, "补差", "H1")
    investigated(fund, "C1")
    fund.declare_relative(act("T1", APPLIED), "C1", ref("h1-wife"), "K1", "兄弟姐妹")
    fund.issue_opinion(act("T1", APPLIED), "C1", "approve", 1)
    # After the opinion, an investigation finds that village cadre V1 is the
    # head's grandparent: the head must be filed before the 公示.
    fund.record_kinship(
        act("T1", APPLIED), ref("h1-head"), ref("staff-V1"), "祖父母", "调查"
    )
    before = recorded(fund)
    with pytest.raises(DomainError, match="relative-filing"):
        fund.post_notice(act("T1", APPLIED), "C1", date(2024, 3, 7), date(2024, 3, 14))
    assert recorded(fund) == before
