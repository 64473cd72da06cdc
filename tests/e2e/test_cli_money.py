"""Money commands end to end, on SQLite and PostgreSQL: a month's batch to the bank.

Each test pays its own month, so tests share the county but not a batch.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

import pytest
from relief_support import (
    COUNTY,
    ID_HEAD,
    TOWNSHIP,
    approved_case,
    as_,
    build_county,
    household,
    store,
)

if TYPE_CHECKING:
    from pathlib import Path

    from relief_support import Relief

__all__ = ["store"]

TOKEN = "ab" * 32
RETURN_HEADER = "line_no,status,bank_ref,value_date,amount,account_token,reason\n"


@pytest.fixture(scope="module")
def county(store: Relief) -> Relief:
    build_county(store)
    approved_case(store, "C1", "H1", "1000")
    household(store, "H30", "h30")
    approved_case(store, "C30", "H30", "450.5")
    return store


def batch(period: str) -> tuple[str, ...]:
    return ("低保", TOWNSHIP, period)


def shown(relief: Relief, period: str) -> dict[str, object]:
    document: dict[str, object] = json.loads(
        relief.ok("batch", "show", *batch(period), "--json").output
    )
    return document


def sent(relief: Relief, period: str, out: Path) -> None:
    """Create, approve (a second officer) and export the month's batch."""
    relief.ok("batch", "create", *batch(period), *as_("F1", f"{period}-03"))
    relief.ok("batch", "approve", *batch(period), *as_("F2", f"{period}-04"))
    relief.ok(
        "batch", "export", *batch(period), "--out", str(out), "--bank", "ICBC",
        *as_("F1", f"{period}-05"),
    )  # fmt: skip


def test_funds_received_and_an_account_registered(county: Relief) -> None:
    result = county.ok(
        "funds", "receive", "低保", COUNTY, "50000.5", "--source", "中央",
        "--treasury-ref", "国库-1", "--received", "2024-03-20",
        *as_("F1", "2024-03-20"),
    )  # fmt: skip
    assert "50000.50" in result.output
    county.ok(
        "account", "add", "H1", ID_HEAD, TOKEN, "--bank", "ICBC",
        "--card-type", "社保卡", *as_("F1", "2024-03-21"),
    )  # fmt: skip
    sentence = county.refused(
        1, "account", "add", "H30", ID_HEAD, "cd" * 32, "--bank", "ICBC",
        "--card-type", "社保卡", *as_("F1", "2024-03-21"),
    )  # fmt: skip
    assert "account.holder-in-household" in sentence


def test_a_month_from_roll_to_reconciled_statement(
    county: Relief, tmp_path: Path
) -> None:
    county.ok("batch", "create", *batch("2024-04"), *as_("F1", "2024-04-03"))
    sentence = county.refused(
        1, "batch", "approve", *batch("2024-04"), *as_("F1", "2024-04-03")
    )
    assert "F1" in sentence or "maker" in sentence
    county.ok("batch", "approve", *batch("2024-04"), *as_("F2", "2024-04-04"))
    out = tmp_path / "pay.csv"
    export = ("batch", "export", *batch("2024-04"), "--out", str(out), "--bank", "ICBC")
    county.ok(*export, *as_("F1", "2024-04-05"))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "line_no,case_no,household_no,amount"
    assert lines[1:] == ["1,C1,H1,1000.00", "2,C30,H30,450.50", "TOTAL,2,1450.50"]
    recorded = shown(county, "2024-04")
    assert (
        recorded["instruction_sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    )
    assert recorded["total_fen"] == 145_050
    assert "never replaced" in county.refused(2, *export, *as_("F1", "2024-04-05"))
    again = ("batch", "export", *batch("2024-04"), "--out", str(tmp_path / "b.csv"))
    assert "batch.order" in county.refused(1, *again, "--bank", "X", "--as", "F1")
    assert not (tmp_path / "b.csv").exists()

    returns = tmp_path / "return.csv"
    returns.write_text(
        RETURN_HEADER
        + f"1,paid,TXN-1,2024-04-10,1000.00,{TOKEN},\n"
        + "2,failed,TXN-2,,,,account-closed\n",
        encoding="utf-8",
    )
    imported = county.ok(
        "batch", "import", *batch("2024-04"), str(returns), *as_("F1", "2024-04-11")
    )
    assert "1 paid and 1 failed" in imported.output
    county.ok(
        "batch", "reissue", *batch("2024-04"), "2", "--bank-ref", "TXN-3",
        "--value-date", "2024-04-20", "--account", TOKEN, "--amount", "450.50",
        *as_("F1", "2024-04-20"),
    )  # fmt: skip
    states = [line["state"] for line in shown(county, "2024-04")["lines"]]  # type: ignore[attr-defined]
    assert states == ["disbursed", "reissued"]

    statement = tmp_path / "statement.csv"
    statement.write_text(
        "bank_ref,amount,reversal\nTXN-1,1000.00,no\nTXN-9,5.00,no\n", encoding="utf-8"
    )
    result = county.ok(
        "batch", "reconcile", *batch("2024-04"), str(statement), "--statement", "ST-4",
        "--json", *as_("F1", "2024-04-25"),
    )  # fmt: skip
    reconciled = json.loads(result.output)
    assert reconciled["matched_lines"] == [1]
    assert reconciled["unmatched"] == [{"bank_ref": "TXN-9", "amount_fen": 500}]
    assert reconciled["missing_lines"] == [2]
    table = county.ok("batch", "show", *batch("2024-04")).output
    assert "已发放 (disbursed)" in table


def test_a_failed_line_returned(county: Relief, tmp_path: Path) -> None:
    sent(county, "2024-05", tmp_path / "pay.csv")
    returns = tmp_path / "return.csv"
    returns.write_text(
        RETURN_HEADER
        + f"1,paid,TXN-51,2024-05-10,1000,{TOKEN},\n"
        + "2,failed,TXN-52,,,,deceased\n",
        encoding="utf-8",
    )
    county.ok("batch", "import", *batch("2024-05"), str(returns), "--as", "F1")
    county.ok(
        "batch", "return", *batch("2024-05"), "2", "--treasury-ref", "退库-1",
        *as_("F1", "2024-05-21"),
    )  # fmt: skip
    states = [line["state"] for line in shown(county, "2024-05")["lines"]]  # type: ignore[attr-defined]
    assert states == ["disbursed", "returned"]


@pytest.mark.parametrize(
    ("row", "why"),
    [
        (f"1,paid,TXN-1,2024-06-31,1000.00,{TOKEN},", "line 3"),
        (f"1,paid,TXN-1,2024-06-10,1000.001,{TOKEN},", "line 3"),
        (f"1,paid,TXN-1,2024-06-10,-1000,{TOKEN},", "line 3"),
        ("1,lost,TXN-1,,,,", "line 3"),
        ("x,paid,TXN-1,2024-06-10,1000,t,", "line 3"),
        ("1,paid,TXN-1", "line 3"),
    ],
)
def test_a_malformed_return_row_is_named_and_nothing_is_written(
    county: Relief, tmp_path: Path, row: str, why: str
) -> None:
    period = "2024-06"
    if shown_or_none(county, period) is None:
        sent(county, period, tmp_path / "pay.csv")
    returns = tmp_path / "return.csv"
    good = f"2,failed,TXN-62,,,,frozen\n{row}\n"
    returns.write_text(RETURN_HEADER + good, encoding="utf-8")
    sentence = county.refused(
        2, "batch", "import", *batch(period), str(returns), "--as", "F1"
    )
    assert why in sentence
    assert {line["state"] for line in shown(county, period)["lines"]} == {"scheduled"}  # type: ignore[attr-defined]


def shown_or_none(relief: Relief, period: str) -> object:
    result = relief("batch", "show", *batch(period), "--json")
    return json.loads(result.output) if result.exit_code == 0 else None


def test_a_paid_amount_unlike_the_schedule_records_nothing(
    county: Relief, tmp_path: Path
) -> None:
    sent(county, "2024-07", tmp_path / "pay.csv")
    returns = tmp_path / "return.csv"
    returns.write_text(
        RETURN_HEADER
        + "2,failed,TXN-72,,,,frozen\n"
        + f"1,paid,TXN-71,2024-07-10,999.99,{TOKEN},\n",
        encoding="utf-8",
    )
    sentence = county.refused(
        1, "batch", "import", *batch("2024-07"), str(returns), "--as", "F1"
    )
    assert "batch.amount-as-scheduled" in sentence


@pytest.mark.parametrize(
    ("code", "args"),
    [
        (2, ("funds", "receive", "低保", COUNTY, "1.001", "--source", "中央",
             "--treasury-ref", "T", "--received", "2024-03-20", "--as", "F1")),
        (2, ("funds", "receive", "低保", COUNTY, "100", "--source", "中央",
             "--treasury-ref", "T", "--received", "2024-3-20", "--as", "F1")),
        (1, ("funds", "receive", "低保", COUNTY, "100", "--source", "中央",
             "--treasury-ref", "T", "--received", "2024-03-20", "--as", "T1")),
        (2, ("batch", "create", "低保", TOWNSHIP, "2024-4", "--as", "F1")),
        (1, ("batch", "create", "低保", COUNTY, "2024-08", "--as", "F1")),
        (1, ("batch", "approve", "低保", TOWNSHIP, "2031-01", "--as", "F2")),
        (1, ("batch", "show", "低保", TOWNSHIP, "2031-01")),
        (1, ("batch", "return", "低保", TOWNSHIP, "2031-01", "1", "--treasury-ref",
             "R", "--as", "F1")),
        (2, ("batch", "reissue", "低保", TOWNSHIP, "2024-04", "1", "--bank-ref", "B",
             "--value-date", "2024-04-31", "--account", TOKEN, "--amount", "1",
             "--as", "F1")),
        (1, ("account", "add", "H1", ID_HEAD, "not-a-token", "--bank", "ICBC",
             "--card-type", "社保卡", "--as", "F1")),
    ],
)  # fmt: skip
def test_bad_money_input_is_refused(
    county: Relief, code: int, args: tuple[str, ...]
) -> None:
    county.refused(code, *args)


def test_a_malformed_statement_row_is_named(county: Relief, tmp_path: Path) -> None:
    statement = tmp_path / "statement.csv"
    statement.write_text("bank_ref,amount,reversal\nTXN-1,10,maybe\n", encoding="utf-8")
    sentence = county.refused(
        2, "batch", "reconcile", *batch("2024-04"), str(statement),
        "--statement", "ST-X", "--as", "F1",
    )  # fmt: skip
    assert "line 2" in sentence
