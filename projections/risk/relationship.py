"""The relationship rules (关系保): RF-08, RF-09, RF-10 and RF-25.

The kinship paths each rule follows are set out in ``projections.kinship_graph``:
direct and derived 近亲属 count; a spouse's kin are reported separately as
in-law (姻亲) evidence by RF-08 and RF-10, and not counted by RF-25.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from projections.kinship_graph import KinPath, in_law_kin, kin_paths, near_kin
from projections.risk.findings import RiskFinding, Severity, rule

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import date

    from projections.evidence import Evidence
    from projections.kinship_graph import KinshipGraph, Step
    from projections.risk.facts import CaseFacts, CaseStep, Post, RelationshipFacts


class _Kin:
    """Memoised near and in-law kin of staff persons over one graph."""

    def __init__(self, graph: KinshipGraph) -> None:
        self.graph = graph
        self._near: dict[str, frozenset[str]] = {}
        self._in_law: dict[str, frozenset[str]] = {}

    def near(self, person: str) -> frozenset[str]:
        if person not in self._near:
            self._near[person] = near_kin(self.graph, person)
        return self._near[person]

    def in_law(self, person: str) -> frozenset[str]:
        if person not in self._in_law:
            self._in_law[person] = in_law_kin(self.graph, person)
        return self._in_law[person]

    def evidence(self, a: str, b: str, *, in_law: bool = False) -> tuple[Evidence, ...]:
        """Return the records linking ``a`` to ``b`` along the paths that count."""
        found: list[Evidence] = []
        for path in kin_paths(self.graph, a, b):
            if _counts(path, in_law=in_law):
                links = path.links if isinstance(path, KinPath) else (path.link,)
                found.extend(link.evidence for link in links if link.evidence)
        return tuple(found)


def _counts(path: KinPath | Step, *, in_law: bool) -> bool:
    if not isinstance(path, KinPath):
        return not in_law
    return path.kind == ("in-law" if in_law else "derived")


class _Posts:
    """Filing-role posts indexed by organisation code, memoised per region."""

    def __init__(self, facts: RelationshipFacts) -> None:
        self.by_org: dict[str, list[Post]] = defaultdict(list)
        for post in sorted(facts.posts, key=lambda p: (p.staff_id, p.start)):
            if post.role in facts.filing_roles:
                self.by_org[post.org_code].append(post)
        self._serving: dict[str, tuple[Post, ...]] = {}

    def serving(self, region_code: str) -> tuple[Post, ...]:
        """Posts whose organisation contains ``region_code``, by staff and start."""
        found = self._serving.get(region_code)
        if found is None:
            found = tuple(
                sorted(
                    (
                        post
                        for n in range(1, len(region_code) + 1)
                        for post in self.by_org.get(region_code[:n], ())
                    ),
                    key=lambda p: (p.staff_id, p.start),
                )
            )
            self._serving[region_code] = found
        return found


def _posts_over(posts: _Posts, case: CaseFacts, last: date) -> Iterator[Post]:
    """Filing-role posts serving the case's region while it was open (one per staff)."""
    seen: set[str] = set()
    for post in posts.serving(case.region_code):
        if post.staff_id not in seen and post.held_between(case.applied_on, last):
            seen.add(post.staff_id)
            yield post


def _evidence(*groups: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
    return tuple(sorted({e for group in groups for e in group}))


@rule("RF-08", "近亲属未备案", "Undeclared relative of staff", "high")
def undeclared_relatives(facts: RelationshipFacts) -> Iterator[RiskFinding]:
    """An active case has a member who is 近亲属 of staff or a cadre serving its
    region, and no 近亲属备案 names that member and that staff member
    (审核确认办法 2021 §11; 审核审批办法 2012 §14). Direct and derived kin give
    a high finding; kin only through the staff member's spouse give a separate
    medium in-law finding (see ``projections.kinship_graph``).
    """
    kin = _Kin(facts.kinship)
    posts = _Posts(facts)
    for case in facts.cases:
        if not case.active:
            continue
        members = frozenset(case.members)
        for post in _posts_over(posts, case, facts.as_of):
            related = (
                kin.near(post.person_ref) | kin.in_law(post.person_ref)
            ) & members
            for member in sorted(related):
                if not case.declared(member, post.staff_id):
                    yield from _relative_finding(kin, case, post, member)


def _relative_finding(
    kin: _Kin, case: CaseFacts, post: Post, member: str
) -> Iterator[RiskFinding]:
    person = post.person_ref
    if member in kin.near(person):
        yield RiskFinding(
            "RF-08",
            "high",
            case.case_no,
            f"member {member} is 近亲属 of {post.role} {post.staff_id} "
            f"({post.org_code}) and was not declared",
            _evidence((case.opened, post.evidence), kin.evidence(person, member)),
        )
    elif member in kin.in_law(person):
        yield RiskFinding(
            "RF-08",
            "medium",
            case.case_no,
            f"member {member} is in-law kin (via the spouse) of {post.role} "
            f"{post.staff_id} ({post.org_code}); not 近亲属, reported for review",
            _evidence(
                (case.opened, post.evidence),
                kin.evidence(person, member, in_law=True),
            ),
        )


@rule("RF-09", "备案案件缺县级入户", "Declared case without county visit", "high")
def declared_without_county_visit(facts: RelationshipFacts) -> Iterator[RiskFinding]:
    """A case with a 近亲属备案 was approved with no county-level home visit on
    or before the approval (审核确认办法 2021 §20; 审核审批办法 2012 §26). Follows
    no kinship path: the case's own declaration is the fact.
    """
    for case in facts.cases:
        if not case.declarations:
            continue
        for approval in case.approvals():
            visited = any(
                s.kind == "home_visit" and s.level == "county" and s.on <= approval.on
                for s in case.steps
            )
            if not visited:
                yield RiskFinding(
                    "RF-09",
                    "high",
                    case.case_no,
                    f"approved on {approval.on.isoformat()} with a 近亲属备案 "
                    "and no county home visit",
                    _evidence(
                        (approval.evidence,),
                        tuple(d.evidence for d in case.declarations),
                    ),
                )


@rule("RF-10", "经办/审批人利益冲突", "Handler is kin of the household", "high")
def handler_is_kin(facts: RelationshipFacts) -> Iterator[RiskFinding]:
    """A home-visit investigator, the opinion-giver or the approver of a case is
    近亲属 of a household member (审核确认办法 2021 §16, §20; 社会救助暂行办法
    §66). Direct and derived kin give a high finding; kin only through the
    handler's spouse give a separate medium in-law finding.
    """
    kin = _Kin(facts.kinship)
    person_of = {post.staff_id: post.person_ref for post in facts.posts}
    for case in facts.cases:
        handlers = [
            (step, staff_id, person_of[staff_id])
            for step in case.steps
            for staff_id in step.staff_ids
            if staff_id in person_of
        ]
        for step, staff_id, person in handlers:
            for member in case.members:
                yield from _handler_finding(
                    kin, case, step, staff_id=staff_id, member=member, person=person
                )


def _handler_finding(
    kin: _Kin,
    case: CaseFacts,
    step: CaseStep,
    *,
    staff_id: str,
    member: str,
    person: str,
) -> Iterator[RiskFinding]:
    severity: Severity
    if member in kin.near(person):
        severity, what, in_law = "high", "近亲属", False
    elif member in kin.in_law(person):
        severity, what, in_law = "medium", "in-law kin (via the spouse)", True
    else:
        return
    yield RiskFinding(
        "RF-10",
        severity,
        case.case_no,
        f"{step.kind} by {staff_id}, who is {what} of member {member}",
        _evidence(
            (case.opened, step.evidence), kin.evidence(person, member, in_law=in_law)
        ),
    )


@rule("RF-25", "干部亲属集中度", "Cadre-relative concentration", "medium")
def cadre_relative_concentration(facts: RelationshipFacts) -> Iterator[RiskFinding]:
    """In a village, the share of recipient households with a member who is
    近亲属 (direct or derived) of a cadre serving that village stands far above
    the county's share: at least ``min_linked`` households, at least
    ``floor_percent`` per cent, and at least ``factor`` times the county share
    (domain notes §3 RF-25: 册派村 16 of 88, 锦城 11 of 46).
    """
    kin = _Kin(facts.kinship)
    posts = _Posts(facts)
    villages: dict[str, dict[str, tuple[Evidence, ...] | None]] = defaultdict(dict)
    for case in facts.cases:
        if case.active:
            link = _cadre_link(posts, kin, case, facts.as_of)
            households = villages[case.region_code]
            if households.get(case.household_no) is None:
                households[case.household_no] = link
    counties: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for village, households in villages.items():
        county = counties[village[:6]]
        county[0] += sum(1 for link in households.values() if link is not None)
        county[1] += len(households)
    for village, households in sorted(villages.items()):
        linked = [link for link in households.values() if link is not None]
        county_linked, county_total = counties[village[:6]]
        if _far_above(facts, len(linked), len(households), county_linked, county_total):
            yield RiskFinding(
                "RF-25",
                "medium",
                village,
                f"{len(linked)} of {len(households)} recipient households are "
                f"linked to cadres, against {county_linked} of {county_total} in "
                f"county {village[:6]}",
                _evidence(*linked),
            )


def _cadre_link(
    posts: _Posts, kin: _Kin, case: CaseFacts, on: date
) -> tuple[Evidence, ...] | None:
    members = frozenset(case.members)
    for post in posts.serving(case.region_code):
        if post.held_between(on, on):
            linked = sorted(kin.near(post.person_ref) & members)
            if linked:
                return _evidence(
                    (case.opened, post.evidence),
                    kin.evidence(post.person_ref, linked[0]),
                )
    return None


def _far_above(
    facts: RelationshipFacts,
    linked: int,
    total: int,
    county_linked: int,
    county_total: int,
) -> bool:
    limits = facts.concentration
    return (
        linked >= limits.min_linked
        and linked * 100 >= limits.floor_percent * total
        and linked * county_total >= limits.factor * county_linked * total
    )
