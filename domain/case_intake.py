"""Case commands from acceptance to 公示 and objections (审核确认办法 2021 §9–19).

A mixin of ``domain.cases.ReliefCase``: each command checks the rules that the
case's own history decides, then triggers one event. Rules that need reference
data (roles, kinship, standards, calendars) are checked by the service, which
passes the values it found (deadlines, the members that need 备案).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain import roles
from domain.case_rules import (
    APPROVAL_NOTICE,
    EXTENSION_REASONS,
    RESOLUTIONS,
    VISIT_LEVELS,
    money,
)
from domain.case_state import CaseState, require_text
from domain.errors import DeadlineError, InvalidDataError, OrderingError

if TYPE_CHECKING:
    from datetime import date

    from domain.base import Act

UNDECIDED = frozenset({"applied", "accepted"})


class IntakeCommands(CaseState):
    """Acceptance, 近亲属备案, checks, visits, opinion, 公示 and objections."""

    def accept(self, act: Act, deadline: date) -> None:
        """Accept the application; ``deadline`` ends the decision clock.

        Rule: 审核确认办法 2021 §10 (acceptance), §22 (30 working days).
        """
        self.require_status({"applied"}, "be accepted")
        self._record("Accepted", act, deadline=deadline)

    def extend(self, act: Act, reason: str, deadline: date) -> None:
        """Extend the deadline once, for a special-case reason.

        Rule: 审核确认办法 2021 §22 (45 working days in special cases);
        2022 notice §4(1) names the reasons.
        """
        self.require_status({"accepted"}, "be extended")
        if reason not in EXTENSION_REASONS:
            raise InvalidDataError(
                "extension-reason", self.record, f"{reason!r} is no allowed reason"
            )
        if self.extension_reason is not None:
            raise OrderingError(
                "extension-once", self.record, "it was already extended"
            )
        self._record("Extended", act, reason=reason, deadline=deadline)

    def declare_relative(
        self, act: Act, member_ref: str, staff_id: str, relation: str
    ) -> None:
        """File (备案) that a member is a 近亲属 of a staff member.

        Rule: 审核确认办法 2021 §11; the eight relations of 审核审批办法 2012 §14.
        """
        self.require_status({"applied", "accepted", "active"}, "file a relative")
        if member_ref not in self.member_refs:
            raise InvalidDataError("relative-member", self.record, "no such member")
        if relation not in roles.RELATIONS:
            raise InvalidDataError(
                "relative-relation", self.record, f"{relation!r} is no 近亲属 relation"
            )
        if self.relatives.get(member_ref) == staff_id:
            raise OrderingError("relative-once", self.record, "it is already filed")
        self._record(
            "RelativeDeclared",
            act,
            member_ref=member_ref,
            staff_id=staff_id,
            relation=relation,
        )

    def request_check(self, act: Act, sources: tuple[str, ...]) -> None:
        """Ask the county to check the household's economic status.

        Rule: 审核确认办法 2021 §9 (authorised at application), §17.
        """
        self.require_status({"accepted"}, "request an economic check")
        if not sources:
            raise InvalidDataError("check-sources", self.record, "no source named")
        self._record("CheckRequested", act, sources=tuple(sources))

    def complete_check(self, act: Act, per_capita_income: int, report_ref: str) -> None:
        """Record the check's result: the household's per-capita income.

        Rule: 审核确认办法 2021 §17 (the check follows a request).
        """
        self.require_status({"accepted"}, "complete an economic check")
        if not self.check_requested:
            raise OrderingError(
                "check-requested", self.record, "no check was requested"
            )
        require_text(report_ref, "check-report", self.record, "the report")
        self._record(
            "CheckCompleted",
            act,
            per_capita_income=money(per_capita_income, self.record),
            report_ref=report_ref,
        )

    def record_visit(
        self, act: Act, level: str, investigators: tuple[str, ...]
    ) -> None:
        """Record a home visit by at least two investigators.

        Rule: 审核确认办法 2021 §16 (≥2 per team), §20 (county visits).
        """
        self.require_status({"accepted"}, "be visited")
        if level not in VISIT_LEVELS:
            raise InvalidDataError("visit-level", self.record, f"{level!r} is no level")
        if len(set(investigators)) < 2:
            raise InvalidDataError(
                "visit-two-investigators",
                self.record,
                "a visit needs two investigators",
            )
        self._record(
            "HomeVisited", act, level=level, investigators=tuple(investigators)
        )

    def hold_democratic_review(
        self, act: Act, conclusion: str, minutes_ref: str
    ) -> None:
        """Record a 民主评议 and its conclusion.

        Rule: 审核确认办法 2021 §19 (after an objection); 特困认定办法 §14.
        """
        self.require_status({"accepted"}, "hold a democratic review")
        require_text(conclusion, "review-conclusion", self.record, "a conclusion")
        require_text(minutes_ref, "review-minutes", self.record, "the minutes")
        self._record(
            "DemocraticReviewHeld",
            act,
            conclusion=conclusion,
            minutes_ref=minutes_ref,
        )

    def issue_opinion(
        self,
        act: Act,
        recommendation: str,
        proposed_amount: int,
        need_filing: frozenset[str],
    ) -> None:
        """Issue the township's preliminary opinion.

        Rule: 审核确认办法 2021 §19; needs a completed check (§17), a township
        visit (§16) and the 近亲属备案 of every member in ``need_filing`` (§11).
        """
        self.require_status({"accepted"}, "get a preliminary opinion")
        if self.per_capita_income is None:
            raise OrderingError("check-completed", self.record, "no completed check")
        if "township" not in self.visits:
            raise OrderingError("township-visit", self.record, "no township home visit")
        self.require_filed(need_filing)
        if recommendation not in {"approve", "reject"}:
            raise InvalidDataError(
                "opinion-recommendation", self.record, "recommend approve or reject"
            )
        self._record(
            "OpinionIssued",
            act,
            recommendation=recommendation,
            proposed_amount=money(proposed_amount, self.record),
        )

    def require_filed(self, need_filing: frozenset[str]) -> None:
        """Refuse unless every member in ``need_filing`` has a 近亲属备案 (§11)."""
        missing = need_filing - set(self.relatives)
        if missing:
            raise OrderingError(
                "relative-filing",
                self.record,
                f"{len(missing)} member(s) related to staff are not filed (备案)",
            )

    def post_notice(
        self,
        act: Act,
        posted_on: date,
        ends_on: date,
        *,
        shown: tuple[str, int],
        notice_days: int,
        need_filing: frozenset[str],
    ) -> None:
        """Post the 公示: only name, household size and amount are shown.

        Rule: 审核确认办法 2021 §19 (7 days), §24 and 2022 notice §4(2)
        (privacy); ``shown`` is (name, household size), the amount is the
        opinion's.
        """
        self.require_status({"accepted"}, "post a notice")
        if self.opinion_officer is None:
            raise OrderingError("opinion-first", self.record, "no preliminary opinion")
        self.require_filed(need_filing)
        if (ends_on - posted_on).days < notice_days:
            raise DeadlineError(
                "notice-days", self.record, f"a 公示 lasts at least {notice_days} days"
            )
        name, size = shown
        self._record(
            "NoticePosted",
            act,
            kind=APPROVAL_NOTICE,
            posted_on=posted_on,
            ends_on=ends_on,
            shown_name=require_text(name, "notice-name", self.record, "the name"),
            shown_size=size,
            shown_amount=self.proposed_amount,
        )

    def receive_objection(self, act: Act, objection_id: str, channel: str) -> None:
        """Record an objection to the 公示; it blocks the decision (2021 §19)."""
        self.require_status({"accepted"}, "receive an objection")
        if self.notice_ends is None:
            raise OrderingError("notice-first", self.record, "no 公示 is posted")
        if self.notice_closed:
            raise OrderingError("notice-open", self.record, "the 公示 is closed")
        if objection_id in self.objections:
            raise InvalidDataError("objection-unique", self.record, "a known objection")
        require_text(channel, "objection-channel", self.record, "the channel")
        self._record(
            "ObjectionReceived", act, objection_id=objection_id, channel=channel
        )

    def resolve_objection(
        self, act: Act, objection_id: str, resolution: str, finding: str
    ) -> None:
        """Resolve an objection by re-investigation or by 民主评议.

        Rule: 审核确认办法 2021 §19: after an objection the township
        re-investigates (a township visit after it) or holds a 民主评议 (after
        it), then gives a new opinion and a new 公示.
        """
        received = self.objections.get(objection_id)
        if received is None:
            raise OrderingError("objection-open", self.record, "no such open objection")
        if resolution not in RESOLUTIONS:
            raise InvalidDataError("objection-resolution", self.record, "no such path")
        done = (
            self.review_held_on
            if resolution == "民主评议"
            else self.visits.get("township")
        )
        if done is None or done < received:
            raise OrderingError(
                "objection-path", self.record, f"no {resolution} after the objection"
            )
        require_text(finding, "objection-finding", self.record, "a finding")
        self._record(
            "ObjectionResolved",
            act,
            objection_id=objection_id,
            resolution=resolution,
            finding=finding,
        )
