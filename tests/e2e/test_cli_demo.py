"""`relief demo` end to end through click's runner, on SQLite and PostgreSQL.

A small county is built once per store; the tests read what it wrote: the
chain verifies against the signed checkpoint, the manifest names the planted
patterns, the history is imported and the final month live (with its planted
back-dated approval), and the same seed gives the same ledger head.
"""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from typing import TYPE_CHECKING, cast
from uuid import uuid4

import psycopg
import pytest
from click.testing import CliRunner, Result

from cli.demo.generate import DEMO_PERSON_KEY
from cli.main import cli
from domain.base import ReliefCreated, ReliefEvent
from domain.reference_queries import PERSON_KEY
from domain.service import ReliefFund
from ledger.store import persistence_env
from projections.asof import books_as_of, programme_totals
from projections.replay import read_events

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path
    from uuid import UUID

PG = (
    os.environ.get("RELIEF_TEST_PG_USER", "postgres"),
    os.environ.get("RELIEF_TEST_PG_HOST", "127.0.0.1"),
    os.environ.get("RELIEF_TEST_PG_PORT", "5432"),
    os.environ.get("RELIEF_TEST_PG_DBNAME", "test"),
)
SCALE = "60"


def run(url: str, keys: Path, *args: str) -> Result:
    return CliRunner().invoke(
        cli, ["--db", url, "--keys", str(keys), *args], catch_exceptions=False
    )


def head_hash(url: str, keys: Path) -> str:
    result = run(url, keys, "verify", "--json")
    assert result.exit_code == 0, result.output
    found: str = json.loads(result.stdout)["head_hash"]
    return found


def relief_events(fund: ReliefFund, the_id: UUID) -> list[ReliefEvent]:
    found = list(fund.repository.event_store.get(the_id))
    assert all(isinstance(e, ReliefEvent | ReliefCreated) for e in found)
    return cast("list[ReliefEvent]", found)


class Demo:
    """One demo ledger: its store, keys, checkpoint, manifest and output."""

    def __init__(self, url: str, home: Path) -> None:
        self.url, self.keys = url, home / "keys"
        self.checkpoint = home / "checkpoint.json"
        self.manifest = home / "planted.json"
        self.result = run(
            url,
            self.keys,
            "demo",
            "--scale",
            SCALE,
            "--out",
            str(self.checkpoint),
            "--manifest",
            str(self.manifest),
        )


@pytest.fixture(scope="module")
def sqlite_demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    home = tmp_path_factory.mktemp("sqlite-demo")
    return Demo(str(home / "relief.db"), home)


@pytest.fixture(scope="module")
def postgres_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    home = tmp_path_factory.mktemp("postgres-demo")
    schema = f"demo_{uuid4().hex[:12]}"
    base = "postgresql://{}@{}:{}/{}".format(*PG)
    try:
        admin = psycopg.connect(base, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL is unreachable at {base}: {error}")
        pytest.skip(f"PostgreSQL is unreachable at {base}: {error}")
    with admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield Demo(f"{base}?schema={schema}", home)
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def demo(request: pytest.FixtureRequest) -> Demo:
    """The demo county built once per store and module (the tests only read it)."""
    built: Demo = request.getfixturevalue(f"{request.param}_demo")
    return built


def test_the_demo_builds_a_county_whose_chain_verifies(demo: Demo) -> None:
    assert demo.result.exit_code == 0, demo.result.output
    assert "Ledger intact" in demo.result.stdout
    assert "低保" in demo.result.stdout
    result = run(demo.url, demo.keys, "verify", "--checkpoint", str(demo.checkpoint))
    assert result.exit_code == 0, result.output
    assert "holds the checkpoint" in result.stdout


def test_the_manifest_names_each_planted_pattern_and_its_rule(demo: Demo) -> None:
    planted = json.loads(demo.manifest.read_text())
    rules = {entry["rule"] for entry in planted}
    assert {"RF-08", "RF-09", "RF-10", "RF-11", "RF-13", "RF-16", "RF-27"} <= rules
    assert {"RF-02", "RF-26", "RF-29"} <= rules
    for entry in planted:
        assert set(entry) == {
            "pattern",
            "rule",
            "household_no",
            "case_no",
            "region_code",
            "detail",
            "subject",
        }
        assert entry["household_no"].startswith("H430121")


def test_every_planted_subject_is_flagged_by_its_rule(demo: Demo) -> None:
    """RF-25 aside: it weighs a village against its county, and a county of
    two villages (this scale) cannot hold one at twice the county's share."""
    planted = json.loads(demo.manifest.read_text())
    result = run(demo.url, demo.keys, "risk", "list", "--json")
    assert result.exit_code == 0, result.output
    flagged = {(f["rule_id"], f["subject"]) for f in json.loads(result.stdout)}
    expected = {
        (p["rule"], p["subject"]) for p in planted if p["rule"] not in {"—", "RF-25"}
    }
    assert len(expected) >= 10
    assert expected - flagged == set()
    assert "命中 caught" in demo.result.stdout


def test_the_imprisonment_dealt_with_is_not_flagged(demo: Demo) -> None:
    """The demo reports two imprisonments and cuts one family's amount in time
    (``cli.demo.prisons``): RF-02 names the one left alone, nothing else."""
    planted = json.loads(demo.manifest.read_text())
    result = run(demo.url, demo.keys, "risk", "list", "--rule", "RF-02", "--json")
    assert result.exit_code == 0, result.output
    flagged = {f["subject"] for f in json.loads(result.stdout)}
    assert flagged == {p["subject"] for p in planted if p["rule"] == "RF-02"}
    assert len(flagged) == 1


def test_history_is_imported_and_the_final_month_is_live(demo: Demo) -> None:
    planted = json.loads(demo.manifest.read_text())
    backdated = next(p for p in planted if p["rule"] == "RF-27")
    undeclared = next(p for p in planted if p["rule"] == "RF-08")
    fund = ReliefFund(env={**persistence_env(demo.url), PERSON_KEY: DEMO_PERSON_KEY})
    try:
        old = fund.case(undeclared["case_no"])
        assert all(e.imported for e in relief_events(fund, old.id))
        live = fund.case(backdated["case_no"])
        stored = relief_events(fund, live.id)
        assert not any(e.imported for e in stored)
        approval = next(e for e in stored if type(e).__name__ == "Approved")
        assert approval.timestamp - approval.occurred_at >= timedelta(days=8)
    finally:
        fund.close()


def test_the_same_seed_gives_the_same_ledger_head(
    sqlite_demo: Demo, tmp_path: Path
) -> None:
    again = Demo(str(tmp_path / "again.db"), tmp_path)
    assert again.result.exit_code == 0, again.result.output
    assert head_hash(again.url, again.keys) == head_hash(
        sqlite_demo.url, sqlite_demo.keys
    )


def test_the_demo_refuses_a_ledger_that_holds_events(
    sqlite_demo: Demo,
) -> None:
    before = head_hash(sqlite_demo.url, sqlite_demo.keys)
    result = run(sqlite_demo.url, sqlite_demo.keys, "demo", "--scale", SCALE)
    assert result.exit_code == 1
    assert "empty ledger" in result.stderr
    assert result.stderr.count("\n") == 1
    assert head_hash(sqlite_demo.url, sqlite_demo.keys) == before


def test_a_scale_below_the_minimum_is_bad_usage(tmp_path: Path) -> None:
    result = run(str(tmp_path / "x.db"), tmp_path / "k", "demo", "--scale", "3")
    assert result.exit_code == 2
    assert not (tmp_path / "x.db").exists()


def test_replay_as_of_equals_the_fold_of_every_event(demo: Demo) -> None:
    """`relief replay` sums the stored legs; folding the whole ledger agrees."""
    assert demo.result.exit_code == 0, demo.result.output
    fund = ReliefFund(env={**persistence_env(demo.url), PERSON_KEY: DEMO_PERSON_KEY})
    try:
        events = list(read_events(fund.recorder, fund.mapper))
    finally:
        fund.close()
    last = events[-1][1].position
    days = sorted({at.occurred_at.date() for _, at in events})
    bounds: list[tuple[date | None, int | None]] = [
        *((days[len(days) * k // 5], None) for k in range(5)),
        (days[-1], None),
        (None, last // 3),
        (None, last * 2 // 3),
        (days[len(days) // 2], last // 2),
        (None, None),
    ]
    seen_money = False
    for day, position in bounds:
        args = [] if day is None else ["--as-of", day.isoformat()]
        args += [] if position is None else ["--at", str(position)]
        result = run(demo.url, demo.keys, "replay", *args, "--json")
        assert result.exit_code == 0, result.output
        shown = json.loads(result.stdout)["programmes"]
        folded = programme_totals(books_as_of(events, position=position, as_of=day))
        expected = {
            programme: {f"{kind}_fen": fen for kind, fen in sums.items()}
            for programme, sums in folded.items()
        }
        assert shown == expected, (day, position)
        seen_money = seen_money or any(
            fen for sums in folded.values() for fen in sums.values()
        )
    assert seen_money
