"""Payment lines, given → when → then: disbursement, failure, reissue, return,
reconciliation, and the import path of each money event."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from payment_support import (
    CHECKER,
    MAKER,
    PERIOD,
    TOWNSHIP,
    Fund,
    digest,
    paid,
    recorded,
    roll_of,
    seeded_fund,
    sent_batch,
)

from domain import roles
from domain.accounts import bank_account_id
from domain.base import ReliefCreated, ReliefEvent
from domain.batch_rules import Disbursement, Line, StatementEntry, reconcile
from domain.batches import PaymentBatch, batch_id
from domain.errors import AmountError, DomainError, InvalidDataError, OrderingError

if TYPE_CHECKING:
    from uuid import UUID


def states(fund: Fund, the_id: UUID) -> dict[int, str]:
    return dict(fund.payment_batch(the_id).state)


def test_disbursed_lines_are_closed() -> None:
    fund = seeded_fund()
    the_id = sent_batch(fund)
    assert fund.record_disbursements(MAKER, the_id, [paid(1), paid(2)]) == 2
    assert states(fund, the_id) == {1: "disbursed", 2: "disbursed", 3: "scheduled"}


def test_replay_from_the_store_gives_the_same_batch() -> None:
    fund = seeded_fund()
    the_id = sent_batch(fund)
    live = fund.payment_batch(the_id)
    live.record_disbursements(MAKER, [paid(1)])
    live.fail_line(MAKER, 2, "frozen", "B2")
    fund.save(live)
    replayed = fund.payment_batch(the_id)
    assert replayed is not live
    assert replayed.state == live.state == {1: "disbursed", 2: "failed", 3: "scheduled"}
    assert replayed.lines == live.lines
    assert replayed.paid_refs == live.paid_refs == {"TXN1": 1}
    assert replayed.failures == {2: "frozen"}


@pytest.mark.parametrize(
    ("items", "error", "rule"),
    [
        ([paid(1), paid(1, ref="TXN1b")], OrderingError, "line-closed-once"),
        ([paid(9)], InvalidDataError, "line-known"),
        ([paid(1, amount_fen=50_001)], AmountError, "amount-as-scheduled"),
        ([paid(1, amount_fen=49_999)], AmountError, "amount-as-scheduled"),
        ([paid(1), paid(2, ref="TXN1")], InvalidDataError, "bank-ref-once"),
    ],
)
def test_refused_disbursements_record_nothing(
    items: list[Disbursement], error: type[DomainError], rule: str
) -> None:
    fund = seeded_fund()
    the_id = sent_batch(fund)
    before = recorded(fund)
    with pytest.raises(error, match=rule):
        fund.record_disbursements(MAKER, the_id, items)
    assert recorded(fund) == before


def test_a_line_is_disbursed_once() -> None:
    fund = seeded_fund()
    the_id = sent_batch(fund)
    fund.record_disbursements(MAKER, the_id, [paid(1)])
    before = recorded(fund)
    with pytest.raises(DomainError):
        fund.record_disbursements(MAKER, the_id, [paid(1, ref="TXN-again")])
    assert recorded(fund) == before


def test_no_disbursement_before_the_instruction() -> None:
    fund = seeded_fund()
    fund.rolls[(roles.DIBAO, TOWNSHIP)] = roll_of(2)
    the_id = fund.create_batch(
        MAKER, programme=roles.DIBAO, region_code=TOWNSHIP, period=PERIOD
    )
    fund.approve_batch(CHECKER, the_id)
    before = recorded(fund)
    with pytest.raises(OrderingError, match=r"batch.order"):
        fund.record_disbursements(MAKER, the_id, [paid(1)])
    assert recorded(fund) == before


def test_a_failed_line_is_reissued_once() -> None:
    fund = seeded_fund()
    the_id = sent_batch(fund)
    fund.record_payment_failure(
        MAKER, the_id, line_no=1, reason_code="account-closed", bank_ref="B1"
    )
    fund.reissue_payment(MAKER, the_id, paid(1, ref="TXN1-R"))
    assert states(fund, the_id)[1] == "reissued"
    before = recorded(fund)
    with pytest.raises(DomainError):
        fund.reissue_payment(MAKER, the_id, paid(1, ref="TXN1-R2"))
    with pytest.raises(OrderingError):
        fund.return_payment(MAKER, the_id, line_no=1, treasury_ref="R1")
    assert recorded(fund) == before


def test_a_failed_line_may_be_returned_instead() -> None:
    fund = seeded_fund()
    the_id = sent_batch(fund)
    fund.record_payment_failure(
        MAKER, the_id, line_no=2, reason_code="deceased", bank_ref="B2"
    )
    fund.return_payment(MAKER, the_id, line_no=2, treasury_ref="R2")
    assert states(fund, the_id)[2] == "returned"
    before = recorded(fund)
    with pytest.raises(OrderingError, match=r"line-closed-once"):
        fund.reissue_payment(MAKER, the_id, paid(2, ref="TXN2-R"))
    assert recorded(fund) == before


@pytest.mark.parametrize(
    ("line_no", "reason", "rule"),
    [(1, "lost", "failure-reason"), (7, "frozen", "line-known")],
)
def test_refused_failures_record_nothing(line_no: int, reason: str, rule: str) -> None:
    fund = seeded_fund()
    the_id = sent_batch(fund)
    before = recorded(fund)
    with pytest.raises(InvalidDataError, match=rule):
        fund.record_payment_failure(
            MAKER, the_id, line_no=line_no, reason_code=reason, bank_ref="B"
        )
    assert recorded(fund) == before


def test_a_disbursed_line_cannot_fail_and_an_open_one_cannot_be_reissued() -> None:
    fund = seeded_fund()
    the_id = sent_batch(fund)
    fund.record_disbursements(MAKER, the_id, [paid(1)])
    before = recorded(fund)
    with pytest.raises(OrderingError):
        fund.record_payment_failure(
            MAKER, the_id, line_no=1, reason_code="frozen", bank_ref="B"
        )
    with pytest.raises(OrderingError):
        fund.reissue_payment(MAKER, the_id, paid(2, ref="TXN2-R"))
    with pytest.raises(OrderingError):
        fund.return_payment(MAKER, the_id, line_no=3, treasury_ref="R3")
    assert recorded(fund) == before


# Reconciliation.


def test_a_statement_is_matched_by_ref_and_amount() -> None:
    fund = seeded_fund()
    the_id = sent_batch(fund)
    fund.record_disbursements(MAKER, the_id, [paid(1), paid(2), paid(3)])
    entries = [
        StatementEntry("TXN1", 50_000),
        StatementEntry("TXN2", 49_000),
        StatementEntry("TXN3", 50_000),
        StatementEntry("TXN3", 50_000, reversal=True),
        StatementEntry("STRANGER", 7_000),
    ]
    result = fund.reconcile_statement(
        MAKER, the_id, statement_id="ST-2024-05", entries=entries
    )
    assert result.matched == (1, 3)
    assert result.unmatched == (("TXN2", 49_000), ("STRANGER", 7_000))
    assert result.reversals == ((3, "TXN3", 50_000),)
    assert result.missing == (2,)


def test_a_statement_is_reconciled_once() -> None:
    fund = seeded_fund()
    the_id = sent_batch(fund)
    fund.reconcile_statement(MAKER, the_id, statement_id="ST-1", entries=[])
    before = recorded(fund)
    with pytest.raises(InvalidDataError, match=r"statement.once"):
        fund.reconcile_statement(MAKER, the_id, statement_id="ST-1", entries=[])
    assert recorded(fund) == before


def test_no_reconciliation_before_the_instruction() -> None:
    fund = seeded_fund()
    fund.rolls[(roles.DIBAO, TOWNSHIP)] = roll_of(2)
    the_id = fund.create_batch(
        MAKER, programme=roles.DIBAO, region_code=TOWNSHIP, period=PERIOD
    )
    before = recorded(fund)
    with pytest.raises(OrderingError):
        fund.reconcile_statement(MAKER, the_id, statement_id="ST-1", entries=[])
    assert recorded(fund) == before


refs = st.sampled_from(["A", "B", "C", "D", "E"])
amounts = st.sampled_from([100, 200])


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(refs, amounts),
    st.lists(st.tuples(refs, amounts, st.booleans())),
)
def test_every_entry_and_every_paid_line_is_accounted_for(
    paid_amounts: dict[str, int], raw: list[tuple[str, int, bool]]
) -> None:
    paid_lines = {r: (no, a) for no, (r, a) in enumerate(paid_amounts.items(), 1)}
    entries = [StatementEntry(r, a, rev) for r, a, rev in raw]
    result = reconcile(entries, paid_lines)
    counted = len(result.matched) + len(result.unmatched) + len(result.reversals)
    assert counted == len(entries)
    assert len(set(result.matched)) == len(result.matched)
    for ref, (no, amount) in paid_lines.items():
        shown = StatementEntry(ref, amount) in entries
        assert (no in result.matched) == shown
        assert (no in result.missing) != shown


# The import path.


def test_an_imported_batch_keeps_what_live_rules_refuse() -> None:
    fund = Fund()
    lines = [Line("C1", "H1", 100), Line("C2", "H1", 0)]
    assert fund.import_batch(
        MAKER, programme=roles.DIBAO, region_code=TOWNSHIP, period=PERIOD, lines=lines
    )
    the_id = batch_id(roles.DIBAO, TOWNSHIP, PERIOD)
    assert fund.import_batch_approval(MAKER, the_id)  # the maker approved it
    assert fund.import_instruction(
        MAKER,
        the_id,
        file_sha256=digest("old"),
        line_count=2,
        total_fen=100,
        bank_code="RCC",
    )
    assert fund.import_disbursements(MAKER, the_id, [paid(1, amount_fen=999)]) == 1
    events = list(fund.repository.event_store.get(the_id))
    assert all(isinstance(e, ReliefEvent | ReliefCreated) for e in events)
    assert all(getattr(e, "imported", False) for e in events)
    assert fund.payment_batch(the_id).approver_id == "F1"


def test_importing_the_same_facts_twice_records_nothing_new() -> None:
    fund = Fund()
    lines = [Line("C1", "H1", 100), Line("C2", "H2", 200)]
    the_id = batch_id(roles.DIBAO, TOWNSHIP, PERIOD)

    def run() -> None:
        fund.import_batch(
            MAKER,
            programme=roles.DIBAO,
            region_code=TOWNSHIP,
            period=PERIOD,
            lines=lines,
        )
        fund.import_batch_approval(CHECKER, the_id)
        fund.import_instruction(
            MAKER,
            the_id,
            file_sha256=digest("old"),
            line_count=2,
            total_fen=300,
            bank_code="RCC",
        )
        fund.import_disbursements(MAKER, the_id, [paid(1, amount_fen=100)])
        fund.import_payment_failure(
            MAKER, the_id, line_no=2, reason_code="frozen", bank_ref="B2"
        )
        fund.import_return(MAKER, the_id, line_no=2, treasury_ref="R2")
        fund.import_reconciliation(
            MAKER, the_id, statement_id="S1", entries=[StatementEntry("TXN1", 100)]
        )
        fund.import_funds_received(
            MAKER,
            programme=roles.DIBAO,
            org_code="110101",
            source="省",
            amount_fen=300,
            treasury_ref="T1",
            received_on=date(2024, 5, 1),
        )

    run()
    once = recorded(fund)
    run()
    assert recorded(fund) == once


@pytest.mark.parametrize(
    "lines",
    [
        [Line("C1", "H1", -1)],
        [Line("C1", "H1", 1.5)],  # type: ignore[arg-type]
        [Line("", "H1", 100)],
    ],
)
def test_the_import_path_refuses_broken_money_and_ids(lines: list[Line]) -> None:
    fund = Fund()
    with pytest.raises(DomainError):
        fund.import_batch(
            MAKER,
            programme=roles.DIBAO,
            region_code=TOWNSHIP,
            period=PERIOD,
            lines=lines,
        )
    assert recorded(fund) == 0


def test_an_imported_account_needs_a_known_household() -> None:
    fund = seeded_fund()
    before = recorded(fund)
    with pytest.raises(DomainError):
        fund.import_bank_account(
            MAKER,
            household_no="H404",
            holder_ref=digest("x"),
            account_token=digest("t"),
            bank_code="RCC",
            card_type="社保卡",
        )
    assert recorded(fund) == before
    assert fund.import_bank_account(
        MAKER,
        household_no="H1",
        holder_ref=digest("not-a-member"),
        account_token=digest("t"),
        bank_code="RCC",
        card_type="社保卡",
    )
    first = next(iter(fund.repository.event_store.get(bank_account_id(digest("t")))))
    assert isinstance(first, ReliefCreated)
    assert first.imported


def test_value_dates_survive_the_store() -> None:
    fund = seeded_fund()
    the_id = sent_batch(fund)
    fund.record_payment_failure(
        MAKER, the_id, line_no=1, reason_code="frozen", bank_ref="B1"
    )
    fund.reissue_payment(MAKER, the_id, paid(1, ref="R1"))
    last = list(fund.repository.event_store.get(the_id))[-1]
    assert isinstance(last, PaymentBatch.LineReissued)
    assert last.value_date == date(2024, 5, 10)


def test_an_imported_custody_agreement_is_recorded_once() -> None:
    fund = seeded_fund()
    fund.import_bank_account(
        MAKER,
        household_no="H1",
        holder_ref=digest("head1"),
        account_token=digest("t"),
        bank_code="RCC",
        card_type="存折",
    )

    def file() -> bool:
        return fund.import_custody_agreement(
            MAKER,
            account_token=digest("t"),
            custodian_id="S1",
            agreement_hash=digest("deal"),
            filed_on=date(2019, 3, 1),
        )

    assert file()
    before = recorded(fund)
    assert not file()
    assert recorded(fund) == before


def test_an_imported_treasury_ref_with_another_amount_is_broken_money() -> None:
    fund = Fund()

    def receive(amount: int) -> bool:
        return fund.import_funds_received(
            MAKER,
            programme=roles.DIBAO,
            org_code="110101",
            source="省",
            amount_fen=amount,
            treasury_ref="T1",
            received_on=date(2024, 5, 1),
        )

    assert receive(300)
    before = recorded(fund)
    with pytest.raises(InvalidDataError, match=r"treasury-ref-once"):
        receive(301)
    assert recorded(fund) == before
