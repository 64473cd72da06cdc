"""RF-13's stage deadlines: the start of the investigation, the county review
and the rejection notice.

``stage_findings`` judges one case's stages on ``ProcedureFacts``, in working
days on the facts' calendar (``ProcedureFacts.working_days``), with the limits
of ``ProcedurePolicy``; ``projections.risk.procedure.deadline_breached`` calls
it beside the overall deadline. Where each stage starts and ends is derived
in ``projections.risk.stage_facts``:

- investigation (低保 only, 审核确认办法 2021 §15: ≤3 working days): from
  ``Accepted`` (``Applied`` when no acceptance was recorded) to the first
  ``CheckRequested``, ``CheckCompleted`` or ``HomeVisited``;
- county review (2021 §20: ≤10 working days for 低保; 特困认定办法 §16: ≤15
  for 特困): from the file's arrival at the county (``NoticeClosed``, else the
  ``NoticePosted`` whose last day passed, or a later ``ObjectionResolved``)
  to the decision (``Approved`` or ``Rejected``);
- rejection notice (2021 §21; 特困认定办法 §18: ≤3 working days): from
  ``Rejected`` to the day its ``RejectionNotified`` says the written reasons
  were served, in every programme RF-13 judges.

A case not yet past a stage is judged as of the scan day, as the overall
deadline is: a rejection with no notice is flagged once its limit has passed.
A decided case with no investigation at all is RF-12's; one with no 公示 is
RF-11's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from projections.risk.findings import RiskFinding

if TYPE_CHECKING:
    from collections.abc import Iterator

    from projections.evidence import Evidence
    from projections.risk.procedure_facts import CaseTrail, ProcedureFacts, Step


def stage_findings(facts: ProcedureFacts, case: CaseTrail) -> Iterator[RiskFinding]:
    """Yield RF-13's findings on a case's investigation, county review and
    rejection notice."""
    yield from _investigation(facts, case)
    yield from _county_review(facts, case)
    yield from _rejection_notice(facts, case)


def _investigation(facts: ProcedureFacts, case: CaseTrail) -> Iterator[RiskFinding]:
    policy = facts.policy
    if case.programme not in policy.investigation_programmes:
        return
    start, began = case.accepted or case.opened, case.investigated
    if began is None and (case.decided is not None or case.ended is not None):
        return
    used = facts.working_days_until(start, began)
    limit = policy.investigation_working_days
    if used <= limit:
        return
    if began is None:
        summary = f"not investigated {used} working days after acceptance"
    else:
        summary = f"investigation started {used} working days after acceptance"
    yield _finding(case, f"{summary}, limit {limit}", start, began)


def _county_review(facts: ProcedureFacts, case: CaseTrail) -> Iterator[RiskFinding]:
    limit = facts.policy.county_review_limit(case.programme)
    received, decided = case.forwarded, case.decided
    if limit is None or received is None:
        return
    if decided is None and case.ended is not None:
        return
    used = facts.working_days_until(received, decided)
    if used <= limit:
        return
    state = "decided" if decided is not None else "undecided"
    summary = (
        f"county {state} {used} working days after the file arrived on "
        f"{received.day}, limit {limit}"
    )
    yield _finding(case, summary, received, decided)


def _rejection_notice(facts: ProcedureFacts, case: CaseTrail) -> Iterator[RiskFinding]:
    rejected, notified = case.rejected, case.notified
    if rejected is None:
        return
    used = facts.working_days_until(rejected, notified)
    limit = facts.policy.rejection_notice_working_days
    if used <= limit:
        return
    state = "notified" if notified is not None else "not notified"
    summary = (
        f"rejection {state} {used} working days after the decision on "
        f"{rejected.day}, limit {limit}"
    )
    yield _finding(case, summary, rejected, notified)


def _finding(case: CaseTrail, summary: str, *steps: Step | None) -> RiskFinding:
    cited: set[Evidence] = {s.evidence for s in steps if s is not None}
    return RiskFinding("RF-13", "medium", case.case_no, summary, tuple(sorted(cited)))
