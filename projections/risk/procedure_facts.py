"""Facts the procedure-and-time rules read: each case's trail, standards, limits.

Plain records, each carrying the ``Evidence`` of the event it came from, and
``ProcedurePolicy``, the thresholds the rules apply. They are folded from the
procedure-fact rows by ``projections.risk.procedure_fold`` and judged by the
rules of ``projections.risk.procedure``, which never touch a database. An
``Approval`` keeps what its case held when it was recorded (its 公示, open
objections, completed check, home visits, acceptance and extension), so each
approval is judged by what the ledger held before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from domain import roles
from domain.calendar import WorkingCalendar, YearSchedule
from domain.errors import DeadlineError
from domain.ids import record_id
from domain.reference import lineage
from projections.evidence import Evidence

if TYPE_CHECKING:
    from domain.policy import Policy


@dataclass(frozen=True)
class ProcedurePolicy:
    """The thresholds of RF-11 to RF-27, from ``domain.policy.Policy`` or local.

    Attributes beyond ``Policy``'s: ``fastest_procedure_days`` (RF-13: an
    approval fewer than this many days plus the 公示 after acceptance is
    impossibly fast), ``exit_grace_days`` (RF-21: time allowed to start an exit
    after a review found income above the standard), ``repeat_aid_count`` and
    ``repeat_aid_days`` (RF-24: grants to one household within the window),
    ``bunch_band_percent``, ``bunch_count`` and ``bunch_days`` (RF-24: grants
    within that share under the township limit, how many, within how long),
    ``backdate_days`` (RF-27: business time this long before recorded time),
    ``min_investigators`` (RF-12: 2021 §16) and ``review_programmes`` (RF-22:
    the programmes with a periodic review in law; a province that reviews
    残疾人两项补贴 yearly, as the 2021 guideline asks, adds it).

    RF-13's stage limits, in working days: ``investigation_working_days``
    from acceptance to the start of the investigation, for the
    ``investigation_programmes`` (审核确认办法 2021 §15: 3, for 低保; the 特困
    认定办法 sets no such start), ``county_review_working_days``, per
    programme, from the file's arrival at the county to its decision (2021
    §20: 10 for 低保; 特困认定办法 §16: 15 for 特困; the rulebook sets none for
    临时救助, 残疾人两项补贴 or 孤儿, which are left out), and
    ``rejection_notice_working_days`` from a rejection to the serving of its
    written reasons through the township (审核确认办法 2021 §21; 特困认定办法
    §18: 3).
    """

    notice_days: int = 7
    fastest_procedure_days: int = 7
    decision_working_days: int = 30
    extended_working_days: int = 45
    review_months_stable: int = 12
    review_months_unstable: int = 6
    gradual_exit_max_months: int = 6
    exit_grace_days: int = 30
    death_review_days: int = 90
    repeat_aid_count: int = 3
    repeat_aid_days: int = 365
    township_limit_fen: int = 100_000
    bunch_band_percent: int = 5
    bunch_count: int = 3
    bunch_days: int = 90
    regularise_days: int = 30
    backdate_days: int = 7
    min_investigators: int = 2
    review_programmes: frozenset[str] = frozenset({roles.DIBAO, roles.TEKUN})
    investigation_working_days: int = 3
    investigation_programmes: frozenset[str] = frozenset({roles.DIBAO})
    county_review_working_days: tuple[tuple[str, int], ...] = (
        (roles.DIBAO, 10),
        (roles.TEKUN, 15),
    )
    rejection_notice_working_days: int = 3

    def county_review_limit(self, programme: str) -> int | None:
        """Return the county's working days to decide a ``programme`` case, if
        the rulebook limits them."""
        return dict(self.county_review_working_days).get(programme)

    @classmethod
    def of(cls, policy: Policy) -> ProcedurePolicy:
        """Return the thresholds ``policy`` sets, with the defaults for the rest."""
        return cls(
            notice_days=policy.notice_days,
            decision_working_days=policy.accept_to_decision_working_days,
            extended_working_days=policy.extended_working_days,
            review_months_stable=policy.review_months_stable,
            review_months_unstable=policy.review_months_unstable,
            gradual_exit_max_months=policy.gradual_exit_max_months,
            death_review_days=policy.death_review_days,
            township_limit_fen=policy.default_township_emergency_limit_fen,
            regularise_days=policy.regularise_window_days,
        )


class Step(NamedTuple):
    """A dated event of a case: its business day and evidence."""

    day: date
    evidence: Evidence


class Visit(NamedTuple):
    """A home visit: its level, its investigators, day and evidence."""

    level: str
    staff: tuple[str, ...]
    day: date
    evidence: Evidence


class Notice(NamedTuple):
    """A 公示: first and last day posted, and its evidence."""

    posted: date
    ends: date
    evidence: Evidence


class Grant(NamedTuple):
    """A 临时救助 grant: an emergency stage or an approval, amount and day."""

    case_no: str
    stage: int
    fen: int
    day: date
    evidence: Evidence


class Stamp(NamedTuple):
    """An approval, notice or correction of a case and how long after its
    business time it was recorded; a correction's stated reason."""

    case_no: str
    kind: str
    day: date
    lag: int
    imported: bool
    evidence: Evidence
    reason: str = ""


@dataclass(frozen=True)
class Approval:
    """An approval, with what its case held when it was recorded."""

    step: Step
    fen: int
    accepted: Step | None
    extended: bool
    notice: Notice | None
    objections: tuple[Evidence, ...]
    checked: Evidence | None
    visits: tuple[Visit, ...]


@dataclass
class CaseTrail:
    """One case's procedure and life, filled in ledger order.

    ``investigated`` is the first step of the investigation, ``notice_closed``
    the taking down of the 公示 in force, ``resolved`` the last objection
    resolution, ``forwarded`` the file's arrival at the county as the
    ledger held it up to the decision, ``rejected`` the first rejection and
    ``notified`` its notice, dated the day served
    (``projections.risk.stage_facts``).
    """

    case_no: str
    programme: str
    category: str
    household_no: str
    region_code: str
    area: str
    members: tuple[str, ...]
    opened: Step
    accepted: Step | None = None
    extended: Step | None = None
    investigated: Step | None = None
    checked: Evidence | None = None
    visits: list[Visit] = field(default_factory=list)
    notice: Notice | None = None
    notice_closed: Step | None = None
    objections: dict[str, Evidence] = field(default_factory=dict)
    resolved: Step | None = None
    forwarded: Step | None = None
    approvals: list[Approval] = field(default_factory=list)
    decided: Step | None = None
    rejected: Step | None = None
    notified: Step | None = None
    ended: Step | None = None
    reviews: list[tuple[Step, str, int]] = field(default_factory=list)
    deaths: list[tuple[str, date, Evidence]] = field(default_factory=list)
    followups: list[Step] = field(default_factory=list)
    exits: list[tuple[str, str, Step]] = field(default_factory=list)
    aids: list[Grant] = field(default_factory=list)
    regularised: dict[int, Step] = field(default_factory=dict)


Rates = dict[tuple[str, str, str], list[tuple[date, int, Evidence]]]
"""Amounts set per (region id, programme, area or level), from a date."""


@dataclass
class ProcedureFacts:
    """Everything RF-11, 12, 13, 21, 22, 23, 24 and 27 read."""

    as_of: date
    policy: ProcedurePolicy = field(default_factory=ProcedurePolicy)
    cases: dict[str, CaseTrail] = field(default_factory=dict)
    standards: Rates = field(default_factory=dict)
    limits: Rates = field(default_factory=dict)
    schedules: dict[int, YearSchedule] = field(default_factory=dict)
    deaths: dict[str, tuple[date, Evidence]] = field(default_factory=dict)
    stamps: list[Stamp] = field(default_factory=list)
    _counted: list[int] = field(default_factory=list, repr=False)
    """Working days counted from ``_first`` (exclusive) up to each day after it."""
    _first: int = field(default=0, repr=False)

    def add_schedule(self, schedule: YearSchedule) -> None:
        """Take a recorded year schedule; it supersedes any earlier one."""
        self.schedules[schedule.year] = schedule
        self._counted.clear()

    def working_days_until(self, start: Step, end: Step | None) -> int:
        """Return the working days from ``start`` to ``end``, or to the scan
        day (``as_of``) while ``end`` has not happened."""
        return self.working_days(start.day, self.as_of if end is None else end.day)

    def working_days(self, start: date, end: date) -> int:
        """Return the working days after ``start`` up to and including ``end``.

        Recorded year schedules come first, then ``chinese_calendar``; a year
        neither knows counts Monday to Friday.
        """
        if end < start:
            return -self.working_days(end, start)
        before = self._counted_to(start)  # first: it may start the count earlier
        return self._counted_to(end) - before

    def _counted_to(self, day: date) -> int:
        """Working days after ``_first`` up to and including ``day``: a running
        count kept day by day, so a span costs two lookups, not a day each
        (a county asks for hundreds of thousands of spans, some of years)."""
        ordinal = day.toordinal()
        counted = self._counted
        if not counted or ordinal < self._first:
            self._first = ordinal - _MARGIN
            counted[:] = [0]
        calendar: WorkingCalendar | None = None
        while self._first + len(counted) <= ordinal:
            calendar = calendar or WorkingCalendar(self.schedules)
            following = date.fromordinal(self._first + len(counted))
            counted.append(counted[-1] + _is_working(calendar, following))
        return counted[ordinal - self._first]


_MARGIN = 400
"""Days counted before the first day asked for: spans start about there."""


def _is_working(calendar: WorkingCalendar, day: date) -> bool:
    try:
        return calendar.is_working_day(day)
    except DeadlineError:
        return day.weekday() < 5


def rate_on(
    rates: Rates, region_code: str, key: tuple[str, str], day: date
) -> tuple[int, Evidence] | None:
    """Return the amount in force on ``day`` for the most specific region that
    set one in ``region_code``'s lineage (社会救助暂行办法 §10), with evidence."""
    for region_id in _region_ids(region_code):
        found = rates.get((region_id, *key), [])
        best = max((r for r in found if r[0] <= day), default=None)
        if best is not None:
            return best[1], best[2]
    return None


@lru_cache(maxsize=4096)
def _region_ids(region_code: str) -> tuple[str, ...]:
    """The record ids of ``region_code`` and its ancestors, most specific first."""
    return tuple(str(record_id("region", code)) for code in lineage(region_code))
