"""Programme accounts: money received from the treasury, by source, with its ref.

Also holds the small checks on money and references that the payment and
oversight modules share: fen, periods and SHA-256 hex digests.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Final
from uuid import UUID  # noqa: TC003 (event annotations are read at runtime)

from eventsourcing.domain import Aggregate, event

from domain.base import ReliefCreated, ReliefEvent
from domain.errors import AmountError, InvalidDataError
from domain.ids import record_id
from domain.roles import PROGRAMMES

if TYPE_CHECKING:
    from domain.base import Act

# Where the money comes from (社会救助暂行办法 §5: 分账核算).
SOURCES: Final = frozenset({"中央", "省", "市", "县"})

_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
_ORG = re.compile(r"^\d{2,12}$")


def require_fen(amount: object, record: str, *, allow_zero: bool = False) -> int:
    """Return ``amount`` if it is whole fen above zero (or zero when allowed).

    Money is integer fen, never float or bool (house style rule 8).
    """
    if type(amount) is not int or amount < 0 or (amount == 0 and not allow_zero):
        raise AmountError("money.fen", record, f"{amount!r} is not a positive fen")
    return amount


def require_period(period: str, record: str) -> str:
    """Return ``period`` if it is a ``YYYY-MM`` month."""
    if not isinstance(period, str) or not _PERIOD.match(period):
        raise InvalidDataError("period.format", record, f"{period!r} is not YYYY-MM")
    return period


def is_digest(value: object) -> bool:
    """Return whether ``value`` is a lowercase SHA-256 hex digest."""
    return isinstance(value, str) and _DIGEST.fullmatch(value) is not None


def require_digest(value: str, record: str, what: str) -> str:
    """Return ``value`` if it is a lowercase SHA-256 hex digest (64 characters)."""
    if not is_digest(value):
        raise InvalidDataError("digest.format", record, f"{what} is not SHA-256 hex")
    return value


def require_text(value: str, record: str, what: str) -> str:
    """Return ``value`` stripped if it is non-empty text."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidDataError("text.required", record, f"{what} is empty")
    return value.strip()


def require_programme(programme: str, record: str) -> str:
    """Return ``programme`` if it is one of the five programmes."""
    if programme not in PROGRAMMES:
        raise InvalidDataError("programme.known", record, f"{programme!r} unknown")
    return programme


def account_id(programme: str, org_code: str) -> UUID:
    """Return the id of the programme account of ``programme`` held by ``org_code``."""
    return record_id("programme-account", f"{programme}:{org_code}")


class ProgrammeAccount(Aggregate):
    """The dedicated account of one programme at one organisation (专款专用)."""

    class Opened(ReliefCreated):
        programme: str
        org_code: str

    class FundsReceived(ReliefEvent):
        source: str
        amount_fen: int
        treasury_ref: str
        received_on: date

    @event(Opened)
    def __init__(self, programme: str, org_code: str) -> None:
        self.programme = programme
        self.org_code = org_code
        self.received_fen: dict[str, int] = {}
        self.treasury_refs: dict[str, int] = {}

    @classmethod
    def open(cls, act: Act, programme: str, org_code: str) -> ProgrammeAccount:
        """Open the account; only the ids are checked (no money moves)."""
        record = f"programme account {programme}/{org_code}"
        require_programme(programme, record)
        if not isinstance(org_code, str) or not _ORG.match(org_code):
            raise InvalidDataError("org.code", record, f"{org_code!r} is no org code")
        return cls._create(
            cls.Opened,
            id=account_id(programme, org_code),
            **act.fields(),
            programme=programme,
            org_code=org_code,
        )

    @property
    def record(self) -> str:
        return f"programme account {self.programme}/{self.org_code}"

    @property
    def balance_received_fen(self) -> int:
        return sum(self.received_fen.values())

    def receive(
        self,
        act: Act,
        source: str,
        amount_fen: int,
        treasury_ref: str,
        received_on: date,
    ) -> bool:
        """Record money received into the account (社会救助暂行办法 §5).

        A treasury ref names one transfer: the same ref twice is refused live;
        on import, the same ref with the same amount is a repeat and records
        nothing (returns False).
        """
        require_fen(amount_fen, self.record)
        ref = require_text(treasury_ref, self.record, "the treasury ref")
        if source not in SOURCES:
            raise InvalidDataError("funds.source", self.record, f"{source!r} unknown")
        if not isinstance(received_on, date):
            raise InvalidDataError("funds.date", self.record, "no receipt date")
        known = self.treasury_refs.get(ref)
        if known is not None:
            if act.imported and known == amount_fen:
                return False
            raise InvalidDataError(
                "funds.treasury-ref-once", self.record, f"treasury ref {ref} recorded"
            )
        self.trigger_event(
            self.FundsReceived,
            **act.fields(),
            source=source,
            amount_fen=amount_fen,
            treasury_ref=ref,
            received_on=received_on,
        )
        return True

    @event(FundsReceived)
    def _funds_received(self, source: str, amount_fen: int, treasury_ref: str) -> None:
        self.received_fen[source] = self.received_fen.get(source, 0) + amount_fen
        self.treasury_refs[treasury_ref] = amount_fen


def statement_id_of(batch_id: UUID, statement_id: str) -> UUID:
    """Return the id of the reconciliation of ``statement_id`` against a batch."""
    return record_id("bank-statement", f"{batch_id}:{statement_id}")


class BankStatement(Aggregate):
    """One bank statement reconciled against one batch's paid lines (RF-20)."""

    class Reconciled(ReliefCreated):
        batch_id: UUID
        statement_id: str
        matched: tuple[int, ...]
        unmatched: tuple[tuple[str, int], ...]
        reversals: tuple[tuple[int, str, int], ...]
        missing: tuple[int, ...]

    @event(Reconciled)
    def __init__(
        self,
        *,
        batch_id: UUID,
        statement_id: str,
        matched: tuple[int, ...],
        unmatched: tuple[tuple[str, int], ...],
        reversals: tuple[tuple[int, str, int], ...],
        missing: tuple[int, ...],
    ) -> None:
        self.batch_id = batch_id
        self.statement_id = statement_id
        self.matched = tuple(matched)
        self.unmatched = tuple((str(r), int(a)) for r, a in unmatched)
        self.reversals = tuple((int(n), str(r), int(a)) for n, r, a in reversals)
        self.missing = tuple(missing)

    @classmethod
    def reconcile(
        cls,
        act: Act,
        *,
        batch_id: UUID,
        statement_id: str,
        matched: tuple[int, ...],
        unmatched: tuple[tuple[str, int], ...],
        reversals: tuple[tuple[int, str, int], ...],
        missing: tuple[int, ...],
    ) -> BankStatement:
        """Record the outcome of matching a statement (domain notes §2.3).

        Mismatches are recorded, not refused: unmatched debits, reversals and
        lines the bank does not show are what the RF-19/RF-20 rules look for.
        """
        record = f"bank statement {statement_id}"
        statement = require_text(statement_id, record, "the statement id")
        return cls._create(
            cls.Reconciled,
            id=statement_id_of(batch_id, statement),
            **act.fields(),
            batch_id=batch_id,
            statement_id=statement,
            matched=matched,
            unmatched=unmatched,
            reversals=reversals,
            missing=missing,
        )
