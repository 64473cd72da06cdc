"""Payments and oversight on a real chained ledger, SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import TYPE_CHECKING

import pytest

from domain import roles
from domain.base import Act
from domain.batch_rules import Disbursement, StatementEntry
from domain.errors import SeparationOfDutiesError
from domain.people import Member
from domain.rolls import Roll
from domain.service import ReliefFund
from ledger.store import create_ledger, open_store, persistence_env

if TYPE_CHECKING:
    from collections.abc import Iterator
    from uuid import UUID

SETUP = Act("S0", roles.COUNTY_CLERK, datetime(2024, 1, 2, 9, 0))
CLERK = Act("S1", roles.TOWNSHIP_CLERK, datetime(2024, 2, 1, 9, 0))
MAKER = Act("F1", roles.FINANCE, datetime(2024, 5, 6, 9, 0))
CHECKER = Act("F2", roles.FINANCE, datetime(2024, 5, 6, 10, 0))
AUDITOR = Act("A1", roles.AUDIT, datetime(2024, 6, 1, 9, 0))
INSPECTOR = Act("D1", roles.DISCIPLINE, datetime(2024, 6, 2, 9, 0))
TOWNSHIP = "110101001"
VILLAGE = "110101001001"
REGIONS = (
    ("11", "北京市"),
    ("1101", "市辖区"),
    ("110101", "东城区"),
    (TOWNSHIP, "东华门街道"),
    (VILLAGE, "多福巷社区"),
)
STAFF = (
    ("S1", roles.TOWNSHIP_CLERK, TOWNSHIP),
    ("F1", roles.FINANCE, "110101"),
    ("F2", roles.FINANCE, "110101"),
    ("A1", roles.AUDIT, "110101"),
    ("D1", roles.DISCIPLINE, "110101"),
)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def open_fund(url: str) -> ReliefFund:
    return ReliefFund(env={**persistence_env(url), "RELIEF_PERSON_KEY": "k"})


@pytest.fixture
def fund(store_url: str) -> Iterator[ReliefFund]:
    create_ledger(store_url)
    fund = open_fund(store_url)
    for code, name in REGIONS:
        fund.register_region(SETUP, code, name)
    for staff_id, role, org in STAFF:
        fund.register_staff(SETUP, staff_id, digest(staff_id), staff_id)
        fund.assign_role(SETUP, staff_id, role, org, date(2024, 1, 1))
    for n in (1, 2):
        head = Member(digest(f"head{n}"), f"户主{n}", "户主", date(1950, 1, 1))
        fund.register_household(CLERK, f"H{n}", VILLAGE, "rural", [head])
    roll = Roll.open(SETUP, roles.DIBAO, TOWNSHIP)
    for n in (1, 2):
        roll.set_schedule(SETUP, f"C{n}", f"H{n}", {"2024-01": 40_000 + n})
    fund.save(roll)
    yield fund
    fund.close()


def events(fund: ReliefFund) -> int:
    return fund.recorder.max_notification_id() or 0


def paid(line_no: int, amount: int, ref: str) -> Disbursement:
    return Disbursement(line_no, ref, date(2024, 5, 10), amount, digest(f"a{line_no}"))


def run_month(fund: ReliefFund) -> UUID:
    fund.receive_funds(
        MAKER,
        programme=roles.DIBAO,
        org_code="110101",
        source="中央",
        amount_fen=80_003,
        treasury_ref="GK-1",
        received_on=date(2024, 5, 2),
    )
    fund.register_bank_account(
        CLERK,
        household_no="H1",
        holder_ref=digest("head1"),
        account_token=digest("a1"),
        bank_code="RCC",
        card_type="一卡通",
    )
    the_id = fund.create_batch(
        MAKER, programme=roles.DIBAO, region_code=TOWNSHIP, period="2024-05"
    )
    fund.approve_batch(CHECKER, the_id)
    fund.send_instruction(
        MAKER,
        the_id,
        file_sha256=digest("file"),
        line_count=2,
        total_fen=80_003,
        bank_code="RCC",
    )
    fund.record_disbursements(MAKER, the_id, [paid(1, 40_001, "T1")])
    fund.record_payment_failure(
        MAKER, the_id, line_no=2, reason_code="frozen", bank_ref="B2"
    )
    fund.reissue_payment(MAKER, the_id, paid(2, 40_002, "T2R"))
    fund.reconcile_statement(
        MAKER,
        the_id,
        statement_id="ST-5",
        entries=[StatementEntry("T1", 40_001), StatementEntry("T2R", 40_002)],
    )
    return the_id


def test_a_month_of_payments_chains_and_replays(
    fund: ReliefFund, store_url: str
) -> None:
    the_id = run_month(fund)
    again = open_fund(store_url)
    batch = again.payment_batch(the_id)
    assert batch.state == {1: "disbursed", 2: "reissued"}
    assert batch.paid_refs == {"T1": 1, "T2R": 2}
    assert (batch.maker_id, batch.approver_id) == ("F1", "F2")
    again.close()
    with open_store(store_url) as store:
        report = store.verify()
    assert report.ok
    assert report.head_position == events(fund)


def test_a_refusal_writes_nothing_to_the_ledger(fund: ReliefFund) -> None:
    the_id = fund.create_batch(
        MAKER, programme=roles.DIBAO, region_code=TOWNSHIP, period="2024-05"
    )
    before = events(fund)
    with pytest.raises(SeparationOfDutiesError):
        fund.approve_batch(MAKER, the_id)
    assert events(fund) == before


def test_a_flag_cites_ledger_positions_and_is_cleared_by_another(
    fund: ReliefFund, store_url: str
) -> None:
    run_month(fund)
    head = events(fund)
    with open_store(store_url) as store:
        link = store.link_at(head)
    assert link is not None
    flag = fund.raise_flag(
        AUDITOR,
        rule_id="RF-19",
        subject="H2",
        evidence=[(head, link.hex())],
        summary="a line failed before it was reissued",
    )
    fund.clear_flag(INSPECTOR, flag, "reissued within the window")
    assert fund.flag_known("RF-19", "H2", [(head, link.hex())])
    with open_store(store_url) as store:
        assert store.verify().ok
