"""A case's stage facts for RF-13: when its investigation started, when its
file reached the county, and when a rejection's written reasons were served.

The ledger has no event of its own for either. The investigation starts with
the first of the township's check request (``CheckRequested``), a completed
check (``CheckCompleted``) or a home visit (``HomeVisited``) (审核确认办法
2021 §15–17). The file goes to the county once the 公示 has run with no
objection open (2021 §19: no objection → send to the county): on the day the
公示 in force was taken down (``NoticeClosed`` of the approval kind) or, when
no take-down was recorded, on its last day (``NoticePosted``'s ``ends_on``);
an objection resolved after that sends it on the day of the resolution
(``ObjectionResolved``). While an objection is open the file has not gone.
A resolved objection voids the 公示 before it (``procedure_fold``), so a new
公示 then starts the count again. What the case held at its first decision
is kept; later events do not move it.

A rejection (``Rejected``) decides and ends the case; its notice
(``RejectionNotified``, 2021 §21) counts on the day it records the reasons
were served (``notified_on``), not the day it was entered. The first of each
is kept.

The procedure fold (``projections.risk.procedure_fold``) calls these as the
rows arrive, in ledger order.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from domain.case_rules import TERMINATION_NOTICE
from projections.risk.procedure_facts import Step

if TYPE_CHECKING:
    from projections.risk.procedure_facts import CaseTrail

INVESTIGATION_KINDS = ("check-requested", "checked", "visit")
"""The row kinds any of which starts the investigation."""


def investigation(case: CaseTrail, step: Step) -> None:
    """An investigation step: the first one starts the investigation."""
    if case.investigated is None or step.day < case.investigated.day:
        case.investigated = step


def rejected(case: CaseTrail, step: Step) -> None:
    """A rejection: the case's decision and end, unless it had them already."""
    for name in ("decided", "ended", "rejected"):
        if getattr(case, name) is None:
            setattr(case, name, step)


def rejection_notified(case: CaseTrail, notified_on: str, step: Step) -> None:
    """A rejection's notice, dated the day the reasons were served."""
    if case.notified is None:
        case.notified = Step(date.fromisoformat(notified_on), step.evidence)


def notice_posted(case: CaseTrail) -> None:
    """A new 公示 is in force (already set on the case): not yet taken down."""
    case.notice_closed = None
    _refresh(case)


def notice_closed(case: CaseTrail, kind: str, step: Step) -> None:
    """A 公示 taken down; a 终止公示 is not the approval's 公示."""
    if kind != TERMINATION_NOTICE and case.notice is not None:
        case.notice_closed = step
        _refresh(case)


def objection_received(case: CaseTrail) -> None:
    """An objection (already recorded on the case) holds the file back."""
    _refresh(case)


def objection_resolved(case: CaseTrail, step: Step) -> None:
    """An objection resolved (its 公示 already voided on the case)."""
    case.resolved = step
    case.notice_closed = None
    _refresh(case)


def _refresh(case: CaseTrail) -> None:
    if case.decided is None:
        case.forwarded = county_receipt(case)


def county_receipt(case: CaseTrail) -> Step | None:
    """Return when the case's file reached the county as the case stands: the
    later of the 公示's take-down (its last day if none was recorded) and the
    last objection resolution; None while an objection is open or before
    either."""
    if case.objections:
        return None
    ended: Step | None = None
    if case.notice_closed is not None:
        ended = case.notice_closed
    elif case.notice is not None:
        ended = Step(case.notice.ends, case.notice.evidence)
    found = [s for s in (ended, case.resolved) if s is not None]
    return max(found, key=lambda s: (s.day, s.evidence.position), default=None)
