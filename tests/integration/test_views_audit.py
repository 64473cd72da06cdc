"""Audit views on both stores: timelines, hashes, staff acts, 公示, reports."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from test_views_support import (
    HOUSEHOLDS,
    PERIODS,
    Store,
    events_of,
    module_store_url,
    open_store,
)

from domain import roles
from domain.cases import ReliefCase
from domain.ids import record_id
from projections.asof import books_as_of
from projections.audit_queries import case_timeline, staff_activity
from projections.case_views import case_money
from projections.evidence import chain_hashes
from projections.reports import PublicNotice, monthly_report, public_notices

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy.engine import Connection


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    with module_store_url(request.param, tmp_path_factory) as url:
        opened = open_store(url)
        opened.runner(page_size=11).run()
        yield opened
        opened.close()


@pytest.fixture
def conn(store: Store) -> Iterator[Connection]:
    with store.engine.connect() as connection:
        yield connection


def test_a_case_timeline_holds_its_events_money_and_recoveries(
    store: Store, conn: Connection
) -> None:
    events = events_of(store.fund)
    case_id, recovery_id = record_id("case", "C1"), record_id("recovery", "R1")
    own = {at.position for e, at in events if e.originator_id == case_id}
    recovery = {at.position for e, at in events if e.originator_id == recovery_id}
    scheduled = {at.position for e, at in events if "C1" in getattr(e, "case_nos", ())}
    entries = case_timeline(conn, "C1")
    positions = [entry.position for entry in entries]
    assert positions == sorted(set(positions))
    assert own | recovery | scheduled <= set(positions)
    assert len(recovery) == 3
    assert len(scheduled) == len(PERIODS)
    topics = {entry.topic.rsplit(".", 1)[-1] for entry in entries}
    assert {"Applied", "Approved", "LinesDisbursed", "OverpaymentRecovered"} <= topics


def test_every_timeline_entry_carries_actor_times_and_its_chain_hash(
    store: Store, conn: Connection
) -> None:
    entries = case_timeline(conn, "C1")
    hashes = chain_hashes(conn, [entry.position for entry in entries])
    by_position = {at.position: e for e, at in events_of(store.fund)}
    for entry in entries:
        event = by_position[entry.position]
        assert entry.chain_hash == hashes[entry.position]
        assert len(entry.chain_hash) == 64
        assert (entry.actor_id, entry.actor_role) == (event.actor_id, event.actor_role)
        assert entry.occurred_at == event.occurred_at
        assert entry.recorded_at == event.timestamp.replace(tzinfo=None) or (
            entry.recorded_at == event.timestamp
        )


def test_staff_activity_names_the_cases_acted_on(
    store: Store, conn: Connection
) -> None:
    acts = list(staff_activity(conn, "A1"))
    expected = [at.position for e, at in events_of(store.fund) if e.actor_id == "A1"]
    assert [a.position for a in acts] == expected
    approvals = {a.record for a in acts if a.topic.endswith("ReliefCase.Approved")}
    assert approvals == {"C1", "C2"}
    assert {a.record for a in acts if a.record_kind == "Recovery"} == {"R1"}


def test_staff_activity_keeps_to_the_window(store: Store, conn: Connection) -> None:
    from datetime import date

    since, until = date(2024, 7, 1), date(2024, 7, 2)
    acts = list(staff_activity(conn, "A1", since=since, until=until))
    expected = [
        at.position
        for e, at in events_of(store.fund)
        if e.actor_id == "A1" and since <= at.occurred_at.date() < until
    ]
    assert expected
    assert [a.position for a in acts] == expected


def test_the_public_notice_list_shows_name_size_and_amount_only(
    store: Store, conn: Connection
) -> None:
    notices = public_notices(conn)
    posted = [e for e, _ in events_of(store.fund) if type(e) is ReliefCase.NoticePosted]
    assert notices == [
        PublicNotice(e.shown_name, e.shown_size, e.shown_amount) for e in posted
    ]
    assert [set(n.as_dict()) for n in notices] == [
        {"name", "household_size", "amount"}
    ] * len(posted)
    shown = json.dumps([n.as_dict() for n in notices], ensure_ascii=False)
    secrets = {"C1", "C2", "H1", "H2", "110101001"}
    secrets |= {m.person_ref for _, members in HOUSEHOLDS.values() for m in members}
    secrets |= {str(e.originator_id) for e in posted}
    assert not [s for s in secrets if s in shown]


def test_notices_on_show_on_a_day(store: Store, conn: Connection) -> None:
    posted = [e for e, _ in events_of(store.fund) if type(e) is ReliefCase.NoticePosted]
    day = posted[0].posted_on
    assert len(public_notices(conn, day)) == sum(
        1 for e in posted if e.posted_on <= day <= e.ends_on
    )
    assert public_notices(conn, posted[0].ends_on.replace(year=2030)) == []


def test_the_monthly_report_agrees_with_the_books(
    store: Store, conn: Connection
) -> None:
    cells = books_as_of(events_of(store.fund)).cells
    for period in PERIODS:
        lines = monthly_report(conn, period, roles.DIBAO)
        assert [(line.region, line.programme) for line in lines] == [
            ("110101001", roles.DIBAO)
        ]
        expected = cells[("110101001", roles.DIBAO, period)]
        got = lines[0].as_dict()
        assert {k: v for k, v in got.items() if isinstance(v, int) and v} == expected


def test_case_money_from_the_tables(conn: Connection) -> None:
    c1, c2 = case_money(conn, "C1"), case_money(conn, "C2")
    assert c1.through == PERIODS[-1]
    assert (c1.entitled, c1.paid, c1.arrears) == (450_000, 450_000, 0)
    assert (c1.overpaid, c1.recovered, c1.fined) == (20_000, 15_000, 40_000)
    assert (c2.entitled, c2.paid, c2.arrears) == (150_000, 100_000, 50_000)
    assert case_money(conn, "C1", "2024-04").entitled == 150_000
