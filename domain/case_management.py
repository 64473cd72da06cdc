"""Case commands after approval: reviews, changes, deaths, adjustments and exit.

A mixin of ``domain.cases.ReliefCase`` (审核确认办法 2021 §30–33; domain notes
§2.4). Amounts change from a month; a decrease or a stop gives its reason; an
exit is effective from the month after the decision.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain import roles
from domain.case_rules import (
    CHANGE_SOURCES,
    CHANGE_TYPES,
    REVIEW_CLASSES,
    REVIEW_OUTCOMES,
    TERMINATION_NOTICE,
    TERMINATION_REASONS,
    checked_month,
    money,
    month_of,
    months_spanned,
    next_month,
)
from domain.case_state import CaseState, require_text
from domain.errors import AmountError, DeadlineError, InvalidDataError, OrderingError

if TYPE_CHECKING:
    from datetime import date

    from domain.base import Act

IN_PAYMENT = frozenset({"active", "suspended"})


class ManagementCommands(CaseState):
    """Dynamic management (动态管理) of an approved case, to its exit."""

    def complete_review(
        self,
        act: Act,
        review_class: str,
        outcome: str,
        per_capita_income: int,
        next_due: date,
    ) -> None:
        """Record a periodic review (复核) and when the next is due.

        Rule: 审核确认办法 2021 §31: yearly for stable households, every six
        months for unstable income; the service sets ``next_due`` by policy.
        """
        self.require_status(IN_PAYMENT, "be reviewed")
        if review_class not in REVIEW_CLASSES or outcome not in REVIEW_OUTCOMES:
            raise InvalidDataError(
                "review-terms", self.record, "unknown class or outcome"
            )
        self._record(
            "ReviewCompleted",
            act,
            review_class=review_class,
            outcome=outcome,
            per_capita_income=money(per_capita_income, self.record),
            next_due=next_due,
        )

    def report_change(
        self, act: Act, change_type: str, effective_date: date, source: str
    ) -> None:
        """Record a reported change in members, income or assets (2021 §30)."""
        self.require_status({"applied", "accepted", *IN_PAYMENT}, "report a change")
        if change_type not in CHANGE_TYPES or source not in CHANGE_SOURCES:
            raise InvalidDataError(
                "change-terms", self.record, "unknown type or source"
            )
        if effective_date > act.occurred_at.date():
            raise DeadlineError(
                "change-date", self.record, "the change is in the future"
            )
        self._record(
            "ChangeReported",
            act,
            change_type=change_type,
            effective_date=effective_date,
            source=source,
        )

    def record_death(
        self, act: Act, person_ref: str, date_of_death: date, source: str
    ) -> None:
        """Record that a covered member died (2022 notice §1(3): review ≤3 months)."""
        self.require_status({"applied", "accepted", *IN_PAYMENT}, "record a death")
        if person_ref not in self.member_refs:
            raise InvalidDataError("death-member", self.record, "no such member")
        if person_ref in self.deaths:
            raise OrderingError("death-once", self.record, "the death is recorded")
        self._record(
            "MemberDeceased",
            act,
            person_ref=person_ref,
            date_of_death=date_of_death,
            source=source,
        )

    def adjust(
        self,
        act: Act,
        new_amount: int,
        effective_month: str,
        reason: str,
        cap: int,
    ) -> None:
        """Raise or lower the monthly amount from ``effective_month``.

        Rule: 审核确认办法 2021 §32: a legal cause, a reason for a decrease,
        never above the cap (2012 §27); a decrease is never backdated.
        """
        self.require_status({"active"}, "be adjusted")
        self.require_no_exit("be adjusted")
        checked_month(effective_month, self.record)
        if money(new_amount, self.record) == self.monthly_amount:
            raise AmountError("amount-changes", self.record, "the amount is unchanged")
        if new_amount == 0:
            raise AmountError("amount-positive", self.record, "stop by termination")
        if new_amount > cap:
            raise AmountError("amount-cap", self.record, f"above the cap of {cap} fen")
        decrease = new_amount < self.monthly_amount
        if decrease:
            require_text(reason, "decrease-reason", self.record, "a decrease's reason")
        earliest = next_month(act.occurred_at.date()) if decrease else None
        if effective_month < (earliest or self.first_pay_month or effective_month):
            raise DeadlineError("adjust-month", self.record, "that month is too early")
        self._record(
            "Adjusted",
            act,
            old_amount=self.monthly_amount,
            new_amount=new_amount,
            effective_month=effective_month,
            reason=reason,
        )

    def suspend(self, act: Act, from_month: str, reason: str) -> None:
        """Suspend payment from ``from_month`` (this month or later).

        Rule: 审核确认办法 2021 §32 (a change of payment has a cause and a
        reason); domain notes §2.4 (no payment during a suspension).
        """
        self.require_status({"active"}, "be suspended")
        self.require_no_exit("be suspended")
        checked_month(from_month, self.record)
        if from_month < month_of(act.occurred_at.date()):
            raise DeadlineError(
                "suspend-month", self.record, "a suspension is not backdated"
            )
        require_text(reason, "suspend-reason", self.record, "the reason")
        self._record("Suspended", act, from_month=from_month, reason=reason)

    def resume(self, act: Act, from_month: str, reason: str) -> None:
        """Resume payment at the approved amount from ``from_month``.

        Rule: 审核确认办法 2021 §32; resumption follows the suspension's month.
        """
        self.require_status({"suspended"}, "be resumed")
        checked_month(from_month, self.record)
        if from_month <= (self.suspended_from or from_month):
            raise DeadlineError(
                "resume-month", self.record, "resume after the suspension"
            )
        require_text(reason, "resume-reason", self.record, "the reason")
        self._record("Resumed", act, from_month=from_month, reason=reason)

    def start_gradual_exit(
        self,
        act: Act,
        months: tuple[str, str],
        amount: int,
        reason: str,
        max_months: int,
    ) -> None:
        """Start a 渐退期 from ``months[0]`` to ``months[1]`` at ``amount``.

        Rule: 审核确认办法 2021 §33 and 2022 notice §1(3): for 低保 when work
        lifts income over the standard, at most six months (policy).
        """
        self.require_programme(roles.DIBAO, "exit gradually")
        self.require_status({"active"}, "start a gradual exit")
        start, end = (checked_month(m, self.record) for m in months)
        self.require_no_exit("start a gradual exit")
        if start < next_month(act.occurred_at.date()) or end < start:
            raise DeadlineError("exit-months", self.record, "the exit months are wrong")
        if months_spanned(start, end) > max_months:
            raise DeadlineError(
                "gradual-exit-length", self.record, f"longer than {max_months} months"
            )
        if money(amount, self.record) == 0 or amount > self.monthly_amount:
            raise AmountError("exit-amount", self.record, "above the approved amount")
        require_text(reason, "exit-reason", self.record, "the reason")
        self._record(
            "GradualExitStarted",
            act,
            start_month=start,
            end_month=end,
            amount=amount,
            reason=reason,
        )

    def require_no_exit(self, action: str) -> None:
        """Refuse ``action`` while a 渐退期 is under way (its months are fixed)."""
        if self.exit_end_month is not None:
            raise OrderingError(
                "exit-under-way", self.record, f"a case exiting cannot {action}"
            )

    def post_termination_notice(
        self, act: Act, posted_on: date, ends_on: date, notice_days: int
    ) -> None:
        """Post a 特困 termination 公示 (特困认定办法 §26: 7 days)."""
        self.require_programme(roles.TEKUN, "post a termination notice")
        self.require_status(IN_PAYMENT, "post a termination notice")
        if (ends_on - posted_on).days < notice_days:
            raise DeadlineError(
                "notice-days", self.record, f"shorter than {notice_days} days"
            )
        self._record(
            "NoticePosted",
            act,
            kind=TERMINATION_NOTICE,
            posted_on=posted_on,
            ends_on=ends_on,
            shown_name="",
            shown_size=0,
            shown_amount=0,
        )

    def terminate(self, act: Act, reason: str, written_reasons: str) -> None:
        """Stop the benefit from the month after the decision.

        Rule: 审核确认办法 2021 §32 (reasons for a stop); 特困认定办法 §26
        (a 7-day 公示 first, except on death; stop from the next month).
        """
        self.require_status(IN_PAYMENT, "be terminated")
        if reason not in TERMINATION_REASONS:
            raise InvalidDataError("termination-reason", self.record, "no such reason")
        require_text(written_reasons, "written-reasons", self.record, "written reasons")
        today = act.occurred_at.date()
        notice = self.termination_notice_ends
        if (
            self.programme == roles.TEKUN
            and reason != "death"
            and (notice is None or notice >= today)
        ):
            raise OrderingError(
                "termination-notice", self.record, "no ended termination 公示"
            )
        self._record(
            "Terminated",
            act,
            effective_month=next_month(today),
            reason=reason,
            written_reasons=written_reasons,
        )
