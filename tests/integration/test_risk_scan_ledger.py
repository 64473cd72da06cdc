"""The risk scan on real ledgers (SQLite, PostgreSQL): flags cite the chain.

The planted county comes from the unit tests' builder
(``tests/unit/test_risk_money_support.py``), whose folder is put on the import
path so both suites plant the very same lines.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))

from test_risk_money_support import KEY, County, paid_month

from domain import roles
from domain.base import Act
from domain.oversight import RedFlag
from domain.service import ReliefFund
from ledger.store import create_ledger, open_store, persistence_env
from projections.engine import views_engine
from projections.risk import parallel
from projections.risk.catalogue import GROUPS, MONEY_GROUP
from projections.risk.fact_kinds import risk_fact_kinds
from projections.risk.fact_pass import fold_once
from projections.risk.fact_views import risk_facts
from projections.risk.findings import run_rules
from projections.risk.scan import find, scan, views_of
from projections.runner import ViewRunner

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy.engine import Engine

MONEY = (MONEY_GROUP,)
"""The planted county skips the procedure (no 公示, no visit): scan money alone."""
AUDITOR = Act("A1", roles.AUDIT, datetime(2024, 6, 1, 9, 0))
AUDITOR_2 = Act("A2", roles.AUDIT, datetime(2024, 6, 2, 9, 0))


@pytest.fixture
def planted(store_url: str) -> Iterator[tuple[County, Engine, str]]:
    """A county on a real ledger: a shared account; a sole member paid after death."""
    create_ledger(store_url)
    fund = ReliefFund(env={**persistence_env(store_url), "RELIEF_PERSON_KEY": KEY})
    county = County(fund)
    county.staff("A1", 20, roles.AUDIT)
    county.staff("A2", 21, roles.AUDIT)
    county.household("H1", [1, 2])
    county.household("H2", [3])
    county.household("H3", [4])
    shared = county.account("a1", "H1", holder=1)
    for number, people in (("H1", [1, 2]), ("H2", [3]), ("H3", [4])):
        county.case(f"DB-{number}", number, people)
    county.add(
        "household.member_deceased",
        "H2",
        "2023-02-15",
        person=f"{county.ref(3)}",
        date_of_death="2023-02-15",
        source="公安",
    )
    for period in ("2023-02", "2023-03"):
        paid_month(
            county,
            period,
            [("DB-H1", "H1", 50_000, shared), ("DB-H2", "H2", 50_000, shared)],
        )
    county.imported()
    engine = views_engine(store_url)
    try:
        yield county, engine, store_url
    finally:
        engine.dispose()
        fund.close()


def recorded(county: County) -> int:
    return county.fund.recorder.max_notification_id() or 0


def test_the_scan_raises_each_planted_pattern_citing_real_chain_links(
    planted: tuple[County, Engine, str],
) -> None:
    county, engine, url = planted
    report = scan(county.fund, engine, AUDITOR, groups=MONEY)

    assert report.counts() == {"RF-01": 1, "RF-16": 1}
    assert len(report.raised) == 2
    assert report.known == 0
    with open_store(url) as store:
        for the_id in report.raised:
            flag: object = county.fund.repository.get(the_id)
            assert isinstance(flag, RedFlag)
            for position, digest in _cited(county, the_id):
                link = store.link_at(position)
                assert link is not None
                assert link.hex() == digest


def _cited(county: County, the_id: object) -> list[tuple[int, str]]:
    events = county.fund.recorder.select_notifications(0, 100_000)
    for event in map(county.fund.mapper.to_domain_event, events):
        if isinstance(event, RedFlag.Raised) and event.originator_id == the_id:
            return [(int(p), str(h)) for p, h in event.evidence]
    return []


def test_a_second_scan_raises_nothing_and_records_nothing(
    planted: tuple[County, Engine, str],
) -> None:
    county, engine, _ = planted
    scan(county.fund, engine, AUDITOR, groups=MONEY)
    before = recorded(county)

    again = scan(county.fund, engine, AUDITOR, groups=MONEY)

    assert (again.raised, again.known) == ((), 2)
    assert recorded(county) == before


def test_a_cleared_flag_stays_cleared_and_new_evidence_is_caught_up(
    planted: tuple[County, Engine, str],
) -> None:
    county, engine, _ = planted
    first = scan(county.fund, engine, AUDITOR, groups=MONEY)
    for the_id in first.raised:
        county.fund.clear_flag(AUDITOR_2, the_id, "已入户核实")
    paid_month(county, "2023-04", [("DB-H3", "H3", 50_000, county_token(county))])
    county.imported()

    later = scan(county.fund, engine, AUDITOR, groups=MONEY)

    assert later.known == 1  # RF-01 on the same death and line: cleared, not raised
    (new_id,) = later.raised  # RF-16 now cites H3's line too: new evidence
    flag: object = county.fund.repository.get(new_id)
    assert isinstance(flag, RedFlag)
    assert flag.rule_id == "RF-16"
    assert new_id not in first.raised


def county_token(county: County) -> str:
    (token,) = county.money().accounts
    return str(token)


def test_rebuilt_fact_views_equal_the_incrementally_built_ones(
    planted: tuple[County, Engine, str],
) -> None:
    county, engine, _ = planted
    scan(county.fund, engine, AUDITOR, groups=MONEY)
    paid_month(county, "2023-04", [("DB-H1", "H1", 50_000, county_token(county))])
    county.imported()
    scan(county.fund, engine, AUDITOR, groups=MONEY)
    incremental = _facts_rows(engine)
    summed = _kinds_rows(engine)
    assert summed == _kinds_counted(engine)
    assert len(summed) > 5

    fund = county.fund
    runner = ViewRunner(
        engine, fund.recorder, fund.mapper, fund.name, views_of(engine, GROUPS)
    )
    runner.rebuild()

    assert _facts_rows(engine) == incremental
    assert len(incremental) > 0
    assert _kinds_rows(engine) == summed


def test_a_fact_log_older_than_its_summary_gets_it_filled(
    planted: tuple[County, Engine, str],
) -> None:
    county, engine, _ = planted
    scan(county.fund, engine, AUDITOR, groups=MONEY)
    summed, found = _kinds_rows(engine), find(engine, MONEY)
    with engine.begin() as conn:
        risk_fact_kinds.drop(conn)

    scan(county.fund, engine, AUDITOR, groups=MONEY)  # no new event: only the table

    assert _kinds_rows(engine) == summed == _kinds_counted(engine)
    assert find(engine, MONEY) == found


def _kinds_rows(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        query = select(risk_fact_kinds).order_by(risk_fact_kinds.c.kind)
        return [tuple(row) for row in conn.execute(query)]


def _kinds_counted(engine: Engine) -> list[tuple[object, ...]]:
    """The summary worked out from every row of the log at once."""
    c = risk_facts.c
    query = (
        select(c.kind, func.count(), func.max(c.day), func.max(c.recorded))
        .group_by(c.kind)
        .order_by(c.kind)
    )
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(query)]


def _facts_rows(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        query = select(risk_facts).order_by(risk_facts.c.position)
        return [tuple(row) for row in conn.execute(query)]


def test_one_shared_read_builds_the_same_facts_as_each_group_alone(
    planted: tuple[County, Engine, str],
) -> None:
    county, engine, _ = planted
    scan(county.fund, engine, AUDITOR, groups=MONEY)  # brings the fact log up
    folds = [group.fold() for group in GROUPS if group.fold is not None]
    with engine.connect() as conn:
        shared = fold_once(conn, folds, None)
        alone = [group.facts(conn, None) for group in GROUPS]
    assert len(shared) == len(alone) == len(GROUPS)
    for group, one, other in zip(GROUPS, shared, alone, strict=True):
        assert one.as_of == other.as_of
        assert run_rules(group.rules, one) == run_rules(group.rules, other)
    assert {f.rule_id for f in run_rules(MONEY_GROUP.rules, shared[1])} == {
        "RF-01",
        "RF-16",
    }


def test_the_heaviest_group_judged_in_a_forked_worker_finds_the_same(
    planted: tuple[County, Engine, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    county, engine, _ = planted
    scan(county.fund, engine, AUDITOR, groups=MONEY)
    alone = find(engine, GROUPS)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 0)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    with engine.connect() as conn:
        assert parallel.judged_apart(conn, list(GROUPS)) == GROUPS.index(MONEY_GROUP)
    forked = find(engine, GROUPS)
    assert forked == alone
    assert {f.rule_id for f in forked} >= {"RF-01", "RF-16"}
