"""The money rule on amounts: RF-18, paid above the decision or the formula.

A pure function over ``MoneyFacts`` (``projections.risk.money_facts``), like
the other money rules. Two patterns:

* a line paid more than its month allowed when the line was made: more than
  the case's pay schedule (the roll) gave that month, or more than the amount
  last decided for that month (the approval or adjustment in force);
* an amount decided above what the standard's formula allows: for 低保 补差,
  (standard − per-capita income) × persons covered (审核审批办法 2012 §27;
  审核确认办法 2021 §23); for 低保 分档 and the other monthly programmes,
  whose amount is capped, the standard × persons covered (the cap the
  domain applies at approval, ``domain.case_decision_service.cap_on``).
  临时救助 is one-off and capped by approval limits instead (RF-24).

Persons covered are the case's members not recorded dead on the case in a
month before the decision's first month (the month of death is still due).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import TYPE_CHECKING

from domain import roles
from domain.case_rules import month_of, payable_on, subsidy_cap
from domain.ids import record_id
from domain.reference import lineage
from projections.risk.findings import RiskFinding, rule
from projections.risk.money import cite, yuan

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from projections.evidence import Evidence
    from projections.risk.money_facts import (
        CaseMoney,
        Decision,
        MoneyFacts,
        PaidLine,
        Schedule,
    )

GAP_CATEGORY = "补差"
"""The 低保 category whose amount is the gap to the standard (2021 §23)."""


@rule("RF-18", "超标准/计算错误发放", "Paid above the approved amount", "high")
def paid_above_approved(facts: MoneyFacts) -> Iterator[RiskFinding]:
    """A line paid more than its month allowed when the line was made (the
    case's pay schedule, or the amount approved or adjusted for that month,
    whichever is lower), or an amount decided above the standard's formula:
    (standard − per-capita income) × persons for 低保 补差, the standard ×
    persons for 分档 and the other monthly programmes (审核审批办法 2012 §27;
    审核确认办法 2021 §23). Cites the first such line with the schedule or
    decision it exceeds, or the decision and the income it rests on.
    """
    for case_no, lines in sorted(facts.paid_by_case().items()):
        case = facts.cases.get(case_no)
        decisions = case.decisions if case is not None else []
        yield from _above_allowed(
            case_no, facts.schedules.get(case_no, []), decisions, lines
        )
    standards: dict[tuple[tuple[str, ...], str, str, str], int] = {}
    for case in sorted(facts.cases.values(), key=lambda c: c.case_no):
        if case.programme != roles.LINSHI:
            yield from _above_formula(facts, case, standards)


def _month_of(decision: Decision) -> str:
    return decision.month


def _decided_for(decisions: Sequence[Decision], period: str) -> Decision | None:
    """Return the decision in force for ``period``: the latest month on or
    before it, the later in ledger order on a tie."""
    found: Decision | None = None
    for decision in decisions:
        if decision.month <= period and (
            found is None or decision.month >= found.month
        ):
            found = decision
    return found


Limit = tuple[int, "Evidence | None", str]


class _Limits:
    """The most a case's line may pay, by what was on the ledger when the line
    was made: the schedule and decisions recorded before it (by position).

    For each such state of the ledger (how many schedules and decisions were
    known), the months at which the limit changes are worked out once (a step
    function, ``steps_at``); each line then finds its month by bisection.
    """

    def __init__(self, schedules: list[Schedule], decisions: list[Decision]) -> None:
        self.schedules = sorted(schedules, key=lambda s: s.evidence.position)
        self.decisions = sorted(decisions, key=lambda d: d.evidence.position)
        self.schedule_at = [s.evidence.position for s in self.schedules]
        self.decision_at = [d.evidence.position for d in self.decisions]
        self.steps: dict[tuple[int, int], tuple[list[str], list[Limit], Limit]] = {}

    def steps_at(self, key: tuple[int, int]) -> tuple[list[str], list[Limit], Limit]:
        """The step function for ``key``: (schedules known, decisions known)."""
        steps = self.steps.get(key)
        if steps is None:
            steps = self.steps[key] = self._steps(*key)
        return steps

    def _steps(
        self, schedules: int, decisions: int
    ) -> tuple[list[str], list[Limit], Limit]:
        """The limit from each month on where it changes, in one sweep: as
        ``_limit`` gives it for each, the schedule's step and the decision in
        force (the latest month on or before, the later in ledger order on a
        tie) advanced month by month."""
        schedule = self.schedules[schedules - 1] if schedules else None
        cited = schedule.evidence if schedule else None
        steps = sorted(schedule.steps.items()) if schedule else []
        known = sorted(self.decisions[:decisions], key=_month_of)  # stable
        months = sorted({*(m for m, _ in steps), *(d.month for d in known)})
        limits: list[Limit] = []
        step = decided = 0
        allowed, decision = 0, None
        for month in months:
            while step < len(steps) and steps[step][0] <= month:
                allowed = steps[step][1]
                step += 1
            while decided < len(known) and known[decided].month <= month:
                decision = known[decided]
                decided += 1
            if decision is not None and decision.fen < allowed:
                limits.append((decision.fen, decision.evidence, "the amount decided"))
            else:
                limits.append((allowed, cited, "the schedule"))
        return months, limits, (0, cited, "the schedule")

    @staticmethod
    def _limit(
        schedule: Schedule | None, decisions: Sequence[Decision], period: str
    ) -> Limit:
        allowed = payable_on(schedule.steps, period) if schedule else 0
        limit: Limit = (
            allowed,
            schedule.evidence if schedule else None,
            "the schedule",
        )
        decided = _decided_for(decisions, period)
        if decided is not None and decided.fen < allowed:
            limit = (decided.fen, decided.evidence, "the amount decided")
        return limit


def _above_allowed(
    case_no: str,
    schedules: list[Schedule],
    decisions: list[Decision],
    lines: list[PaidLine],
) -> Iterator[RiskFinding]:
    limits = _Limits(schedules, decisions)
    schedule_at, decision_at = limits.schedule_at, limits.decision_at
    over: list[tuple[PaidLine, int, Evidence | None, str]] = []
    low, high = 0, 0  # the positions the step function in hand holds for
    months: list[str] = []
    caps: list[Limit] = []
    before: Limit = (0, None, "the schedule")
    for line in lines:  # a county pays millions of lines: kept lean
        made = line.scheduled.position
        if not low <= made < high:
            known = (bisect_left(schedule_at, made), bisect_left(decision_at, made))
            months, caps, before = limits.steps_at(known)
            low, high = _span(known, schedule_at, decision_at)
        at = bisect_right(months, line.batch[2])
        limit = caps[at - 1] if at else before
        if line.paid_fen > limit[0]:
            over.append((line, *limit))
    if over:
        line, allowed, cited, what = over[0]
        excess = sum(item.paid_fen - most for item, most, _, _ in over)
        yield RiskFinding(
            "RF-18",
            "high",
            case_no,
            f"{len(over)} line(s) paid above {what}, {yuan(excess)} in all; "
            f"first {line.batch[2]}: {yuan(line.paid_fen)} against {yuan(allowed)}",
            cite(cited, line.scheduled, line.paid),
        )


def _span(
    known: tuple[int, int], schedule_at: list[int], decision_at: list[int]
) -> tuple[int, int]:
    """The positions ``[low, high)`` of a line made with the same schedules and
    decisions ``known`` before it (those ``bisect_left`` would count again):
    after the last one known, up to and including the next one recorded."""
    schedules, decisions = known
    low = max(
        schedule_at[schedules - 1] + 1 if schedules else 0,
        decision_at[decisions - 1] + 1 if decisions else 0,
    )
    high = min(
        schedule_at[schedules] + 1 if schedules < len(schedule_at) else _NEVER,
        decision_at[decisions] + 1 if decisions < len(decision_at) else _NEVER,
    )
    return low, high


_NEVER = 1 << 62
"""Past any ledger position."""


def _covered(case: CaseMoney, decision: Decision) -> int:
    """Members covered in the decision's first month: not recorded dead on the
    case in an earlier month (the month of death is still due, as the domain
    counts at approval); a death left unprocessed on the case is RF-01's and
    RF-23's to find."""
    dead = case.deaths
    return sum(
        1
        for person in dict.fromkeys(case.members)
        if not (person in dead and month_of(dead[person]) < decision.month)
    )


@lru_cache(maxsize=4096)
def _region_ids(region_code: str) -> tuple[str, ...]:
    """The ids of a region's lineage, most specific first."""
    return tuple(str(record_id("region", code)) for code in lineage(region_code))


def _above_formula(
    facts: MoneyFacts,
    case: CaseMoney,
    standards: dict[tuple[tuple[str, ...], str, str, str], int],
) -> Iterator[RiskFinding]:
    """RF-18's formula pattern for one case; ``standards`` keeps each standard
    looked up (by region lineage, programme, area and month) for the next case."""
    regions = _region_ids(case.region_code)
    gap = case.programme == roles.DIBAO and case.category == GAP_CATEGORY
    for decision in case.decisions:
        if gap and decision.income is None:
            continue
        standard = decision.standard_fen
        if not standard:
            key = (regions, case.programme, case.area, decision.month)
            found = standards.get(key)
            if found is None:
                found = standards[key] = facts.standard_on(
                    regions, case, decision.month
                )
            standard = found
        if not standard:
            continue
        persons = _covered(case, decision)
        if gap and decision.income is not None:
            cap = subsidy_cap(standard, decision.income[0], persons)
            formula, cited = "补差 cap", cite(decision.evidence, decision.income[1])
        else:
            cap = standard * persons
            formula, cited = "standard × persons", (decision.evidence,)
        if decision.fen > cap:
            yield RiskFinding(
                "RF-18",
                "high",
                case.case_no,
                f"{yuan(decision.fen)} a month from {decision.month} exceeds the "
                f"{formula} {yuan(cap)} ({persons} persons)",
                cited,
            )
