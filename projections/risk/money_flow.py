"""The money rules on the flow of money: RF-01, RF-19 and RF-20.

Pure functions over ``MoneyFacts``, like ``projections.risk.money``: deaths
against the lines paid after them, failed lines and money left idle in a
programme account, bank statements against the lines paid.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import timedelta
from operator import attrgetter
from typing import TYPE_CHECKING

from domain.case_rules import add_months, month_of
from projections.risk.findings import RiskFinding, rule
from projections.risk.money import cite, yuan
from projections.risk.money_batches import late_or_short

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import date

    from projections.risk.money_facts import (
        BatchKey,
        CaseMoney,
        Death,
        FailedLine,
        MoneyFacts,
        Movement,
        PaidLine,
        Statement,
    )

IDLE_SHARE_PERCENT = 10
"""RF-19: a receipt is idle if more than this share is unspent after the window."""


@rule("RF-01", "死亡人员仍在领取", "Paid after a recorded death", "high")
def paid_after_death(facts: MoneyFacts) -> Iterator[RiskFinding]:
    """A line was paid for a month after the death of every person the case
    covers (a single-person household, a 特困 or 孤儿 case), or, in a larger
    household, for a month more than ``death_review_months`` after a death
    with no review, adjustment or exit recorded since (2022 notice §1(3);
    社会救助暂行办法 §67). Cites the death and the first such line.
    """
    for case_no, lines in sorted(facts.paid_by_case().items()):
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


def _all_dead(
    case: CaseMoney, lines: list[PaidLine], last: Death
) -> Iterator[RiskFinding]:
    after = [line for line in lines if line.batch[2] > month_of(last.died)]
    if after:
        yield RiskFinding(
            "RF-01",
            "high",
            case.case_no,
            f"{len(after)} month(s) paid after the death on {last.died} of every "
            f"person covered, {yuan(sum(line.paid_fen for line in after))}; "
            f"first {after[0].batch[2]}",
            cite(last.evidence, after[0].paid),
        )


def _unreviewed(
    facts: MoneyFacts, case: CaseMoney, lines: list[PaidLine], death: Death
) -> Iterator[RiskFinding]:
    limit = add_months(month_of(death.died), facts.policy.death_review_months)
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
            cite(death.evidence, line.paid),
        )
        return


@rule("RF-19", "未按时发放/资金滞留", "Late or failed lines; idle money", "medium")
def stalled_money(facts: MoneyFacts) -> Iterator[RiskFinding]:
    """A failed line was neither reissued nor returned in full within
    ``reissue_days`` of its failure (domain notes §2.3 PaymentFailed): judged
    by the day the money moved (a reissue's value date, not the day it was
    recorded), and a reissue of less than the line leaves the rest open. Or,
    on the day judged, more than ``IDLE_SHARE_PERCENT`` of a receipt into a
    programme account is still unspent ``idle_days`` after it arrived (2020
    意见 保障措施(四): no 滞留 of funds). Spending draws on the oldest
    receipts first; one finding per account cites its oldest such receipt.
    Or a batch's lines were paid late or short (``late_or_short``).
    """
    window = timedelta(days=facts.policy.reissue_days)
    for (batch, line_no), line in sorted(facts.failed.items()):
        due = line.failed_on + window
        state = _left_open(line, due, facts.as_of)
        if state:
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
    yield from late_or_short(facts)


def _left_open(line: FailedLine, due: date, as_of: date) -> str:
    """Return how a failed line was left open past ``due``, or "" if it was not."""
    closed = line.closed_on
    if closed is None:
        return "still open" if as_of > due else ""
    if line.handled_fen < line.fen:
        if as_of <= due:
            return ""
        return (
            f"only {yuan(line.handled_fen)} of {yuan(line.fen)} handled on "
            f"{closed}, {yuan(line.fen - line.handled_fen)} still open"
        )
    return f"closed only on {closed}" if closed > due else ""


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
    """A reconciled bank statement shows debits no registered disbursement
    matches (by bank ref and amount), reversals, or leaves paid lines out;
    a line paid on or before a statement's day of its batch but recorded
    after it appears on no statement of the batch; or a line was paid to an
    account never registered (社会救助暂行办法 §67; domain notes §2.3
    BankStatementReconciled). Cites the statement and the paid lines it
    leaves out or reverses.
    """
    disagree = [s for s in facts.statements if s.unmatched or s.reversals or s.missing]
    named = {
        (s.batch, n)
        for s in disagree
        for n in (*s.missing, *(r[0] for r in s.reversals))
    }
    paid = (
        {
            (line.batch, line.line_no): line
            for line in facts.paid
            if (line.batch, line.line_no) in named
        }
        if named
        else {}
    )
    for statement in disagree:
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
            cite(statement.evidence, *cited),
        )
    yield from _paid_after_statement(facts)
    unknown: dict[str, PaidLine] = {}
    strangers = set(map(_TOKEN, facts.paid)).difference(facts.accounts)
    if strangers:  # rare: only then walk the lines for the first of each
        for line in facts.paid:
            if line.token in strangers:
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


_TOKEN = attrgetter("token")


def _paid_after_statement(facts: MoneyFacts) -> Iterator[RiskFinding]:
    """Lines recorded paid after a statement of their batch that was made on
    or after their value date, yet on no statement of the batch."""
    shown: dict[BatchKey, set[int]] = defaultdict(set)
    statements: dict[BatchKey, list[Statement]] = defaultdict(list)
    for statement in facts.statements:
        shown[statement.batch].update(statement.matched, statement.missing)
        shown[statement.batch].update(n for n, _, _ in statement.reversals)
        statements[statement.batch].append(statement)
    for line in facts.paid:
        if line.batch not in statements or line.line_no in shown[line.batch]:
            continue
        earlier = [
            s
            for s in statements[line.batch]
            if s.on >= line.value_date and s.evidence.position < line.paid.position
        ]
        if earlier:
            statement = earlier[0]
            yield RiskFinding(
                "RF-20",
                "high",
                f"{'/'.join(line.batch)} line {line.line_no}",
                f"paid {yuan(line.paid_fen)} on {line.value_date}, recorded after "
                f"statement {statement.statement_id} of {statement.on}, on no "
                "statement",
                cite(statement.evidence, line.paid),
            )
