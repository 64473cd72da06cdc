"""The CLI's parsers: yuan to fen, dates and months, bank files, ledger segments."""

from __future__ import annotations

import hashlib
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cli.bankfiles import (
    BankFileError,
    read_returns,
    read_statement,
)
from cli.params import amount_fen, iso_date, iso_month, yuan
from cli.segments import (
    Header,
    SegmentFormatError,
    decode_header,
    decode_records,
    encode,
)
from domain.batch_rules import Line
from domain.instruction_file import instruction_file
from ledger.chain import GENESIS, ChainRecord, chain_links
from ledger.verify import verify_chain


@given(st.integers(min_value=0, max_value=10**13))
def test_any_fen_amount_reads_back_from_its_yuan(fen: int) -> None:
    assert amount_fen(yuan(fen)) == fen


@pytest.mark.parametrize(
    ("text", "fen"),
    [("700", 70_000), ("700.5", 70_050), ("700.50", 70_050), ("0.01", 1)],
)
def test_yuan_with_up_to_two_decimals(text: str, fen: int) -> None:
    assert amount_fen(text) == fen


@pytest.mark.parametrize(
    "text", ["700.505", "-1", "1e3", "abc", "", "7,00", "0x10", "700.", ".5", "NaN"]
)
def test_anything_else_is_no_amount(text: str) -> None:
    with pytest.raises(ValueError, match="yuan"):
        amount_fen(text)


@pytest.mark.parametrize("text", ["2024-02-30", "2024/01/02", "24-01-02", "2024-1-2"])
def test_only_iso_calendar_dates(text: str) -> None:
    with pytest.raises(ValueError, match="date"):
        iso_date(text)


@pytest.mark.parametrize("text", ["2024-13", "2024-00", "2024-1", "202401"])
def test_only_months_yyyy_mm(text: str) -> None:
    with pytest.raises(ValueError, match="month"):
        iso_month(text)


def test_the_instruction_file_ends_with_its_count_and_total() -> None:
    made = instruction_file(
        [(1, Line("C1", "H1", 100_000)), (2, Line("C2", "H2", 45_050))]
    )
    assert (made.line_count, made.total_fen) == (2, 145_050)
    assert made.data.decode().splitlines()[-1] == "TOTAL,2,1450.50"
    assert made.sha256 == hashlib.sha256(made.data).hexdigest()


def test_a_return_file_splits_paid_and_failed() -> None:
    token = "ab" * 32
    returns = read_returns(
        "line_no,status,bank_ref,value_date,amount,account_token,reason\n"
        f"1,paid,T1,2024-04-10,1000.00,{token},\n"
        "\n"
        "2,failed,T2,,,,frozen\n"
    )
    assert [p.amount_fen for p in returns.paid] == [100_000]
    assert [(f.line_no, f.reason_code) for f in returns.failed] == [(2, "frozen")]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("bank_ref,amount\n", 1),
        ("bank_ref,amount,reversal\nT1,1.001,no\n", 2),
        ("bank_ref,amount,reversal\nT1,1,no\nT2,1,perhaps\n", 3),
        ("bank_ref,amount,reversal\n,1,no\n", 2),
    ],
)
def test_a_malformed_statement_row_is_named(text: str, line: int) -> None:
    with pytest.raises(BankFileError) as caught:
        read_statement(text)
    assert caught.value.line_no == line


@given(st.lists(st.binary(max_size=40), min_size=1, max_size=12), st.data())
def test_a_segment_round_trips_and_verifies(
    states: list[bytes], data: st.DataObject
) -> None:
    records = build(states)
    first = data.draw(st.integers(1, len(records)))
    prev = GENESIS if first == 1 else records[first - 2].hash
    assert prev is not None
    head = records[-1].hash
    assert head is not None
    header = Header(first, len(records), prev, head)
    lines = list(encode(header, records[first - 1 :]))
    decoded = decode_header(lines[0])
    assert decoded == header
    back = list(decode_records(lines[1:]))
    assert back == records[first - 1 :]
    report = verify_chain(
        back, start_hash=prev, start_position=first - 1, checkpoint=(header.last, head)
    )
    assert report.ok


def test_a_malformed_segment_line_is_named() -> None:
    with pytest.raises(SegmentFormatError) as caught:
        list(decode_records(['{"position": 1}', "not json"]))
    assert caught.value.line_no == 3


def build(states: list[bytes]) -> list[ChainRecord]:
    """A chain of one aggregate's events with the given states."""
    oid = UUID(int=7).bytes
    rows = [(i + 1, oid, i + 1, "t:T", state) for i, state in enumerate(states)]
    links = chain_links(GENESIS, rows)
    return [
        ChainRecord(position, o, version, topic, state, prev, link)
        for (position, o, version, topic, state), (_, prev, link) in zip(
            rows, links, strict=True
        )
    ]
