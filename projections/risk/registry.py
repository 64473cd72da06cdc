"""The registry of risk rules: named tuples of rules, grouped by the facts they read.

Like beancount's ``validation.HARDCORE_VALIDATIONS``, a registry is a plain
named tuple: run it with ``run_rules(RELATIONSHIP_RULES, facts)``. Money,
procedure and time rules join as their facts views land.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from projections.risk.relationship import (
    cadre_relative_concentration,
    declared_without_county_visit,
    handler_is_kin,
    undeclared_relatives,
)

if TYPE_CHECKING:
    from projections.risk.facts import RelationshipFacts
    from projections.risk.findings import Rule


class RelationshipRules(NamedTuple):
    """The 关系保 core: rules over staff posts, cases and the kinship graph."""

    rf08: Rule[RelationshipFacts]
    rf09: Rule[RelationshipFacts]
    rf10: Rule[RelationshipFacts]
    rf25: Rule[RelationshipFacts]


RELATIONSHIP_RULES = RelationshipRules(
    rf08=undeclared_relatives,
    rf09=declared_without_county_visit,
    rf10=handler_is_kin,
    rf25=cadre_relative_concentration,
)
