"""Legs and the accounts they post to: the shapes ``projections.postings`` builds.

A ``Posting`` is one leg (debit positive, credit negative, in fen); a
``LegPair`` numbers the two legs of each movement of one event; the helpers
name the accounts (``fund:<programme>:<county>``, townships by the first nine
digits of a region). Pure: no database, no dispatch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, NamedTuple

if TYPE_CHECKING:
    from projections.folds import At


COUNTY_DIGITS: Final = 6
TOWNSHIP_DIGITS: Final = 9
UNKNOWN: Final = "?"


class Posting(NamedTuple):
    """One leg: ``amount`` fen on ``account`` (debit > 0, credit < 0)."""

    position: int
    leg: int
    account: str
    amount: int
    kind: str
    programme: str
    region: str
    period: str
    case_no: str
    household_no: str
    occurred_on: str


class CaseRef(NamedTuple):
    """Where a case belongs: its number, programme, region and household."""

    case_no: str
    programme: str
    region: str
    household_no: str


def month_of(at: At) -> str:
    return at.occurred_at.strftime("%Y-%m")


posting_from = tuple.__new__
"""Builds a ``Posting`` from a tuple of its fields, skipping its Python ``__new__``."""


def case_pair(case: CaseRef, at: At) -> LegPair:
    """A pair of legs about ``case``, in its township and the month of ``at``."""
    return LegPair(at, case.programme, township(case.region), month_of(at)).about(
        case.case_no, case.household_no
    )


def township(region: str) -> str:
    return region[:TOWNSHIP_DIGITS]


def fund_account(programme: str, region: str) -> str:
    return f"fund:{programme}:{region[:COUNTY_DIGITS]}"


class LegPair:
    """Builds balanced legs for one event, numbering them as it goes."""

    def __init__(self, at: At, programme: str, region: str, period: str) -> None:
        self.at = at
        self.programme = programme
        self.region = region
        self.period = period
        self.day = at.occurred_at.date().isoformat()
        self.case_no = ""
        self.household_no = ""
        self.leg = 0

    def about(self, case_no: str, household_no: str) -> LegPair:
        self.case_no, self.household_no = case_no, household_no
        return self

    def move(self, debit: str, credit: str, amount: int, kind: str) -> list[Posting]:
        at, first = self.at, self.leg
        self.leg += 2
        common = (
            kind,
            self.programme,
            self.region,
            self.period,
            self.case_no,
            self.household_no,
            self.day,
        )
        return [
            Posting(at.position, first, debit, amount, *common),
            Posting(at.position, first + 1, credit, -amount, *common),
        ]
