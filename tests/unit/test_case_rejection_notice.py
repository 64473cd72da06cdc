"""The rejection notice: a rejected case's written reasons served through the
township (审核确认办法 2021 §21), recorded once, late or not."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from case_support import DECIDED, CaseFund, act, ready_dibao, recorded, seeded_fund

from domain import roles
from domain.errors import DomainError, InvalidDataError, OrderingError, RoleError


@pytest.fixture
def fund() -> CaseFund:
    fund = seeded_fund()
    ready_dibao(fund)
    return fund


def rejected(fund: CaseFund) -> None:
    fund.reject(act("A1", DECIDED), "C1", ("家庭人均收入高于当地低保标准",))


def refused(fund: CaseFund, error: type[DomainError], day: date, **kwargs) -> str:
    """A notice that must be refused, naming its rule; nothing is recorded."""
    given = {"staff": "T1", "notified_on": day, "channel": "直接送达", **kwargs}
    before = recorded(fund)
    with pytest.raises(error) as caught:
        fund.notify_rejection(
            act(given["staff"], day), "C1", given["notified_on"], given["channel"]
        )
    assert recorded(fund) == before
    return str(caught.value)


def notice_events(fund: CaseFund) -> list[tuple[date, str, str]]:
    case = fund.case("C1")
    return [
        (e.notified_on, e.channel, e.actor_id)
        for e in fund.repository.event_store.get(case.id)
        if type(e).__name__ == "RejectionNotified"
    ]


def test_a_township_clerk_records_the_notice_of_a_rejection(fund: CaseFund) -> None:
    rejected(fund)
    day = DECIDED + timedelta(3)
    fund.notify_rejection(act("T1", day), "C1", DECIDED + timedelta(1), "邮寄送达")
    assert notice_events(fund) == [(DECIDED + timedelta(1), "邮寄送达", "T1")]
    assert fund.case("C1").rejection_notified_on == DECIDED + timedelta(1)
    assert fund.case("C1").status == "rejected"


def test_a_late_notice_is_recorded_not_refused(fund: CaseFund) -> None:
    rejected(fund)
    late = DECIDED + timedelta(30)
    fund.notify_rejection(act("T1", late), "C1", late, "直接送达")
    assert notice_events(fund) == [(late, "直接送达", "T1")]


def test_only_a_rejected_case_is_notified(fund: CaseFund) -> None:
    message = refused(fund, OrderingError, DECIDED)
    assert "status-accepted" in message
    assert "case C1" in message


def test_a_rejection_is_notified_once(fund: CaseFund) -> None:
    rejected(fund)
    fund.notify_rejection(act("T1", DECIDED), "C1", DECIDED, "直接送达")
    message = refused(fund, OrderingError, DECIDED + timedelta(1))
    assert "rejection-notice-once" in message
    assert f"already notified on {DECIDED}" in message


def test_a_notice_before_the_decision_day_is_refused(fund: CaseFund) -> None:
    rejected(fund)
    message = refused(fund, OrderingError, DECIDED, notified_on=DECIDED - timedelta(1))
    assert "rejection-notice-after-decision" in message


def test_a_notice_after_the_day_it_is_recorded_is_refused(fund: CaseFund) -> None:
    rejected(fund)
    message = refused(fund, OrderingError, DECIDED, notified_on=DECIDED + timedelta(1))
    assert "rejection-notice-recorded-after" in message


def test_an_unknown_channel_is_refused(fund: CaseFund) -> None:
    rejected(fund)
    message = refused(fund, InvalidDataError, DECIDED, channel="电话")
    assert "rejection-notice-channel" in message


@pytest.mark.parametrize("staff", ["A1", "C1", "V1"])
def test_only_a_township_clerk_records_the_notice(fund: CaseFund, staff: str) -> None:
    rejected(fund)
    message = refused(fund, RoleError, DECIDED, staff=staff)
    assert "role-required" in message


def test_the_claimed_township_role_must_be_held(fund: CaseFund) -> None:
    rejected(fund)
    before = recorded(fund)
    with pytest.raises(RoleError, match="role-required"):
        fund.notify_rejection(
            act("A1", DECIDED, roles.TOWNSHIP_CLERK), "C1", DECIDED, "直接送达"
        )
    assert recorded(fund) == before
