"""Inspectors' and auditors' commands end to end, on SQLite and PostgreSQL.

history, replay, risk rules|list|show|clear, export, verify-export and import.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import TYPE_CHECKING

import pytest
from relief_support import (
    COUNTY,
    ID_CHILD,
    TOWNSHIP,
    approved_case,
    as_,
    build_county,
    ref,
    store,
)

from domain import roles
from domain.base import Act
from domain.service import ReliefFund
from ledger.keys import key_paths
from ledger.store import persistence_env
from projections.risk.catalogue import catalogue

if TYPE_CHECKING:
    from pathlib import Path

    from relief_support import Relief

__all__ = ["store"]


@pytest.fixture(scope="module")
def county(store: Relief) -> Relief:
    build_county(store)
    approved_case(store, "C1", "H1", "1000")
    store.ok(
        "funds", "receive", "低保", COUNTY, "5000", "--source", "中央",
        "--treasury-ref", "国库-1", "--received", "2024-03-20",
        *as_("F1", "2024-03-20"),
    )  # fmt: skip
    store.ok("batch", "create", "低保", TOWNSHIP, "2024-04", *as_("F1", "2024-04-03"))
    return store


@pytest.fixture(scope="module")
def flag_id(county: Relief) -> str:
    """A flag on C1 raised by J1, citing the approval event."""
    timeline = json.loads(county.ok("history", "C1", "--json").output)
    approval = next(e for e in timeline if e["event"] == "ReliefCase.Approved")
    fund = ReliefFund(env=persistence_env(county.url))
    try:
        the_id = fund.raise_flag(
            Act("J1", roles.DISCIPLINE, datetime(2024, 5, 1)),
            rule_id="RF-08",
            subject="C1",
            evidence=[(approval["position"], approval["hash"])],
            summary="近亲属未备案",
        )
    finally:
        fund.close()
    return str(the_id)


def test_history_of_a_household_follows_its_case(county: Relief) -> None:
    timeline = json.loads(county.ok("history", "H1", "--json").output)
    events = [e["event"] for e in timeline]
    assert events[0] == "Household.Registered"
    assert "ReliefCase.Approved" in events
    positions = [e["position"] for e in timeline]
    assert positions == sorted(positions)
    approval = timeline[events.index("ReliefCase.Approved")]
    assert approval["actor_id"] == "A1"
    assert approval["actor_role"] == "审批"
    assert approval["occurred_at"].startswith("2024-03-15")
    assert len(approval["hash"]) == 64
    table = county.ok("history", "H1").output
    assert "审批" in table
    assert approval["hash"][:16] in table


def test_history_as_of_a_date_and_at_a_position(county: Relief) -> None:
    before = json.loads(
        county.ok("history", "C1", "--as-of", "2024-03-06", "--json").output
    )
    assert "ReliefCase.Approved" not in [e["event"] for e in before]
    assert all(e["occurred_at"] <= "2024-03-07" for e in before)
    first = before[0]["position"]
    at = json.loads(county.ok("history", "C1", "--at", str(first), "--json").output)
    assert [e["position"] for e in at] == [first]


@pytest.mark.parametrize(
    ("code", "args"),
    [
        (2, ("history", "C1", "--as-of", "2024-02-30")),
        (2, ("history", "C1", "--at", "0")),
        (2, ("history", "C1", "--at", "3", "--as-of", "2024-03-01")),
        (1, ("history", "C404")),
        (2, ("replay", "--as-of", "yesterday")),
    ],
)
def test_bad_inspection_input(county: Relief, code: int, args: tuple[str, ...]) -> None:
    county.refused(code, *args)


def test_replay_gives_money_as_it_stood(county: Relief) -> None:
    march = json.loads(county.ok("replay", "--as-of", "2024-03-31", "--json").output)
    assert march["programmes"]["低保"]["received_fen"] == 500_000
    assert march["programmes"]["低保"]["disbursed_fen"] == 0
    early = json.loads(county.ok("replay", "--as-of", "2024-01-31", "--json").output)
    assert early["programmes"] == {}
    timeline = json.loads(county.ok("history", "C1", "--json").output)
    before = next(e["position"] for e in timeline if e["event"].endswith("Approved"))
    at = json.loads(county.ok("replay", "--at", str(before), "--json").output)
    assert at["last_position"] == before
    assert at["programmes"] == {}
    assert "5000.00" in county.ok("replay", "--as-of", "2024-04-30").output


def test_risk_list_and_show_give_the_evidence(county: Relief, flag_id: str) -> None:
    listed = json.loads(county.ok("risk", "list", "--rule", "RF-08", "--json").output)
    mine = next(f for f in listed if f["flag_id"] == flag_id)
    assert mine["status"] == "open"
    assert (
        json.loads(county.ok("risk", "list", "--rule", "RF-99", "--json").output) == []
    )
    in_region = county.ok("risk", "list", "--region", TOWNSHIP, "--json").output
    assert flag_id in [f["flag_id"] for f in json.loads(in_region)]
    elsewhere = county.ok("risk", "list", "--region", "120101", "--json").output
    assert json.loads(elsewhere) == []
    shown = json.loads(county.ok("risk", "show", flag_id, "--json").output)
    assert shown["rule_id"] == "RF-08"
    assert all(e["holds"] for e in shown["evidence"])
    assert "近亲属未备案" in county.ok("risk", "list").output


def test_risk_rules_lists_every_rule_the_scan_runs(county: Relief) -> None:
    rules = json.loads(county.ok("risk", "rules", "--json").output)
    assert [r["rule_id"] for r in rules] == [e.rule_id for e in catalogue()]
    by_id = {r["rule_id"]: r for r in rules}
    assert {"RF-02", "RF-08", "RF-15", "RF-19"} <= set(by_id)
    assert by_id["RF-15"]["name_zh"] == "平均保"
    assert "\n" not in by_id["RF-02"]["doc"]
    table = county.ok("risk", "rules").output
    assert "服刑人员仍领取" in table
    assert "规则名称" in table
    assert "Paid while imprisoned" in county.ok("risk", "rules", "--lang", "en").output


def test_risk_clear_needs_another_person_and_a_reason(
    county: Relief, flag_id: str
) -> None:
    sentence = county.refused(
        1, "risk", "clear", flag_id, "--reason", "误报", *as_("J1", "2024-05-02")
    )
    assert "flag.clearer-not-raiser" in sentence
    assert "role-required" in county.refused(
        1, "risk", "clear", flag_id, "--reason", "误报", *as_("F1", "2024-05-02")
    )
    county.ok("risk", "clear", flag_id, "--reason", "已核实", *as_("J2", "2024-05-02"))
    still_open = json.loads(county.ok("risk", "list", "--open", "--json").output)
    assert flag_id not in [f["flag_id"] for f in still_open]
    assert "flag.clear-once" in county.refused(
        1, "risk", "clear", flag_id, "--reason", "again", *as_("J1", "2024-05-03")
    )


@pytest.mark.parametrize(
    ("code", "args"),
    [
        (2, ("risk", "show", "not-a-uuid")),
        (1, ("risk", "show", "00000000-0000-0000-0000-000000000000")),
        (1, ("risk", "clear", "00000000-0000-0000-0000-000000000000", "--reason",
             "r", "--as", "J2")),
        (2, ("risk", "clear", "00000000-0000-0000-0000-000000000000", "--as", "J2")),
    ],
)  # fmt: skip
def test_bad_risk_input(county: Relief, code: int, args: tuple[str, ...]) -> None:
    county.refused(code, *args)


def test_an_exported_segment_verifies_without_the_database(
    county: Relief, tmp_path: Path
) -> None:
    last = county.head()[0]
    out = tmp_path / "segment.jsonl"
    county.ok("export", "--from", "5", "--to", str(last), "--out", str(out))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == last - 5 + 2
    checked = county.runner.invoke(
        __import__("cli.main", fromlist=["cli"]).cli,
        ["--db", str(tmp_path / "absent.db"), "verify-export", str(out), "--json"],
    )
    assert checked.exit_code == 0, checked.output
    report = json.loads(checked.output)
    assert report["ok"] is True
    assert report["head_position"] == last
    assert not (tmp_path / "absent.db").exists()


def test_a_tampered_segment_names_the_position(county: Relief, tmp_path: Path) -> None:
    last = county.head()[0]
    out = tmp_path / "segment.jsonl"
    county.ok("export", "--from", "1", "--to", str(last), "--out", str(out))
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    record = json.loads(lines[3])
    state = bytearray(base64.b64decode(record["state"]))
    state[0] ^= 1
    record["state"] = base64.b64encode(bytes(state)).decode()
    tampered = tmp_path / "tampered.jsonl"
    tampered.write_text("".join([*lines[:3], json.dumps(record) + "\n", *lines[4:]]))
    result = county("verify-export", str(tampered))
    assert result.exit_code == 1
    assert f"position {record['position']}: content modified" in result.output
    cut = tmp_path / "cut.jsonl"
    cut.write_text("".join(lines[:-1]))
    result = county("verify-export", str(cut))
    assert result.exit_code == 1
    assert "tail truncated" in result.output


def test_a_segment_verifies_against_a_signed_checkpoint(
    county: Relief, tmp_path: Path
) -> None:
    checkpoint = tmp_path / "checkpoint.json"
    county.ok("checkpoint", "--out", str(checkpoint))
    last = json.loads(checkpoint.read_text())["position"]
    out = tmp_path / "segment.jsonl"
    county.ok("export", "--from", "1", "--to", str(last), "--out", str(out))
    public = str(key_paths(county.keys).public)
    result = county.ok(
        "verify-export", str(out), "--checkpoint", str(checkpoint),
        "--public-key", public,
    )  # fmt: skip
    assert "Segment intact" in result.output
    assert "needs --public-key" in county.refused(
        2, "verify-export", str(out), "--checkpoint", str(checkpoint)
    )


@pytest.mark.parametrize(
    ("code", "args"),
    [
        (2, ("export", "--from", "3", "--to", "2", "--out", "x.jsonl")),
        (2, ("export", "--from", "1", "--to", "999999", "--out", "x.jsonl")),
        (2, ("export", "--from", "0", "--to", "2", "--out", "x.jsonl")),
    ],
)
def test_bad_export_ranges(county: Relief, code: int, args: tuple[str, ...]) -> None:
    county.refused(code, *args)


def test_a_malformed_segment_file_is_bad_usage(county: Relief, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"format": "something else"}\n')
    assert "line 1" in county.refused(2, "verify-export", str(bad))


def legacy_line(line_id: str, type_: str, record: str, **fields: object) -> str:
    return json.dumps(
        {
            "id": line_id,
            "type": type_,
            "record": record,
            "actor": "S0",
            "role": "县级经办",
            "occurred_at": "2023-01-05T09:00:00+08:00",
            **fields,
        },
        ensure_ascii=False,
    )


def test_import_records_once_and_refuses_a_malformed_line(
    county: Relief, tmp_path: Path
) -> None:
    good = tmp_path / "legacy.jsonl"
    good.write_text(
        "\n".join(
            [
                legacy_line("L1", "region.registered", "12", name="天津市"),
                legacy_line("L2", "region.registered", "1201", name="市辖区"),
                legacy_line("L3", "staff.registered", "OLD1", person=ref("old1"),
                            name="旧员工"),
            ]
        )
        + "\n",
        encoding="utf-8",
    )  # fmt: skip
    result = county.ok("import", str(good), *as_("S0", "2024-06-01"))
    assert "3 lines, 3 recorded" in result.output
    again = county.ok("import", str(good), *as_("S0", "2024-06-01"))
    assert "0 recorded, 3 already there" in again.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        legacy_line("M1", "region.registered", "13", name="河北省")
        + "\n"
        + legacy_line("M2", "region.teleported", "1301", name="石家庄市")
        + "\n",
        encoding="utf-8",
    )
    assert "line 2" in county.refused(1, "import", str(bad), "--as", "S0")


def test_risk_scan_finds_an_undeclared_relative_once(county: Relief) -> None:
    """C1's member is K1's sibling, with no 近亲属备案 on C1 (RF-08)."""
    county.ok(
        "kinship", "add", ID_CHILD, ref("staff-K1"), "兄弟姐妹", "--source", "户籍",
        *as_("T1", "2024-03-02"),
    )  # fmt: skip
    assert "role-required" in county.refused(1, "risk", "scan", "--as", "F1")
    found = json.loads(county.ok("risk", "scan", "--json", "--as", "J2").output)
    rf08 = [f for f in found["findings"] if f["rule_id"] == "RF-08"]
    assert [f["subject"] for f in rf08] == ["C1"], found
    assert found["raised"]
    again = json.loads(county.ok("risk", "scan", "--json", "--as", "J2").output)
    assert again["raised"] == []
    assert again["known"] == len(again["findings"])
    listed = json.loads(county.ok("risk", "list", "--json").output)
    assert set(found["raised"]) <= {f["flag_id"] for f in listed}
    rf08_flags = [f for f in listed if f["rule_id"] == "RF-08" and f["subject"] == "C1"]
    assert rf08_flags
    assert "近亲属未备案" in county.ok("risk", "list").output
