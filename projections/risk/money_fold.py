"""Folding the risk-fact rows into the money rules' facts, in ledger order.

``MoneyFold`` takes the rows of ``projections.risk.fact_views`` of the
``MONEY_KINDS`` one by one, by kind, and fills a ``MoneyFacts``
(``projections.risk.money_facts``): a schedule is tied to the roll event that
set it, a decision to the income it rests on; batches, lines, funds and
statements are folded by ``projections.risk.money_lines.PaymentFold``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from projections.risk.fact_pass import fold_rows
from projections.risk.fact_views import evidence_of
from projections.risk.money_facts import (
    Account,
    Birth,
    CaseMoney,
    Death,
    Decision,
    MoneyFacts,
    MoneyPolicy,
    Schedule,
    Standard,
)
from projections.risk.money_lines import PaymentFold

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from projections.risk.fact_views import FactRow


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
    "change",
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
"""The fact-row kinds whose latest business day moves the day the money rules
judge from."""

MONEY_READS = tuple(
    kind
    for kind in MONEY_KINDS
    if kind
    not in {"post", "post-ended", "kin-record", "kin", "declared", "visit", "opinion"}
)
"""The kinds the money fold takes: posts, kinship and the other case steps only
move the day judged from, and a pass over the log does not fetch them for it."""


_day = date.fromisoformat


class MoneyFold(PaymentFold):
    """Folds fact rows of the ``MONEY_KINDS``, in ledger order, into ``MoneyFacts``."""

    kinds = MONEY_KINDS
    reads = MONEY_READS

    def __init__(self, policy: MoneyPolicy | None = None) -> None:
        super().__init__(MoneyFacts(date.min, policy or MoneyPolicy()))
        self.case_of: dict[str, CaseMoney] = {}
        self.household_of: dict[str, str] = {}
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
            "change": self.change,
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
        """Return the facts as of a day; the fold is spent (its handlers, bound
        to it, are dropped, so no cycle keeps the facts for the collector)."""
        self.handlers.clear()
        self.facts.as_of = as_of
        return self.facts

    def household(self, row: FactRow, d: dict[str, Any]) -> None:
        self.household_of[d["id"]] = row.subject
        self.facts.members.setdefault(row.subject, set()).update(d["members"])
        school, births = set(d["school"]), self.facts.births
        for person, born in zip(d["members"], d["born"], strict=True):
            births[person] = Birth(_day(born), person in school, evidence_of(row))

    def member_added(self, row: FactRow, d: dict[str, Any]) -> None:
        number = self.household_of.get(row.subject)
        if number is not None:
            self.facts.members.setdefault(number, set()).add(d["person"])
        born = Birth(_day(d["born"]), bool(d["school"]), evidence_of(row))
        self.facts.births[d["person"]] = born

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
            self.facts.deaths[person] = Death(person, died, evidence_of(row))
        case = self.case_of.get(row.subject)
        if case is not None:
            case.followups.append((row.day, evidence_of(row)))

    def staff(self, row: FactRow, d: dict[str, Any]) -> None:
        self.facts.staff[d["person"]] = (row.subject, evidence_of(row))

    def standard(self, row: FactRow, d: dict[str, Any]) -> None:
        self.facts.standards.setdefault(row.subject, []).append(
            Standard(
                d["programme"],
                d["area"],
                d["fen"],
                date.fromisoformat(d["from"]),
                evidence_of(row),
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
            evidence_of(row),
        )
        self.case_of[d["id"]] = case
        self.facts.cases[row.subject] = case

    def income(self, row: FactRow, d: dict[str, Any]) -> None:
        case = self.case_of.get(row.subject)
        if case is not None:
            case.income = (d["pci"], evidence_of(row))
            if row.kind == "review":
                case.followups.append((row.day, evidence_of(row)))

    def change(self, row: FactRow, d: dict[str, Any]) -> None:
        case = self.case_of.get(row.subject)
        if case is not None and d["type"] == "imprisonment":
            case.imprisonments.append((_day(d["effective"]), evidence_of(row)))

    def approved(self, row: FactRow, d: dict[str, Any]) -> None:
        case = self.case_of.get(row.subject)
        if case is None:
            return
        case.approved, case.first_month = evidence_of(row), d["first"]
        case.decisions.append(
            Decision(
                d["fen"],
                d["first"],
                d["standard"],
                case.income,
                evidence_of(row),
                row.day,
            )
        )

    def adjusted(self, row: FactRow, d: dict[str, Any]) -> None:
        case = self.case_of.get(row.subject)
        if case is None:
            return
        case.followups.append((row.day, evidence_of(row)))
        case.decisions.append(
            Decision(d["fen"], d["month"], 0, case.income, evidence_of(row), row.day)
        )

    def closed(self, row: FactRow, d: dict[str, Any]) -> None:
        case = self.case_of.get(row.subject)
        if case is not None:
            case.end_month = d.get("month") or case.first_month or ""
            case.followups.append((row.day, evidence_of(row)))

    def schedule(self, row: FactRow, d: dict[str, Any]) -> None:
        self.facts.schedules.setdefault(row.subject, []).append(
            Schedule(dict(d["schedule"]), evidence_of(row))
        )

    def account(self, row: FactRow, d: dict[str, Any]) -> None:
        self.facts.accounts[row.subject] = Account(
            row.subject, d["household"], d["holder"], evidence_of(row)
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
