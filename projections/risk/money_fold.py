"""Folding the risk-fact rows into the money rules' facts, in ledger order.

``MoneyFold`` takes the rows of ``projections.risk.fact_views`` of the
``MONEY_KINDS`` one by one, by kind, and fills a ``MoneyFacts``
(``projections.risk.money_facts``): a
line paid is tied to the event that scheduled it and the one that reports it
paid, a schedule to the roll event that set it, a decision to the income it
rests on.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import lru_cache
from sys import intern
from typing import TYPE_CHECKING, Any

from projections.evidence import Evidence
from projections.risk.fact_pass import fold_rows
from projections.risk.money_facts import (
    Account,
    CaseMoney,
    Death,
    Decision,
    FailedLine,
    MoneyFacts,
    MoneyPolicy,
    Movement,
    PaidLine,
    Schedule,
    Standard,
    Statement,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from projections.risk.fact_views import FactRow
    from projections.risk.money_facts import BatchKey


MONEY_KINDS = (
    "household",
    "member-added",
    "death",
    "case-death",
    "staff",
    "post",
    "post-ended",
    "kin-record",
    "kin",
    "standard",
    "case",
    "declared",
    "checked",
    "visit",
    "opinion",
    "review",
    "approved",
    "adjusted",
    "rejected",
    "terminated",
    "schedule",
    "account",
    "fund",
    "funds-in",
    "batch",
    "scheduled",
    "disbursed",
    "reissued",
    "failed",
    "returned",
    "statement",
)
"""The fact-row kinds the money rules read (posts, kinship and case steps only
move the day judged from, as the latest business day recorded)."""


@lru_cache(maxsize=4096)
def _date(text: str) -> date:
    return date.fromisoformat(text)


def _evidence(row: FactRow) -> Evidence:
    return Evidence(row.position, row.hash_hex, row.topic)


class _Lines:
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


class MoneyFold:
    """Folds fact rows of the ``MONEY_KINDS``, in ledger order, into ``MoneyFacts``."""

    kinds = MONEY_KINDS

    def __init__(self, policy: MoneyPolicy | None = None) -> None:
        self.facts = MoneyFacts(date.min, policy or MoneyPolicy())
        self.case_of: dict[str, CaseMoney] = {}
        self.household_of: dict[str, str] = {}
        self.batches: dict[str, BatchKey] = {}
        self.lines: dict[str, _Lines] = {}
        self.handlers: dict[str, Callable[[FactRow, dict[str, Any]], None]] = {
            "household": self.household,
            "member-added": self.member_added,
            "death": self.death,
            "case-death": self.case_death,
            "staff": self.staff,
            "standard": self.standard,
            "case": self.case,
            "checked": self.income,
            "review": self.income,
            "approved": self.approved,
            "adjusted": self.adjusted,
            "rejected": self.closed,
            "terminated": self.closed,
            "schedule": self.schedule,
            "account": self.account,
            "fund": self.fund,
            "funds-in": self.funds_in,
            "batch": self.batch,
            "scheduled": self.scheduled,
            "disbursed": self.disbursed,
            "reissued": self.disbursed,
            "failed": self.failed,
            "returned": self.returned,
            "statement": self.statement,
        }

    def take(self, row: FactRow) -> None:
        handler = self.handlers.get(row.kind)
        if handler is not None:
            handler(row, row.data)

    def result(self, as_of: date) -> MoneyFacts:
        self.facts.as_of = as_of
        return self.facts

    def household(self, row: FactRow, d: dict[str, Any]) -> None:
        self.household_of[d["id"]] = row.subject
        self.facts.members.setdefault(row.subject, set()).update(d["members"])

    def member_added(self, row: FactRow, d: dict[str, Any]) -> None:
        number = self.household_of.get(row.subject)
        if number is not None:
            self.facts.members.setdefault(number, set()).add(d["person"])

    def death(self, row: FactRow, d: dict[str, Any]) -> None:
        self._died(row.subject, date.fromisoformat(d["died"]), row)

    def case_death(self, row: FactRow, d: dict[str, Any]) -> None:
        died = date.fromisoformat(d["died"])
        self._died(d["person"], died, row)
        case = self.case_of.get(row.subject)
        if case is not None:
            case.deaths.setdefault(d["person"], died)

    def _died(self, person: str, died: date, row: FactRow) -> None:
        if person not in self.facts.deaths:
            self.facts.deaths[person] = Death(person, died, _evidence(row))
        case = self.case_of.get(row.subject)
        if case is not None:
            case.followups.append((row.day, _evidence(row)))

    def staff(self, row: FactRow, d: dict[str, Any]) -> None:
        self.facts.staff[d["person"]] = (row.subject, _evidence(row))

    def standard(self, row: FactRow, d: dict[str, Any]) -> None:
        self.facts.standards.setdefault(row.subject, []).append(
            Standard(
                d["programme"],
                d["area"],
                d["fen"],
                date.fromisoformat(d["from"]),
                _evidence(row),
            )
        )

    def case(self, row: FactRow, d: dict[str, Any]) -> None:
        case = CaseMoney(
            row.subject,
            d["programme"],
            d["category"],
            d["household"],
            d["region"],
            d["area"],
            tuple(d["members"]),
            _evidence(row),
        )
        self.case_of[d["id"]] = case
        self.facts.cases[row.subject] = case

    def income(self, row: FactRow, d: dict[str, Any]) -> None:
        case = self.case_of.get(row.subject)
        if case is not None:
            case.income = (d["pci"], _evidence(row))
            if row.kind == "review":
                case.followups.append((row.day, _evidence(row)))

    def approved(self, row: FactRow, d: dict[str, Any]) -> None:
        case = self.case_of.get(row.subject)
        if case is None:
            return
        case.approved, case.first_month = _evidence(row), d["first"]
        case.decisions.append(
            Decision(
                d["fen"],
                d["first"],
                d["standard"],
                case.income,
                _evidence(row),
                row.day,
            )
        )

    def adjusted(self, row: FactRow, d: dict[str, Any]) -> None:
        case = self.case_of.get(row.subject)
        if case is None:
            return
        case.followups.append((row.day, _evidence(row)))
        case.decisions.append(
            Decision(d["fen"], d["month"], 0, case.income, _evidence(row), row.day)
        )

    def closed(self, row: FactRow, d: dict[str, Any]) -> None:
        case = self.case_of.get(row.subject)
        if case is not None:
            case.end_month = d.get("month") or case.first_month or ""
            case.followups.append((row.day, _evidence(row)))

    def schedule(self, row: FactRow, d: dict[str, Any]) -> None:
        self.facts.schedules.setdefault(row.subject, []).append(
            Schedule(dict(d["schedule"]), _evidence(row))
        )

    def account(self, row: FactRow, d: dict[str, Any]) -> None:
        self.facts.accounts[row.subject] = Account(
            row.subject, d["household"], d["holder"], _evidence(row)
        )

    def fund(self, row: FactRow, d: dict[str, Any]) -> None:
        self.facts.funds[row.subject] = (d["programme"], d["org"])

    def funds_in(self, row: FactRow, d: dict[str, Any]) -> None:
        programme, org = self.facts.funds.get(row.subject, ("", ""))
        on = date.fromisoformat(d["on"])
        self.facts.movements.append(
            Movement(programme, org, on, d["fen"], _evidence(row))
        )

    def batch(self, row: FactRow, d: dict[str, Any]) -> None:
        self.batches[row.subject] = (d["programme"], d["region"], d["period"])

    def scheduled(self, row: FactRow, d: dict[str, Any]) -> None:
        lines = self.lines.get(row.subject)
        if lines is None:
            lines = self.lines[row.subject] = _Lines()
        lines.add(
            d["first"],
            list(map(intern, d["cases"])),
            list(map(intern, d["households"])),
            d["fen"],
            _evidence(row),
        )

    def disbursed(self, row: FactRow, d: dict[str, Any]) -> None:
        batch = self.batches.get(row.subject)
        if batch is None:
            return
        evidence = _evidence(row)
        known = self.lines[row.subject]
        cases, households, fens, cited = (
            known.cases,
            known.households,
            known.fens,
            known.evidence,
        )
        paid, spent, as_date = self.facts.paid, dict[str, int](), _date
        reissued = row.kind == "reissued"
        tokens = map(intern, d["tokens"])
        items = zip(d["lines"], d["dates"], d["fen"], tokens, strict=True)
        for no, value_date, fen, token in items:
            at = no - 1
            day = as_date(value_date)
            paid.append(
                PaidLine(
                    batch,
                    no,
                    cases[at],
                    households[at],
                    fens[at],
                    fen,
                    token,
                    day,
                    cited[at],
                    evidence,
                )
            )
            spent[value_date] = spent.get(value_date, 0) + fen
            if reissued:
                self._close(batch, no, day, fen)
        for value_date, fen in spent.items():
            self.facts.movements.append(
                Movement(batch[0], batch[1], _date(value_date), -fen, evidence)
            )

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
                _evidence(row),
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
                    _evidence(row),
                    tuple(d["matched"]),
                    row.day,
                )
            )


def money_facts(
    rows: Iterable[FactRow],
    as_of: date | None = None,
    policy: MoneyPolicy | None = None,
) -> MoneyFacts:
    """Fold fact rows (in ledger order) into the money rules' facts.

    ``as_of`` is the day the rules judge from (windows, idle money); by
    default the latest business day among the rows, but never after the
    latest day anything was recorded (``fact_views.judged_day``).
    """
    return fold_rows(rows, MoneyFold(policy), as_of)
