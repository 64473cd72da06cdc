"""Bank accounts registered to households, and card-custody agreements.

An account is named by a token: a hash of the account number that the caller
computes, so the number itself never enters the ledger. One aggregate per token
means a token can serve one household only (domain notes §2.3, RF-16).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Final

from eventsourcing.domain import Aggregate, event

from domain.base import ReliefCreated, ReliefEvent
from domain.errors import InvalidDataError
from domain.funds import require_digest, require_text
from domain.ids import record_id

if TYPE_CHECKING:
    from uuid import UUID

    from domain.base import Act

# 社保卡 / 惠民惠农财政补贴资金"一卡通" / an ordinary bank card or passbook.
CARD_TYPES: Final = frozenset({"社保卡", "一卡通", "银行卡", "存折"})


def bank_account_id(account_token: str) -> UUID:
    """Return the aggregate id of the bank account named by ``account_token``."""
    return record_id("bank-account", account_token)


class BankAccount(Aggregate):
    """A household's payee account, known only by its token."""

    class Registered(ReliefCreated):
        account_token: str
        household_no: str
        holder_ref: str
        bank_code: str
        card_type: str

    class CustodyAgreementFiled(ReliefEvent):
        custodian_ref: str
        agreement_hash: str
        filed_on: date

    @event(Registered)
    def __init__(
        self,
        account_token: str,
        household_no: str,
        holder_ref: str,
        bank_code: str,
        card_type: str,
    ) -> None:
        self.account_token = account_token
        self.household_no = household_no
        self.holder_ref = holder_ref
        self.bank_code = bank_code
        self.card_type = card_type
        self.agreements: dict[str, str] = {}

    @classmethod
    def register(
        cls,
        act: Act,
        *,
        account_token: str,
        household_no: str,
        holder_ref: str,
        bank_code: str,
        card_type: str,
    ) -> BankAccount:
        """Register a payee account for a household (审核确认办法 2021 §25: 社会化发放).

        The caller has checked that the holder is a member of the household
        and that the token serves no other household; here only the shape of
        the data is checked, so the import path may use this too.
        """
        record = f"bank account {account_token[:12]}"
        require_digest(account_token, record, "the account token")
        require_text(household_no, record, "the household number")
        require_text(holder_ref, record, "the holder")
        require_text(bank_code, record, "the bank code")
        if card_type not in CARD_TYPES:
            raise InvalidDataError("account.card-type", record, f"{card_type!r}")
        return cls._create(
            cls.Registered,
            id=bank_account_id(account_token),
            **act.fields(),
            account_token=account_token,
            household_no=household_no,
            holder_ref=holder_ref,
            bank_code=bank_code,
            card_type=card_type,
        )

    @property
    def record(self) -> str:
        return f"bank account {self.account_token[:12]}"

    def file_custody_agreement(
        self, act: Act, custodian_ref: str, agreement_hash: str, filed_on: date
    ) -> bool:
        """File a card-custody agreement with the county (审核确认办法 2021 §26).

        Staff who keep a household's card or passbook need one on file. The
        same agreement filed again is refused live and skipped on import.
        """
        custodian = require_text(custodian_ref, self.record, "the custodian")
        require_digest(agreement_hash, self.record, "the agreement hash")
        if not isinstance(filed_on, date):
            raise InvalidDataError("custody.date", self.record, "no filing date")
        if self.agreements.get(custodian) == agreement_hash:
            if act.imported:
                return False
            raise InvalidDataError("custody.once", self.record, "agreement on file")
        self.trigger_event(
            self.CustodyAgreementFiled,
            **act.fields(),
            custodian_ref=custodian,
            agreement_hash=agreement_hash,
            filed_on=filed_on,
        )
        return True

    @event(CustodyAgreementFiled)
    def _custody_agreement_filed(self, custodian_ref: str, agreement_hash: str) -> None:
        self.agreements[custodian_ref] = agreement_hash
