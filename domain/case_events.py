"""The payloads of a relief case's events, nested into ``ReliefCase`` by name.

``domain.cases.ReliefCase`` nests each class below under the same name, so the
stored topic is ``domain.cases:ReliefCase.<Name>``; renaming one is a schema
migration (house style rule 9). Field meanings follow the domain notes §2.2
and §2.4. Money is integer fen; periods are ``YYYY-MM``; dates are ``date``.
"""

from __future__ import annotations

from datetime import date  # noqa: TC003 (event annotations are read at runtime)

from domain.base import ReliefCreated, ReliefEvent


class Applied(ReliefCreated):
    """ApplicationSubmitted, with 授权核对 and 承诺 (审核确认办法 2021 §9)."""

    case_no: str
    programme: str
    category: str
    household_no: str
    region_code: str
    area: str
    applicant_ref: str
    member_refs: tuple[str, ...]
    channel: str
    authorisation_ref: str
    commitment_ref: str


class Accepted(ReliefEvent):
    """ApplicationAccepted: starts the decision clock (2021 §22)."""

    deadline: date


class Extended(ReliefEvent):
    """ExtensionGranted: a special-case reason and the new deadline."""

    reason: str
    deadline: date


class RelativeDeclared(ReliefEvent):
    """近亲属备案: a member is a near relative of a staff member (2021 §11)."""

    member_ref: str
    staff_id: str
    relation: str


class CheckRequested(ReliefEvent):
    """EconomicCheckRequested: the sources asked (2021 §17)."""

    sources: tuple[str, ...]


class CheckCompleted(ReliefEvent):
    """EconomicCheckCompleted: the per-capita income found, and the report."""

    per_capita_income: int
    report_ref: str


class HomeVisited(ReliefEvent):
    """HomeVisitConducted by at least two investigators (2021 §16, §20)."""

    level: str
    investigators: tuple[str, ...]


class DemocraticReviewHeld(ReliefEvent):
    """民主评议, optional, or chosen on the objection path (2021 §19)."""

    conclusion: str
    minutes_ref: str


class OpinionIssued(ReliefEvent):
    """PreliminaryOpinionIssued by the township (2021 §19)."""

    recommendation: str
    proposed_amount: int


class NoticePosted(ReliefEvent):
    """PublicNoticePosted: only name, household size and amount are shown."""

    kind: str
    posted_on: date
    ends_on: date
    shown_name: str
    shown_size: int
    shown_amount: int


class NoticeClosed(ReliefEvent):
    """PublicNoticeClosed: the 公示 of ``kind`` ran its days and is taken down."""

    kind: str
    ends_on: date


class ObjectionReceived(ReliefEvent):
    """NoticeObjectionReceived: blocks the decision until resolved."""

    objection_id: str
    channel: str


class ObjectionResolved(ReliefEvent):
    """ObjectionResolved by re-investigation or 民主评议 (2021 §19)."""

    objection_id: str
    resolution: str
    finding: str


class Approved(ReliefEvent):
    """Approved (审核确认): method, amount, and the pay schedule it starts."""

    method: str
    monthly_amount: int
    standard_fen: int
    first_pay_month: str
    schedule: dict[str, int]


class Rejected(ReliefEvent):
    """Rejected, with written reasons (2021 §21)."""

    reasons: tuple[str, ...]


class RejectionNotified(ReliefEvent):
    """RejectionNotified: the written reasons served on the applicant through
    the township on ``notified_on`` (2021 §21: ≤3 working days after the
    decision), and how (``case_rules.REJECTION_NOTICE_CHANNELS``)."""

    notified_on: date
    channel: str


class SelfCareAssessed(ReliefEvent):
    """SelfCareAssessed on the six ADL items (特困认定办法 §20–21)."""

    person_ref: str
    failed_items: tuple[str, ...]
    category: str


class SupportModeChosen(ReliefEvent):
    """SupportModeChosen: 集中 or 分散供养 (暂行办法 §19)."""

    mode: str
    institution: str


class EmergencyAidGranted(ReliefEvent):
    """EmergencyAidGranted: 急难型 先行救助, paid before the procedure."""

    stage_no: int
    amount: int
    reason: str


class EmergencyAidRegularised(ReliefEvent):
    """EmergencyAidRegularised: signatures and stamps completed afterwards."""

    stage_no: int
    signatures_ref: str


class CaseByCaseDecided(ReliefEvent):
    """CaseByCaseDecision (一事一议) allowing an amount above the limit."""

    meeting_ref: str
    amount: int


class ReviewCompleted(ReliefEvent):
    """PeriodicReviewCompleted (2021 §31) and when the next is due."""

    review_class: str
    outcome: str
    per_capita_income: int
    next_due: date


class ChangeReported(ReliefEvent):
    """HouseholdChangeReported (2021 §30)."""

    change_type: str
    effective_date: date
    source: str


class MemberDeceased(ReliefEvent):
    """MemberDeceased, as it concerns this case (2022 notice §1(3))."""

    person_ref: str
    date_of_death: date
    source: str


class Adjusted(ReliefEvent):
    """BenefitAdjusted (增发/减发) from a month, with a reason (2021 §32)."""

    old_amount: int
    new_amount: int
    effective_month: str
    reason: str


class Suspended(ReliefEvent):
    """BenefitSuspended from a month."""

    from_month: str
    reason: str


class Resumed(ReliefEvent):
    """BenefitResumed from a month, at the approved amount."""

    from_month: str
    reason: str


class GradualExitStarted(ReliefEvent):
    """GradualExitStarted: 渐退期 of at most six months (2022 notice §1(3))."""

    start_month: str
    end_month: str
    amount: int
    reason: str


class Terminated(ReliefEvent):
    """BenefitTerminated, effective from the next month, with written reasons."""

    effective_month: str
    reason: str
    written_reasons: str
