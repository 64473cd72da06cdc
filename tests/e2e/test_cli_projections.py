"""`relief projections update|rebuild|status` on a real ledger with the money story."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from sqlalchemy import delete

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))

from views_support import story

from cli.main import cli
from domain.service import ReliefFund
from ledger.store import create_ledger, persistence_env
from projections.catalogue import all_views
from projections.engine import views_engine
from projections.schema import definitions

if TYPE_CHECKING:
    from collections.abc import Callable

    from click.testing import Result


@pytest.fixture
def relief(store_url: str, tmp_path: Path) -> tuple[Callable[..., Result], int]:
    create_ledger(store_url)
    fund = ReliefFund(env=persistence_env(store_url))
    story(fund)
    head = fund.recorder.max_notification_id() or 0
    fund.close()

    def run(*args: str) -> Result:
        return CliRunner().invoke(
            cli, ["--db", store_url, "--keys", str(tmp_path / "keys"), *args]
        )

    return run, head


def test_every_projections_command_has_help() -> None:
    for command in ("update", "rebuild", "status"):
        result = CliRunner().invoke(cli, ["projections", command, "--help"])
        assert result.exit_code == 0, result.output
        assert "Example:" in result.output


def test_update_catches_every_view_up_and_status_says_so(relief) -> None:
    run, head = relief
    before = run("projections", "status", "--json")
    assert before.exit_code == 0, before.output
    names = {view.name for view in all_views(views_engine(":memory:"))}
    assert json.loads(before.output) == {
        "head": head,
        "views": dict.fromkeys(names, 0),
        "outdated": [],
    }
    updated = run("projections", "update", "--json", "--page-size", "13")
    assert updated.exit_code == 0, updated.output
    report = json.loads(updated.output)
    assert (report["events"], report["position"]) == (head, head)
    assert report["pages"] == -(-head // 13)
    after = json.loads(run("projections", "status", "--json").output)
    assert after["views"] == dict.fromkeys(names, head)
    again = json.loads(run("projections", "update", "--json").output)
    assert again["events"] == 0


def test_rebuild_replays_from_position_one(relief) -> None:
    run, head = relief
    assert run("projections", "update").exit_code == 0
    result = run("projections", "rebuild")
    assert result.exit_code == 0, result.output
    assert f"{head} events" in result.output
    assert f"now at position {head}" in result.output
    status = run("projections", "status")
    assert status.exit_code == 0
    assert f"ledger head: position {head}" in status.output


def forget_definition(store_url: str, view: str) -> None:
    """Delete the fingerprint kept for ``view`` (``projections.definitions``)."""
    engine = views_engine(store_url)
    with engine.begin() as conn:
        conn.execute(delete(definitions).where(definitions.c.view_name == view))
    engine.dispose()


def test_update_rebuilds_views_of_an_older_definition_and_names_them(
    relief, store_url: str
) -> None:
    run, head = relief
    assert run("projections", "update").exit_code == 0
    forget_definition(store_url, "books")  # as a database from before fingerprints
    status = json.loads(run("projections", "status", "--json").output)
    assert status["outdated"] == ["books"]
    assert (
        "books"
        in run("projections", "status", "--lang", "en").output.split(
            "to be built again by the next update: "
        )[1]
    )
    result = run("projections", "update")
    assert result.exit_code == 0, result.output
    assert "built by another definition, so built again from position 1: books\n" in (
        result.output
    )
    assert f"{head} events" in result.output
    again = json.loads(run("projections", "update", "--json").output)
    assert (again["events"], again["rebuilt"]) == (0, [])
    assert json.loads(run("projections", "status", "--json").output)["outdated"] == []


def test_a_report_names_the_views_it_rebuilt_on_standard_error(
    relief, store_url: str
) -> None:
    run, _ = relief
    assert run("projections", "update").exit_code == 0
    forget_definition(store_url, "books")  # as after an upgrade changed the books
    result = run("report", "monthly", "--month", "2024-04", "--json")
    assert result.exit_code == 0, result.output
    assert "built again from position 1: books." in result.stderr
    json.loads(result.stdout)  # the report itself stays clean
    assert "built again" not in run("report", "monthly", "--month", "2024-04").stderr
