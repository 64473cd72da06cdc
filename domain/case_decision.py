"""Case commands of the decision: approve, reject and its notice, 特困 care,
临时救助 aid.

A mixin of ``domain.cases.ReliefCase``. The service checks the approver's role
and kinship and works out the cap (补差 formula, standard or approval limit);
the case checks the order of the procedure and the amounts against the cap.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from domain import roles
from domain.case_intake import UNDECIDED
from domain.case_rules import (
    ADL_ITEMS,
    REJECTION_NOTICE_CHANNELS,
    SUPPORT_MODES,
    add_months,
    money,
    next_month,
)
from domain.case_state import CaseState, require_text
from domain.errors import (
    AmountError,
    DeadlineError,
    InvalidDataError,
    OrderingError,
    SeparationOfDutiesError,
)

if TYPE_CHECKING:
    from datetime import date

    from domain.base import Act


class DecisionCommands(CaseState):
    """The county decision and the programme-specific steps before it."""

    def approve(
        self, act: Act, stages: tuple[int, ...], cap: int, standard: int
    ) -> None:
        """Approve: the monthly amount, or the 临时救助 stage amounts.

        Rule: 审核确认办法 2021 §19–22: a completed check, a township visit,
        an ended 公示 with no open objection, a county visit for a filed
        relative (§20), the approver is not the opinion officer, decided within
        the deadline (§22), amount ≤ ``cap`` (2012 §27), paid from the month
        after the decision (§21). 临时救助 may be paid in stages (2018 意见).
        """
        self.require_ready_for_decision(act)
        self.require_programme_steps()
        amounts = [money(a, self.record) for a in stages]
        if len(amounts) != 1 and self.programme != roles.LINSHI:
            raise InvalidDataError("stages", self.record, "stages are for 临时救助")
        if not amounts or min(amounts) == 0:
            raise AmountError("amount-positive", self.record, "no amount approved")
        total = sum(amounts)
        if total > cap:
            raise AmountError(
                "amount-cap", self.record, f"{total} fen is above the cap of {cap} fen"
            )
        first = next_month(act.occurred_at.date())
        schedule = {add_months(first, i): a for i, a in enumerate(amounts)}
        if self.programme == roles.LINSHI:
            schedule[add_months(first, len(amounts))] = 0
        self._record(
            "Approved",
            act,
            method=self.category,
            monthly_amount=amounts[0],
            standard_fen=standard,
            first_pay_month=first,
            schedule=schedule,
        )

    def require_ready_for_decision(self, act: Act) -> None:
        """Refuse a decision before the procedure allows it (2021 §19–22)."""
        self.require_status({"accepted"}, "be approved")
        today = act.occurred_at.date()
        if self.per_capita_income is None:
            raise OrderingError("check-completed", self.record, "no completed check")
        if "township" not in self.visits:
            raise OrderingError("township-visit", self.record, "no township home visit")
        if self.notice_ends is None or self.notice_ends >= today:
            raise OrderingError("notice-ended", self.record, "no ended 公示")
        if self.objections:
            raise OrderingError("objection-open", self.record, "an objection is open")
        if self.relatives and "county" not in self.visits:
            raise OrderingError(
                "county-visit", self.record, "a filed relative needs a county visit"
            )
        if act.actor_id == self.opinion_officer:
            raise SeparationOfDutiesError(
                "approver-not-opinion-officer",
                self.record,
                "the approver issued the preliminary opinion",
            )
        if self.deadline is not None and today > self.deadline:
            raise DeadlineError(
                "decision-deadline", self.record, f"the deadline {self.deadline} passed"
            )

    def require_programme_steps(self) -> None:
        """Refuse a 特困 approval without a care assessment and a support mode.

        Rule: 特困认定办法 §20–21 (self-care sets the care tier); 暂行办法 §19.
        """
        if self.programme != roles.TEKUN:
            return
        if self.self_care is None:
            raise OrderingError("self-care-assessed", self.record, "no ADL assessment")
        if self.support_mode is None:
            raise OrderingError("support-mode", self.record, "no support mode chosen")

    def reject(self, act: Act, reasons: tuple[str, ...]) -> None:
        """Reject with written reasons.

        Rule: 审核确认办法 2021 §21; 特困认定办法 §18. A late rejection is
        recorded, not refused, since the applicant is owed the reasons.
        """
        self.require_status(UNDECIDED, "be rejected")
        if not reasons or not all(isinstance(r, str) and r.strip() for r in reasons):
            raise InvalidDataError("written-reasons", self.record, "no written reasons")
        self._record("Rejected", act, reasons=tuple(reasons))

    def notify_rejection(self, act: Act, notified_on: date, channel: str) -> None:
        """Record that the rejection's written reasons were served on ``notified_on``.

        Rule: 审核确认办法 2021 §21: the reasons reach the applicant through
        the township. Once per rejected case, not before the decision's day
        nor after the act's. A late notice is recorded, not refused, as a late
        rejection is: RF-13 judges the ≤3 working days.
        """
        self.require_status({"rejected"}, "have a rejection notice")
        if self.rejection_notified_on is not None:
            raise OrderingError(
                "rejection-notice-once",
                self.record,
                f"the rejection was already notified on {self.rejection_notified_on}",
            )
        if channel not in REJECTION_NOTICE_CHANNELS:
            allowed = ", ".join(sorted(REJECTION_NOTICE_CHANNELS))
            raise InvalidDataError(
                "rejection-notice-channel",
                self.record,
                f"{channel!r} is no way of serving a notice ({allowed})",
            )
        decided = self.decided_on
        if decided is not None and notified_on < decided:
            raise OrderingError(
                "rejection-notice-after-decision",
                self.record,
                f"notified on {notified_on}, before the rejection of {decided}",
            )
        if notified_on > act.occurred_at.date():
            raise OrderingError(
                "rejection-notice-recorded-after",
                self.record,
                f"notified on {notified_on}, after the day it is recorded "
                f"({act.occurred_at.date()})",
            )
        self._record("RejectionNotified", act, notified_on=notified_on, channel=channel)

    def assess_self_care(
        self, act: Act, person_ref: str, failed_items: tuple[str, ...]
    ) -> None:
        """Record the 6-item ADL assessment of a 特困 person (特困认定办法 §20)."""
        from domain.case_rules import self_care_category

        self.require_programme(roles.TEKUN, "assess self-care")
        if person_ref not in self.member_refs:
            raise InvalidDataError("self-care-person", self.record, "no such member")
        if not set(failed_items) <= ADL_ITEMS:
            raise InvalidDataError("adl-items", self.record, "unknown ADL items")
        failed = frozenset(failed_items)
        self._record(
            "SelfCareAssessed",
            act,
            person_ref=person_ref,
            failed_items=tuple(sorted(failed)),
            category=self_care_category(failed),
        )

    def choose_support_mode(self, act: Act, mode: str, institution: str) -> None:
        """Record the chosen support mode (暂行办法 §19); 集中 names a home."""
        self.require_programme(roles.TEKUN, "choose a support mode")
        if mode not in SUPPORT_MODES:
            raise InvalidDataError("support-mode", self.record, f"{mode!r} is no mode")
        if mode == "集中供养":
            require_text(institution, "support-institution", self.record, "the home")
        self._record("SupportModeChosen", act, mode=mode, institution=institution)

    def grant_emergency_aid(
        self, act: Act, amount: int, reason: str, limit: int
    ) -> None:
        """Grant 急难型 aid first (先行救助), within the township's limit.

        Rule: 2018 临时救助意见 (二): the check, 民主评议 and 公示 may be
        skipped and the aid paid at once, to be regularised afterwards. It is
        paid from the township's 备用金 there and then, so it is no roll line;
        aid approved through the procedure (in stages or not) is.
        """
        self.require_programme(roles.LINSHI, "grant emergency aid")
        if self.category != "急难型":
            raise OrderingError("emergency-type", self.record, "not a 急难型 case")
        self.require_status(UNDECIDED, "grant emergency aid")
        if money(amount, self.record) == 0 or amount > limit:
            raise AmountError(
                "emergency-limit", self.record, f"grant 1 to {limit} fen, not {amount}"
            )
        require_text(reason, "emergency-reason", self.record, "the reason")
        stage_no = len(self.emergency) + 1
        self._record(
            "EmergencyAidGranted",
            act,
            stage_no=stage_no,
            amount=amount,
            reason=reason,
        )

    def regularise_emergency_aid(
        self, act: Act, stage_no: int, signatures_ref: str, window_days: int
    ) -> None:
        """Complete an emergency grant's signatures and stamps (补齐签字、盖章).

        Rule: 2018 临时救助意见 (二), within the policy's window of days.
        """
        known = 0 < stage_no <= len(self.emergency)
        if not known or stage_no in self.regularised:
            raise OrderingError(
                "grant-open", self.record, "no such unregularised grant"
            )
        granted_on: date = self.emergency[stage_no - 1][1]
        if act.occurred_at.date() > granted_on + timedelta(days=window_days):
            raise DeadlineError(
                "regularise-window", self.record, f"more than {window_days} days passed"
            )
        require_text(signatures_ref, "signatures", self.record, "the signatures")
        self._record(
            "EmergencyAidRegularised",
            act,
            stage_no=stage_no,
            signatures_ref=signatures_ref,
        )

    def decide_case_by_case(self, act: Act, meeting_ref: str, amount: int) -> None:
        """Record a 一事一议 decision allowing ``amount`` above the limit.

        Rule: 2018 临时救助意见 (三): above the delegated limit, the county
        coordination mechanism decides case by case.
        """
        self.require_programme(roles.LINSHI, "be decided case by case")
        self.require_status(UNDECIDED, "be decided case by case")
        require_text(meeting_ref, "meeting-ref", self.record, "the meeting")
        if money(amount, self.record) == 0:
            raise AmountError("amount-positive", self.record, "no amount decided")
        self._record("CaseByCaseDecided", act, meeting_ref=meeting_ref, amount=amount)
