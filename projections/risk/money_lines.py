"""Folding the payment rows of the risk-fact log: batches, lines, funds, statements.

``PaymentFold`` is the part of ``projections.risk.money_fold.MoneyFold`` that
follows the money: a batch's lines as they are scheduled (kept column by
column), each line paid tied to the event that scheduled it and the one that
reports it paid, failed lines and how they were closed (by the day the money
moved), lines paid after the pay day of their month or below what was
scheduled, money into and out of programme accounts, and reconciled statements.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import lru_cache
from itertools import repeat
from sys import intern
from typing import TYPE_CHECKING, Any

from projections.risk.fact_views import evidence_of
from projections.risk.money_facts import (
    FailedLine,
    LatePayment,
    Movement,
    PaidLine,
    ShortPayment,
    Statement,
)

if TYPE_CHECKING:
    from projections.evidence import Evidence
    from projections.risk.fact_views import FactRow
    from projections.risk.money_facts import BatchKey, MoneyFacts


@lru_cache(maxsize=4096)
def _date(text: str) -> date:
    return date.fromisoformat(text)


_LESS_ONE = (-1).__add__
"""A line number's index in its batch's columns."""


class BatchLines:
    """A batch's scheduled lines, column by column, line ``n`` at index n − 1."""

    def __init__(self) -> None:
        self.cases: list[str] = []
        self.households: list[str] = []
        self.fens: list[int] = []
        self.evidence: list[Evidence] = []

    def add(
        self,
        first: int,
        cases: list[str],
        households: list[str],
        fens: list[int],
        evidence: Evidence,
    ) -> None:
        end = first - 1 + len(cases)
        if len(self.cases) < end:  # room for these lines, in any order
            grow = end - len(self.cases)
            self.cases.extend([""] * grow)
            self.households.extend([""] * grow)
            self.fens.extend([0] * grow)
            self.evidence.extend([evidence] * grow)
        self.cases[first - 1 : end] = cases
        self.households[first - 1 : end] = households
        self.fens[first - 1 : end] = fens
        self.evidence[first - 1 : end] = [evidence] * len(cases)


class PaymentFold:
    """Folds batch, line, fund and statement rows into ``MoneyFacts``."""

    def __init__(self, facts: MoneyFacts) -> None:
        self.facts = facts
        self.batches: dict[str, BatchKey] = {}
        self.lines: dict[str, BatchLines] = {}

    def fund(self, row: FactRow, d: dict[str, Any]) -> None:
        self.facts.funds[row.subject] = (d["programme"], d["org"])

    def funds_in(self, row: FactRow, d: dict[str, Any]) -> None:
        programme, org = self.facts.funds.get(row.subject, ("", ""))
        on = date.fromisoformat(d["on"])
        self.facts.movements.append(
            Movement(programme, org, on, d["fen"], evidence_of(row))
        )

    def batch(self, row: FactRow, d: dict[str, Any]) -> None:
        self.batches[row.subject] = (d["programme"], d["region"], d["period"])

    def scheduled(self, row: FactRow, d: dict[str, Any]) -> None:
        lines = self.lines.get(row.subject)
        if lines is None:
            lines = self.lines[row.subject] = BatchLines()
        lines.add(
            d["first"],
            list(map(intern, d["cases"])),
            list(map(intern, d["households"])),
            d["fen"],
            evidence_of(row),
        )

    def disbursed(self, row: FactRow, d: dict[str, Any]) -> None:
        batch = self.batches.get(row.subject)
        if batch is None:
            return
        evidence = evidence_of(row)
        known = self.lines[row.subject]
        cases, households, fens, cited = (
            known.cases,
            known.households,
            known.fens,
            known.evidence,
        )
        nos, dates, paid_fen = d["lines"], d["dates"], d["fen"]
        count = len(nos)
        at = list(map(_LESS_ONE, nos))  # a batch pays up to 1,000 lines a row:
        days = list(map(_date, dates))  # each column picked in C
        scheduled = list(map(fens.__getitem__, at))
        self.facts.paid.extend(
            map(  # each line built in C: ``tuple.__new__`` over zipped columns
                tuple.__new__,
                repeat(PaidLine),
                zip(
                    repeat(batch, count),
                    nos,
                    map(cases.__getitem__, at),
                    map(households.__getitem__, at),
                    scheduled,
                    paid_fen,
                    map(intern, d["tokens"]),
                    days,
                    map(cited.__getitem__, at),
                    repeat(evidence, count),
                    strict=False,
                ),
            )
        )
        if row.kind == "reissued":
            for no, day, fen in zip(nos, days, paid_fen, strict=True):
                self._close(batch, no, day, fen)
        else:
            pay_by = f"{batch[2]}-{self.facts.policy.pay_day:02d}"
            if max(dates) > pay_by:  # ISO dates compare as text
                self._late(batch, dates, paid_fen, pay_by, evidence)
            if paid_fen != scheduled:  # compared in C; rare
                self._short(batch, nos, scheduled, paid_fen, evidence)
        if len(set(dates)) == 1:  # a batch's lines are mostly paid on one day
            spent = {dates[0]: sum(paid_fen)}
        else:
            spent = {}
            for value_date, fen in zip(dates, paid_fen, strict=True):
                spent[value_date] = spent.get(value_date, 0) + fen
        for value_date, fen in spent.items():
            self.facts.movements.append(
                Movement(batch[0], batch[1], _date(value_date), -fen, evidence)
            )

    def _late(
        self,
        batch: BatchKey,
        dates: list[str],
        paid_fen: list[int],
        pay_by: str,
        evidence: Evidence,
    ) -> None:
        late = self.facts.late.setdefault(batch, LatePayment())
        for value_date, fen in zip(dates, paid_fen, strict=True):
            if value_date > pay_by:
                late.lines += 1
                late.fen += fen
                late.first = min(late.first, value_date)
                late.last = max(late.last, value_date)
        late.evidence.append(evidence)

    def _short(
        self,
        batch: BatchKey,
        nos: list[int],
        scheduled: list[int],
        paid_fen: list[int],
        evidence: Evidence,
    ) -> None:
        lines = [
            (no, due, fen)
            for no, due, fen in zip(nos, scheduled, paid_fen, strict=True)
            if fen < due
        ]
        if lines:
            short = self.facts.short.setdefault(batch, ShortPayment(first=lines[0]))
            short.lines += len(lines)
            short.short_fen += sum(due - fen for _, due, fen in lines)
            short.evidence.append(evidence)

    def failed(self, row: FactRow, d: dict[str, Any]) -> None:
        batch = self.batches.get(row.subject)
        if batch is not None:
            at = d["line"] - 1
            known = self.lines[row.subject]
            self.facts.failed[(batch, d["line"])] = FailedLine(
                batch,
                d["line"],
                known.cases[at],
                row.day,
                evidence_of(row),
                fen=known.fens[at],
            )

    def returned(self, row: FactRow, d: dict[str, Any]) -> None:
        batch = self.batches.get(row.subject)
        if batch is not None:
            self._close(batch, d["line"], row.day, d["fen"])

    def _close(self, batch: BatchKey, line_no: int, on: date, fen: int) -> None:
        line = self.facts.failed.get((batch, line_no))
        if line is not None and line.closed_on is None:
            self.facts.failed[(batch, line_no)] = replace(
                line, closed_on=on, handled_fen=fen
            )

    def statement(self, row: FactRow, d: dict[str, Any]) -> None:
        batch = self.batches.get(row.subject)
        if batch is not None:
            self.facts.statements.append(
                Statement(
                    batch,
                    d["statement"],
                    tuple((str(r), int(a)) for r, a in d["unmatched"]),
                    tuple((int(n), str(r), int(a)) for n, r, a in d["reversals"]),
                    tuple(d["missing"]),
                    evidence_of(row),
                    tuple(d["matched"]),
                    row.day,
                )
            )
