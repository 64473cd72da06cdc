"""The time rules RF-21, RF-22, RF-23, RF-24 and RF-27: what is overdue or odd.

Each rule is a pure function over ``ProcedureFacts`` (``projections.risk.
procedure_facts``) judged as of the scan day (``facts.as_of``). A finding
cites the events that fix its pattern and nothing that a later event could
add (an overdue review cites the approval or review it was due after, not the
late review that may come), so the same facts give the same evidence on
every scan and a flag once cleared is not raised again.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from domain import roles
from domain.case_rules import day_months_later, months_spanned
from projections.risk.findings import RiskFinding, rule
from projections.risk.procedure_facts import rate_on

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from projections.evidence import Evidence
    from projections.risk.procedure_facts import (
        CaseTrail,
        Grant,
        ProcedureFacts,
        Step,
    )

INCOME_TESTED = frozenset({roles.DIBAO})
"""Programmes whose eligibility is income under the standard (2021 §23, §33)."""
ONE_OFF = frozenset({roles.LINSHI})
"""Programmes paid once, with no periodic review or death follow-up."""


def _cases(facts: ProcedureFacts) -> list[CaseTrail]:
    return sorted(facts.cases.values(), key=lambda case: case.case_no)


def _cite(*evidence: Evidence | None) -> tuple[Evidence, ...]:
    return tuple(sorted({e for e in evidence if e is not None}))


@rule("RF-21", "渐退期超期/收入超标未退", "Exit overdue", "medium")
def exit_overdue(facts: ProcedureFacts) -> Iterator[RiskFinding]:
    """A 渐退期 longer than ``gradual_exit_max_months`` months, or a 低保 review
    that found per-capita income above the standard in force with no 渐退 or
    termination within ``exit_grace_days`` of it (2022 notice §1(3): at most
    six months; 审核确认办法 2021 §32–33).
    """
    policy = facts.policy
    for case in _cases(facts):
        for start, end, step in case.exits:
            months = months_spanned(start, end)
            if months > policy.gradual_exit_max_months:
                yield RiskFinding(
                    "RF-21",
                    "medium",
                    case.case_no,
                    f"渐退期 of {months} months ({start} to {end})",
                    (step.evidence,),
                )
        if case.programme in INCOME_TESTED:
            yield from _income_above(facts, case)


def _income_above(facts: ProcedureFacts, case: CaseTrail) -> Iterator[RiskFinding]:
    grace = timedelta(days=facts.policy.exit_grace_days)
    exits = [step.day for _, _, step in case.exits]
    if case.ended is not None:
        exits.append(case.ended.day)
    for step, _, income in case.reviews:
        standard = rate_on(
            facts.standards, case.region_code, (case.programme, case.area), step.day
        )
        if standard is None or income <= standard[0]:
            continue
        if any(step.day <= day <= step.day + grace for day in exits):
            continue
        if case.ended is not None and case.ended.day < step.day:
            continue
        if facts.as_of > step.day + grace:
            yield RiskFinding(
                "RF-21",
                "medium",
                case.case_no,
                f"review on {step.day} found {income} fen a head, above the "
                f"standard of {standard[0]} fen, and no exit followed",
                _cite(step.evidence, standard[1]),
            )


@rule("RF-22", "复核逾期", "Review overdue", "low")
def review_overdue(facts: ProcedureFacts) -> Iterator[RiskFinding]:
    """No periodic review within ``review_months_stable`` months (12) of the
    approval or of the last review, or ``review_months_unstable`` (6) after a
    semi-annual review, up to the scan day or the case's end, for the
    ``review_programmes`` (审核确认办法 2021 §31: 低保; 2020 意见 item 7: 特困
    annually). A review on the due day is in time.
    """
    policy = facts.policy
    for case in _cases(facts):
        if case.programme not in policy.review_programmes or not case.approvals:
            continue
        anchor: Step = case.approvals[0].step
        months = policy.review_months_stable
        for step, review_class, _ in sorted(case.reviews, key=lambda r: r[0]):
            if step.day < anchor.day:
                continue
            due = day_months_later(anchor.day, months)
            if step.day > due:
                yield _overdue(case, anchor, due, f"review on {step.day}")
            anchor = step
            months = (
                policy.review_months_unstable
                if review_class == "semi-annual"
                else policy.review_months_stable
            )
        end = case.ended.day if case.ended is not None else facts.as_of
        due = day_months_later(anchor.day, months)
        if end > due:
            yield _overdue(case, anchor, due, f"no review up to {end}")


def _overdue(case: CaseTrail, anchor: Step, due: date, what: str) -> RiskFinding:
    return RiskFinding(
        "RF-22",
        "low",
        case.case_no,
        f"{what}; one was due by {due} after {anchor.day}",
        (anchor.evidence,),
    )


@rule("RF-23", "死亡后逾期未核查", "Death not processed", "high")
def death_unprocessed(facts: ProcedureFacts) -> Iterator[RiskFinding]:
    """A covered member of an approved case died (on the register or on the case)
    and no adjustment, review or termination followed within
    ``death_review_days`` days of the death (2022 notice §1(3): review within
    three months and finish any 增/减/停). A case ended before the death is
    left alone; one-off 临时救助 has nothing to follow up.
    """
    window = timedelta(days=facts.policy.death_review_days)
    for case in _cases(facts):
        if case.programme in ONE_OFF or not case.approvals:
            continue
        for person, died, evidence in _deaths_of(facts, case):
            if case.ended is not None and case.ended.day < died:
                continue
            if any(died <= s.day <= died + window for s in case.followups):
                continue
            if facts.as_of > died + window:
                yield RiskFinding(
                    "RF-23",
                    "high",
                    case.case_no,
                    f"member {person[:12]}… died on {died}; no adjustment, "
                    f"review or termination within {window.days} days",
                    _cite(evidence, case.approvals[0].step.evidence),
                )


def _deaths_of(
    facts: ProcedureFacts, case: CaseTrail
) -> list[tuple[str, date, Evidence]]:
    """Each covered person's first recorded death (register or case), by position."""
    first: dict[str, tuple[str, date, Evidence]] = {}
    found = [(p, d, e) for p, d, e in case.deaths]
    for person in case.members:
        death = facts.deaths.get(person)
        if death is not None:
            found.append((person, death[0], death[1]))
    for person, died, evidence in sorted(found, key=lambda d: d[2]):
        if person in case.members:
            first.setdefault(person, (person, died, evidence))
    return sorted(first.values(), key=lambda d: d[2])


@rule("RF-24", "临时救助异常", "Emergency aid irregular", "medium")
def aid_irregular(facts: ProcedureFacts) -> Iterator[RiskFinding]:
    """临时救助 granted to one household in ``repeat_aid_count`` cases within
    ``repeat_aid_days`` days; ``bunch_count`` grants in one township within
    ``bunch_days`` days each within ``bunch_band_percent`` % under the
    township's approval limit (threshold splitting); or a 急难型 先行救助 stage
    not regularised within ``regularise_days`` days (2018 临时救助意见 (二),
    (三): signatures and stamps completed afterwards, limits delegated).
    """
    policy = facts.policy
    aid = [c for c in _cases(facts) if c.programme == roles.LINSHI and c.aids]
    households: dict[str, list[Grant]] = {}
    for case in aid:
        first = min(case.aids, key=lambda g: (g.day, g.evidence))
        households.setdefault(case.household_no, []).append(first)
    for household, grants in sorted(households.items()):
        for run in _runs(grants, policy.repeat_aid_count, policy.repeat_aid_days):
            yield RiskFinding(
                "RF-24",
                "medium",
                f"household {household}",
                f"临时救助 in {len(run)} cases from {run[0].day} to {run[-1].day}",
                _cite(*(g.evidence for g in run)),
            )
    yield from _bunched(facts, aid)
    for case in aid:
        yield from _unregularised(facts, case)


def _runs(grants: Sequence[Grant], count: int, days: int) -> Iterator[list[Grant]]:
    """Yield runs of at least ``count`` grants within ``days`` days of the first,
    each run as long as the window allows and none sharing a grant."""
    ordered = sorted(grants, key=lambda g: (g.day, g.evidence))
    index = 0
    while index + count <= len(ordered):
        last = index + count - 1
        if (ordered[last].day - ordered[index].day).days >= days:
            index += 1
            continue
        while (
            last + 1 < len(ordered)
            and (ordered[last + 1].day - ordered[index].day).days < days
        ):
            last += 1
        yield ordered[index : last + 1]
        index = last + 1


def _bunched(facts: ProcedureFacts, aid: list[CaseTrail]) -> Iterator[RiskFinding]:
    policy = facts.policy
    near: dict[str, list[Grant]] = {}
    for case in aid:
        for grant in case.aids:
            found = rate_on(
                facts.limits, case.region_code, (roles.LINSHI, "township"), grant.day
            )
            limit = found[0] if found is not None else policy.township_limit_fen
            if (
                limit * (100 - policy.bunch_band_percent)
                <= grant.fen * 100
                < limit * 100
            ):
                near.setdefault(case.region_code[:9], []).append(grant)
    for township, grants in sorted(near.items()):
        for run in _runs(grants, policy.bunch_count, policy.bunch_days):
            yield RiskFinding(
                "RF-24",
                "medium",
                f"township {township}",
                f"{len(run)} grants just under the township limit from "
                f"{run[0].day} to {run[-1].day}",
                _cite(*(g.evidence for g in run)),
            )


def _unregularised(facts: ProcedureFacts, case: CaseTrail) -> Iterator[RiskFinding]:
    window = timedelta(days=facts.policy.regularise_days)
    for grant in case.aids:
        if grant.stage == 0:  # an approval, not a 先行救助 stage
            continue
        done = case.regularised.get(grant.stage)
        if done is not None and done.day <= grant.day + window:
            continue
        if done is None and facts.as_of <= grant.day + window:
            continue
        when = f"on {done.day}" if done is not None else "never"
        yield RiskFinding(
            "RF-24",
            "medium",
            case.case_no,
            f"先行救助 stage {grant.stage} of {grant.day} regularised {when}, "
            f"beyond {window.days} days",
            (grant.evidence,),
        )


@rule("RF-27", "数据篡改/倒签", "Back-dated approval or notice", "high")
def backdated(facts: ProcedureFacts) -> Iterator[RiskFinding]:
    """An approval or 公示 recorded live more than ``backdate_days`` days after
    the business time it states (社会救助暂行办法 §66(5): records tampered
    with). Imported history is recorded when it is imported, so its lag says
    nothing and is left out. A correction (domain notes §2.5
    CorrectionRecorded) is recorded after what it corrects by nature and
    states its own reason, so it never counts as back-dating, and it does not
    excuse a back-dated approval or 公示 it names either: that stays flagged.
    """
    limit = facts.policy.backdate_days * 86_400
    for stamp in sorted(facts.stamps, key=lambda s: s.evidence):
        if stamp.imported or stamp.lag <= limit:
            continue
        if stamp.kind == "correction" and stamp.reason.strip():
            continue
        what = {"approved": "approval", "notice": "公示"}.get(stamp.kind, stamp.kind)
        yield RiskFinding(
            "RF-27",
            "high",
            stamp.case_no,
            f"{what} dated {stamp.day} recorded {stamp.lag // 86_400} days later",
            (stamp.evidence,),
        )
