"""The books from a real money story: legs balance, and the sums follow the story."""

from __future__ import annotations

from collections import defaultdict
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from views_support import PERIODS, events_of, memory_fund, story

from domain import roles
from projections.balances import postings_table, totals
from projections.case_views import CaseScheduleFold, entitled, money_of
from projections.posting_context import Context
from projections.posting_legs import Posting
from projections.postings import MONEY_EVENTS, PostingRules, postings_of
from projections.replay import replay_states


@cache
def story_events() -> tuple:
    fund = memory_fund()
    story(fund)
    return tuple(events_of(fund))


def legs_by_position() -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for leg in postings_of(story_events()):
        grouped[leg.position].append(leg)
    return grouped


@pytest.mark.parametrize("event_type", MONEY_EVENTS, ids=lambda t: t.__qualname__)
def test_every_money_event_posts_legs_that_sum_to_zero(event_type: type) -> None:
    grouped = legs_by_position()
    positions = [at.position for e, at in story_events() if type(e) is event_type]
    assert positions, f"the story records no {event_type.__qualname__}"
    for position in positions:
        legs = grouped[position]
        assert legs, f"{event_type.__qualname__} at {position} posted nothing"
        assert sum(leg.amount for leg in legs) == 0
        assert all(leg.amount != 0 for leg in legs)


def test_events_that_move_no_money_post_nothing() -> None:
    grouped = legs_by_position()
    for event, at in story_events():
        if type(event) not in MONEY_EVENTS:
            assert at.position not in grouped


def test_the_postings_of_every_period_sum_to_zero() -> None:
    by_period: dict[str, int] = defaultdict(int)
    for leg in postings_of(story_events()):
        by_period[leg.period] += leg.amount
    assert set(PERIODS) <= set(by_period)
    assert all(total == 0 for total in by_period.values())


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_any_prefix_of_the_ledger_balances(data: st.DataObject) -> None:
    events = story_events()
    cut = data.draw(st.integers(0, len(events)))
    sums = totals(postings_of(events[:cut]))
    assert sum(s.get("balance", 0) for s in sums.accounts.values()) == 0
    assert sum(s.get("debit", 0) for s in sums.accounts.values()) == sum(
        s.get("credit", 0) for s in sums.accounts.values()
    )


def test_fund_account_follows_receipts_instructions_returns_and_recoveries() -> None:
    accounts = totals(postings_of(story_events())).accounts
    fund = accounts[f"fund:{roles.DIBAO}:110101"]
    received = 1_000_000 + 400_000
    instructed = 3 * (150_000 + 50_000)
    assert fund["received"] == received
    assert fund["instructed"] == instructed
    assert fund["returned"] == 50_000
    assert fund["recovered"] == 15_000
    assert fund["balance"] == received - instructed + 50_000 + 15_000
    assert accounts["treasury:中央"]["balance"] == -1_000_000
    assert accounts["treasury:省"]["balance"] == -400_000


def test_bank_in_transit_empties_once_every_line_is_closed() -> None:
    accounts = totals(postings_of(story_events())).accounts
    assert accounts[f"transit:{roles.DIBAO}:110101001"]["balance"] == 0
    assert accounts[f"failed:{roles.DIBAO}:110101001"]["balance"] == 0
    assert accounts[f"failed:{roles.DIBAO}:110101001"]["failed"] == 2 * 50_000


def test_households_receive_what_was_paid_less_what_was_recovered() -> None:
    accounts = totals(postings_of(story_events())).accounts
    assert accounts["household:H1"]["balance"] == 3 * 150_000 - 15_000
    assert accounts["household:H2"]["balance"] == 2 * 50_000  # one line returned
    assert accounts["household:H3"]["balance"] == 50_000  # emergency aid
    assert accounts["fines-due:H1"]["balance"] == 2 * 20_000


def test_region_month_cells_count_each_movement_once() -> None:
    cells = totals(postings_of(story_events())).cells
    may = cells[("110101001", roles.DIBAO, "2024-05")]
    assert may["instructed"] == 200_000
    assert may["disbursed"] == 200_000  # line 2 failed, then reissued
    assert may["failed"] == 50_000
    june = cells[("110101001", roles.DIBAO, "2024-06")]
    assert june["disbursed"] == 150_000
    assert june["returned"] == 50_000
    assert june["balance"] == -200_000 + 50_000


def case_money(case_no: str, through: str):
    events = story_events()
    schedules = replay_states(CaseScheduleFold(), events)
    sums = totals(postings_of(events)).cases.get(case_no, {})
    return money_of(case_no, schedules.get(case_no), sums, through)


def test_a_case_paid_in_full_has_no_arrears() -> None:
    money = case_money("C1", PERIODS[-1])
    assert money.entitled == 3 * 150_000
    assert money.paid == 3 * 150_000
    assert money.arrears == 0
    assert money.overpaid == 20_000
    assert money.recovered == 15_000
    assert money.fined == 40_000


def test_a_returned_line_is_arrears_of_the_case() -> None:
    money = case_money("C2", PERIODS[-1])
    assert (money.entitled, money.paid, money.arrears) == (150_000, 100_000, 50_000)


def test_entitlement_counts_months_up_to_the_one_asked() -> None:
    assert case_money("C1", "2024-04").entitled == 150_000
    assert case_money("C1", "2024-03").entitled == 0
    assert entitled((("2024-04", 100), ("2024-06", 0)), "2024-12") == 200


def test_emergency_aid_is_entitled_and_paid_at_once() -> None:
    money = case_money("L-1", PERIODS[-1])
    assert money.entitled == money.paid == 50_000
    assert money.arrears == 0


def test_legs_name_their_case_household_and_month() -> None:
    rules = PostingRules()
    named = [leg for e, at in story_events() for leg in rules.take(e, at)]
    disbursed = [leg for leg in named if leg.kind == "disbursed"]
    assert {leg.case_no for leg in disbursed} == {"C1", "C2"}
    assert {leg.period for leg in disbursed} == set(PERIODS)
    assert all(leg.household_no in ("H1", "H2") for leg in disbursed)


@settings(max_examples=20, deadline=None)
@given(st.data())
def test_context_written_out_and_read_back_posts_the_same_legs(
    data: st.DataObject,
) -> None:
    events = story_events()
    cut = data.draw(st.integers(0, len(events)))
    stored: dict[str, str] = {}
    first = PostingRules()
    before = [leg for e, at in events[:cut] for leg in first.take(e, at)]
    stored.update(first.context.settle())

    def load(key: str) -> dict[str, str]:
        if key.startswith("line:"):
            prefix = key[: key.rindex(":") + 1]
            return {k: v for k, v in stored.items() if k.startswith(prefix)}
        return {key: stored[key]} if key in stored else {}

    second = PostingRules(Context(load))
    after = [leg for e, at in events[cut:] for leg in second.take(e, at)]
    assert before + after == postings_of(events)


def test_a_leg_is_a_row_of_the_postings_table_in_column_order() -> None:
    # The books write legs to the driver as they are, by position.
    assert tuple(postings_table.columns.keys()) == Posting._fields
