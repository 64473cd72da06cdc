"""What the risk-fact log keeps of each event class the risk rules read.

``EXTRACTS`` maps an event class to its row kind, its subject and the fields
that matter, as JSON-ready primitives (dates as ISO text): people (with
members' birth dates and schooling, for RF-29), staff, kinship, reference
data and money here, a case's events in ``projections.risk.case_extracts``.
Each event class has one kind, and every rule group reads that one row.
Renaming a kind or a field changes the rows of ``risk_facts``: rebuild the
view after it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.accounts import BankAccount
from domain.batches import PaymentBatch
from domain.calendar import CalendarBook
from domain.funds import BankStatement, ProgrammeAccount
from domain.kinship import KinRecord
from domain.people import Household
from domain.reference import Region
from domain.rolls import Roll
from domain.staff import Staff
from projections.risk.case_extracts import CASE_EXTRACTS, aggregate_id, iso

if TYPE_CHECKING:
    from projections.risk.case_extracts import Extract

_id = aggregate_id
_iso = iso

EXTRACTS: dict[type[Any], Extract] = {
    Household.Registered: (
        "household",
        lambda e: e.household_no,
        lambda e: {
            "id": _id(e),
            "region": e.region_code,
            "members": [m["person_ref"] for m in e.members],
            "born": [_iso(m["birth_date"]) for m in e.members],
            "school": [m["person_ref"] for m in e.members if m.get("in_school")],
        },
    ),
    Household.MemberAdded: (
        "member-added",
        _id,
        lambda e: {
            "person": e.member["person_ref"],
            "born": _iso(e.member["birth_date"]),
            "school": bool(e.member.get("in_school")),
        },
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
    Region.ApprovalLimitSet: (
        "limit",
        _id,
        lambda e: {
            "programme": e.programme,
            "level": e.level,
            "fen": e.amount_fen,
            "from": _iso(e.effective_from),
        },
    ),
    CalendarBook.YearScheduleRecorded: (
        "calendar",
        _id,
        lambda e: {
            "year": e.year,
            "holidays": [_iso(d) for d in e.holidays],
            "workdays": [_iso(d) for d in e.workdays],
            "source": e.source,
        },
    ),
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
            "matched": list(e.matched),
            "unmatched": [list(u) for u in e.unmatched],
            "reversals": [list(r) for r in e.reversals],
            "missing": list(e.missing),
        },
    ),
    **CASE_EXTRACTS,
}
"""Per event class: its row kind, its subject, and the fields the rules read."""

TOPICS: dict[str, str] = {k: cls.__qualname__ for cls, (k, _, _) in EXTRACTS.items()}
"""Each row kind's event class name (the topic an evidence item names)."""
