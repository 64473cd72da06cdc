"""Recoveries: an overpayment on a case, the order to recover it, and the money back.

社会救助暂行办法 §67–68: defrauded or wrongly paid aid is recovered, and fraud
(虚报、隐瞒、伪造) is fined one to three times the amount. The recovered total
never exceeds what was ordered.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from eventsourcing.domain import Aggregate, event

from domain.base import ReliefCreated, ReliefEvent
from domain.case_import import checked_fields
from domain.case_rules import OVERPAYMENT_CAUSES, checked_month, money
from domain.case_state import require_text
from domain.errors import AmountError, InvalidDataError, OrderingError
from domain.ids import record_id

if TYPE_CHECKING:
    from collections.abc import Mapping
    from uuid import UUID

    from domain.base import Act

FINE_MULTIPLES = range(1, 4)


class Recovery(Aggregate):
    """One overpayment of one case, from identification to recovery."""

    class OverpaymentIdentified(ReliefCreated):
        recovery_no: str
        case_no: str
        periods: tuple[str, ...]
        amount: int
        cause: str

    class RecoveryOrdered(ReliefEvent):
        amount: int
        fine_multiple: int
        fine_amount: int
        decision_ref: str

    class OverpaymentRecovered(ReliefEvent):
        amount: int
        receipt_ref: str

    @staticmethod
    def create_id(recovery_no: str) -> UUID:
        return record_id("recovery", recovery_no)

    @classmethod
    def identify(
        cls,
        act: Act,
        recovery_no: str,
        case_no: str,
        periods: tuple[str, ...],
        amount_and_cause: tuple[int, str],
    ) -> Recovery:
        """Record an overpayment over ``periods`` of a case.

        Rule: 社会救助暂行办法 §67–68; domain notes §2.4 OverpaymentIdentified
        (a positive amount, over named months, with a listed cause).
        """
        record = f"recovery {recovery_no}"
        amount, cause = amount_and_cause
        if not periods:
            raise InvalidDataError("overpaid-periods", record, "no period named")
        for period in periods:
            checked_month(period, record)
        if money(amount, record) == 0:
            raise AmountError("amount-positive", record, "no amount overpaid")
        if cause not in OVERPAYMENT_CAUSES:
            raise InvalidDataError(
                "overpayment-cause", record, f"{cause!r} is no cause"
            )
        return cls._create(
            cls.OverpaymentIdentified,
            id=record_id("recovery", recovery_no),
            recovery_no=recovery_no,
            case_no=case_no,
            periods=tuple(periods),
            amount=amount,
            cause=cause,
            **act.fields(),
        )

    @classmethod
    def imported(cls, act: Act, fields: Mapping[str, Any]) -> Recovery:
        """Open a recovery from an imported identification (no business rules)."""
        record = f"recovery {fields.get('recovery_no')!r}"
        checked_fields(cls, "OverpaymentIdentified", fields, record)
        return cls._create(
            cls.OverpaymentIdentified,
            id=record_id("recovery", fields["recovery_no"]),
            **replace(act, imported=True).fields(),
            **fields,
        )

    @event(OverpaymentIdentified)
    def __init__(
        self,
        recovery_no: str,
        case_no: str,
        periods: tuple[str, ...],
        amount: int,
        cause: str,
    ) -> None:
        self.recovery_no, self.case_no = recovery_no, case_no
        self.periods = tuple(periods)
        self.overpaid, self.cause = amount, cause
        self.ordered: int | None = None
        self.fine = 0
        self.recovered = 0

    @property
    def record(self) -> str:
        """The recovery as error messages name it."""
        return f"recovery {self.recovery_no}"

    def order(
        self, act: Act, amount: int, fine_multiple: int, decision_ref: str
    ) -> None:
        """Order recovery of ``amount`` (≤ overpaid), fining fraud 1–3 times.

        Rule: 社会救助暂行办法 §68: a fine only for fraud, of one to three
        times the amount; 0 otherwise.
        """
        if self.ordered is not None:
            raise OrderingError(
                "order-once", self.record, "recovery is already ordered"
            )
        if money(amount, self.record) == 0 or amount > self.overpaid:
            raise AmountError(
                "order-amount", self.record, "order 1 fen to the overpaid"
            )
        fraud = self.cause == "fraud"
        if (fraud and fine_multiple not in FINE_MULTIPLES) or (
            not fraud and fine_multiple != 0
        ):
            raise AmountError(
                "fine-multiple", self.record, "fraud is fined 1–3 times, nothing else"
            )
        require_text(decision_ref, "decision-ref", self.record, "the decision")
        self.trigger_event(
            self.RecoveryOrdered,
            amount=amount,
            fine_multiple=fine_multiple,
            fine_amount=amount * fine_multiple,
            decision_ref=decision_ref,
            **act.fields(),
        )

    def recover(self, act: Act, amount: int, receipt_ref: str) -> None:
        """Record money recovered; the total never exceeds the order.

        Rule: 社会救助暂行办法 §68; domain notes §2.4 (Σ recovered ≤ ordered).
        """
        if self.ordered is None:
            raise OrderingError("order-first", self.record, "no recovery is ordered")
        if money(amount, self.record) == 0 or self.recovered + amount > self.ordered:
            raise AmountError(
                "recovered-within-order",
                self.record,
                f"{self.recovered + amount} fen exceeds the {self.ordered} ordered",
            )
        require_text(receipt_ref, "receipt-ref", self.record, "the receipt")
        self.trigger_event(
            self.OverpaymentRecovered,
            amount=amount,
            receipt_ref=receipt_ref,
            **act.fields(),
        )

    def record_imported(self, name: str, act: Act, fields: Mapping[str, Any]) -> None:
        """Record an imported later event ``name`` as a fact (no business rules)."""
        event_class = checked_fields(type(self), name, fields, self.record)
        self.trigger_event(
            event_class, **replace(act, imported=True).fields(), **fields
        )

    @event(RecoveryOrdered)
    def _recovery_ordered(self, amount: int, fine_amount: int) -> None:
        self.ordered, self.fine = amount, fine_amount

    @event(OverpaymentRecovered)
    def _overpayment_recovered(self, amount: int) -> None:
        self.recovered += amount
