"""Payments, given → when → then: funds, payee accounts, monthly batches."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest
from payment_support import (
    AUDITOR,
    CHECKER,
    CLERK,
    COUNTY,
    COUNTY_CLERK,
    MAKER,
    PERIOD,
    TOWNSHIP,
    Fund,
    digest,
    recorded,
    roll_of,
    seeded_fund,
    sent_batch,
)

from domain import roles
from domain.accounts import BankAccount
from domain.batch_rules import Line
from domain.batches import PaymentBatch, batch_id
from domain.errors import (
    AmountError,
    DomainError,
    InvalidDataError,
    NotFoundError,
    OrderingError,
    RoleError,
    SeparationOfDutiesError,
)
from domain.funds import ProgrammeAccount, account_id
from domain.rolls import Roll

if TYPE_CHECKING:
    from uuid import UUID

    from domain.base import Act

RECEIVED = date(2024, 5, 2)


def receive(
    fund: Fund,
    act: Act = MAKER,
    amount: object = 1_000_000,
    ref: str = "T-1",
    source: str = "中央",
) -> UUID:
    return fund.receive_funds(
        act,
        programme=roles.DIBAO,
        org_code=COUNTY,
        source=source,
        amount_fen=amount,  # type: ignore[arg-type]
        treasury_ref=ref,
        received_on=RECEIVED,
    )


# Funds.


def test_funds_received_are_kept_by_source() -> None:
    fund = seeded_fund()
    receive(fund, ref="T-1", source="中央")
    receive(fund, ref="T-2", source="县", amount=250_000)
    account: object = fund.repository.get(account_id(roles.DIBAO, COUNTY))
    assert isinstance(account, ProgrammeAccount)
    assert account.received_fen == {"中央": 1_000_000, "县": 250_000}
    assert account.balance_received_fen == 1_250_000


@pytest.mark.parametrize(
    ("act", "amount", "ref", "source", "error"),
    [
        (CLERK, 1_000, "T-9", "中央", RoleError),
        (AUDITOR, 1_000, "T-9", "中央", RoleError),
        (MAKER, 10.5, "T-9", "中央", AmountError),
        (MAKER, 0, "T-9", "中央", AmountError),
        (MAKER, True, "T-9", "中央", AmountError),
        (MAKER, 1_000, "T-1", "中央", InvalidDataError),
        (MAKER, 1_000, "T-9", "乡", InvalidDataError),
        (MAKER, 1_000, " ", "中央", InvalidDataError),
    ],
)
def test_refused_receipts_record_nothing(
    act: Act, amount: object, ref: str, source: str, error: type[DomainError]
) -> None:
    fund = seeded_fund()
    receive(fund, ref="T-1")
    before = recorded(fund)
    with pytest.raises(error) as caught:
        receive(fund, act=act, amount=amount, ref=ref, source=source)
    assert recorded(fund) == before
    assert "rule" in str(caught.value)


# Payee accounts.


def register(
    fund: Fund,
    household: str = "H1",
    holder: str = "head1",
    token: str = "acct-1",
    act: Act = CLERK,
) -> UUID:
    return fund.register_bank_account(
        act,
        household_no=household,
        holder_ref=digest(holder),
        account_token=digest(token),
        bank_code="RCC",
        card_type="一卡通",
    )


def test_an_account_is_registered_to_a_member_of_the_household() -> None:
    fund = seeded_fund()
    register(fund)
    account = fund.bank_account(digest("acct-1"))
    assert (account.household_no, account.holder_ref) == ("H1", digest("head1"))


def test_a_holder_outside_the_household_is_refused() -> None:
    fund = seeded_fund()
    before = recorded(fund)
    with pytest.raises(InvalidDataError, match=r"account.holder-in-household"):
        register(fund, holder="head2")
    assert recorded(fund) == before


def test_one_token_may_not_serve_two_households() -> None:
    fund = seeded_fund()
    register(fund)
    before = recorded(fund)
    with pytest.raises(InvalidDataError, match=r"one-household-per-token"):
        register(fund, household="H2", holder="head2")
    assert recorded(fund) == before


def test_a_malformed_token_is_refused() -> None:
    fund = seeded_fund()
    before = recorded(fund)
    with pytest.raises(InvalidDataError, match=r"digest\.format"):
        fund.register_bank_account(
            CLERK,
            household_no="H1",
            holder_ref=digest("head1"),
            account_token="6222020200112233445",
            bank_code="RCC",
            card_type="一卡通",
        )
    assert recorded(fund) == before


def test_a_custody_agreement_is_filed_by_the_county() -> None:
    fund = seeded_fund()
    register(fund)
    fund.file_custody_agreement(
        COUNTY_CLERK,
        account_token=digest("acct-1"),
        custodian_id="S1",
        agreement_hash=digest("agreement"),
        filed_on=date(2024, 5, 3),
    )
    account = fund.bank_account(digest("acct-1"))
    assert isinstance(account, BankAccount)
    assert account.agreements == {"S1": digest("agreement")}
    before = recorded(fund)
    with pytest.raises(InvalidDataError, match=r"custody.once"):
        fund.file_custody_agreement(
            COUNTY_CLERK,
            account_token=digest("acct-1"),
            custodian_id="S1",
            agreement_hash=digest("agreement"),
            filed_on=date(2024, 5, 3),
        )
    assert recorded(fund) == before


def test_a_township_clerk_may_not_file_custody_agreements() -> None:
    fund = seeded_fund()
    register(fund)
    before = recorded(fund)
    with pytest.raises(RoleError):
        fund.file_custody_agreement(
            CLERK,
            account_token=digest("acct-1"),
            custodian_id="S1",
            agreement_hash=digest("agreement"),
            filed_on=date(2024, 5, 3),
        )
    assert recorded(fund) == before


# Batches: making and approving.


def make(fund: Fund, lines: list[Line], act: Act = MAKER) -> UUID:
    fund.rolls[(roles.DIBAO, TOWNSHIP)] = lines
    return fund.create_batch(
        act, programme=roles.DIBAO, region_code=TOWNSHIP, period=PERIOD
    )


def test_a_batch_holds_the_rolls_lines_and_their_total() -> None:
    fund = seeded_fund()
    the_id = make(fund, roll_of(3))
    batch = fund.payment_batch(the_id)
    assert the_id == batch_id(roles.DIBAO, TOWNSHIP, PERIOD)
    assert (batch.line_count, batch.total_fen, batch.status) == (3, 150_000, "created")
    assert batch.lines[2] == Line("C2", "H2", 50_000)
    assert batch.maker_id == "F1"


def test_lines_travel_in_chunks_of_lines_per_event() -> None:
    fund = seeded_fund()
    fund.lines_per_event = 2
    the_id = make(fund, roll_of(5))
    names = [type(e).__name__ for e in fund.repository.event_store.get(the_id)]
    assert names == ["Created", "LinesScheduled", "LinesScheduled", "LinesScheduled"]
    assert len(fund.payment_batch(the_id).lines) == 5


def test_a_second_batch_for_the_month_is_refused() -> None:
    fund = seeded_fund()
    make(fund, roll_of(3))
    before = recorded(fund)
    with pytest.raises(InvalidDataError, match=r"one-per-month"):
        make(fund, roll_of(3))
    assert recorded(fund) == before


@pytest.mark.parametrize(
    ("lines", "rule"),
    [
        ([], "batch.not-empty"),
        ([Line("C1", "H1", 100), Line("C2", "H1", 100)], "one-line-per-household"),
        ([Line("C1", "H1", 0)], "money.fen"),
        ([Line("C1", "H1", -5)], "money.fen"),
    ],
)
def test_bad_lines_make_no_batch(lines: list[Line], rule: str) -> None:
    fund = seeded_fund()
    before = recorded(fund)
    with pytest.raises(DomainError, match=rule):
        make(fund, lines)
    assert recorded(fund) == before


def test_only_finance_makes_a_batch() -> None:
    fund = seeded_fund()
    before = recorded(fund)
    for act in (CLERK, AUDITOR, COUNTY_CLERK):
        with pytest.raises(RoleError):
            make(fund, roll_of(2), act=act)
    assert recorded(fund) == before


def test_the_checker_approves_with_a_digest_of_the_lines() -> None:
    fund = seeded_fund()
    the_id = make(fund, roll_of(3))
    fund.approve_batch(CHECKER, the_id)
    batch = fund.payment_batch(the_id)
    assert (batch.status, batch.approver_id) == ("approved", "F2")
    approved = list(fund.repository.event_store.get(the_id))[-1]
    assert isinstance(approved, PaymentBatch.Approved)
    assert len(approved.lines_digest) == 64


def test_the_maker_may_not_approve_their_own_batch() -> None:
    fund = seeded_fund()
    the_id = make(fund, roll_of(3))
    before = recorded(fund)
    with pytest.raises(SeparationOfDutiesError, match=r"maker-checker"):
        fund.approve_batch(MAKER, the_id)
    assert recorded(fund) == before


def test_a_batch_is_approved_once() -> None:
    fund = seeded_fund()
    the_id = make(fund, roll_of(3))
    fund.approve_batch(CHECKER, the_id)
    before = recorded(fund)
    with pytest.raises(OrderingError):
        fund.approve_batch(CHECKER, the_id)
    assert recorded(fund) == before


def test_an_unknown_batch_is_not_found() -> None:
    fund = seeded_fund()
    with pytest.raises(NotFoundError):
        fund.approve_batch(CHECKER, batch_id(roles.DIBAO, TOWNSHIP, "1999-01"))


# The bank instruction.


def instruct(
    fund: Fund, the_id: UUID, count: int = 3, total: int = 150_000, file: str = "file"
) -> None:
    fund.send_instruction(
        MAKER,
        the_id,
        file_sha256=digest(file),
        line_count=count,
        total_fen=total,
        bank_code="RCC",
    )


@pytest.mark.parametrize(("count", "total"), [(2, 150_000), (3, 150_001), (4, 1)])
def test_an_instruction_must_match_the_approved_batch(count: int, total: int) -> None:
    fund = seeded_fund()
    the_id = make(fund, roll_of(3))
    fund.approve_batch(CHECKER, the_id)
    before = recorded(fund)
    with pytest.raises(InvalidDataError, match=r"instruction-matches-approval"):
        instruct(fund, the_id, count, total)
    assert recorded(fund) == before


def test_no_instruction_before_approval() -> None:
    fund = seeded_fund()
    the_id = make(fund, roll_of(3))
    before = recorded(fund)
    with pytest.raises(OrderingError):
        instruct(fund, the_id)
    assert recorded(fund) == before


def test_the_instruction_binds_the_file_hash() -> None:
    fund = seeded_fund()
    the_id = sent_batch(fund)
    batch = fund.payment_batch(the_id)
    assert (batch.status, batch.instruction_sha256) == ("instructed", digest("file"))


# Batches from the real roll (domain.rolls).


def test_a_batch_from_the_roll_skips_suspended_and_exited_cases() -> None:
    fund = seeded_fund()
    roll = Roll.open(CLERK, roles.DIBAO, TOWNSHIP)
    roll.set_schedule(CLERK, "C1", "H1", {"2024-01": 50_000})
    roll.set_schedule(CLERK, "C2", "H2", {"2024-01": 40_000, "2024-04": 0})
    roll.set_schedule(CLERK, "C3", "H3", {"2024-01": 30_000, "2024-03": 20_000})
    roll.set_schedule(CLERK, "C4", "H4", {"2024-06": 10_000})
    fund.save(roll)
    the_id = fund.create_batch(
        MAKER, programme=roles.DIBAO, region_code=TOWNSHIP, period=PERIOD
    )
    batch = fund.payment_batch(the_id)
    assert sorted(batch.lines.values()) == [
        Line("C1", "H1", 50_000),
        Line("C3", "H3", 20_000),
    ]
    assert batch.total_fen == 70_000


def test_no_roll_no_batch() -> None:
    fund = seeded_fund()
    before = recorded(fund)
    with pytest.raises(NotFoundError):
        fund.create_batch(
            MAKER, programme=roles.TEKUN, region_code=TOWNSHIP, period=PERIOD
        )
    assert recorded(fund) == before


@pytest.mark.parametrize("region", ["110101", "110101001001"])
def test_a_batch_covers_one_township(region: str) -> None:
    fund = seeded_fund()
    fund.rolls[(roles.DIBAO, region)] = roll_of(2)
    before = recorded(fund)
    with pytest.raises(InvalidDataError, match=r"batch\.per-township"):
        fund.create_batch(
            MAKER, programme=roles.DIBAO, region_code=region, period=PERIOD
        )
    assert recorded(fund) == before
