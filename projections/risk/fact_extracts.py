"""What the risk-fact log keeps of each event class the risk rules read.

``EXTRACTS`` maps an event class to its row kind, its subject and the fields
that matter, as JSON-ready primitives (dates as ISO text). Renaming a kind or
a field changes the rows of ``risk_facts``: rebuild the view after it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from domain.accounts import BankAccount
from domain.batches import PaymentBatch
from domain.cases import ReliefCase
from domain.funds import BankStatement, ProgrammeAccount
from domain.kinship import KinRecord
from domain.people import Household
from domain.reference import Region
from domain.rolls import Roll
from domain.staff import Staff

if TYPE_CHECKING:
    from collections.abc import Callable


def _iso(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _id(event: Any) -> str:
    return str(event.originator_id)


Extract = tuple[str, "Callable[[Any], str]", "Callable[[Any], dict[str, Any]]"]

EXTRACTS: dict[type[Any], Extract] = {
    Household.Registered: (
        "household",
        lambda e: e.household_no,
        lambda e: {
            "id": _id(e),
            "region": e.region_code,
            "members": [m["person_ref"] for m in e.members],
        },
    ),
    Household.MemberAdded: (
        "member-added",
        _id,
        lambda e: {"person": e.member["person_ref"]},
    ),
    Household.MemberDeceased: (
        "death",
        lambda e: e.person_ref,
        lambda e: {"died": _iso(e.date_of_death)},
    ),
    Staff.Registered: (
        "staff",
        lambda e: e.staff_id,
        lambda e: {"id": _id(e), "person": e.person_ref},
    ),
    Staff.RoleAssigned: (
        "post",
        _id,
        lambda e: {"role": e.role, "org": e.org_code, "from": _iso(e.from_date)},
    ),
    Staff.RoleEnded: (
        "post-ended",
        _id,
        lambda e: {"role": e.role, "org": e.org_code, "last": _iso(e.last_day)},
    ),
    KinRecord.Opened: ("kin-record", _id, lambda e: {"person": e.person_ref}),
    KinRecord.KinshipRecorded: (
        "kin",
        _id,
        lambda e: {"other": e.other_ref, "relation": e.relation, "source": e.source},
    ),
    Region.StandardSet: (
        "standard",
        _id,
        lambda e: {
            "programme": e.programme,
            "area": e.area,
            "fen": e.amount_fen,
            "from": _iso(e.effective_from),
        },
    ),
    ReliefCase.Applied: (
        "case",
        lambda e: e.case_no,
        lambda e: {
            "id": _id(e),
            "programme": e.programme,
            "category": e.category,
            "household": e.household_no,
            "region": e.region_code,
            "area": e.area,
            "members": list(e.member_refs),
        },
    ),
    ReliefCase.RelativeDeclared: (
        "declared",
        _id,
        lambda e: {"member": e.member_ref, "staff": e.staff_id, "relation": e.relation},
    ),
    ReliefCase.CheckCompleted: (
        "income",
        _id,
        lambda e: {"pci": e.per_capita_income},
    ),
    ReliefCase.HomeVisited: (
        "visit",
        _id,
        lambda e: {"level": e.level, "staff": list(e.investigators)},
    ),
    ReliefCase.OpinionIssued: ("opinion", _id, lambda e: {"staff": [e.actor_id]}),
    ReliefCase.Approved: (
        "approved",
        _id,
        lambda e: {
            "staff": [e.actor_id],
            "method": e.method,
            "fen": e.monthly_amount,
            "standard": e.standard_fen,
            "first": e.first_pay_month,
        },
    ),
    ReliefCase.Rejected: ("closed", _id, lambda _e: {"month": ""}),
    ReliefCase.ReviewCompleted: (
        "review",
        _id,
        lambda e: {"pci": e.per_capita_income},
    ),
    ReliefCase.MemberDeceased: (
        "case-death",
        _id,
        lambda e: {"person": e.person_ref, "died": _iso(e.date_of_death)},
    ),
    ReliefCase.Adjusted: (
        "adjusted",
        _id,
        lambda e: {"fen": e.new_amount, "month": e.effective_month},
    ),
    ReliefCase.Terminated: ("closed", _id, lambda e: {"month": e.effective_month}),
    Roll.ScheduleSet: (
        "schedule",
        lambda e: e.case_no,
        lambda e: {"schedule": dict(e.schedule)},
    ),
    BankAccount.Registered: (
        "account",
        lambda e: e.account_token,
        lambda e: {"household": e.household_no, "holder": e.holder_ref},
    ),
    ProgrammeAccount.Opened: (
        "fund",
        _id,
        lambda e: {"programme": e.programme, "org": e.org_code},
    ),
    ProgrammeAccount.FundsReceived: (
        "funds-in",
        _id,
        lambda e: {"fen": e.amount_fen, "on": _iso(e.received_on)},
    ),
    PaymentBatch.Created: (
        "batch",
        _id,
        lambda e: {
            "programme": e.programme,
            "region": e.region_code,
            "period": e.period,
        },
    ),
    PaymentBatch.LinesScheduled: (
        "scheduled",
        _id,
        lambda e: {
            "first": e.first_line_no,
            "cases": list(e.case_nos),
            "households": list(e.household_nos),
            "fen": list(e.amounts_fen),
        },
    ),
    PaymentBatch.LinesDisbursed: (
        "disbursed",
        _id,
        lambda e: {
            "lines": list(e.line_nos),
            "dates": list(e.value_dates),
            "fen": list(e.amounts_fen),
            "tokens": list(e.account_tokens),
        },
    ),
    PaymentBatch.LineFailed: ("failed", _id, lambda e: {"line": e.line_no}),
    PaymentBatch.LineReissued: (
        "reissued",
        _id,
        lambda e: {
            "lines": [e.line_no],
            "dates": [_iso(e.value_date)],
            "fen": [e.amount_fen],
            "tokens": [e.account_token],
        },
    ),
    PaymentBatch.LineReturned: (
        "returned",
        _id,
        lambda e: {"line": e.line_no, "fen": e.amount_fen},
    ),
    BankStatement.Reconciled: (
        "statement",
        lambda e: str(e.batch_id),
        lambda e: {
            "statement": e.statement_id,
            "matched": len(e.matched),
            "unmatched": [list(u) for u in e.unmatched],
            "reversals": [list(r) for r in e.reversals],
            "missing": list(e.missing),
        },
    ),
}
"""Per event class: its row kind, its subject, and the fields the rules read."""
