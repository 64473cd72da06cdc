"""The legacy import of money and case history: runs recorded together, errors
still named by line, the service composed of its four parts."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import pytest
from legacy_support import (
    OPERATOR,
    case_and_payment_lines,
    line,
    memory_fund,
    reference_lines,
)

from domain import roles
from domain.batches import batch_id
from domain.case_service import CaseCommands
from domain.legacy import LegacyImportError, import_lines
from domain.oversight_service import OversightCommands
from domain.payment_service import PaymentCommands
from domain.reference_service import ReferenceCommands
from domain.service import ReliefFund

if TYPE_CHECKING:
    from domain.legacy import ImportReport

BATCH = f"{roles.DIBAO}/110101001/2023-03"
PAID_AT = "2023-03-10T12:00:00+08:00"


def token(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def run(fund: ReliefFund, lines: list[str], batch_size: int = 2_000) -> ImportReport:
    return import_lines(fund, lambda: lines, by=OPERATOR, batch_size=batch_size)


def recorded(fund: ReliefFund) -> int:
    return fund.recorder.max_notification_id() or 0


def money_lines() -> list[str]:
    return [
        line(
            "P3",
            "payment.instruction_sent",
            BATCH,
            file_sha256=token("file"),
            line_count=1,
            total_fen=80_000,
            bank_code="ICBC",
        ),
        line(
            "P4",
            "payment.disbursed",
            BATCH,
            when=PAID_AT,
            line_no=1,
            bank_txn_ref="T1",
            value_date="2023-03-10",
            amount_fen=80_000,
            account_token=token("acct"),
        ),
        line(
            "P5",
            "payment.funds_received",
            f"{roles.DIBAO}/110101",
            source="中央",
            amount_fen=5_000_000,
            treasury_ref="TR-1",
            received_on="2023-01-20",
        ),
    ]


def test_the_service_is_composed_of_the_four_parts_in_order() -> None:
    parts = (ReferenceCommands, CaseCommands, PaymentCommands, OversightCommands)
    positions = [ReliefFund.__mro__.index(part) for part in parts]
    assert positions == sorted(positions)
    assert ReliefFund.__mro__[1] is ReferenceCommands
    assert memory_fund().policy.pay_day == 10


def test_money_lines_are_recorded_and_a_second_import_adds_nothing() -> None:
    fund = memory_fund()
    lines = reference_lines() + case_and_payment_lines(fund) + money_lines()
    assert run(fund, lines).recorded == len(lines)
    batch = fund.payment_batch(batch_id(roles.DIBAO, "110101001", "2023-03"))
    assert batch.state[1] == "disbursed"
    before = recorded(fund)
    assert run(fund, lines).recorded == 0
    assert recorded(fund) == before


def test_a_run_of_disbursements_is_one_event() -> None:
    fund = memory_fund()
    rows = [
        {"case_no": f"DB-{n}", "household_no": f"H{n}", "amount_fen": 100}
        for n in range(1, 51)
    ]
    paid = [
        line(
            f"D{n}",
            "payment.disbursed",
            BATCH,
            when=PAID_AT,
            line_no=n,
            bank_txn_ref=f"T{n}",
            value_date="2023-03-10",
            amount_fen=100,
            account_token=token(f"a{n}"),
        )
        for n in range(1, 51)
    ]
    lines = [
        line("B1", "payment.batch_created", BATCH, lines=rows),
        line("B2", "payment.batch_approved", BATCH),
        line(
            "B3",
            "payment.instruction_sent",
            BATCH,
            file_sha256=token("f"),
            line_count=50,
            total_fen=5_000,
            bank_code="ICBC",
        ),
        *paid,
    ]
    before = recorded(fund)
    report = run(fund, lines)
    assert report.recorded == len(lines)
    events = recorded(fund) - before
    assert events < 10  # created, scheduled, approved, instructed, one disbursement
    batch = fund.payment_batch(batch_id(roles.DIBAO, "110101001", "2023-03"))
    assert set(batch.state.values()) == {"disbursed"}


def test_a_disbursement_of_an_unknown_batch_is_refused_by_line() -> None:
    fund = memory_fund()
    lines = [*reference_lines(), money_lines()[1]]
    with pytest.raises(LegacyImportError, match=f"for line {len(lines)} "):
        run(fund, lines)


def test_an_event_of_an_unknown_case_is_refused_by_line() -> None:
    fund = memory_fund()
    lines = reference_lines()
    approved = case_and_payment_lines(fund)[1]  # case.Approved of DB-1, never applied
    lines.append(approved)
    with pytest.raises(
        LegacyImportError, match=f"unknown-record for line {len(lines)} "
    ):
        run(fund, lines)


def test_a_second_application_of_a_case_is_refused_by_line() -> None:
    fund = memory_fund()
    applied = case_and_payment_lines(fund)[0]
    again = applied.replace('"id": "C1"', '"id": "C1b"')
    lines = [*reference_lines(), applied, again]
    with pytest.raises(
        LegacyImportError, match=f"record-unique for line {len(lines)} "
    ):
        run(fund, lines)


def test_a_malformed_case_line_is_refused_before_anything_is_written() -> None:
    fund = memory_fund()
    lines = reference_lines() + case_and_payment_lines(fund)
    applied = next(i for i, raw in enumerate(lines) if '"case.Applied"' in raw)
    lines[applied] = lines[applied].replace('"channel": "窗口", ', "")
    with pytest.raises(LegacyImportError, match=f"for line {applied + 1} .*channel"):
        run(fund, lines)
    assert recorded(fund) == 0
