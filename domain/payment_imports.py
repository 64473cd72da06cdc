"""The legacy import path of every money event: facts recorded as they happened.

Each ``import_*`` method records one fact from an older system with
``imported=True``. No business rule is applied (no role check, no
maker–checker, no ordering beyond what the record needs to exist): the risk
rules flag breaches later. Only malformed data is refused: bad ids, unknown
references, broken money. Each returns whether it recorded something, and a
fact already recorded is skipped, so importing a file twice records nothing new.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from eventsourcing.application import AggregateNotFoundError

from domain.accounts import BankAccount, bank_account_id
from domain.batch_rules import check_lines, reconcile
from domain.batches import LINES_PER_EVENT, PaymentBatch, batch_id
from domain.errors import NotFoundError
from domain.funds import (
    BankStatement,
    ProgrammeAccount,
    account_id,
    require_fen,
    statement_id_of,
)
from domain.reference_queries import ReferenceQueries

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import date
    from uuid import UUID

    from domain.base import Act
    from domain.batch_rules import Disbursement, Line, StatementEntry


T = TypeVar("T")


def replay(aggregate: Any, events: Iterable[Any]) -> Any:
    """Fold stored events into an aggregate, as the library's projector does.

    The library's ``project_aggregate`` asserts a runtime protocol check on
    every event; on a roll or batch of 100,000 events that check alone took
    about 45% of the load, so the loads of large aggregates use this instead.
    """
    for domain_event in events:
        aggregate = domain_event.mutate(aggregate)
    return aggregate


def _imported(act: Act) -> Act:
    return act if act.imported else replace(act, imported=True)


class PaymentImports(ReferenceQueries):
    """Queries of payment records, and the import path of each money event."""

    lines_per_event: int = LINES_PER_EVENT

    # Queries.

    def payment_batch(self, the_id: UUID) -> PaymentBatch:
        """Return the batch ``the_id`` or refuse with ``NotFoundError``."""
        return self._load(the_id, PaymentBatch, "payment batch")

    def bank_account(self, account_token: str) -> BankAccount:
        """Return the account named by ``account_token``."""
        return self._load(bank_account_id(account_token), BankAccount, "bank account")

    def programme_account(
        self, act: Act, programme: str, org_code: str
    ) -> ProgrammeAccount:
        """Return the programme account, opened on first use (not yet saved)."""
        try:
            return self._load(
                account_id(programme, org_code), ProgrammeAccount, "account"
            )
        except NotFoundError:
            return ProgrammeAccount.open(act, programme, org_code)

    def _load(self, the_id: UUID, cls: type[T], kind: str) -> T:
        try:
            aggregate: object = self.repository.get(the_id, projector_func=replay)
        except AggregateNotFoundError:
            raise NotFoundError(kind, the_id) from None
        if not isinstance(aggregate, cls):
            raise NotFoundError(kind, the_id)
        return aggregate

    # Import path.

    def import_funds_received(
        self,
        act: Act,
        *,
        programme: str,
        org_code: str,
        source: str,
        amount_fen: int,
        treasury_ref: str,
        received_on: date,
    ) -> bool:
        """Import a ``FundsReceived``; a repeated treasury ref is skipped."""
        act = _imported(act)
        account = self.programme_account(act, programme, org_code)
        recorded = account.receive(act, source, amount_fen, treasury_ref, received_on)
        self.save(account)
        return recorded

    def import_bank_account(
        self,
        act: Act,
        *,
        household_no: str,
        holder_ref: str,
        account_token: str,
        bank_code: str,
        card_type: str,
    ) -> bool:
        """Import a ``BankAccountRegistered``; the household must exist."""
        act = _imported(act)
        self.household(household_no)
        if self.exists(bank_account_id(account_token)):
            return False
        self.save(
            BankAccount.register(
                act,
                account_token=account_token,
                household_no=household_no,
                holder_ref=holder_ref,
                bank_code=bank_code,
                card_type=card_type,
            )
        )
        return True

    def import_custody_agreement(
        self,
        act: Act,
        *,
        account_token: str,
        custodian_id: str,
        agreement_hash: str,
        filed_on: date,
    ) -> bool:
        """Import a ``CardCustodyAgreementFiled``."""
        act = _imported(act)
        account = self.bank_account(account_token)
        recorded = account.file_custody_agreement(
            act, custodian_id, agreement_hash, filed_on
        )
        self.save(account)
        return recorded

    def import_batch(
        self,
        act: Act,
        *,
        programme: str,
        region_code: str,
        period: str,
        lines: Sequence[Line],
    ) -> bool:
        """Import a batch with its lines as the old system made them."""
        act = _imported(act)
        if self.exists(batch_id(programme, region_code, period)):
            return False
        check_lines(lines, f"payment batch {programme}/{region_code}", live=False)
        batch = PaymentBatch.create(
            act,
            programme=programme,
            region_code=region_code,
            period=period,
            lines=lines,
            lines_per_event=self.lines_per_event,
        )
        self.save(batch)
        return True

    def import_batch_approval(self, act: Act, the_id: UUID) -> bool:
        """Import a ``PaymentBatchApproved``, even one by the maker (a flag later)."""
        batch = self.payment_batch(the_id)
        recorded = batch.approve(_imported(act))
        self.save(batch)
        return recorded

    def import_instruction(
        self,
        act: Act,
        the_id: UUID,
        *,
        file_sha256: str,
        line_count: int,
        total_fen: int,
        bank_code: str,
    ) -> bool:
        """Import a ``PaymentInstructionSent``."""
        batch = self.payment_batch(the_id)
        recorded = batch.send_instruction(
            _imported(act),
            file_sha256=file_sha256,
            line_count=line_count,
            total_fen=total_fen,
            bank_code=bank_code,
        )
        self.save(batch)
        return recorded

    def import_disbursements(
        self, act: Act, the_id: UUID, items: Sequence[Disbursement]
    ) -> int:
        """Import ``PaymentDisbursed`` lines at the amounts the bank paid."""
        batch = self.payment_batch(the_id)
        count = batch.record_disbursements(_imported(act), items, self.lines_per_event)
        self.save(batch)
        return count

    def import_payment_failure(
        self, act: Act, the_id: UUID, *, line_no: int, reason_code: str, bank_ref: str
    ) -> bool:
        """Import a ``PaymentFailed``."""
        batch = self.payment_batch(the_id)
        recorded = batch.fail_line(_imported(act), line_no, reason_code, bank_ref)
        self.save(batch)
        return recorded

    def import_reissue(self, act: Act, the_id: UUID, item: Disbursement) -> bool:
        """Import a ``PaymentReissued``."""
        batch = self.payment_batch(the_id)
        recorded = batch.reissue_line(_imported(act), item)
        self.save(batch)
        return recorded

    def import_return(
        self, act: Act, the_id: UUID, *, line_no: int, treasury_ref: str
    ) -> bool:
        """Import a ``FundsReturned`` of a failed line."""
        batch = self.payment_batch(the_id)
        recorded = batch.return_line(_imported(act), line_no, treasury_ref)
        self.save(batch)
        return recorded

    def import_reconciliation(
        self,
        act: Act,
        the_id: UUID,
        *,
        statement_id: str,
        entries: Sequence[StatementEntry],
    ) -> bool:
        """Import a ``BankStatementReconciled``, matched against the ledger."""
        batch = self.payment_batch(the_id)
        if self.exists(statement_id_of(batch.id, statement_id)):
            return False
        for entry in entries:
            require_fen(entry.amount_fen, f"bank statement {statement_id}")
        result = reconcile(entries, batch.paid())
        statement = BankStatement.reconcile(
            _imported(act),
            batch_id=batch.id,
            statement_id=statement_id,
            matched=result.matched,
            unmatched=result.unmatched,
            reversals=result.reversals,
            missing=result.missing,
        )
        self.save(statement)
        return True
