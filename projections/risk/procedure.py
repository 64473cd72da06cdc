"""The procedure rules RF-11, RF-12, RF-13, and the procedure-and-time registry.

Each rule is a pure function over ``ProcedureFacts`` (``projections.risk.
procedure_facts``) returning findings with the evidence that makes them: the
ledger positions and chain hashes of the approval, the 公示, the acceptance or
the visit an inspector must see. They judge imported history too, where the
live domain refused nothing. A 急难型 临时救助 case is paid first and
regularised afterwards (2018 临时救助意见 (二): 先行救助 may skip the check,
the 公示 and the 30-working-day procedure), so RF-11, RF-12 and RF-13 leave
it to RF-24. The time rules (RF-21, 22, 23, 24, 27) are in
``projections.risk.procedure_time``; ``PROCEDURE_RULES`` names all eight.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from projections.risk.fact_views import read_facts
from projections.risk.findings import RiskFinding, rule
from projections.risk.procedure_fold import PROCEDURE_KINDS, fold_procedure_facts
from projections.risk.procedure_stages import stage_findings
from projections.risk.procedure_time import (
    aid_irregular,
    backdated,
    death_unprocessed,
    exit_overdue,
    review_overdue,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import date

    from sqlalchemy.engine import Connection

    from projections.evidence import Evidence
    from projections.risk.findings import Rule, Severity
    from projections.risk.procedure_facts import (
        Approval,
        CaseTrail,
        ProcedureFacts,
        Step,
    )

SIMPLIFIED_CATEGORIES = frozenset({"急难型"})
"""Categories whose aid is paid before the procedure (2018 意见 (二))."""


def _subject(case: CaseTrail) -> str:
    return case.case_no


def _cite(*evidence: Evidence | None) -> tuple[Evidence, ...]:
    return tuple(sorted({e for e in evidence if e is not None}))


def _procedural(facts: ProcedureFacts) -> Iterator[CaseTrail]:
    for _, case in sorted(facts.cases.items(), key=lambda item: item[1].case_no):
        if case.category not in SIMPLIFIED_CATEGORIES:
            yield case


def _finding(
    rule_id: str,
    severity: Severity,
    case: CaseTrail,
    summary: str,
    *cited: Evidence | None,
) -> RiskFinding:
    return RiskFinding(rule_id, severity, _subject(case), summary, _cite(*cited))


@rule("RF-11", "未公示/公示不足7天/有异议未处理", "Notice skipped or short", "high")
def notice_skipped(facts: ProcedureFacts) -> Iterator[RiskFinding]:
    """An approval with no 公示 since the last resolved objection, a 公示 shorter
    than ``notice_days`` calendar days (ends − posted), an approval on or before
    the 公示's last day, or an objection still open when approving (审核确认办法
    2021 §19: 7 days, no objection, or a new opinion and a new 公示 after one).
    """
    days = facts.policy.notice_days
    for case in _procedural(facts):
        for approval in case.approvals:
            yield from _notice_findings(case, approval, days)


def _notice_findings(
    case: CaseTrail, approval: Approval, days: int
) -> Iterator[RiskFinding]:
    step, notice = approval.step, approval.notice
    if notice is None:
        yield _finding("RF-11", "high", case, "approved with no 公示", step.evidence)
    elif (notice.ends - notice.posted).days < days:
        yield _finding(
            "RF-11",
            "high",
            case,
            f"公示 of {(notice.ends - notice.posted).days} days, fewer than {days}",
            step.evidence,
            notice.evidence,
        )
    elif step.day <= notice.ends:
        yield _finding(
            "RF-11",
            "high",
            case,
            f"approved on {step.day}, before the 公示 ended on {notice.ends}",
            step.evidence,
            notice.evidence,
        )
    if approval.objections:
        yield _finding(
            "RF-11",
            "high",
            case,
            f"approved with {len(approval.objections)} objection(s) open",
            step.evidence,
            *approval.objections,
        )


@rule("RF-12", "未入户调查/未核对直接纳入", "Approved without investigation", "high")
def not_investigated(facts: ProcedureFacts) -> Iterator[RiskFinding]:
    """An approval with no completed economic check or no township home visit
    before it, or a home visit before it by fewer than ``min_investigators``
    distinct investigators (审核确认办法 2021 §16, §17, §28: no inclusion
    without investigation; ≥2 investigators per visit).
    """
    least = facts.policy.min_investigators
    for case in _procedural(facts):
        for approval in case.approvals:
            step = approval.step
            if approval.checked is None:
                summary = "approved with no economic check"
                yield _finding("RF-12", "high", case, summary, step.evidence)
            if not any(v.level == "township" for v in approval.visits):
                summary = "approved with no township home visit"
                yield _finding("RF-12", "high", case, summary, step.evidence)
            for visit in approval.visits:
                if len(set(visit.staff)) < least:
                    yield _finding(
                        "RF-12",
                        "high",
                        case,
                        f"{visit.level} home visit on {visit.day} by "
                        f"{len(set(visit.staff))} investigator(s)",
                        step.evidence,
                        visit.evidence,
                    )


@rule(
    "RF-13", "超时限/异常快速审批", "Deadline breached or approval too fast", "medium"
)
def deadline_breached(facts: ProcedureFacts) -> Iterator[RiskFinding]:
    """A decision (approval or rejection) more than ``decision_working_days``
    working days after acceptance (``extended_working_days`` once an extension
    was granted), or no decision yet that long after acceptance as of the scan
    day, counted on the working-day calendar; or an approval fewer than
    ``fastest_procedure_days`` + ``notice_days`` calendar days after acceptance,
    impossible if the 公示 really ran (审核确认办法 2021 §22; 2022 notice
    §4(1)). A case with no recorded acceptance counts from its application.

    Stage limits (``projections.risk.procedure_stages``): for 低保, the
    investigation (first ``CheckRequested``, ``CheckCompleted`` or
    ``HomeVisited``) starts more than ``investigation_working_days`` (3)
    working days after ``Accepted`` (2021 §15); for 低保 and 特困, the county
    decides (``Approved`` or ``Rejected``) more than
    ``county_review_working_days`` (10 for 低保, 2021 §20; 15 for 特困, 特困
    认定办法 §16) working days after the file reached it: the approval
    公示's ``NoticeClosed`` (its last day when no take-down was recorded)
    with no objection open, or a later ``ObjectionResolved``. An unfinished
    stage is judged as of the scan day. 残疾人两项补贴, 孤儿 and 临时救助 have
    no stage limit in the rulebook; the overall one applies to them. In every
    programme, a ``Rejected`` case's written reasons are served
    (``RejectionNotified``'s ``notified_on``) at most
    ``rejection_notice_working_days`` (3) working days after the decision
    (2021 §21; 特困认定办法 §18).
    """
    policy = facts.policy
    for case in _procedural(facts):
        start = case.accepted or case.opened
        limit = (
            policy.extended_working_days
            if case.extended is not None
            else policy.decision_working_days
        )
        yield from _late(facts, case, start, limit)
        yield from stage_findings(facts, case)
        fastest = policy.fastest_procedure_days + policy.notice_days
        for approval in case.approvals:
            days = (approval.step.day - start.day).days
            if days < fastest:
                yield _finding(
                    "RF-13",
                    "medium",
                    case,
                    f"approved {days} days after acceptance, under {fastest}",
                    start.evidence,
                    approval.step.evidence,
                )


def _late(
    facts: ProcedureFacts, case: CaseTrail, start: Step, limit: int
) -> Iterator[RiskFinding]:
    decided = case.decided
    used = facts.working_days_until(start, decided)
    if used <= limit:
        return
    extension = case.extended.evidence if case.extended is not None else None
    if decided is None:
        summary = f"undecided {used} working days after acceptance, limit {limit}"
        yield _finding("RF-13", "medium", case, summary, start.evidence, extension)
        return
    summary = f"decided {used} working days after acceptance, limit {limit}"
    yield _finding(
        "RF-13", "medium", case, summary, start.evidence, extension, decided.evidence
    )


class ProcedureRules(NamedTuple):
    """The procedure-and-time rules: case procedure, follow-up, aid, back-dating."""

    rf11: Rule[ProcedureFacts]
    rf12: Rule[ProcedureFacts]
    rf13: Rule[ProcedureFacts]
    rf21: Rule[ProcedureFacts]
    rf22: Rule[ProcedureFacts]
    rf23: Rule[ProcedureFacts]
    rf24: Rule[ProcedureFacts]
    rf27: Rule[ProcedureFacts]


PROCEDURE_RULES = ProcedureRules(
    rf11=notice_skipped,
    rf12=not_investigated,
    rf13=deadline_breached,
    rf21=exit_overdue,
    rf22=review_overdue,
    rf23=death_unprocessed,
    rf24=aid_irregular,
    rf27=backdated,
)


def procedure_facts_at(conn: Connection, as_of: date | None) -> ProcedureFacts:
    """Build the procedure facts from the fact log, as of a day (None: the latest)."""
    return fold_procedure_facts(read_facts(conn, PROCEDURE_KINDS), as_of)
