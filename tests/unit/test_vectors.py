"""The code against the committed golden vectors in ``tests/vectors/chain``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ledger.chain import GENESIS, ChainRecord, chain_links, link_hash, link_message
from ledger.verify import verify_chain

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "vectors" / "chain"
FILES = sorted(VECTORS.glob("*.json"))
GENERATOR = ROOT / "tests" / "vectors" / "generate.py"


def load(path: Path) -> dict[str, Any]:
    content: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return content


def unhex(value: str | None) -> bytes | None:
    return None if value is None else bytes.fromhex(value)


def record(row: dict[str, Any]) -> ChainRecord:
    topic = row["topic"]
    if topic is not None:
        assert topic.encode() == bytes.fromhex(row["topic_hex"])
    return ChainRecord(
        row["position"],
        unhex(row["originator_id"]),
        row["originator_version"],
        topic,
        unhex(row["state"]),
        unhex(row["prev_hash"]),
        unhex(row["hash"]),
    )


def test_there_are_vectors_for_every_kind_of_damage() -> None:
    kinds = {(load(p)["want_error"] or {}).get("kind") for p in FILES}
    assert kinds == {
        None,
        "content modified",
        "event deleted",
        "event inserted",
        "events reordered",
        "chain forked",
        "tail truncated",
        "checkpoint mismatch",
    }


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_the_verifier_says_what_the_vector_wants(path: Path) -> None:
    vector = load(path)
    assert vector["format_version"] == 1
    checkpoint = vector["checkpoint"]
    trusted = None
    if checkpoint is not None:
        trusted = (checkpoint["position"], bytes.fromhex(checkpoint["hash"]))
    report = verify_chain(map(record, vector["records"]), checkpoint=trusted)
    damage = report.first_break
    got = None if damage is None else {"kind": damage.kind, "position": damage.position}
    assert got == vector["want_error"], vector["desc"]
    head = {"position": report.head_position, "hash": report.head_hash.hex()}
    assert head == vector["want_head"]


KNOWN = [p for p in FILES if "want_links" in load(p)]


@pytest.mark.parametrize("path", KNOWN, ids=[p.stem for p in KNOWN])
def test_the_link_maths_gives_the_known_answers(path: Path) -> None:
    vector = load(path)
    records = [record(row) for row in vector["records"]]
    rows = []
    for r, want in zip(records, vector["want_links"], strict=True):
        oid, version, topic, state = (
            r.originator_id,
            r.originator_version,
            r.topic,
            r.state,
        )
        assert oid is not None
        assert version is not None
        assert topic is not None
        assert state is not None
        rows.append((r.position, oid, version, topic, state))
        parent = r.prev_hash or GENESIS
        message = link_message(parent, r.position, oid, version, topic, state)
        assert message.hex() == want["message"]
        assert (
            link_hash(parent, r.position, oid, version, topic, state).hex()
            == want["link"]
        )
    links = [link.hex() for _, _, link in chain_links(GENESIS, rows)]
    assert links == [want["link"] for want in vector["want_links"]]


@pytest.mark.skipif(
    not (shutil.which("bash") and shutil.which("xxd") and shutil.which("sha256sum")),
    reason="the coreutils recipe needs bash, xxd and sha256sum",
)
def test_the_coreutils_note_reproduces_the_known_answer() -> None:
    vector = load(VECTORS / "known-answer-single.json")
    command, _, comment = vector["note"].partition("  # prints ")
    result = subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True, check=True
    )
    assert (
        result.stdout.split()[0]
        == comment.split()[0]
        == vector["want_links"][0]["link"]
    )


def test_regenerating_gives_identical_files(tmp_path: Path) -> None:
    paths = [str(ROOT), *os.environ.get("PYTHONPATH", "").split(os.pathsep)]
    subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)},
        capture_output=True,
        check=True,
    )
    fresh = {p.name: p.read_bytes() for p in tmp_path.glob("*.json")}
    committed = {p.name: p.read_bytes() for p in FILES}
    assert sorted(fresh) == sorted(committed)
    for name, content in committed.items():
        assert fresh[name] == content, f"{name} differs from a fresh generation"
