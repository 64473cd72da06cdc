"""The kinship graph: who is 近亲属 of whom, and which longer paths the rules follow.

Records come from ``KinRecord.KinshipRecorded`` (``domain.kinship``): ``relation``
is what ``person_b`` is to ``person_a``, over the eight relations of
``domain.roles`` (审核审批办法 2012 §14). The graph keeps every record both
ways, with the inverse relation (``domain.kinship.INVERSE``).

Which paths count:

* **Direct** (length 1): any recorded relation, in either direction. These
  are 近亲属.
* **Derived** (length 2, certain): a chain that always composes into one of
  the eight, so it is 近亲属 even when nobody recorded it:
  父母∘父母 → 祖父母/外祖父母; 子女∘子女 → 孙子女/外孙子女;
  父母∘子女 → 兄弟姐妹 (half-siblings are 兄弟姐妹 too).
* **In-law** (length 2 through 配偶): a spouse's direct 近亲属. A staff
  member's spouse's parent is 近亲属 *of the spouse*, not of the staff member;
  such paths are reported as in-law (姻亲) evidence, never as 近亲属.
* **Other** length-2 chains (a sibling's parent may be a step-parent; a
  parent's sibling, a sibling's child, a child's spouse) are not 近亲属 and no
  rule counts them; ``second_degree`` still lists them for an inspector.
  Nothing longer than two steps is followed.

What each relationship rule follows (``projections.risk.relationship``):

* **RF-08** undeclared 近亲属: a household member who is direct or derived
  近亲属 of serving staff or a cadre, with no declaration → finding; a member
  who is only in-law kin (via the staff member's spouse) → a separate,
  lower-severity in-law finding.
* **RF-09** declared case approved without a county home visit: follows no
  path; it reads the case's own declaration.
* **RF-10** investigator, opinion-giver or approver is kin of the household:
  direct or derived 近亲属 → finding; in-law only → separate in-law finding.
* **RF-25** village concentration of cadre-linked recipients: a household is
  linked when a member is direct or derived 近亲属 of a cadre serving that
  village; in-law paths are not counted, for the village and the county
  baseline alike.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

from domain import roles
from domain.kinship import INVERSE

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from projections.evidence import Evidence

PathKind = Literal["derived", "in-law", "other"]

DERIVED: Final[Mapping[tuple[str, str], str]] = {
    (roles.PARENT, roles.PARENT): f"{roles.GRANDPARENT}/{roles.MATERNAL_GRANDPARENT}",
    (roles.CHILD, roles.CHILD): f"{roles.GRANDCHILD}/{roles.MATERNAL_GRANDCHILD}",
    (roles.PARENT, roles.CHILD): roles.SIBLING,
}
"""Two-step chains that are always 近亲属, and the relation they make."""


@dataclass(frozen=True)
class KinLink:
    """One recorded relation: ``person_b`` is ``person_a``'s ``relation``.

    ``evidence`` is the event that recorded it, so a finding built on the link
    can cite it (None for links not read from the ledger).
    """

    person_a: str
    person_b: str
    relation: str
    source: str
    evidence: Evidence | None = None


@dataclass(frozen=True)
class Step:
    """One edge as seen from a person: ``other`` is their ``relation``."""

    other: str
    relation: str
    link: KinLink


@dataclass(frozen=True)
class KinPath:
    """A two-step path ``start → via → end`` and what it makes of ``end``."""

    start: str
    via: str
    end: str
    chain: tuple[str, str]
    kind: PathKind
    derived: str | None
    links: tuple[KinLink, KinLink]


@dataclass(frozen=True)
class KinshipGraph:
    """Every person's steps, both directions of every record."""

    steps: Mapping[str, tuple[Step, ...]]

    @classmethod
    def from_links(cls, links: Iterable[KinLink]) -> KinshipGraph:
        """Build the graph; unknown relations and self-links are ignored.

        The domain records each relation on both persons (the inverse on the
        other), so the same fact arrives twice: each step is kept once, with
        the first record that stated it.
        """
        steps: dict[str, dict[tuple[str, str], Step]] = defaultdict(dict)
        for link in links:
            if link.relation not in INVERSE or link.person_a == link.person_b:
                continue
            inverse = INVERSE[link.relation]
            for person, other, relation in (
                (link.person_a, link.person_b, link.relation),
                (link.person_b, link.person_a, inverse),
            ):
                steps[person].setdefault((other, relation), Step(other, relation, link))
        return cls({person: tuple(found.values()) for person, found in steps.items()})

    def of(self, person: str) -> tuple[Step, ...]:
        return self.steps.get(person, ())


def direct_kin(graph: KinshipGraph, person: str) -> frozenset[str]:
    """Return the persons recorded as ``person``'s 近亲属 (either direction)."""
    return frozenset(step.other for step in graph.of(person))


def relations_between(graph: KinshipGraph, a: str, b: str) -> frozenset[str]:
    """Return what ``b`` is to ``a`` by direct records (empty if unrelated)."""
    return frozenset(step.relation for step in graph.of(a) if step.other == b)


def second_degree(graph: KinshipGraph, person: str) -> tuple[KinPath, ...]:
    """Return every two-step path from ``person``, classified (see module doc)."""
    paths: list[KinPath] = []
    for first in graph.of(person):
        for second in graph.of(first.other):
            if second.other == person:
                continue
            chain = (first.relation, second.relation)
            derived = DERIVED.get(chain)
            kind: PathKind = (
                "derived"
                if derived
                else "in-law"
                if first.relation == roles.SPOUSE
                else "other"
            )
            paths.append(
                KinPath(
                    person,
                    first.other,
                    second.other,
                    chain,
                    kind,
                    derived,
                    (first.link, second.link),
                )
            )
    return tuple(paths)


def near_kin(graph: KinshipGraph, person: str) -> frozenset[str]:
    """Return ``person``'s 近亲属: direct records plus derived two-step chains."""
    derived = {p.end for p in second_degree(graph, person) if p.kind == "derived"}
    return direct_kin(graph, person) | derived


def are_near_kin(graph: KinshipGraph, a: str, b: str) -> bool:
    """Return whether ``a`` and ``b`` are 近亲属 (direct or derived)."""
    return a != b and b in near_kin(graph, a)


def in_law_kin(graph: KinshipGraph, person: str) -> frozenset[str]:
    """Return the spouse's direct 近亲属 who are not ``person``'s own 近亲属."""
    own = near_kin(graph, person)
    return frozenset(
        p.end
        for p in second_degree(graph, person)
        if p.kind == "in-law" and p.end not in own
    )


def kin_paths(graph: KinshipGraph, a: str, b: str) -> tuple[KinPath | Step, ...]:
    """Return the evidence linking ``a`` to ``b``: direct steps, then two-step paths."""
    direct = tuple(step for step in graph.of(a) if step.other == b)
    return direct + tuple(p for p in second_degree(graph, a) if p.end == b)
