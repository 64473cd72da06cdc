"""Relief cases: one household's (or person's) case in one programme, to its exit.

``ReliefCase`` holds the state and the mutators; its events are the classes of
``domain.case_events`` nested here by name, and its commands come by role from
``domain.case_opening`` (application or import), ``domain.case_intake``
(acceptance to 公示), ``domain.case_notices`` (closing a 公示),
``domain.case_decision`` (the county decision, 特困 and 临时救助 specifics)
and ``domain.case_management`` (reviews, changes, adjustments and exit).
Commands check and then trigger an event; mutators only assign, so old events
replay after the rules change.

What is payable each month is a schedule of ``{from_month: fen}`` steps: the
approved amount from the first pay month, each adjustment, suspension (0),
resumption, 渐退 amount and exit (0). ``payable_amount`` reads it, and the
roll (``domain.rolls``) keeps a copy of it for building batches.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from eventsourcing.domain import Aggregate, event

from domain import case_events as ev
from domain.case_decision import DecisionCommands
from domain.case_import import checked_fields
from domain.case_intake import IntakeCommands
from domain.case_management import ManagementCommands
from domain.case_notices import NoticeCommands
from domain.case_opening import OpeningCommands
from domain.case_rules import TERMINATION_NOTICE, add_months, payable_on
from domain.ids import record_id

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date, datetime
    from uuid import UUID

    from domain.base import Act


class ReliefCase(
    OpeningCommands,
    IntakeCommands,
    NoticeCommands,
    DecisionCommands,
    ManagementCommands,
    Aggregate,
):
    """A relief case (救助案件) of one programme, from application to exit."""

    Applied = ev.Applied
    Accepted = ev.Accepted
    Extended = ev.Extended
    RelativeDeclared = ev.RelativeDeclared
    CheckRequested = ev.CheckRequested
    CheckCompleted = ev.CheckCompleted
    HomeVisited = ev.HomeVisited
    DemocraticReviewHeld = ev.DemocraticReviewHeld
    OpinionIssued = ev.OpinionIssued
    NoticePosted = ev.NoticePosted
    NoticeClosed = ev.NoticeClosed
    ObjectionReceived = ev.ObjectionReceived
    ObjectionResolved = ev.ObjectionResolved
    Approved = ev.Approved
    Rejected = ev.Rejected
    RejectionNotified = ev.RejectionNotified
    SelfCareAssessed = ev.SelfCareAssessed
    SupportModeChosen = ev.SupportModeChosen
    EmergencyAidGranted = ev.EmergencyAidGranted
    EmergencyAidRegularised = ev.EmergencyAidRegularised
    CaseByCaseDecided = ev.CaseByCaseDecided
    ReviewCompleted = ev.ReviewCompleted
    ChangeReported = ev.ChangeReported
    MemberDeceased = ev.MemberDeceased
    Adjusted = ev.Adjusted
    Suspended = ev.Suspended
    Resumed = ev.Resumed
    GradualExitStarted = ev.GradualExitStarted
    Terminated = ev.Terminated

    @staticmethod
    def create_id(case_no: str) -> UUID:
        return record_id("case", case_no)

    @event(Applied)
    def __init__(
        self,
        *,
        case_no: str,
        programme: str,
        category: str,
        household_no: str,
        region_code: str,
        area: str,
        applicant_ref: str,
        member_refs: tuple[str, ...],
        occurred_at: datetime,
    ) -> None:
        self.case_no, self.programme, self.category = case_no, programme, category
        self.household_no, self.region_code, self.area = household_no, region_code, area
        self.applicant_ref = applicant_ref
        self.member_refs = tuple(member_refs)
        self.applied_on = occurred_at.date()
        # Mappings are per case; the other attributes start at CaseState's defaults.
        self.relatives: dict[str, str] = {}
        self.visits: dict[str, date] = {}
        self.objections: dict[str, date] = {}
        self.schedule: dict[str, int] = {}
        self.deaths: dict[str, date] = {}

    def payable_amount(self, period: str) -> int:
        """Return the fen payable for ``period`` (0 when nothing is payable)."""
        return payable_on(self.schedule, period)

    def record_imported(self, name: str, act: Act, fields: Mapping[str, Any]) -> None:
        """Record a past event ``name`` from an older system, as a fact.

        No business rule is checked (inspectors look for those breaches);
        only malformed data is refused, by ``domain.case_import.checked_fields``.
        """
        checked_fields(type(self), name, fields, self.record)
        self._record(name, replace(act, imported=True), **fields)

    def _record(self, name: str, act: Act, **fields: Any) -> None:
        """Trigger the event class ``name`` with the act's who and when."""
        self.trigger_event(getattr(type(self), name), **act.fields(), **fields)

    # Mutators: assign only, so that yesterday's events replay under today's rules.

    @event(Accepted)
    def _accepted(self, deadline: date, occurred_at: datetime) -> None:
        self.status, self.deadline = "accepted", deadline
        self.accepted_on = occurred_at.date()

    @event(Extended)
    def _extended(self, reason: str, deadline: date) -> None:
        self.extension_reason, self.deadline = reason, deadline

    @event(RelativeDeclared)
    def _relative_declared(self, member_ref: str, staff_id: str) -> None:
        self.relatives = {**self.relatives, member_ref: staff_id}

    @event(CheckRequested)
    def _check_requested(self) -> None:
        self.check_requested = True

    @event(CheckCompleted)
    def _check_completed(self, per_capita_income: int) -> None:
        self.per_capita_income = per_capita_income

    @event(HomeVisited)
    def _home_visited(self, level: str, occurred_at: datetime) -> None:
        self.visits = {**self.visits, level: occurred_at.date()}

    @event(DemocraticReviewHeld)
    def _democratic_review_held(self, occurred_at: datetime) -> None:
        self.review_held_on = occurred_at.date()

    @event(OpinionIssued)
    def _opinion_issued(self, proposed_amount: int, actor_id: str) -> None:
        self.opinion_officer, self.proposed_amount = actor_id, proposed_amount

    @event(NoticePosted)
    def _notice_posted(self, kind: str, ends_on: date) -> None:
        if kind == TERMINATION_NOTICE:
            self.termination_notice_ends = ends_on
            self.termination_notice_closed = False
        else:
            self.notice_ends, self.notice_closed = ends_on, False

    @event(NoticeClosed)
    def _notice_closed(self, kind: str) -> None:
        if kind == TERMINATION_NOTICE:
            self.termination_notice_closed = True
        else:
            self.notice_closed = True

    @event(ObjectionReceived)
    def _objection_received(self, objection_id: str, occurred_at: datetime) -> None:
        self.objections = {**self.objections, objection_id: occurred_at.date()}

    @event(ObjectionResolved)
    def _objection_resolved(self, objection_id: str, occurred_at: datetime) -> None:
        # A resolved objection needs a new opinion and a new 公示 (2021 §19).
        self.objections = {
            k: v for k, v in self.objections.items() if k != objection_id
        }
        self.last_resolution_on = occurred_at.date()
        self.opinion_officer, self.notice_ends = None, None
        self.notice_closed = False

    @event(Approved)
    def _approved(
        self,
        *,
        method: str,
        monthly_amount: int,
        first_pay_month: str,
        schedule: dict[str, int],
        actor_id: str,
        occurred_at: datetime,
    ) -> None:
        self.status, self.approver = "active", actor_id
        self.decided_on = occurred_at.date()
        self.method, self.monthly_amount = method, monthly_amount
        self.first_pay_month, self.schedule = first_pay_month, dict(schedule)

    @event(Rejected)
    def _rejected(self, reasons: tuple[str, ...], occurred_at: datetime) -> None:
        self.status, self.reasons = "rejected", tuple(reasons)
        self.decided_on = occurred_at.date()

    @event(RejectionNotified)
    def _rejection_notified(self, notified_on: date) -> None:
        self.rejection_notified_on = notified_on

    @event(SelfCareAssessed)
    def _self_care_assessed(self, category: str) -> None:
        self.self_care = category

    @event(SupportModeChosen)
    def _support_mode_chosen(self, mode: str) -> None:
        self.support_mode = mode

    @event(EmergencyAidGranted)
    def _emergency_aid_granted(self, amount: int, occurred_at: datetime) -> None:
        self.emergency = (*self.emergency, (amount, occurred_at.date()))

    @event(EmergencyAidRegularised)
    def _emergency_aid_regularised(self, stage_no: int) -> None:
        self.regularised = (*self.regularised, stage_no)

    @event(CaseByCaseDecided)
    def _case_by_case_decided(self, amount: int) -> None:
        self.case_by_case_amount = amount

    @event(ReviewCompleted)
    def _review_completed(self, per_capita_income: int, next_due: date) -> None:
        self.per_capita_income, self.next_review_due = per_capita_income, next_due

    @event(ChangeReported)
    def _change_reported(self, change_type: str) -> None:
        self.last_change = change_type

    @event(MemberDeceased)
    def _member_deceased(self, person_ref: str, date_of_death: date) -> None:
        self.deaths = {**self.deaths, person_ref: date_of_death}

    @event(Adjusted)
    def _adjusted(self, new_amount: int, effective_month: str) -> None:
        self.monthly_amount = new_amount
        self.schedule = {**self.schedule, effective_month: new_amount}

    @event(Suspended)
    def _suspended(self, from_month: str) -> None:
        # Later steps (a future adjustment) are dropped: resumption pays the
        # amount then approved, from its own month.
        kept = {m: a for m, a in self.schedule.items() if m < from_month}
        self.status, self.suspended_from = "suspended", from_month
        self.schedule = {**kept, from_month: 0}

    @event(Resumed)
    def _resumed(self, from_month: str) -> None:
        self.status, self.suspended_from = "active", None
        self.schedule = {**self.schedule, from_month: self.monthly_amount}

    @event(GradualExitStarted)
    def _gradual_exit_started(
        self, start_month: str, end_month: str, amount: int
    ) -> None:
        self.exit_end_month = end_month
        self.schedule = {
            **self.schedule,
            start_month: amount,
            add_months(end_month, 1): 0,
        }

    @event(Terminated)
    def _terminated(self, effective_month: str, reason: str) -> None:
        kept = {m: a for m, a in self.schedule.items() if m < effective_month}
        self.status = "terminated"
        self.end_month, self.end_reason = effective_month, reason
        self.schedule = {**kept, effective_month: 0}
