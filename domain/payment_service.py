"""Payment commands of the service: funds, payee accounts, batches, reconciliation.

Each method follows get → command → save; a refused command saves nothing.
Only 财务 records money (社会救助暂行办法 §5, 审核确认办法 2021 §25).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from eventsourcing.application import AggregateNotFoundError

from domain import roles
from domain.accounts import BankAccount, bank_account_id
from domain.batch_rules import Line, reconcile
from domain.batches import LINES_PER_EVENT, PaymentBatch, batch_id
from domain.errors import InvalidDataError, NotFoundError, OrderingError
from domain.funds import (
    BankStatement,
    require_fen,
    statement_id_of,
)
from domain.instruction_file import instruction_file
from domain.payment_imports import PaymentImports, replay
from domain.rolls import TOWNSHIP_DIGITS, Roll, roll_id

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from datetime import date
    from uuid import UUID

    from domain.base import Act
    from domain.batch_rules import Disbursement, Reconciliation, StatementEntry
    from domain.instruction_file import InstructionFile

MONEY_ROLES: Final = frozenset({roles.FINANCE})
ACCOUNT_ROLES: Final = frozenset(
    {roles.FINANCE, roles.TOWNSHIP_CLERK, roles.COUNTY_CLERK}
)
CUSTODY_ROLES: Final = frozenset({roles.COUNTY_CLERK})


class PaymentCommands(PaymentImports):
    """Live payment commands: every rule checked, then one save."""

    lines_per_event: int = LINES_PER_EVENT

    def receive_funds(
        self,
        act: Act,
        *,
        programme: str,
        org_code: str,
        source: str,
        amount_fen: int,
        treasury_ref: str,
        received_on: date,
    ) -> UUID:
        """Record funds received into a programme account (社会救助暂行办法 §5)."""
        self.require_role(act, MONEY_ROLES, org_code)
        account = self.programme_account(act, programme, org_code)
        account.receive(act, source, amount_fen, treasury_ref, received_on)
        self.save(account)
        return account.id

    def register_bank_account(
        self,
        act: Act,
        *,
        household_no: str,
        holder_ref: str,
        account_token: str,
        bank_code: str,
        card_type: str,
    ) -> UUID:
        """Register a payee account: the holder is a member of the household, and
        the token serves no other household (domain notes §2.3, RF-16)."""
        household = self.household(household_no)
        self.require_role(act, ACCOUNT_ROLES, household.region_code)
        record = f"bank account {account_token[:12]} of household {household_no}"
        if holder_ref not in household.member_refs():
            raise InvalidDataError(
                "account.holder-in-household", record, "the holder is not a member"
            )
        if self.exists(bank_account_id(account_token)):
            raise InvalidDataError(
                "account.one-household-per-token", record, "the token is registered"
            )
        account = BankAccount.register(
            act,
            account_token=account_token,
            household_no=household_no,
            holder_ref=holder_ref,
            bank_code=bank_code,
            card_type=card_type,
        )
        self.save(account)
        return account.id

    def file_custody_agreement(
        self,
        act: Act,
        *,
        account_token: str,
        custodian_id: str,
        agreement_hash: str,
        filed_on: date,
    ) -> None:
        """File a card-custody agreement with the county (审核确认办法 2021 §26)."""
        account = self.bank_account(account_token)
        household = self.household(account.household_no)
        self.require_role(act, CUSTODY_ROLES, household.region_code)
        custodian = self.staff(custodian_id)
        account.file_custody_agreement(
            act, custodian.staff_id, agreement_hash, filed_on
        )
        self.save(account)

    def create_batch(
        self, act: Act, *, programme: str, region_code: str, period: str
    ) -> UUID:
        """Make the month's batch from the roll's entitlements (domain notes §2.3).

        The roll gives at most one line per household, none after an exit or
        during a suspension, each at the approved (or 渐退) amount.
        """
        self.require_role(act, MONEY_ROLES, region_code)
        if len(region_code) != TOWNSHIP_DIGITS:
            raise InvalidDataError(
                "batch.per-township",
                f"payment batch {programme}/{region_code}/{period}",
                "a batch covers one township's roll (a 9-digit code)",
            )
        the_id = batch_id(programme, region_code, period)
        if self.exists(the_id):
            raise InvalidDataError(
                "batch.one-per-month",
                f"payment batch {programme}/{region_code}/{period}",
                "a batch exists for this programme, region and month",
            )
        lines = self.roll_lines(programme, region_code, period)
        batch = PaymentBatch.create(
            act,
            programme=programme,
            region_code=region_code,
            period=period,
            lines=lines,
            lines_per_event=self.lines_per_event,
        )
        self.save(batch)
        return batch.id

    def approve_batch(self, act: Act, the_id: UUID) -> None:
        """Approve a batch (maker–checker: the approver is not the maker)."""
        batch = self.payment_batch(the_id)
        self.require_role(act, MONEY_ROLES, batch.region_code)
        batch.approve(act)
        self.save(batch)

    def send_instruction(
        self,
        act: Act,
        the_id: UUID,
        *,
        file_sha256: str,
        line_count: int,
        total_fen: int,
        bank_code: str,
    ) -> None:
        """Record the bank instruction; its count and total equal the approval."""
        batch = self.payment_batch(the_id)
        self.require_role(act, MONEY_ROLES, batch.region_code)
        batch.send_instruction(
            act,
            file_sha256=file_sha256,
            line_count=line_count,
            total_fen=total_fen,
            bank_code=bank_code,
        )
        self.save(batch)

    def export_instruction(
        self,
        act: Act,
        the_id: UUID,
        bank_code: str,
        deliver: Callable[[InstructionFile], None],
    ) -> InstructionFile:
        """Make the approved batch's instruction file and record its SHA-256.

        Rule: the file binds exactly the approved lines, and the ledger keeps
        the digest of the very bytes sent (domain notes §2.3
        PaymentInstructionSent). Once the batch has accepted the file,
        ``deliver`` is given it (the caller writes it out); the digest is saved
        only after ``deliver`` returns, so nothing is recorded of a file that
        could not be written.
        """
        batch = self.payment_batch(the_id)
        self.require_role(act, MONEY_ROLES, batch.region_code)
        made = instruction_file(
            (no, Line(*line)) for no, line in sorted(batch.lines.items())
        )
        batch.send_instruction(
            act,
            file_sha256=made.sha256,
            line_count=made.line_count,
            total_fen=made.total_fen,
            bank_code=bank_code,
        )
        deliver(made)
        self.save(batch)
        return made

    def record_disbursements(
        self, act: Act, the_id: UUID, items: Sequence[Disbursement]
    ) -> int:
        """Record the lines the bank paid, each at its scheduled amount."""
        batch = self.payment_batch(the_id)
        self.require_role(act, MONEY_ROLES, batch.region_code)
        count = batch.record_disbursements(act, items, self.lines_per_event)
        self.save(batch)
        return count

    def record_payment_failure(
        self, act: Act, the_id: UUID, *, line_no: int, reason_code: str, bank_ref: str
    ) -> None:
        """Record that the bank could not pay one line."""
        batch = self.payment_batch(the_id)
        self.require_role(act, MONEY_ROLES, batch.region_code)
        batch.fail_line(act, line_no, reason_code, bank_ref)
        self.save(batch)

    def reissue_payment(self, act: Act, the_id: UUID, item: Disbursement) -> None:
        """Record a failed line paid again."""
        batch = self.payment_batch(the_id)
        self.require_role(act, MONEY_ROLES, batch.region_code)
        batch.reissue_line(act, item)
        self.save(batch)

    def return_payment(
        self, act: Act, the_id: UUID, *, line_no: int, treasury_ref: str
    ) -> None:
        """Record a failed line's money returned to the programme account."""
        batch = self.payment_batch(the_id)
        self.require_role(act, MONEY_ROLES, batch.region_code)
        batch.return_line(act, line_no, treasury_ref)
        self.save(batch)

    def reconcile_statement(
        self,
        act: Act,
        the_id: UUID,
        *,
        statement_id: str,
        entries: Sequence[StatementEntry],
    ) -> Reconciliation:
        """Reconcile a bank statement against a sent batch (domain notes §2.3)."""
        batch = self.payment_batch(the_id)
        self.require_role(act, MONEY_ROLES, batch.region_code)
        if batch.status != "instructed":
            raise OrderingError(
                "batch.order", batch.record, "no instruction was sent to reconcile"
            )
        if self.exists(statement_id_of(batch.id, statement_id)):
            raise InvalidDataError(
                "statement.once", batch.record, f"statement {statement_id} reconciled"
            )
        for entry in entries:
            require_fen(entry.amount_fen, f"bank statement {statement_id}")
        result = reconcile(entries, batch.paid())
        statement = BankStatement.reconcile(
            act,
            batch_id=batch.id,
            statement_id=statement_id,
            matched=result.matched,
            unmatched=result.unmatched,
            reversals=result.reversals,
            missing=result.missing,
        )
        self.save(statement)
        return result

    def roll_lines(self, programme: str, region_code: str, period: str) -> list[Line]:
        """Return the month's lines from the roll of ``programme`` × ``region_code``.

        One roll load gives every line: no case is loaded one by one.
        """
        try:
            roll: object = self.repository.get(
                roll_id(programme, region_code), projector_func=replay
            )
        except AggregateNotFoundError:
            raise NotFoundError("roll", f"{programme}/{region_code}") from None
        if not isinstance(roll, Roll):
            raise NotFoundError("roll", f"{programme}/{region_code}")
        entitlements = roll.entitlements(period)
        ordered = sorted(entitlements, key=lambda e: (e.household_no, e.case_no))
        return [Line(e.case_no, e.household_no, e.amount_fen) for e in ordered]
