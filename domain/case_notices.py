"""Case command that closes a 公示 once it has run its days (审核确认办法 2021 §19).

A mixin of ``domain.cases.ReliefCase``. A 公示 is posted for at least
``Policy.notice_days`` calendar days (``post_notice``); closing it records that
it was taken down. It may not close before its last day, nor while an
objection to it is open, since an open objection also blocks the decision.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain import roles
from domain.case_management import IN_PAYMENT
from domain.case_rules import APPROVAL_NOTICE, TERMINATION_NOTICE
from domain.case_state import CaseState
from domain.errors import DeadlineError, OrderingError

if TYPE_CHECKING:
    from datetime import date

    from domain.base import Act


class NoticeCommands(CaseState):
    """Closing the approval 公示 or a 特困 termination 公示."""

    def close_notice(self, act: Act, notice_days: int, *, termination: bool) -> None:
        """Close the case's open 公示 on the act's day.

        Rule: 审核确认办法 2021 §19 and 特困认定办法 §26: a 公示 lasts at
        least ``notice_days`` days, to the last day it was posted for; an open
        objection blocks closing as it blocks the decision.
        """
        if termination:
            self.require_programme(roles.TEKUN, "close a termination notice")
            self.require_status(IN_PAYMENT, "close a termination notice")
            kind, ends, closed = (
                TERMINATION_NOTICE,
                self.termination_notice_ends,
                self.termination_notice_closed,
            )
        else:
            self.require_status({"accepted"}, "close a notice")
            kind, ends, closed = APPROVAL_NOTICE, self.notice_ends, self.notice_closed
        self._require_closable(act.occurred_at.date(), ends, closed, notice_days)
        self._record("NoticeClosed", act, kind=kind, ends_on=ends)

    def _require_closable(
        self, today: date, ends: date | None, closed: bool, notice_days: int
    ) -> None:
        if ends is None:
            raise OrderingError("notice-first", self.record, "no 公示 is posted")
        if closed:
            raise OrderingError(
                "notice-open", self.record, "the 公示 is already closed"
            )
        if today < ends:
            raise DeadlineError(
                "notice-days",
                self.record,
                f"a 公示 lasts at least {notice_days} days and this one runs "
                f"until {ends}",
            )
        if self.objections:
            raise OrderingError("objection-open", self.record, "an objection is open")
