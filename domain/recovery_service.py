"""Service commands of overpayments: identified, recovery ordered, recovered.

社会救助暂行办法 §67–68. Clerks and reviewers identify an overpayment; 审批
orders its recovery (fining fraud 1–3 times); the money back is recorded by
财务 or a clerk. 纪检 and 审计 flag overpayments but never record them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain import roles
from domain.case_access import CaseAccess
from domain.case_rules import DECISION_ROLES, INTAKE_ROLES
from domain.errors import InvalidDataError
from domain.ids import record_id
from domain.recoveries import Recovery

if TYPE_CHECKING:
    from domain.base import Act

IDENTIFY_ROLES = INTAKE_ROLES | {roles.REVIEWER} | DECISION_ROLES
RECOVER_ROLES = INTAKE_ROLES | {roles.FINANCE}


class RecoveryCommands(CaseAccess):
    """Overpayment identification, recovery orders and money recovered."""

    def identify_overpayment(
        self,
        act: Act,
        recovery_no: str,
        case_no: str,
        periods: tuple[str, ...],
        *,
        amount_fen: int,
        cause: str,
    ) -> None:
        """Record an overpayment of a case over ``periods`` (domain notes §2.4)."""
        case = self.case(case_no)
        self.require_role(act, IDENTIFY_ROLES, case.region_code)
        if self.exists(record_id("recovery", recovery_no)):
            raise InvalidDataError(
                "record-unique", f"recovery {recovery_no}", "it already exists"
            )
        recovery = Recovery.identify(
            act, recovery_no, case_no, periods, (amount_fen, cause)
        )
        self.save(recovery)

    def order_recovery(
        self,
        act: Act,
        recovery_no: str,
        amount_fen: int,
        fine_multiple: int,
        decision_ref: str,
    ) -> None:
        """Order recovery; only fraud is fined, 1–3 times (暂行办法 §68)."""
        recovery = self.recovery(recovery_no)
        case = self.case(recovery.case_no)
        self.require_role(act, DECISION_ROLES, case.region_code)
        recovery.order(act, amount_fen, fine_multiple, decision_ref)
        self.save(recovery)

    def record_recovery(
        self, act: Act, recovery_no: str, amount_fen: int, receipt_ref: str
    ) -> None:
        """Record money recovered; the total never exceeds the order."""
        recovery = self.recovery(recovery_no)
        case = self.case(recovery.case_no)
        self.require_role(act, RECOVER_ROLES, case.region_code)
        recovery.recover(act, amount_fen, receipt_ref)
        self.save(recovery)
