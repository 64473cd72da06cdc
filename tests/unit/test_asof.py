"""Replay as of a date or a position, from the events alone (no database)."""

from __future__ import annotations

from datetime import date
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st
from views_support import events_of, memory_fund, story

from domain.ids import record_id
from projections.asof import books_as_of, household_from_events, legs_as_of
from projections.postings import postings_of


@cache
def story_events() -> tuple:
    fund = memory_fund()
    story(fund)
    return tuple(events_of(fund))


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_replay_to_a_position_is_the_replay_of_that_prefix(data: st.DataObject) -> None:
    events = story_events()
    stop = data.draw(st.integers(0, len(events)))
    assert legs_as_of(events, position=stop) == postings_of(
        [pair for pair in events if pair[1].position <= stop]
    )


def test_a_date_leaves_out_what_happened_after_it_even_if_recorded_before() -> None:
    events = story_events()
    may = books_as_of(events, as_of=date(2024, 5, 31)).accounts
    assert may["household:H1"]["balance"] == 2 * 150_000
    assert "fines-due:H1" not in may  # the fine is ordered in July
    assert may["household:H3"]["balance"] == 50_000  # aid granted in March
    june = books_as_of(events, as_of=date(2024, 6, 30)).accounts
    assert june["household:H1"]["balance"] == 3 * 150_000


def test_a_household_as_it_stood_before_and_after_its_case() -> None:
    events = story_events()
    before = household_from_events("H1", events, as_of=date(2024, 2, 15))
    assert before.region_code.startswith("110101001")
    assert len(before.members) == 3
    assert before.cases == ()
    assert before.paid == 0
    after = household_from_events("H1", events)
    (case,) = after.cases
    assert (case.case_no, case.status, case.monthly) == ("C1", "approved", 150_000)
    assert after.paid == 3 * 150_000
    assert after.recovered == 15_000
    assert after.balance == 3 * 150_000 - 15_000
    own = {record_id("household", "H1"), record_id("case", "C1")}
    positions = {at.position for e, at in events if e.originator_id in own}
    positions |= {
        leg.position for leg in postings_of(events) if leg.account == "household:H1"
    }
    assert after.last_position == max(positions)


def test_a_household_named_nowhere_is_empty() -> None:
    state = household_from_events("H-none", story_events())
    assert (state.members, state.cases, state.paid, state.last_position) == (
        (),
        (),
        0,
        0,
    )
