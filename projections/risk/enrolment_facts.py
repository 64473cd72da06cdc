"""Facts the enrolment rule RF-26 reads: new cases' approvals, by village and day.

``EnrolmentFold`` takes the risk-fact rows (``projections.risk.fact_views``)
of the ``ENROLMENT_KINDS`` in ledger order into ``EnrolmentFacts``: the first
approval of each case, with its village, approver and business day, whether
the case had its own investigation before it, and how many households each
village holds on the ledger. ``EnrolmentPolicy`` holds the threshold the rule
applies. The rule is in ``projections.risk.enrolment``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from domain import roles
from projections.risk.fact_pass import fold_rows
from projections.risk.fact_views import evidence_of

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from projections.evidence import Evidence
    from projections.risk.fact_views import FactRow

ENROLMENT_KINDS = ("household", "case", "checked", "visit", "approved")
"""The fact-row kinds the enrolment rule reads."""

ONE_OFF = frozenset({roles.LINSHI})
"""Programmes whose approvals are no enrolment: 临时救助 is one-off aid, and a
disaster legitimately reaches many households of a village at once (2018
临时救助意见: aid where the emergency happened)."""


@dataclass(frozen=True)
class EnrolmentPolicy:
    """RF-26's threshold: how many new cases one approver may approve in one
    village on one business day before it looks like a group enrolled whole.

    ``bulk_approvals`` (5) is the floor; a village with many households on the
    ledger needs ``bulk_share_percent`` (2) of them, rounded up, if that is
    more (a 1,000-household community: 20). The floor is set above what case
    by case work gives: each case reaches the county after its own check,
    visit and 7-day 公示 (审核确认办法 2021 §16–20), so one approver rarely
    decides more than two or three cases of one village on a day (the demo
    county's five years of history never exceed three); 2% stands for about
    half a community's usual caseload (低保 covers some 3–5% of households).
    """

    bulk_approvals: int = 5
    bulk_share_percent: int = 2

    def threshold(self, households: int) -> int:
        """Return the approvals on one day that flag a village of ``households``."""
        share = -(-households * self.bulk_share_percent // 100)
        return max(self.bulk_approvals, share)


class NewApproval(NamedTuple):
    """A case's first approval: where, by whom, on which business day."""

    case_no: str
    programme: str
    village: str
    approver: str
    day: date
    investigated: bool
    """Whether an economic check and a township home visit preceded it."""
    evidence: Evidence


@dataclass
class _Case:
    case_no: str
    programme: str
    village: str
    checked: bool = False
    visited: bool = False
    approved: bool = False


@dataclass
class EnrolmentFacts:
    """Everything RF-26 reads."""

    as_of: date
    policy: EnrolmentPolicy = field(default_factory=EnrolmentPolicy)
    approvals: list[NewApproval] = field(default_factory=list)
    households: dict[str, set[str]] = field(default_factory=dict)
    """The household numbers registered in each region (village) code."""


class EnrolmentFold:
    """Folds fact rows of the ``ENROLMENT_KINDS`` into ``EnrolmentFacts``."""

    kinds = reads = ENROLMENT_KINDS

    def __init__(self, policy: EnrolmentPolicy | None = None) -> None:
        self.facts = EnrolmentFacts(date.min, policy or EnrolmentPolicy())
        self.cases: dict[str, _Case] = {}
        self.handlers: dict[str, Callable[[FactRow], None]] = {
            "household": self._household,
            "case": self._case,
            "checked": self._checked,
            "visit": self._visit,
            "approved": self._approved,
        }

    def take(self, row: FactRow) -> None:
        self.handlers[row.kind](row)

    def result(self, as_of: date) -> EnrolmentFacts:
        """Return the facts as of a day; the fold is spent."""
        self.handlers.clear()
        self.facts.as_of = as_of
        return self.facts

    def _household(self, row: FactRow) -> None:
        region = row.data["region"]
        self.facts.households.setdefault(region, set()).add(row.subject)

    def _case(self, row: FactRow) -> None:
        d = row.data
        self.cases[d["id"]] = _Case(row.subject, d["programme"], d["region"])

    def _checked(self, row: FactRow) -> None:
        case = self.cases.get(row.subject)
        if case is not None:
            case.checked = True

    def _visit(self, row: FactRow) -> None:
        case = self.cases.get(row.subject)
        if case is not None and row.data["level"] == "township":
            case.visited = True

    def _approved(self, row: FactRow) -> None:
        case = self.cases.get(row.subject)
        if case is None or case.approved:
            return  # only a case's first approval enrols it
        case.approved = True
        stamped = bool(row.data["imported"]) and row.day == row.recorded
        if case.programme in ONE_OFF or stamped:
            return
        self.facts.approvals.append(
            NewApproval(
                case.case_no,
                case.programme,
                case.village,
                str(row.data["staff"][0]),
                row.day,
                case.checked and case.visited,
                evidence_of(row),
            )
        )


def enrolment_facts(
    rows: Iterable[FactRow],
    as_of: date | None = None,
    policy: EnrolmentPolicy | None = None,
) -> EnrolmentFacts:
    """Fold fact rows (in ledger order) into RF-26's facts, as of a day
    (None: the latest business day, never after the latest recorded day)."""
    return fold_rows(rows, EnrolmentFold(policy), as_of)
