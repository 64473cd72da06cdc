"""Facts the money rules read: accounts, cases' pay schedules, lines, deaths, funds.

Plain records, each carrying the ``Evidence`` of the event it came from;
``projections.risk.money_fold.money_facts`` builds them from the risk-fact
rows, and the rules (``projections.risk.money``, ``projections.risk.
money_flow``) take the whole and never touch a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from domain.policy import Policy

if TYPE_CHECKING:
    from collections.abc import Iterable

    from projections.evidence import Evidence


BatchKey = tuple[str, str, str]
"""A batch: programme, region code, period (``YYYY-MM``)."""


@dataclass(frozen=True)
class MoneyPolicy:
    """Local windows the money rules apply (days and months, set per county)."""

    reissue_days: int = 30
    """A failed line must be reissued or returned within this many days (RF-19)."""
    idle_days: int = 90
    """Money received may wait this long in the programme account (RF-19)."""
    death_review_months: int = 3
    """A death must be reviewed within this many months (2022 notice §1(3))."""
    pay_day: int = Policy.pay_day
    """Lines are paid by this day of their batch's month (审核审批办法 2012 §31;
    the domain's ``Policy``); a line paid later is late (RF-19)."""
    equal_share_cases: int = 5
    """RF-15 weighs a village with at least this many 补差 低保 cases in payment."""
    imprisonment_review_months: int = 3
    """A household with a member imprisoned must be reviewed, adjusted or ended
    within this many months (RF-02; the rules set no term of their own, so the
    window for a death is taken)."""


@dataclass(frozen=True)
class Account:
    """A registered payee account: its token, household and holder."""

    token: str
    household_no: str
    holder_ref: str
    evidence: Evidence


class PaidLine(NamedTuple):
    """A batch line paid (or reissued): what was scheduled and what the bank paid.

    A named tuple rather than a frozen dataclass: a county pays hundreds of
    thousands of lines, and a tuple is several times cheaper to build.
    """

    batch: BatchKey
    line_no: int
    case_no: str
    household_no: str
    scheduled_fen: int
    paid_fen: int
    token: str
    value_date: date
    scheduled: Evidence
    paid: Evidence


@dataclass(frozen=True)
class FailedLine:
    """A line the bank could not pay, and how much of it was handled, when.

    ``closed_on`` is the day the line's money moved again: a reissue's value
    date, or the business day of the return; ``handled_fen`` how much of the
    scheduled ``fen`` was reissued or returned then.
    """

    batch: BatchKey
    line_no: int
    case_no: str
    failed_on: date
    evidence: Evidence
    closed_on: date | None = None
    fen: int = 0
    handled_fen: int = 0


class Schedule(NamedTuple):
    """A case's pay schedule ``{from_month: fen}`` as a roll event set it.

    A named tuple, as are decisions: a county sets hundreds of thousands.
    """

    steps: dict[str, int]
    evidence: Evidence


class Decision(NamedTuple):
    """An amount decided (approval or adjustment) from a month, the standard it
    named (0: none named) and the income it rests on."""

    fen: int
    month: str
    standard_fen: int
    income: tuple[int, Evidence] | None
    evidence: Evidence
    on: date = date.min
    """The business day of the decision (who was alive to be covered)."""


@dataclass
class CaseMoney:
    """What the money rules need of one case (filled in ledger order)."""

    case_no: str
    programme: str
    category: str
    household_no: str
    region_code: str
    area: str
    members: tuple[str, ...]
    opened: Evidence
    approved: Evidence | None = None
    first_month: str | None = None
    end_month: str | None = None
    decisions: list[Decision] = field(default_factory=list)
    followups: list[tuple[date, Evidence]] = field(default_factory=list)
    income: tuple[int, Evidence] | None = None
    deaths: dict[str, date] = field(default_factory=dict)
    """Deaths of members recorded on the case itself, by person."""
    imprisonments: list[tuple[date, Evidence]] = field(default_factory=list)
    """Imprisonments reported on the case: the day each took effect, and the
    report (RF-02)."""


@dataclass(frozen=True)
class Death:
    """A recorded death: the person, the day, the first event that recorded it."""

    person_ref: str
    died: date
    evidence: Evidence


class Birth(NamedTuple):
    """A member's birth date and schooling as a household record states them."""

    born: date
    in_school: bool
    evidence: Evidence


@dataclass(frozen=True)
class Statement:
    """A bank statement reconciled against a batch, with what did not match."""

    batch: BatchKey
    statement_id: str
    unmatched: tuple[tuple[str, int], ...]
    reversals: tuple[tuple[int, str, int], ...]
    missing: tuple[int, ...]
    evidence: Evidence
    matched: tuple[int, ...] = ()
    on: date = date.min
    """The statement's business day: lines paid by then belong on it."""


@dataclass(frozen=True)
class Movement:
    """Money into (positive) or out of (negative) a programme's account."""

    programme: str
    region_code: str
    on: date
    fen: int
    evidence: Evidence


@dataclass(frozen=True)
class Standard:
    """A standard set at a region (by the region's aggregate id) from a day."""

    programme: str
    area: str
    fen: int
    start: date
    evidence: Evidence


@dataclass
class LatePayment:
    """The lines of one batch the bank paid after the pay day of its month."""

    lines: int = 0
    fen: int = 0
    first: str = "9999-12-31"
    last: str = ""
    """The earliest and latest late value dates (ISO text)."""
    evidence: list[Evidence] = field(default_factory=list)
    """The disbursement events holding late lines, in ledger order."""


@dataclass
class ShortPayment:
    """The lines of one batch the bank paid at less than was scheduled."""

    lines: int = 0
    short_fen: int = 0
    first: tuple[int, int, int] = (0, 0, 0)
    """The first such line: its number, the fen scheduled and the fen paid."""
    evidence: list[Evidence] = field(default_factory=list)
    """The disbursement events holding short lines, in ledger order."""


@dataclass
class MoneyFacts:
    """Everything the money rules read (RF-01, RF-02, RF-14, RF-15, RF-16, RF-18,
    RF-19, RF-20 and RF-29)."""

    as_of: date
    policy: MoneyPolicy = field(default_factory=MoneyPolicy)
    accounts: dict[str, Account] = field(default_factory=dict)
    members: dict[str, set[str]] = field(default_factory=dict)
    staff: dict[str, tuple[str, Evidence]] = field(default_factory=dict)
    cases: dict[str, CaseMoney] = field(default_factory=dict)
    schedules: dict[str, list[Schedule]] = field(default_factory=dict)
    """Each case's pay schedules in ledger order, by case number (a roll's
    event may stand before the case's own events on the ledger)."""
    paid: list[PaidLine] = field(default_factory=list)
    failed: dict[tuple[BatchKey, int], FailedLine] = field(default_factory=dict)
    late: dict[BatchKey, LatePayment] = field(default_factory=dict)
    short: dict[BatchKey, ShortPayment] = field(default_factory=dict)
    deaths: dict[str, Death] = field(default_factory=dict)
    births: dict[str, Birth] = field(default_factory=dict)
    """Each person's birth as the latest household record of them states it."""
    statements: list[Statement] = field(default_factory=list)
    funds: dict[str, tuple[str, str]] = field(default_factory=dict)
    movements: list[Movement] = field(default_factory=list)
    standards: dict[str, list[Standard]] = field(default_factory=dict)
    _by_case: dict[str, list[PaidLine]] | None = field(default=None, repr=False)
    _by_case_of: int = field(default=-1, repr=False)

    def paid_by_case(self) -> dict[str, list[PaidLine]]:
        """Return the paid lines of each case, in the order they were paid
        (worked out once: several rules read it)."""
        if self._by_case is None or self._by_case_of != len(self.paid):
            grouped: dict[str, list[PaidLine]] = {}
            for line in self.paid:
                found = grouped.get(line.case_no)
                if found is None:
                    grouped[line.case_no] = [line]
                else:
                    found.append(line)
            self._by_case, self._by_case_of = grouped, len(self.paid)
        return self._by_case

    def standard_on(
        self, region_ids: Iterable[str], case: CaseMoney, month: str
    ) -> int:
        """Return the standard in force at the start of ``month`` for ``case``.

        ``region_ids`` are the case region's lineage, most specific first
        (社会救助暂行办法 §10); 0 when none is set.
        """
        day = date(int(month[:4]), int(month[5:]), 1)
        for region in region_ids:
            found = [
                s
                for s in self.standards.get(region, ())
                if s.programme == case.programme
                and s.area == case.area
                and s.start <= day
            ]
            if found:
                return max(found, key=lambda s: s.start).fen
        return 0
