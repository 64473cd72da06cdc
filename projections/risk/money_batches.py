"""RF-19 on each batch as the bank paid it: lines paid late, or short.

Part of ``projections.risk.money_flow.stalled_money``: the fold
(``projections.risk.money_lines``) gathers, per batch, the lines the bank paid
(not reissued) after the pay day of the batch's month or below what was
scheduled; here each batch with any becomes one finding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from projections.risk.findings import RiskFinding
from projections.risk.money import cite, yuan

if TYPE_CHECKING:
    from collections.abc import Iterator

    from projections.risk.money_facts import MoneyFacts


def late_or_short(facts: MoneyFacts) -> Iterator[RiskFinding]:
    """A batch's lines were paid after the pay day of its month
    (``MoneyPolicy.pay_day``, 审核审批办法 2012 §31; low), or at less than
    scheduled (domain notes §2.3: the amount paid is the amount scheduled;
    the ledger records what an imported bank report says, and this flags it;
    medium). One finding of each kind per batch, citing the first and last
    events that report such lines.
    """
    day = facts.policy.pay_day
    for batch, late in sorted(facts.late.items()):
        yield RiskFinding(
            "RF-19",
            "low",
            "/".join(batch),
            f"{late.lines} line(s) paid after the pay day (day {day} of "
            f"{batch[2]}), {yuan(late.fen)}; value dates {late.first} to {late.last}",
            cite(late.evidence[0], late.evidence[-1]),
        )
    for batch, short in sorted(facts.short.items()):
        line_no, due, paid = short.first
        yield RiskFinding(
            "RF-19",
            "medium",
            "/".join(batch),
            f"{short.lines} line(s) paid less than scheduled, "
            f"{yuan(short.short_fen)} short in all; first line {line_no}: "
            f"{yuan(paid)} against {yuan(due)}",
            cite(short.evidence[0], short.evidence[-1]),
        )
