"""Facts the relationship rules read: staff posts, case steps, declarations, kinship.

These are plain records the read side builds from events (``StaffRoleAssigned``,
``ReliefCase.Applied``, ``.RelativeDeclared``, ``.HomeVisited``,
``.OpinionIssued``, ``.Approved``, ``KinRecord.KinshipRecorded``); each carries
the ``Evidence`` of the event it came from. Rules take them as a whole and
never touch a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from datetime import date

    from projections.evidence import Evidence
    from projections.kinship_graph import KinshipGraph

StepKind = Literal["home_visit", "opinion", "approval"]


@dataclass(frozen=True)
class Post:
    """A staff member holding a role in an organisation over a period."""

    staff_id: str
    person_ref: str
    role: str
    org_code: str
    start: date
    end: date | None
    evidence: Evidence

    def serves(self, region_code: str) -> bool:
        """Return whether ``region_code`` lies within this post's organisation."""
        return region_code.startswith(self.org_code)

    def held_between(self, first: date, last: date) -> bool:
        """Return whether the post was held on any day from ``first`` to ``last``."""
        return self.start <= last and (self.end is None or self.end >= first)


@dataclass(frozen=True)
class Declaration:
    """A 近亲属备案 on a case: ``member_ref`` is kin of staff ``staff_id``."""

    member_ref: str
    staff_id: str
    relation: str
    evidence: Evidence


@dataclass(frozen=True)
class CaseStep:
    """A step of a case done by staff: a home visit, an opinion, an approval."""

    kind: StepKind
    staff_ids: tuple[str, ...]
    on: date
    evidence: Evidence
    level: str = ""


@dataclass(frozen=True)
class CaseFacts:
    """What the relationship rules need of one case."""

    case_no: str
    household_no: str
    region_code: str
    programme: str
    members: tuple[str, ...]
    applied_on: date
    opened: Evidence
    active: bool = True
    declarations: tuple[Declaration, ...] = ()
    steps: tuple[CaseStep, ...] = ()

    def approvals(self) -> tuple[CaseStep, ...]:
        return tuple(step for step in self.steps if step.kind == "approval")

    def declared(self, member_ref: str, staff_id: str) -> bool:
        """Return whether this member's kinship to this staff member was filed."""
        return any(
            d.member_ref == member_ref and d.staff_id == staff_id
            for d in self.declarations
        )


@dataclass(frozen=True)
class Concentration:
    """RF-25 thresholds: how far above the county a village must stand."""

    min_linked: int = 3
    floor_percent: int = 10
    factor: int = 2


@dataclass(frozen=True)
class RelationshipFacts:
    """Everything RF-08, RF-09, RF-10 and RF-25 read."""

    cases: tuple[CaseFacts, ...]
    posts: tuple[Post, ...]
    kinship: KinshipGraph
    filing_roles: frozenset[str]
    as_of: date
    concentration: Concentration = field(default_factory=Concentration)
