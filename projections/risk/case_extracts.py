"""What the risk-fact log keeps of a case's events and of corrections.

``CASE_EXTRACTS`` maps each ``ReliefCase`` event class the risk rules read
(and ``Correction.Recorded``) to its row kind, its subject and the fields that
matter, as JSON-ready primitives (dates as ISO text). Every rule group reads
the same row: an approval's row holds what the relationship rules (who
approved), the money rules (amount, method, standard, first month) and the
procedure rules (amount, imported or live) need of it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from domain.cases import ReliefCase
from domain.corrections import Correction
from projections.folds import originator_text

if TYPE_CHECKING:
    from collections.abc import Callable


def iso(value: object) -> str:
    """Return a date as ISO text, anything else as ``str``."""
    return value.isoformat() if isinstance(value, date) else str(value)


def aggregate_id(event: Any) -> str:
    """Return the id of the aggregate an event belongs to, as text."""
    return originator_text(event)


Extract = tuple[str, "Callable[[Any], str]", "Callable[[Any], dict[str, Any]]"]

_id = aggregate_id

CASE_EXTRACTS: dict[type[Any], Extract] = {
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
    ReliefCase.Accepted: ("accepted", _id, lambda e: {"deadline": iso(e.deadline)}),
    ReliefCase.Extended: ("extended", _id, lambda e: {"deadline": iso(e.deadline)}),
    ReliefCase.RelativeDeclared: (
        "declared",
        _id,
        lambda e: {"member": e.member_ref, "staff": e.staff_id, "relation": e.relation},
    ),
    ReliefCase.CheckRequested: ("check-requested", _id, lambda _e: {}),
    ReliefCase.CheckCompleted: ("checked", _id, lambda e: {"pci": e.per_capita_income}),
    ReliefCase.HomeVisited: (
        "visit",
        _id,
        lambda e: {"level": e.level, "staff": list(e.investigators)},
    ),
    ReliefCase.OpinionIssued: ("opinion", _id, lambda e: {"staff": [e.actor_id]}),
    ReliefCase.NoticePosted: (
        "notice",
        _id,
        lambda e: {
            "kind": e.kind,
            "posted": iso(e.posted_on),
            "ends": iso(e.ends_on),
            "imported": e.imported,
        },
    ),
    ReliefCase.NoticeClosed: ("notice-closed", _id, lambda e: {"kind": e.kind}),
    ReliefCase.ObjectionReceived: ("objection", _id, lambda e: {"id": e.objection_id}),
    ReliefCase.ObjectionResolved: ("resolved", _id, lambda e: {"id": e.objection_id}),
    ReliefCase.Approved: (
        "approved",
        _id,
        lambda e: {
            "staff": [e.actor_id],
            "method": e.method,
            "fen": e.monthly_amount,
            "standard": e.standard_fen,
            "first": e.first_pay_month,
            "imported": e.imported,
        },
    ),
    ReliefCase.Rejected: ("rejected", _id, lambda _e: {}),
    ReliefCase.RejectionNotified: (
        "rejection-notified",
        _id,
        lambda e: {"notified": iso(e.notified_on), "channel": e.channel},
    ),
    ReliefCase.EmergencyAidGranted: (
        "aid",
        _id,
        lambda e: {"stage": e.stage_no, "fen": e.amount},
    ),
    ReliefCase.EmergencyAidRegularised: (
        "regularised",
        _id,
        lambda e: {"stage": e.stage_no},
    ),
    ReliefCase.ReviewCompleted: (
        "review",
        _id,
        lambda e: {"class": e.review_class, "pci": e.per_capita_income},
    ),
    ReliefCase.ChangeReported: (
        "change",
        _id,
        lambda e: {"type": e.change_type, "effective": iso(e.effective_date)},
    ),
    ReliefCase.MemberDeceased: (
        "case-death",
        _id,
        lambda e: {"person": e.person_ref, "died": iso(e.date_of_death)},
    ),
    ReliefCase.Adjusted: (
        "adjusted",
        _id,
        lambda e: {"fen": e.new_amount, "month": e.effective_month},
    ),
    ReliefCase.GradualExitStarted: (
        "exit",
        _id,
        lambda e: {"start": e.start_month, "end": e.end_month},
    ),
    ReliefCase.Terminated: ("terminated", _id, lambda e: {"month": e.effective_month}),
    Correction.Recorded: (
        "correction",
        lambda e: str(e.target_id),
        lambda e: {
            "no": e.correction_no,
            "position": e.ledger_position,
            "fields": dict(e.corrected_fields),
            "reason": e.reason,
            "imported": e.imported,
        },
    ),
}
"""Per case event class: its row kind, its subject, and the fields the rules read."""
