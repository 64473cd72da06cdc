"""The rule catalogue: every risk rule the scan runs, grouped by the facts it reads.

A ``RuleGroup`` names its rules (a named tuple of ``Rule``, as in
``projections.risk.registry``), the views that keep its facts current, and how
its facts are built from those views as of a day. ``GROUPS`` is what the scan
(``projections.risk.scan``) runs; ``catalogue()`` lists every rule with its
stable id, 中文 name, English name, severity and docstring, for the CLI and
for reports.

Every group reads the one risk-fact log (``projections.risk.fact_views``),
each the kinds of row its fold takes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from projections.risk.enrolment import ENROLMENT_RULES, enrolment_facts_at
from projections.risk.enrolment_facts import EnrolmentFold
from projections.risk.equal_shares import equal_shares
from projections.risk.fact_kinds import fact_views
from projections.risk.fact_views import read_facts
from projections.risk.imprisonment import paid_while_imprisoned
from projections.risk.money import account_misuse, double_enrolment
from projections.risk.money_amounts import paid_above_approved
from projections.risk.money_flow import (
    paid_after_death,
    stalled_money,
    statement_disagrees,
)
from projections.risk.money_fold import MONEY_KINDS, MoneyFold, money_facts
from projections.risk.orphans import orphan_over_age
from projections.risk.procedure import (
    PROCEDURE_RULES,
    procedure_facts_at,
)
from projections.risk.procedure_fold import ProcedureFold
from projections.risk.registry import RELATIONSHIP_RULES
from projections.risk.relation_facts import (
    RELATIONSHIP_KINDS,
    RelationshipFold,
    relationship_facts,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from datetime import date

    from sqlalchemy.engine import Connection, Engine

    from projections.risk.enrolment_facts import EnrolmentFacts
    from projections.risk.fact_pass import Fold
    from projections.risk.facts import RelationshipFacts
    from projections.risk.findings import Rule, Severity
    from projections.risk.money_facts import MoneyFacts
    from projections.risk.procedure_facts import ProcedureFacts
    from projections.views import View

F = TypeVar("F")


class MoneyRules(NamedTuple):
    """The money rules: rules over accounts, schedules, lines, deaths, births
    and funds."""

    rf01: Rule[MoneyFacts]
    rf02: Rule[MoneyFacts]
    rf14: Rule[MoneyFacts]
    rf15: Rule[MoneyFacts]
    rf16: Rule[MoneyFacts]
    rf18: Rule[MoneyFacts]
    rf19: Rule[MoneyFacts]
    rf20: Rule[MoneyFacts]
    rf29: Rule[MoneyFacts]


MONEY_RULES = MoneyRules(
    rf01=paid_after_death,
    rf02=paid_while_imprisoned,
    rf14=double_enrolment,
    rf15=equal_shares,
    rf16=account_misuse,
    rf18=paid_above_approved,
    rf19=stalled_money,
    rf20=statement_disagrees,
    rf29=orphan_over_age,
)


@dataclass(frozen=True)
class RuleGroup(Generic[F]):
    """Rules over one kind of facts, with the views and builder of those facts."""

    name: str
    rules: tuple[Rule[F], ...]
    views: Callable[[Engine], Sequence[View]]
    """The views the runner keeps current for these facts."""
    facts: Callable[[Connection, date | None], F]
    """Build the facts from the views, as of a day (None: the latest day seen)."""
    fold: Callable[[], Fold[F]] | None = None
    """A fresh fold of the facts, so the scan reads the fact log once for
    every group that has one (``projections.risk.fact_pass.fold_once``)."""


@dataclass(frozen=True)
class Entry:
    """One rule as the catalogue lists it."""

    rule_id: str
    name_zh: str
    name_en: str
    severity: Severity
    doc: str
    group: str

    def as_dict(self) -> dict[str, str]:
        return {
            "rule_id": self.rule_id,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "severity": self.severity,
            "doc": self.doc,
            "group": self.group,
        }


def _relationship(conn: Connection, as_of: date | None) -> RelationshipFacts:
    return relationship_facts(read_facts(conn, RELATIONSHIP_KINDS), as_of)


def _money(conn: Connection, as_of: date | None) -> MoneyFacts:
    return money_facts(read_facts(conn, MONEY_KINDS), as_of)


RELATIONSHIP_GROUP: RuleGroup[RelationshipFacts] = RuleGroup(
    "relationship",
    tuple(RELATIONSHIP_RULES),
    fact_views,
    _relationship,
    RelationshipFold,
)
MONEY_GROUP: RuleGroup[MoneyFacts] = RuleGroup(
    "money", tuple(MONEY_RULES), fact_views, _money, MoneyFold
)
PROCEDURE_GROUP: RuleGroup[ProcedureFacts] = RuleGroup(
    "procedure", tuple(PROCEDURE_RULES), fact_views, procedure_facts_at, ProcedureFold
)
ENROLMENT_GROUP: RuleGroup[EnrolmentFacts] = RuleGroup(
    "enrolment", tuple(ENROLMENT_RULES), fact_views, enrolment_facts_at, EnrolmentFold
)

GROUPS: tuple[RuleGroup[Any], ...] = (
    RELATIONSHIP_GROUP,
    MONEY_GROUP,
    PROCEDURE_GROUP,
    ENROLMENT_GROUP,
)
"""Every group the scan runs, in order."""


def catalogue(groups: Sequence[RuleGroup[Any]] = GROUPS) -> tuple[Entry, ...]:
    """Return every rule of ``groups`` in id order (ids are unique)."""
    entries = [
        Entry(r.rule_id, r.name_zh, r.name_en, r.severity, r.doc, group.name)
        for group in groups
        for r in group.rules
    ]
    return tuple(sorted(entries, key=lambda e: (e.rule_id, e.group)))
