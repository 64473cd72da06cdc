"""Building the relationship rules' facts from the risk-fact rows.

``relationship_facts(rows, as_of)`` folds, in ledger order, the rows of staff
posts, kinship records and cases (``projections.risk.fact_views``) into the
``RelationshipFacts`` that RF-08, RF-09, RF-10 and RF-25 read
(``projections.risk.facts``). Staff who must file their relatives are those of
``domain.policy.Policy.relative_filing_roles``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from domain.policy import Policy
from projections.kinship_graph import KinLink, KinshipGraph
from projections.risk.fact_pass import fold_rows
from projections.risk.fact_views import evidence_of
from projections.risk.facts import (
    CaseFacts,
    CaseStep,
    Declaration,
    Post,
    RelationshipFacts,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from projections.risk.fact_views import FactRow
    from projections.risk.facts import StepKind

RELATIONSHIP_KINDS = (
    "staff",
    "post",
    "post-ended",
    "kin-record",
    "kin",
    "case",
    "declared",
    "visit",
    "opinion",
    "approved",
    "rejected",
    "terminated",
)
"""The fact-row kinds the relationship rules read."""


_STEPS: dict[str, StepKind] = {
    "visit": "home_visit",
    "opinion": "opinion",
    "approved": "approval",
}


@dataclass
class _Builder:
    staff_of: dict[str, tuple[str, str]] = field(default_factory=dict)
    posts: list[Post] = field(default_factory=list)
    kin_person: dict[str, str] = field(default_factory=dict)
    links: list[KinLink] = field(default_factory=list)
    cases: dict[str, CaseFacts] = field(default_factory=dict)
    case_no: dict[str, str] = field(default_factory=dict)
    declarations: dict[str, list[Declaration]] = field(default_factory=dict)
    steps: dict[str, list[CaseStep]] = field(default_factory=dict)
    closed_cases: set[str] = field(default_factory=set)

    def handlers(self) -> dict[str, Callable[[FactRow, dict[str, Any]], None]]:
        return {
            "staff": self.staff,
            "post": self.post,
            "post-ended": self.post_ended,
            "kin-record": self.kin_record,
            "kin": self.kin,
            "case": self.case,
            "declared": self.declared,
            "visit": self.step,
            "opinion": self.step,
            "approved": self.step,
            "rejected": self.closed,
            "terminated": self.closed,
        }

    def staff(self, row: FactRow, d: dict[str, Any]) -> None:
        self.staff_of[d["id"]] = (row.subject, d["person"])

    def post(self, row: FactRow, d: dict[str, Any]) -> None:
        staff_id, person = self.staff_of.get(row.subject, ("", ""))
        if staff_id:
            start = date.fromisoformat(d["from"])
            self.posts.append(
                Post(
                    staff_id, person, d["role"], d["org"], start, None, evidence_of(row)
                )
            )

    def post_ended(self, row: FactRow, d: dict[str, Any]) -> None:
        staff_id = self.staff_of.get(row.subject, ("", ""))[0]
        for index, post in enumerate(self.posts):
            if (post.staff_id, post.role, post.org_code, post.end) == (
                staff_id,
                d["role"],
                d["org"],
                None,
            ):
                self.posts[index] = replace(post, end=date.fromisoformat(d["last"]))

    def kin_record(self, row: FactRow, d: dict[str, Any]) -> None:
        self.kin_person[row.subject] = d["person"]

    def kin(self, row: FactRow, d: dict[str, Any]) -> None:
        person = self.kin_person.get(row.subject)
        if person is not None:
            self.links.append(
                KinLink(
                    person, d["other"], d["relation"], d["source"], evidence_of(row)
                )
            )

    def case(self, row: FactRow, d: dict[str, Any]) -> None:
        self.case_no[d["id"]] = row.subject
        self.cases[row.subject] = CaseFacts(
            row.subject,
            d["household"],
            d["region"],
            d["programme"],
            tuple(d["members"]),
            row.day,
            evidence_of(row),
        )

    def declared(self, row: FactRow, d: dict[str, Any]) -> None:
        number = self.case_no.get(row.subject)
        if number is not None:
            filed = Declaration(
                d["member"], d["staff"], d["relation"], evidence_of(row)
            )
            self.declarations.setdefault(number, []).append(filed)

    def step(self, row: FactRow, d: dict[str, Any]) -> None:
        number = self.case_no.get(row.subject)
        if number is not None:
            taken = CaseStep(
                _STEPS[row.kind],
                tuple(d["staff"]),
                row.day,
                evidence_of(row),
                d.get("level", ""),
            )
            self.steps.setdefault(number, []).append(taken)

    def closed(self, row: FactRow, _d: dict[str, Any]) -> None:
        number = self.case_no.get(row.subject)
        if number is not None:
            self.closed_cases.add(number)

    def case_facts(self) -> tuple[CaseFacts, ...]:
        """Return every case with its declarations, steps and whether it is open."""
        return tuple(
            replace(
                case,
                active=number not in self.closed_cases,
                declarations=tuple(self.declarations.get(number, ())),
                steps=tuple(self.steps.get(number, ())),
            )
            for number, case in self.cases.items()
        )


class RelationshipFold:
    """Folds fact rows of the ``RELATIONSHIP_KINDS`` into ``RelationshipFacts``."""

    kinds = reads = RELATIONSHIP_KINDS

    def __init__(self, policy: Policy | None = None) -> None:
        self.builder = _Builder()
        self.handlers = self.builder.handlers()
        self.filing_roles = (policy or Policy()).relative_filing_roles

    def take(self, row: FactRow) -> None:
        handler = self.handlers.get(row.kind)
        if handler is not None:
            handler(row, row.data)

    def result(self, as_of: date) -> RelationshipFacts:
        builder = self.builder
        return RelationshipFacts(
            builder.case_facts(),
            tuple(builder.posts),
            KinshipGraph.from_links(builder.links),
            self.filing_roles,
            as_of,
        )


def relationship_facts(
    rows: Iterable[FactRow], as_of: date | None = None, policy: Policy | None = None
) -> RelationshipFacts:
    """Fold fact rows (in ledger order) into the relationship rules' facts.

    ``as_of`` is the day posts are judged held on; by default the latest
    business day among the rows, but never after the latest day anything was
    recorded (``fact_views.judged_day``).
    """
    return fold_rows(rows, RelationshipFold(policy), as_of)
