"""`relief projections rebuild` in worker processes: a failed worker exits 1."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))

from views_support import story

import projections.catalogue
from cli.main import cli
from domain.service import ReliefFund
from ledger.store import create_ledger, persistence_env
from projections.balances import BooksView

if TYPE_CHECKING:
    import pytest
    from click.testing import Result
    from sqlalchemy.engine import Engine

    from projections.folds import At
    from projections.views import View

CRASH_AT = 40


class Exploding(BooksView):
    """Books that fail at one position, in whichever worker runs them."""

    def take(self, event: Any, at: At) -> None:
        if at.position == CRASH_AT:
            msg = f"books cannot take position {CRASH_AT}"
            raise RuntimeError(msg)
        super().take(event, at)


def test_a_failed_worker_exits_1_naming_it_and_update_then_finishes(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_ledger(store_url)
    fund = ReliefFund(env=persistence_env(store_url))
    story(fund)
    head = fund.recorder.max_notification_id() or 0
    fund.close()
    assert head > CRASH_AT

    def run(*args: str) -> Result:
        db = ["--db", store_url, "--keys", str(tmp_path / "keys")]
        return CliRunner().invoke(cli, [*db, "projections", *args])

    every = projections.catalogue.all_views

    def exploding(engine: Engine) -> list[View]:
        return [Exploding(engine), *every(engine)[1:]]

    monkeypatch.setattr(projections.catalogue, "all_views", exploding)
    failed = run("rebuild", "--page-size", "10")
    assert failed.exit_code == 1
    assert "the worker for the views books" in failed.output
    assert f"books cannot take position {CRASH_AT}" in failed.output
    status = json.loads(run("status", "--json").output)["views"]
    assert status["books"] == CRASH_AT - 10
    assert status["audit-events"] == head, "the other worker finished"

    monkeypatch.setattr(projections.catalogue, "all_views", every)
    updated = json.loads(run("update", "--json").output)
    assert (updated["events"], updated["position"]) == (head - CRASH_AT + 10, head)
    assert json.loads(run("status", "--json").output)["views"] == dict.fromkeys(
        status, head
    )
