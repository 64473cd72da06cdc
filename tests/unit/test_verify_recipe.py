"""The shell recipe published in docs/ledger-format.md verifies a real SQLite file."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path
from uuid import UUID

import pytest

from ledger.chain import GENESIS, ChainRecord, chain_links
from ledger.verify import verify_chain

DOC = Path(__file__).resolve().parents[2] / "docs" / "ledger-format.md"
MARKER = "<!-- recipe: sqlite -->"

pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("bash", "sqlite3", "xxd", "sha256sum")),
    reason="the documented recipe needs bash, the sqlite3 CLI, xxd and sha256sum",
)

SCHEMA = (
    "CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, "
    "topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))",
    "CREATE TABLE ledger_chain (notification_id INTEGER PRIMARY KEY, "
    "prev_hash BLOB NOT NULL UNIQUE, hash BLOB NOT NULL)",
)
EVENTS = [
    (UUID(int=7), 1, "domain.cases:Case.Submitted", b'{"household":"h-1"}'),
    (UUID(int=7), 2, "domain.cases:Case.Approved", "低保 70050 分".encode()),
    (UUID(int=8), 1, "domain.cases:案件.Paid", b""),
    (UUID(int=7), 3, "domain.cases:Case.Paid", bytes(range(256))),
]


def recipe() -> str:
    """The script exactly as the document shows it."""
    text = DOC.read_text(encoding="utf-8")
    block = text.split(MARKER, 1)[1].split("```sh\n", 1)[1]
    return block.split("```", 1)[0]


def build_ledger(path: Path, positions: list[int]) -> None:
    """A ledger written with raw sqlite3, in the stored layout, links and all."""
    rows = [
        (p, u.bytes, v, t, s) for p, (u, v, t, s) in zip(positions, EVENTS, strict=True)
    ]
    with sqlite3.connect(path) as db:
        for statement in SCHEMA:
            db.execute(statement)
        db.executemany(
            "INSERT INTO stored_events (rowid, originator_id, originator_version, "
            "topic, state) VALUES (?, ?, ?, ?, ?)",
            [
                (p, u.hex, v, t, s)
                for p, (u, v, t, s) in zip(positions, EVENTS, strict=True)
            ],
        )
        db.executemany(
            "INSERT INTO ledger_chain VALUES (?, ?, ?)", chain_links(GENESIS, rows)
        )
    db.close()


def records(path: Path) -> list[ChainRecord]:
    """The same ledger read back by Python, for the library's verifier."""
    with sqlite3.connect(path) as db:
        found = db.execute(
            "SELECT ids.n, e.originator_id, e.originator_version, e.topic, e.state, "
            "c.prev_hash, c.hash FROM (SELECT rowid AS n FROM stored_events "
            "UNION SELECT notification_id FROM ledger_chain) AS ids "
            "LEFT JOIN stored_events AS e ON e.rowid = ids.n "
            "LEFT JOIN ledger_chain AS c ON c.notification_id = ids.n ORDER BY ids.n"
        ).fetchall()
    db.close()
    return [
        ChainRecord(n, None if oid is None else bytes.fromhex(oid), *rest)
        for n, oid, *rest in found
    ]


def run_recipe(tmp_path: Path, ledger: Path) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "verify-ledger.sh"
    script.write_text(recipe(), encoding="utf-8")
    return subprocess.run(
        ["bash", str(script), str(ledger)], capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    "positions", [[1, 2, 3, 4], [1, 2, 5, 6]], ids=["dense", "gap"]
)
def test_the_recipe_reaches_the_same_head_as_the_verifier(
    tmp_path: Path, positions: list[int]
) -> None:
    ledger = tmp_path / "relief.db"
    build_ledger(ledger, positions)
    report = verify_chain(records(ledger))
    assert report.ok
    result = run_recipe(tmp_path, ledger)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.split() == [
        "ok",
        str(report.head_position),
        report.head_hash.hex(),
    ]


@pytest.mark.parametrize(
    "tampering",
    [
        "UPDATE stored_events SET state = X'00' || state WHERE rowid = 3",
        "UPDATE stored_events SET topic = 'x' WHERE rowid = 3",
        "DELETE FROM stored_events WHERE rowid = 3",
        "DELETE FROM ledger_chain WHERE notification_id = 3",
    ],
    ids=["state", "topic", "event row", "link row"],
)
def test_the_recipe_stops_where_the_verifier_finds_damage(
    tmp_path: Path, tampering: str
) -> None:
    ledger = tmp_path / "relief.db"
    build_ledger(ledger, [1, 2, 3, 4])
    with sqlite3.connect(ledger) as db:
        db.execute(tampering)
    db.close()
    damage = verify_chain(records(ledger)).first_break
    assert damage is not None
    result = run_recipe(tmp_path, ledger)
    assert result.returncode == 1
    assert result.stdout.strip() == f"BROKEN at {damage.position}"
