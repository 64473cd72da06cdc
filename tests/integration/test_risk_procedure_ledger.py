"""The procedure-and-time rules on real ledgers (SQLite, PostgreSQL).

The planted cases come from the unit tests' builder
(``tests/unit/test_risk_procedure_support.py``), whose folder is put on the
import path so both suites plant the very same lines. The scan runs the
procedure group alone, so the other groups' findings do not blur the counts.
"""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))

from test_risk_money_support import KEY, id_number
from test_risk_procedure_support import START, Trail

from domain import roles
from domain.base import Act
from domain.oversight import RedFlag
from domain.service import ReliefFund
from ledger.store import create_ledger, open_store, persistence_env
from projections.engine import views_engine
from projections.risk.catalogue import PROCEDURE_GROUP
from projections.risk.fact_views import risk_facts
from projections.risk.procedure import (
    procedure_facts_at,
)
from projections.risk.scan import scan, views_of
from projections.runner import ViewRunner

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy.engine import Engine

AUDITOR = Act("A1", roles.AUDIT, datetime(2025, 6, 1, 9, 0))
AS_OF = date(2025, 6, 1)
GROUP = PROCEDURE_GROUP


@pytest.fixture
def planted(store_url: str) -> Iterator[tuple[Trail, Engine, str]]:
    """C1 by the book and reviewed; C2 with no 公示; C3 a death never followed up."""
    create_ledger(store_url)
    fund = ReliefFund(env={**persistence_env(store_url), "RELIEF_PERSON_KEY": KEY})
    trail = Trail(fund)
    trail.staff("A1", 20, roles.AUDIT)
    trail.full_case("C1", "H1", (1, 2))
    trail.reviewed("C1", date(2025, 3, 1))
    trail.applied("C2", "H2", (3,))
    trail.accepted("C2")
    trail.checked("C2", START + timedelta(3))
    trail.visited("C2", START + timedelta(4))
    trail.approved("C2", START + timedelta(20))
    trail.reviewed("C2", date(2025, 3, 1))
    trail.full_case("C3", "H3", (4,))
    trail.reviewed("C3", date(2024, 12, 1))
    trail.add(
        "household.member_deceased",
        "H3",
        "2025-01-10",
        person=id_number(4),
        date_of_death="2025-01-10",
        source="公安",
    )
    trail.imported()
    engine = views_engine(store_url)
    try:
        yield trail, engine, store_url
    finally:
        engine.dispose()
        fund.close()


def test_the_scan_flags_the_planted_cases_citing_real_chain_links(
    planted: tuple[Trail, Engine, str],
) -> None:
    trail, engine, url = planted
    report = scan(trail.fund, engine, AUDITOR, as_of=AS_OF, groups=(GROUP,))

    assert report.counts() == {"RF-11": 1, "RF-23": 1}
    assert sorted(f.subject for f in report.findings) == ["C2", "C3"]
    assert len(report.raised) == 2
    with open_store(url) as store:
        for finding in report.findings:
            for evidence in finding.evidence:
                link = store.link_at(evidence.position)
                assert link is not None
                assert link.hex() == evidence.hash_hex
    for the_id in report.raised:
        flag: object = trail.fund.repository.get(the_id)
        assert isinstance(flag, RedFlag)


def test_a_second_scan_raises_nothing_new(
    planted: tuple[Trail, Engine, str],
) -> None:
    trail, engine, _ = planted
    scan(trail.fund, engine, AUDITOR, as_of=AS_OF, groups=(GROUP,))
    again = scan(trail.fund, engine, AUDITOR, as_of=AS_OF, groups=(GROUP,))
    assert (again.raised, again.known) == ((), 2)


def test_rebuilt_procedure_facts_equal_the_incremental_ones(
    planted: tuple[Trail, Engine, str],
) -> None:
    trail, engine, _ = planted
    scan(trail.fund, engine, AUDITOR, as_of=AS_OF, groups=(GROUP,))
    trail.reviewed("C3", date(2025, 3, 20))
    trail.imported()
    scan(trail.fund, engine, AUDITOR, as_of=AS_OF, groups=(GROUP,))
    incremental = _rows(engine)

    fund = trail.fund
    runner = ViewRunner(
        engine, fund.recorder, fund.mapper, fund.name, views_of(engine, (GROUP,))
    )
    runner.rebuild()

    assert _rows(engine) == incremental
    kinds = {row[4] for row in incremental}
    assert {"case", "accepted", "notice", "approved", "review", "death"} <= kinds


def test_recorded_lag_is_read_back_from_the_database(
    planted: tuple[Trail, Engine, str],
) -> None:
    trail, engine, _ = planted
    scan(trail.fund, engine, AUDITOR, as_of=AS_OF, groups=(GROUP,))
    with engine.connect() as conn:
        facts = procedure_facts_at(conn, None)
    assert facts.as_of == date(2025, 3, 1)
    assert {s.case_no for s in facts.stamps} == {"C1", "C2", "C3"}
    assert all(s.imported and s.lag > 0 for s in facts.stamps)


def _rows(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        query = select(risk_facts).order_by(risk_facts.c.position)
        return [tuple(row) for row in conn.execute(query)]
