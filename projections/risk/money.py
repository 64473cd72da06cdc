"""The money rules: RF-16, RF-18, RF-14, RF-01, RF-19 and RF-20.

Each rule is a pure function over ``MoneyFacts`` (``projections.risk.
money_facts``) returning findings with the evidence that makes them: the
ledger positions and chain hashes of the events an inspector must see. A
finding cites the earliest events of its pattern (the first line paid after a
death, the first line paid through a shared account), so the same facts give
the same evidence on every scan, and a flag once cleared is not raised again.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from domain import roles
from domain.case_rules import add_months, payable_on, subsidy_cap
from domain.ids import record_id
from domain.reference import lineage
from projections.risk.findings import RiskFinding, rule

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from datetime import date

    from projections.evidence import Evidence
    from projections.risk.money_facts import (
        CaseMoney,
        Death,
        MoneyFacts,
        Movement,
        PaidLine,
    )

EXCLUSIVE = frozenset({frozenset({roles.TEKUN, roles.GUER})})
"""Pairs of programmes one person may not hold at once (特困认定办法 §9).

Two active cases of the same programme exclude each other too (2022 notice
§3(1)), except 临时救助, which may recur.
"""
IDLE_SHARE_PERCENT = 10
"""RF-19: a receipt is idle if more than this share is unspent after the window."""


def yuan(fen: int) -> str:
    """Return ``fen`` as yuan with two decimals (for summaries)."""
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d} yuan"


def _cite(*evidence: Evidence | None) -> tuple[Evidence, ...]:
    return tuple(sorted({e for e in evidence if e is not None}))


def _by_case(lines: Iterable[PaidLine]) -> dict[str, list[PaidLine]]:
    grouped: dict[str, list[PaidLine]] = defaultdict(list)
    for line in lines:
        grouped[line.case_no].append(line)
    return grouped


@rule("RF-16", "账户非本人/一账户多户", "Account misuse", "high")
def account_misuse(facts: MoneyFacts) -> Iterator[RiskFinding]:
    """A payee account is not held by a member of its household, is held by a
    staff member, or pays more than one household or a household it is not
    registered to (审核确认办法 2021 §25: 社会化发放 to the recipient's own
    account; the 2019 一卡通 专项治理 on shared accounts). Lines paid to an
    account never registered are RF-20's.
    """
    for token, account in sorted(facts.accounts.items()):
        subject = f"account {token}"
        if account.holder_ref not in facts.members.get(account.household_no, ()):
            yield RiskFinding(
                "RF-16",
                "high",
                subject,
                f"held by {account.holder_ref[:12]}…, no member of household "
                f"{account.household_no}",
                (account.evidence,),
            )
        staff = facts.staff.get(account.holder_ref)
        if staff is not None:
            yield RiskFinding(
                "RF-16",
                "high",
                subject,
                f"held by staff member {staff[0]}",
                _cite(account.evidence, staff[1]),
            )
    yield from _shared_accounts(facts)


def _shared_accounts(facts: MoneyFacts) -> Iterator[RiskFinding]:
    first: dict[str, dict[str, PaidLine]] = defaultdict(dict)
    for line in facts.paid:
        first[line.token].setdefault(line.household_no, line)
    for token, households in sorted(first.items()):
        account = facts.accounts.get(token)
        if account is None:
            continue
        others = sorted(set(households) - {account.household_no})
        if not others:
            continue
        yield RiskFinding(
            "RF-16",
            "high",
            f"account {token}",
            f"registered to household {account.household_no}, paid lines of "
            f"{', '.join(others)}",
            _cite(account.evidence, *(households[h].paid for h in others)),
        )


@rule("RF-18", "超标准/计算错误发放", "Paid above the approved amount", "high")
def paid_above_approved(facts: MoneyFacts) -> Iterator[RiskFinding]:
    """A line paid more than the case's pay schedule allowed for its month when
    the line was made, or a 低保 补差 amount was decided above the formula
    (standard − per-capita income) × persons covered (审核审批办法 2012 §27;
    审核确认办法 2021 §23). Cites the first such line and the schedule.
    """
    for case_no, lines in sorted(_by_case(facts.paid).items()):
        case = facts.cases.get(case_no)
        if case is not None:
            yield from _above_schedule(case, lines)
    for case in sorted(facts.cases.values(), key=lambda c: c.case_no):
        if case.programme == roles.DIBAO and case.category == "补差":
            yield from _above_formula(facts, case)


def _above_schedule(case: CaseMoney, lines: list[PaidLine]) -> Iterator[RiskFinding]:
    over: list[tuple[PaidLine, int, Evidence | None]] = []
    for line in lines:
        schedule = None
        for candidate in case.schedules:
            if candidate.evidence.position < line.scheduled.position:
                schedule = candidate
        allowed = payable_on(schedule.steps, line.batch[2]) if schedule else 0
        if line.paid_fen > allowed:
            over.append((line, allowed, schedule.evidence if schedule else None))
    if over:
        line, allowed, cited = over[0]
        excess = sum(item.paid_fen - limit for item, limit, _ in over)
        yield RiskFinding(
            "RF-18",
            "high",
            case.case_no,
            f"{len(over)} line(s) paid above the schedule, {yuan(excess)} in all; "
            f"first {line.batch[2]}: {yuan(line.paid_fen)} against {yuan(allowed)}",
            _cite(cited, line.scheduled, line.paid),
        )


def _above_formula(facts: MoneyFacts, case: CaseMoney) -> Iterator[RiskFinding]:
    regions = [str(record_id("region", code)) for code in lineage(case.region_code)]
    for decision in case.decisions:
        if decision.income is None:
            continue
        standard = decision.standard_fen or facts.standard_on(
            regions, case, decision.month
        )
        cap = subsidy_cap(standard, decision.income[0], len(case.members))
        if standard and decision.fen > cap:
            yield RiskFinding(
                "RF-18",
                "high",
                case.case_no,
                f"{yuan(decision.fen)} a month from {decision.month} exceeds the "
                f"补差 cap {yuan(cap)} ({len(case.members)} persons)",
                _cite(decision.evidence, decision.income[1]),
            )


def _months(case: CaseMoney) -> tuple[str, str] | None:
    if case.first_month is None or case.programme == roles.LINSHI:
        return None
    end = case.end_month if case.end_month is not None else "9999-12"
    return (case.first_month, end) if case.first_month < end else None


def _excludes(a: CaseMoney, b: CaseMoney) -> bool:
    return (
        a.programme == b.programme or frozenset({a.programme, b.programme}) in EXCLUSIVE
    )


@rule("RF-14", "重复享受", "One person in two exclusive cases", "high")
def double_enrolment(facts: MoneyFacts) -> Iterator[RiskFinding]:
    """One person is covered, over the same months, by two approved cases that
    exclude each other, in any regions: two cases of the same programme
    (two 低保 households, say; 2022 notice §3(1)) or 特困 and 孤儿 together
    (特困认定办法 §9). 临时救助 may recur and is left out.
    """
    by_person: dict[str, list[tuple[CaseMoney, tuple[str, str]]]] = defaultdict(list)
    for case in facts.cases.values():
        months = _months(case)
        if months is not None:
            for person in set(case.members):
                by_person[person].append((case, months))
    for person, held in sorted(by_person.items()):
        held.sort(key=lambda item: item[0].case_no)
        for index, (a, (a_start, a_end)) in enumerate(held):
            for b, (b_start, b_end) in held[index + 1 :]:
                if _excludes(a, b) and max(a_start, b_start) < min(a_end, b_end):
                    yield RiskFinding(
                        "RF-14",
                        "high",
                        person,
                        f"covered by {a.programme} case {a.case_no} "
                        f"({a.region_code}) and {b.programme} case {b.case_no} "
                        f"({b.region_code}) from {max(a_start, b_start)}",
                        _cite(a.opened, a.approved, b.opened, b.approved),
                    )


@rule("RF-01", "死亡人员仍在领取", "Paid after a recorded death", "high")
def paid_after_death(facts: MoneyFacts) -> Iterator[RiskFinding]:
    """A line was paid for a month after the death of every person the case
    covers (a single-person household, a 特困 or 孤儿 case), or, in a larger
    household, for a month more than ``death_review_months`` after a death
    with no review, adjustment or exit recorded since (2022 notice §1(3);
    社会救助暂行办法 §67). Cites the death and the first such line.
    """
    for case_no, lines in sorted(_by_case(facts.paid).items()):
        case = facts.cases.get(case_no)
        if case is None:
            continue
        dead = [facts.deaths[p] for p in case.members if p in facts.deaths]
        if not dead:
            continue
        if len({d.person_ref for d in dead}) == len(set(case.members)):
            yield from _all_dead(case, lines, max(dead, key=lambda d: d.died))
        else:
            yield from _unreviewed(facts, case, lines, min(dead, key=lambda d: d.died))


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _all_dead(
    case: CaseMoney, lines: list[PaidLine], last: Death
) -> Iterator[RiskFinding]:
    after = [line for line in lines if line.batch[2] > _month(last.died)]
    if after:
        yield RiskFinding(
            "RF-01",
            "high",
            case.case_no,
            f"{len(after)} month(s) paid after the death on {last.died} of every "
            f"person covered, {yuan(sum(line.paid_fen for line in after))}; "
            f"first {after[0].batch[2]}",
            _cite(last.evidence, after[0].paid),
        )


def _unreviewed(
    facts: MoneyFacts, case: CaseMoney, lines: list[PaidLine], death: Death
) -> Iterator[RiskFinding]:
    limit = add_months(_month(death.died), facts.policy.death_review_months)
    for line in lines:
        if line.batch[2] <= limit:
            continue
        if any(death.died <= day <= line.value_date for day, _ in case.followups):
            return
        yield RiskFinding(
            "RF-01",
            "medium",
            case.case_no,
            f"paid for {line.batch[2]} with no review since a member's death on "
            f"{death.died}",
            _cite(death.evidence, line.paid),
        )
        return


@rule("RF-19", "未按时发放/资金滞留", "Failed lines left open; idle money", "medium")
def stalled_money(facts: MoneyFacts) -> Iterator[RiskFinding]:
    """A failed line was neither reissued nor returned within ``reissue_days``
    (domain notes §2.3 PaymentFailed), or, on the day judged, more than
    ``IDLE_SHARE_PERCENT`` of a receipt into a programme account is still
    unspent ``idle_days`` after it arrived (2020 意见 保障措施(四): no 滞留 of
    funds). Spending draws on the oldest receipts first; one finding per
    account cites its oldest such receipt.
    """
    window = timedelta(days=facts.policy.reissue_days)
    for (batch, line_no), line in sorted(facts.failed.items()):
        due = line.failed_on + window
        closed = line.closed_on
        if (closed is None and facts.as_of > due) or (closed and closed > due):
            state = "still open" if closed is None else f"closed only on {closed}"
            yield RiskFinding(
                "RF-19",
                "medium",
                f"{'/'.join(batch)} line {line_no}",
                f"failed on {line.failed_on}, {state} (due by {due})",
                (line.evidence,),
            )
    for programme, org in sorted(set(facts.funds.values())):
        moves = [
            m
            for m in facts.movements
            if m.programme == programme and m.region_code.startswith(org)
        ]
        yield from _idle(facts, f"fund {programme}/{org}", moves)


@dataclass
class _Lot:
    """What is left of one receipt while spending draws on the oldest first."""

    receipt: Movement
    left: int


def _idle(
    facts: MoneyFacts, subject: str, moves: list[Movement]
) -> Iterator[RiskFinding]:
    """Judge the account as of ``facts.as_of``: receipts older than the window
    still partly unspent (spending draws on the oldest first) are idle; one
    finding per account cites the oldest receipt with a large share unspent.
    """
    lots: deque[_Lot] = deque()
    for move in sorted(moves, key=lambda m: (m.on, m.evidence.position)):
        if move.on > facts.as_of:
            break
        if move.fen > 0:
            lots.append(_Lot(move, move.fen))
        else:
            _spend(lots, -move.fen)
    cutoff = facts.as_of - timedelta(days=facts.policy.idle_days)
    stale = [lot for lot in lots if lot.receipt.on < cutoff]
    idle = [
        lot for lot in stale if lot.left * 100 > IDLE_SHARE_PERCENT * lot.receipt.fen
    ]
    if idle:
        oldest = idle[0].receipt
        yield RiskFinding(
            "RF-19",
            "medium",
            subject,
            f"{yuan(idle[0].left)} of {yuan(oldest.fen)} received {oldest.on} "
            f"still unspent after {facts.policy.idle_days} days; "
            f"{yuan(sum(lot.left for lot in stale))} idle in all on {facts.as_of}",
            (oldest.evidence,),
        )


def _spend(lots: deque[_Lot], fen: int) -> None:
    while fen > 0 and lots:
        used = min(lots[0].left, fen)
        lots[0].left -= used
        fen -= used
        if lots[0].left == 0:
            lots.popleft()


@rule("RF-20", "截留挪用/虚报冒领", "Bank statement and disbursements disagree", "high")
def statement_disagrees(facts: MoneyFacts) -> Iterator[RiskFinding]:
    """A reconciled bank statement shows debits no paid line matches, reversals,
    or leaves paid lines out; or a line was paid to an account never
    registered (社会救助暂行办法 §67; domain notes §2.3 BankStatementReconciled).
    Cites the statement and the paid lines it leaves out or reverses.
    """
    paid = {(line.batch, line.line_no): line for line in facts.paid}
    for statement in facts.statements:
        if not (statement.unmatched or statement.reversals or statement.missing):
            continue
        lines = [*statement.missing, *(n for n, _, _ in statement.reversals)]
        cited = [
            paid[(statement.batch, n)].paid
            for n in lines
            if (statement.batch, n) in paid
        ]
        yield RiskFinding(
            "RF-20",
            "high",
            f"{'/'.join(statement.batch)} {statement.statement_id}",
            f"{len(statement.unmatched)} unmatched debit(s) of "
            f"{yuan(sum(a for _, a in statement.unmatched))}, "
            f"{len(statement.reversals)} reversal(s), {len(statement.missing)} "
            "paid line(s) not on the statement",
            _cite(statement.evidence, *cited),
        )
    unknown: dict[str, PaidLine] = {}
    for line in facts.paid:
        if line.token not in facts.accounts:
            unknown.setdefault(line.token, line)
    for token, line in sorted(unknown.items()):
        yield RiskFinding(
            "RF-20",
            "high",
            f"account {token}",
            f"line {line.line_no} of {'/'.join(line.batch)} paid to an account "
            "never registered",
            (line.paid,),
        )
