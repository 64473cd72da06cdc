"""Closing a 公示: not before its last day, not with an objection open, once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from case_support import (
    APPLIED,
    NOTICE_ENDS,
    CaseFund,
    act,
    applied,
    investigated,
    noticed,
    recorded,
    seeded_fund,
)

from domain import roles
from domain.errors import DeadlineError, DomainError, OrderingError


@pytest.fixture
def fund() -> CaseFund:
    fund = seeded_fund()
    applied(fund, "C1", roles.DIBAO, "补差", "H2")
    investigated(fund, "C1")
    noticed(fund, "C1", 50_000)
    return fund


def refused(fund: CaseFund, error: type[DomainError], day: date) -> str:
    before = recorded(fund)
    with pytest.raises(error) as caught:
        fund.close_notice(act("T1", day), "C1")
    assert recorded(fund) == before
    return str(caught.value)


def test_a_notice_closes_on_its_last_day(fund: CaseFund) -> None:
    fund.close_notice(act("T1", NOTICE_ENDS), "C1")
    events = fund.repository.event_store.get(fund.case("C1").id)
    closed = [e for e in events if type(e).__name__ == "NoticeClosed"]
    assert [(e.kind, e.ends_on) for e in closed] == [("初审公示", NOTICE_ENDS)]
    assert fund.case("C1").notice_closed


def test_closing_before_the_last_day_names_the_rule_and_the_case(
    fund: CaseFund,
) -> None:
    message = refused(fund, DeadlineError, NOTICE_ENDS - timedelta(days=1))
    assert "notice-days" in message
    assert "case C1" in message
    assert "7 days" in message


def test_an_open_objection_blocks_closing(fund: CaseFund) -> None:
    fund.receive_objection(act("T1", NOTICE_ENDS), "C1", "OB-1", "12349")
    assert "objection-open" in refused(fund, OrderingError, NOTICE_ENDS)


def test_a_notice_closes_once_and_takes_no_objection_after(fund: CaseFund) -> None:
    fund.close_notice(act("T1", NOTICE_ENDS), "C1")
    assert "notice-open" in refused(fund, OrderingError, NOTICE_ENDS)
    with pytest.raises(OrderingError, match="notice-open"):
        fund.receive_objection(act("T1", NOTICE_ENDS), "C1", "OB-2", "12349")


def test_a_case_without_a_notice_has_none_to_close() -> None:
    fund = seeded_fund()
    applied(fund, "C2", roles.DIBAO, "补差", "H2")
    before = recorded(fund)
    with pytest.raises(OrderingError, match="notice-first"):
        fund.close_notice(act("T1", APPLIED), "C2")
    assert recorded(fund) == before


def test_a_closed_notice_still_allows_the_decision(fund: CaseFund) -> None:
    fund.close_notice(act("T1", NOTICE_ENDS), "C1")
    fund.approve(act("A1", NOTICE_ENDS + timedelta(days=1)), "C1", 50_000)
    assert fund.case("C1").status == "active"
