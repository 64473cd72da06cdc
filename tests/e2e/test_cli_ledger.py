"""The ledger commands of `relief` end to end, on SQLite and PostgreSQL.

A ledger is built with ``relief demo`` at a small scale (on SQLite, built once
and copied for each test); then it is edited by hand with raw SQL,
after dropping the append-only triggers as an attacker with database access
would, and ``relief verify`` must name the first bad position and its kind.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import sqlite3
import stat
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit, urlunsplit
from uuid import UUID, uuid4

import click
import psycopg
import pytest
from click.testing import CliRunner, Result

from cli.main import cli
from domain import roles
from domain.base import Act
from domain.legacy import import_lines
from domain.reference_queries import PERSON_KEY
from domain.service import ReliefFund
from ledger.chain import GENESIS, chain_links
from ledger.store import create_ledger, persistence_env

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from pathlib import Path

PG = (
    os.environ.get("RELIEF_TEST_PG_USER", "postgres"),
    os.environ.get("RELIEF_TEST_PG_HOST", "127.0.0.1"),
    os.environ.get("RELIEF_TEST_PG_PORT", "5432"),
    os.environ.get("RELIEF_TEST_PG_DBNAME", "test"),
)
SCALE = "50"
"""Households in each demo ledger: a few thousand events."""


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(f"{request.param}_url")
    return url


@pytest.fixture
def relief(store_url: str, tmp_path: Path) -> Callable[..., Result]:
    runner = CliRunner()
    keys = tmp_path / "keys"

    def run(*args: str) -> Result:
        return runner.invoke(
            cli,
            ["--db", store_url, "--keys", str(keys), *args],
            catch_exceptions=False,
        )

    return run


def build_demo(url: str, home: Path) -> None:
    """Build a small demo ledger at ``url`` with its keys and checkpoint in ``home``."""
    args = ["--db", url, "--keys", str(home / "keys"), "demo", "--scale", SCALE]
    out = str(home / "demo-checkpoint.json")
    result = CliRunner().invoke(cli, [*args, "--out", out], catch_exceptions=False)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="session")
def sqlite_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small SQLite demo ledger, its keys and checkpoint, built once."""
    home = tmp_path_factory.mktemp("demo-template")
    build_demo(str(home / "relief.db"), home)
    return home


@pytest.fixture(scope="session")
def postgres_demo(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, Path]]:
    """One small PostgreSQL demo ledger (its own schema), built once."""
    home = tmp_path_factory.mktemp("pg-demo-template")
    schema = f"demo_{uuid4().hex[:12]}"
    base = "postgresql://{}@{}:{}/{}".format(*PG)
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        build_demo(f"{base}?schema={schema}", home)
        yield schema, home
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def copy_ledger(template: str, url: str) -> None:
    """Copy the template schema's events and links into the fresh store at ``url``."""
    create_ledger(url)
    parts = urlsplit(url)
    schema = parse_qs(parts.query)["schema"][0]
    with psycopg.connect(urlunsplit(parts._replace(query="")), autocommit=True) as conn:
        for table in ("stored_events", "ledger_chain"):
            conn.execute(
                f'INSERT INTO "{schema}".{table} SELECT * FROM "{template}".{table}'
            )
        conn.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'notification_id'), "
            f'(SELECT max(notification_id) FROM "{schema}".stored_events))',
            (f'"{schema}".stored_events',),
        )


@pytest.fixture
def checkpoint_file(
    store_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Path:
    """A demo ledger and the checkpoint signed over it (copied from a template)."""
    path = tmp_path / "demo-checkpoint.json"
    if store_url.startswith("postgresql://"):
        schema, template = request.getfixturevalue("postgres_demo")
        copy_ledger(schema, store_url)
    else:
        template = request.getfixturevalue("sqlite_demo")
        shutil.copyfile(template / "relief.db", store_url)
    shutil.copytree(template / "keys", tmp_path / "keys")
    shutil.copyfile(template / "demo-checkpoint.json", path)
    return path


@pytest.fixture
def events(checkpoint_file: Path) -> int:
    """How many events the demo ledger holds: the checkpoint's position."""
    position: int = json.loads(checkpoint_file.read_text())["position"]
    return position


def tamper(url: str, statement: str, *params: object) -> None:
    """Run one raw SQL statement on the store, as an attacker would."""
    attack(url, statement, [params])


def attack(
    url: str, statement: str, rows: Sequence[Sequence[object]] = ((),)
) -> list[tuple[Any, ...]]:
    """Disable the append-only triggers, then run ``statement`` once per row.

    ``statement`` names the position column ``{pos}`` and uses ``?``
    placeholders. Returns the rows a single ``SELECT`` gives.
    """
    if url.startswith("postgresql://"):
        return _attack_postgres(url, statement.format(pos="notification_id"), rows)
    return _attack_sqlite(url, statement.format(pos="rowid"), rows)


def _attack_sqlite(
    path: str, statement: str, rows: Sequence[Sequence[object]]
) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(path)
    try:
        for table in ("stored_events", "ledger_chain"):
            for op in ("update", "delete"):
                connection.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
        if len(rows) != 1:
            connection.executemany(statement, rows)
            connection.commit()
            return []
        found = connection.execute(statement, rows[0]).fetchall()
        connection.commit()
        return found
    finally:
        connection.close()


def _attack_postgres(
    url: str, statement: str, rows: Sequence[Sequence[object]]
) -> list[tuple[Any, ...]]:
    parts = urlsplit(url)
    schema = parse_qs(parts.query)["schema"][0]
    statement = statement.replace("?", "%s")
    with psycopg.connect(urlunsplit(parts._replace(query="")), autocommit=True) as conn:
        conn.execute(f'SET search_path TO "{schema}"')
        for table in ("stored_events", "ledger_chain"):
            conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        cursor = conn.cursor()
        if len(rows) != 1:
            cursor.executemany(statement, rows)
            return []
        cursor.execute(statement, rows[0])
        return cursor.fetchall() if cursor.description else []


def rebuild_chain(url: str) -> None:
    """Recompute every link from genesis, as an attacker covering an edit would."""
    rows = attack(
        url,
        "SELECT {pos}, originator_id, originator_version, topic, state "
        "FROM stored_events ORDER BY {pos}",
    )
    links = chain_links(
        GENESIS,
        [(p, UUID(str(o)).bytes, v, t, bytes(state)) for p, o, v, t, state in rows],
    )
    attack(url, "DELETE FROM ledger_chain")
    attack(url, "INSERT INTO ledger_chain VALUES (?, ?, ?)", links)


def verify_json(relief: Callable[..., Result], *args: str) -> dict[str, object]:
    result = relief("verify", "--json", *args)
    document: dict[str, object] = json.loads(result.stdout)
    assert result.exit_code == (0 if document["ok"] else 1), result.output
    return document


def test_demo_builds_a_ledger_that_verifies(
    relief: Callable[..., Result], checkpoint_file: Path, events: int, tmp_path: Path
) -> None:
    result = relief("verify")
    assert result.exit_code == 0, result.output
    assert f"Ledger intact: {events} events verify" in result.stdout
    key = tmp_path / "keys" / "checkpoint.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    document = json.loads(checkpoint_file.read_text())
    assert document["position"] == events


def test_verify_against_the_checkpoint_passes_and_reports_it(
    relief: Callable[..., Result], checkpoint_file: Path, events: int
) -> None:
    document = verify_json(relief, "--checkpoint", str(checkpoint_file))
    signed = json.loads(checkpoint_file.read_text())
    assert document["ok"] is True
    assert document["checked"] == events
    assert document["head_hash"] == signed["head_hash"]
    checkpoint = document["checkpoint"]
    assert isinstance(checkpoint, dict)
    assert checkpoint["position"] == events
    assert checkpoint["signature_ok"] is True


def test_init_is_idempotent_and_keeps_the_keys(
    relief: Callable[..., Result], tmp_path: Path
) -> None:
    first = relief("init")
    assert first.exit_code == 0, first.output
    assert "Checkpoint keys created" in first.stdout
    key = (tmp_path / "keys" / "checkpoint.key").read_bytes()
    again = relief("init")
    assert again.exit_code == 0, again.output
    assert "Checkpoint keys kept" in again.stdout
    assert (tmp_path / "keys" / "checkpoint.key").read_bytes() == key
    assert verify_json(relief)["checked"] == 0


def test_checkpoint_signs_the_verified_head_once(
    relief: Callable[..., Result], checkpoint_file: Path, events: int, tmp_path: Path
) -> None:
    out = tmp_path / "again.json"
    result = relief("checkpoint", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"position {events}" in result.stdout
    head = verify_json(relief)["head_hash"]
    assert json.loads(out.read_text())["head_hash"] == head
    refused = relief("checkpoint", "--out", str(out))
    assert refused.exit_code == 1
    assert "already exists" in refused.stderr


def test_log_pages_through_the_chain(
    relief: Callable[..., Result], checkpoint_file: Path, events: int
) -> None:
    result = relief("log", "--after", "10", "--limit", "5", "--json")
    assert result.exit_code == 0, result.output
    entries = json.loads(result.stdout)
    assert [entry["position"] for entry in entries] == [11, 12, 13, 14, 15]
    for before, after in itertools.pairwise(entries):
        assert after["prev_hash"] == before["hash"]
    assert "relief log --after 15" in result.stderr
    last = relief("log", "--after", str(events - 1))
    assert last.exit_code == 0, last.output
    assert str(events) in last.stdout
    assert "domain." in last.stdout


def test_modified_state_is_named_at_its_position(
    relief: Callable[..., Result], checkpoint_file: Path, store_url: str
) -> None:
    tamper(store_url, "UPDATE stored_events SET state = ? WHERE {pos} = 17", b"{}")
    result = relief("verify")
    assert result.exit_code == 1
    assert "Ledger broken at position 17: content modified" in result.stderr
    document = verify_json(relief)
    assert document["first_break"] == {
        **document["first_break"],  # type: ignore[dict-item]
        "position": 17,
        "kind": "content modified",
    }
    assert document["checked"] == 16


@pytest.mark.parametrize("with_link", [True, False], ids=["with-link", "event-only"])
def test_a_deleted_event_is_named_at_its_position(
    relief: Callable[..., Result],
    checkpoint_file: Path,
    store_url: str,
    with_link: bool,
) -> None:
    tamper(store_url, "DELETE FROM stored_events WHERE {pos} = 40")
    if with_link:
        tamper(store_url, "DELETE FROM ledger_chain WHERE notification_id = 40")
    result = relief("verify", "--checkpoint", str(checkpoint_file))
    assert result.exit_code == 1
    assert "Ledger broken at position 40: event deleted" in result.stderr


def test_a_truncated_tail_is_caught_only_with_the_checkpoint(
    relief: Callable[..., Result], checkpoint_file: Path, store_url: str
) -> None:
    tamper(store_url, "DELETE FROM ledger_chain WHERE notification_id > 100")
    tamper(store_url, "DELETE FROM stored_events WHERE {pos} > 100")
    plain = relief("verify")
    assert plain.exit_code == 0, plain.output
    assert "Ledger intact: 100 events verify" in plain.stdout
    result = relief("verify", "--checkpoint", str(checkpoint_file))
    assert result.exit_code == 1
    assert "Ledger broken at position 101: tail truncated" in result.stderr
    checkpoint = verify_json(relief, "--checkpoint", str(checkpoint_file))["checkpoint"]
    assert isinstance(checkpoint, dict)
    assert checkpoint["prefix_ok"] is False


def test_a_rebuilt_chain_is_caught_only_with_the_checkpoint(
    relief: Callable[..., Result], checkpoint_file: Path, events: int, store_url: str
) -> None:
    tamper(store_url, "UPDATE stored_events SET state = ? WHERE {pos} = 17", b"{}")
    rebuild_chain(store_url)
    plain = relief("verify")
    assert plain.exit_code == 0, plain.output
    assert f"Ledger intact: {events} events verify" in plain.stdout
    result = relief("verify", "--checkpoint", str(checkpoint_file))
    assert result.exit_code == 1
    assert f"Ledger broken at position {events}: checkpoint mismatch" in result.stderr


def test_damage_after_the_checkpoint_leaves_its_prefix_standing(
    checkpoint_file: Path, events: int, store_url: str, relief: Callable[..., Result]
) -> None:
    appended = append_region(store_url)
    assert appended > 0
    later = events + appended
    tamper(
        store_url, "UPDATE stored_events SET topic = ? WHERE {pos} = ?", "x:Y", later
    )
    document = verify_json(relief, "--checkpoint", str(checkpoint_file))
    damage, checkpoint = document["first_break"], document["checkpoint"]
    assert isinstance(damage, dict)
    assert isinstance(checkpoint, dict)
    assert (damage["position"], damage["kind"]) == (later, "content modified")
    assert checkpoint["prefix_ok"] is True


def append_region(url: str) -> int:
    """Import one more region after the checkpoint; return the events added."""
    fund = ReliefFund(env={**persistence_env(url), PERSON_KEY: "k"})
    try:
        before = fund.recorder.max_notification_id() or 0
        line = {
            "id": "after-1",
            "type": "region.registered",
            "record": "430121099",
            "actor": "S0001",
            "role": roles.COUNTY_CLERK,
            "occurred_at": "2026-02-02T09:00:00+08:00",
            "name": "新设镇",
        }
        by = Act("S0001", roles.COUNTY_CLERK, datetime(2026, 2, 2, tzinfo=UTC))
        import_lines(fund, lambda: [json.dumps(line, ensure_ascii=False)], by=by)
        return (fund.recorder.max_notification_id() or 0) - before
    finally:
        fund.close()


def test_a_broken_ledger_is_never_signed(
    relief: Callable[..., Result],
    checkpoint_file: Path,
    store_url: str,
    tmp_path: Path,
) -> None:
    tamper(store_url, "UPDATE stored_events SET topic = ? WHERE {pos} = 3", "x:Y")
    out = tmp_path / "refused.json"
    result = relief("checkpoint", "--out", str(out))
    assert result.exit_code == 1
    assert "position 3: content modified" in result.stderr
    assert not out.exists()


def test_a_forged_checkpoint_is_refused(
    relief: Callable[..., Result], checkpoint_file: Path
) -> None:
    document = json.loads(checkpoint_file.read_text())
    document["position"] = 60
    checkpoint_file.write_text(json.dumps(document))
    result = relief("verify", "--checkpoint", str(checkpoint_file))
    assert result.exit_code == 1
    assert "Checkpoint signature rule broken" in result.stderr
    assert "signature does not match" in result.stderr


def test_every_command_has_help_with_an_example() -> None:
    runner = CliRunner()
    assert isinstance(cli, click.Group)
    names = ["", *sorted(cli.list_commands(click.Context(cli)))]
    assert {"init", "verify", "checkpoint", "log", "demo"} <= set(names)
    for name in names:
        args = [name, "--help"] if name else ["--help"]
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, (name, result.output)
        assert "Example:" in result.output, name
        assert "relief " in result.output.split("Example:")[1], name


@pytest.mark.parametrize(
    "args",
    [
        ["log", "--limit", "0"],
        ["log", "--after", "-1"],
        ["verify", "--checkpoint"],
        ["verify", "--checkpoint", "no-such-checkpoint.json"],
        ["frobnicate"],
    ],
    ids=["limit-zero", "negative-after", "missing-value", "missing-file", "unknown"],
)
def test_bad_usage_exits_2(tmp_path: Path, args: list[str]) -> None:
    db = str(tmp_path / "never.db")
    result = CliRunner().invoke(cli, ["--db", db, *args])
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "never.db").exists()


def test_store_and_keys_default_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner(env={"RELIEF_DB": None, "RELIEF_KEYS": None})
    result = runner.invoke(cli, ["init"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "relief.db").is_file()
    assert (tmp_path / "relief-keys" / "checkpoint.key").is_file()


def test_store_and_keys_come_from_the_environment(tmp_path: Path) -> None:
    env = {"RELIEF_DB": str(tmp_path / "env.db"), "RELIEF_KEYS": str(tmp_path / "k")}
    runner = CliRunner(env=env)
    out = str(tmp_path / "cp.json")
    assert runner.invoke(cli, ["init"]).exit_code == 0
    assert runner.invoke(cli, ["checkpoint", "--out", out]).exit_code == 0
    result = runner.invoke(cli, ["verify", "--checkpoint", out])
    assert result.exit_code == 0, result.output
    assert "holds the checkpoint" in result.stdout
    assert (tmp_path / "k" / "checkpoint.pub").is_file()


def test_a_missing_store_is_one_sentence_and_exit_1(tmp_path: Path) -> None:
    db = tmp_path / "absent.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "verify"])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "absent.db" in result.stderr
    assert not db.exists()


def test_checkpoint_without_keys_is_refused_and_writes_nothing(
    sqlite_url: str, tmp_path: Path
) -> None:
    runner = CliRunner()
    keys = tmp_path / "no-keys"
    base = ["--db", sqlite_url, "--keys", str(keys)]
    assert runner.invoke(cli, [*base, "init"]).exit_code == 0
    (keys / "checkpoint.key").unlink()
    out = tmp_path / "cp.json"
    result = runner.invoke(cli, [*base, "checkpoint", "--out", str(out)])
    assert result.exit_code == 1
    assert "checkpoint.key" in result.stderr
    assert not out.exists()
