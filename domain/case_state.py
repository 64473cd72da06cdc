"""The state a relief case's commands read, shared by the command mixins.

``domain.cases.ReliefCase``'s mutators assign these attributes; the mixins of
``domain.case_intake``, ``domain.case_decision`` and ``domain.case_management``
read them through this base, and trigger events by their class name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.errors import InvalidDataError, OrderingError

if TYPE_CHECKING:
    from collections.abc import Collection
    from datetime import date

    from domain.base import Act
    from domain.case_rules import Status


class CaseState:
    """The attributes of a relief case and the checks every command uses."""

    case_no: str
    programme: str
    category: str
    household_no: str
    region_code: str
    area: str
    applicant_ref: str
    member_refs: tuple[str, ...]
    applied_on: date
    relatives: dict[str, str]
    visits: dict[str, date]
    objections: dict[str, date]
    schedule: dict[str, int]
    deaths: dict[str, date]
    # Immutable starting values, shared until a mutator assigns the case's own.
    status: Status = "applied"
    accepted_on: date | None = None
    deadline: date | None = None
    extension_reason: str | None = None
    check_requested: bool = False
    per_capita_income: int | None = None
    review_held_on: date | None = None
    opinion_officer: str | None = None
    proposed_amount: int = 0
    notice_ends: date | None = None
    termination_notice_ends: date | None = None
    notice_closed: bool = False
    termination_notice_closed: bool = False
    last_resolution_on: date | None = None
    approver: str | None = None
    decided_on: date | None = None
    method: str = ""
    monthly_amount: int = 0
    first_pay_month: str | None = None
    reasons: tuple[str, ...] = ()
    rejection_notified_on: date | None = None
    self_care: str | None = None
    support_mode: str | None = None
    # Grants in stage order (stage n at n − 1); tuples, so snapshots encode them.
    emergency: tuple[tuple[int, date], ...] = ()
    regularised: tuple[int, ...] = ()
    case_by_case_amount: int = 0
    next_review_due: date | None = None
    last_change: str | None = None
    exit_end_month: str | None = None
    suspended_from: str | None = None
    end_month: str | None = None
    end_reason: str | None = None

    @property
    def record(self) -> str:
        """The case as error messages name it."""
        return f"case {self.case_no}"

    def _record(self, name: str, act: Act, **fields: Any) -> None:
        """Trigger the case's event class ``name`` (``ReliefCase`` defines it)."""
        raise NotImplementedError

    def require_status(self, allowed: Collection[str], action: str) -> None:
        """Refuse ``action`` unless the case's status is one of ``allowed``."""
        if self.status not in allowed:
            raise OrderingError(
                f"status-{self.status}",
                self.record,
                f"a {self.status} case cannot {action}",
            )

    def require_programme(self, programme: str, action: str) -> None:
        """Refuse ``action`` outside ``programme``."""
        if self.programme != programme:
            raise OrderingError(
                "programme", self.record, f"a {self.programme} case cannot {action}"
            )


def require_text(value: str, rule: str, record: str, what: str) -> str:
    """Return ``value`` if it has text, else refuse: ``what`` must be given."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidDataError(rule, record, f"{what} must be given")
    return value
