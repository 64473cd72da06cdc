"""RF-08, RF-09, RF-10, RF-25: each pattern planted, and a near miss not flagged."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from domain import roles
from projections.evidence import Evidence
from projections.kinship_graph import KinLink, KinshipGraph
from projections.risk.facts import (
    CaseFacts,
    CaseStep,
    Concentration,
    Declaration,
    Post,
    RelationshipFacts,
)
from projections.risk.findings import run_rules
from projections.risk.registry import RELATIONSHIP_RULES

VILLAGE = "110101001001"
OTHER_VILLAGE = "110101001002"
TOWNSHIP = "110101001"
FILING = frozenset({roles.TOWNSHIP_CLERK, roles.VILLAGE_COMMITTEE, roles.APPROVER})
_positions = iter(range(1, 10_000))


def ev(topic: str) -> Evidence:
    position = next(_positions)
    return Evidence(position, f"{position:064x}", topic)


def kin(a: str, b: str, relation: str) -> KinLink:
    return KinLink(a, b, relation, "户籍", ev("KinRecord.KinshipRecorded"))


def post(
    staff_id: str,
    person: str,
    role: str = roles.VILLAGE_COMMITTEE,
    org: str = VILLAGE,
    end: date | None = None,
) -> Post:
    return Post(
        staff_id, person, role, org, date(2020, 1, 1), end, ev("Staff.RoleAssigned")
    )


def case(
    no: str, members: tuple[str, ...], region: str = VILLAGE, **more: Any
) -> CaseFacts:
    return CaseFacts(
        no,
        f"H{no}",
        region,
        roles.DIBAO,
        members,
        date(2024, 3, 1),
        ev("ReliefCase.Applied"),
        **more,
    )


def facts(
    cases: list[CaseFacts], posts: list[Post], links: list[KinLink], **more: Any
) -> RelationshipFacts:
    return RelationshipFacts(
        tuple(cases),
        tuple(posts),
        KinshipGraph.from_links(links),
        FILING,
        date(2024, 6, 30),
        **more,
    )


def found(rule_id: str, f: RelationshipFacts) -> list[tuple[str, str]]:
    return [
        (x.severity, x.subject)
        for x in run_rules(RELATIONSHIP_RULES, f)
        if x.rule_id == rule_id
    ]


# RF-08 -------------------------------------------------------------------


def test_rf08_flags_a_cadres_undeclared_mother_among_recipients() -> None:
    f = facts(
        [case("C1", ("mother",))],
        [post("S1", "cadre")],
        [kin("cadre", "mother", roles.PARENT)],
    )
    (finding,) = RELATIONSHIP_RULES.rf08(f)
    assert (finding.severity, finding.subject) == ("high", "C1")
    assert {e.topic for e in finding.evidence} == {
        "ReliefCase.Applied",
        "Staff.RoleAssigned",
        "KinRecord.KinshipRecorded",
    }


def test_rf08_near_miss_the_relative_was_declared() -> None:
    declared = Declaration(
        "mother", "S1", roles.PARENT, ev("ReliefCase.RelativeDeclared")
    )
    f = facts(
        [case("C1", ("mother",), declarations=(declared,))],
        [post("S1", "cadre")],
        [kin("cadre", "mother", roles.PARENT)],
    )
    assert found("RF-08", f) == []


def test_rf08_a_declaration_naming_another_staff_member_does_not_cover_this_one() -> (
    None
):
    declared = Declaration(
        "mother", "S9", roles.PARENT, ev("ReliefCase.RelativeDeclared")
    )
    f = facts(
        [case("C1", ("mother",), declarations=(declared,))],
        [post("S1", "cadre")],
        [kin("cadre", "mother", roles.PARENT)],
    )
    assert found("RF-08", f) == [("high", "C1")]


def test_rf08_follows_a_derived_grandparent() -> None:
    f = facts(
        [case("C1", ("grandad",))],
        [post("S1", "cadre")],
        [kin("cadre", "father", roles.PARENT), kin("father", "grandad", roles.PARENT)],
    )
    (finding,) = RELATIONSHIP_RULES.rf08(f)
    assert finding.severity == "high"
    assert sum(e.topic == "KinRecord.KinshipRecorded" for e in finding.evidence) == 2


def test_rf08_reports_a_spouses_parent_separately_as_in_law_evidence() -> None:
    f = facts(
        [case("C1", ("father-in-law",))],
        [post("S1", "cadre")],
        [
            kin("cadre", "wife", roles.SPOUSE),
            kin("wife", "father-in-law", roles.PARENT),
        ],
    )
    (finding,) = RELATIONSHIP_RULES.rf08(f)
    assert finding.severity == "medium"
    assert "in-law" in finding.summary
    assert "近亲属 of" not in finding.summary


def test_rf08_near_miss_staff_of_another_village_or_not_in_a_filing_role() -> None:
    f = facts(
        [case("C1", ("mother",))],
        [
            post("S1", "cadre", org=OTHER_VILLAGE),
            post("S2", "cadre2", role=roles.FINANCE),
        ],
        [kin("cadre", "mother", roles.PARENT), kin("cadre2", "mother", roles.CHILD)],
    )
    assert found("RF-08", f) == []


def test_rf08_near_miss_the_post_ended_before_the_application() -> None:
    f = facts(
        [case("C1", ("mother",))],
        [post("S1", "cadre", end=date(2023, 12, 31))],
        [kin("cadre", "mother", roles.PARENT)],
    )
    assert found("RF-08", f) == []


def test_rf08_township_staff_serve_every_village_of_their_township() -> None:
    f = facts(
        [case("C1", ("son",), region=OTHER_VILLAGE)],
        [post("S1", "clerk", role=roles.TOWNSHIP_CLERK, org=TOWNSHIP)],
        [kin("clerk", "son", roles.CHILD)],
    )
    assert found("RF-08", f) == [("high", "C1")]


# RF-09 -------------------------------------------------------------------


def approval(on: date) -> CaseStep:
    return CaseStep("approval", ("A1",), on, ev("ReliefCase.Approved"))


def visit(level: str, on: date) -> CaseStep:
    return CaseStep("home_visit", ("I1", "I2"), on, ev("ReliefCase.HomeVisited"), level)


DECLARED = (Declaration("m", "S1", roles.PARENT, ev("ReliefCase.RelativeDeclared")),)


def test_rf09_flags_a_declared_case_approved_after_only_a_township_visit() -> None:
    steps = (visit("township", date(2024, 3, 5)), approval(date(2024, 4, 1)))
    f = facts([case("C1", ("m",), declarations=DECLARED, steps=steps)], [], [])
    (finding,) = RELATIONSHIP_RULES.rf09(f)
    assert finding.subject == "C1"
    assert [e.topic for e in finding.evidence] == [
        "ReliefCase.RelativeDeclared",
        "ReliefCase.Approved",
    ]


def test_rf09_flags_a_county_visit_made_only_after_the_approval() -> None:
    steps = (approval(date(2024, 4, 1)), visit("county", date(2024, 4, 2)))
    f = facts([case("C1", ("m",), declarations=DECLARED, steps=steps)], [], [])
    assert found("RF-09", f) == [("high", "C1")]


def test_rf09_near_miss_county_visit_before_approval_or_no_declaration() -> None:
    visited = (visit("county", date(2024, 3, 20)), approval(date(2024, 4, 1)))
    undeclared = (approval(date(2024, 4, 1)),)
    f = facts(
        [
            case("C1", ("m",), declarations=DECLARED, steps=visited),
            case("C2", ("n",), steps=undeclared),
        ],
        [],
        [],
    )
    assert found("RF-09", f) == []


# RF-10 -------------------------------------------------------------------


def test_rf10_flags_an_approver_whose_brother_is_in_the_household() -> None:
    steps = (
        CaseStep("approval", ("A1",), date(2024, 4, 1), ev("ReliefCase.Approved")),
    )
    f = facts(
        [case("C1", ("brother",), steps=steps)],
        [post("A1", "approver", role=roles.APPROVER, org="110101")],
        [kin("approver", "brother", roles.SIBLING)],
    )
    (finding,) = RELATIONSHIP_RULES.rf10(f)
    assert finding.severity == "high"
    assert "approval by A1" in finding.summary


def test_rf10_flags_one_of_two_investigators_as_in_law_kin() -> None:
    steps = (visit("township", date(2024, 3, 5)),)
    f = facts(
        [case("C1", ("sister-in-law",), steps=steps)],
        [
            post("I1", "inv1", role=roles.TOWNSHIP_CLERK, org=TOWNSHIP),
            post("I2", "inv2", role=roles.TOWNSHIP_CLERK, org=TOWNSHIP),
        ],
        [
            kin("inv2", "wife", roles.SPOUSE),
            kin("wife", "sister-in-law", roles.SIBLING),
        ],
    )
    assert found("RF-10", f) == [("medium", "C1")]


def test_rf10_near_miss_the_handler_is_the_members_uncle() -> None:
    steps = (
        CaseStep("opinion", ("O1",), date(2024, 3, 9), ev("ReliefCase.OpinionIssued")),
    )
    f = facts(
        [case("C1", ("nephew",), steps=steps)],
        [post("O1", "officer", role=roles.TOWNSHIP_CLERK, org=TOWNSHIP)],
        [kin("officer", "sister", roles.SIBLING), kin("sister", "nephew", roles.CHILD)],
    )
    assert found("RF-10", f) == []


# RF-25 -------------------------------------------------------------------


def village_of(
    code: str, households: int, linked: int, cadre: str
) -> tuple[list[CaseFacts], list[KinLink]]:
    cases, links = [], []
    for n in range(households):
        member = f"{code}-m{n}"
        cases.append(case(f"{code}-{n}", (member,), region=code))
        if n < linked:
            links.append(kin(cadre, member, roles.SIBLING if n % 2 else roles.CHILD))
    return cases, links


def test_rf25_flags_a_village_far_above_the_county_share() -> None:
    hot, hot_links = village_of(VILLAGE, 20, 5, "cadre-a")
    calm, calm_links = village_of(OTHER_VILLAGE, 60, 1, "cadre-b")
    f = facts(
        hot + calm,
        [post("SA", "cadre-a"), post("SB", "cadre-b", org=OTHER_VILLAGE)],
        hot_links + calm_links,
    )
    (finding,) = RELATIONSHIP_RULES.rf25(f)
    assert finding.subject == VILLAGE
    assert "5 of 20" in finding.summary
    assert "6 of 80" in finding.summary


def test_rf25_near_miss_every_village_alike_is_not_far_above_the_county() -> None:
    a, a_links = village_of(VILLAGE, 20, 4, "cadre-a")
    b, b_links = village_of(OTHER_VILLAGE, 20, 4, "cadre-b")
    f = facts(
        a + b,
        [post("SA", "cadre-a"), post("SB", "cadre-b", org=OTHER_VILLAGE)],
        a_links + b_links,
    )
    assert found("RF-25", f) == []


def test_rf25_near_miss_too_few_linked_households_and_in_laws_not_counted() -> None:
    hot, links = village_of(VILLAGE, 10, 2, "cadre-a")
    calm, _ = village_of(OTHER_VILLAGE, 60, 0, "nobody")
    in_laws = [kin("cadre-a", "wife", roles.SPOUSE)] + [
        kin("wife", c.members[0], roles.SIBLING) for c in hot[2:6]
    ]
    f = facts(hot + calm, [post("SA", "cadre-a")], links + in_laws)
    assert found("RF-25", f) == []
    lowered = replace(f, concentration=Concentration(min_linked=2))
    assert found("RF-25", lowered) == [("medium", VILLAGE)]


# the registry ------------------------------------------------------------


def test_every_relationship_rule_is_named_documented_and_unique() -> None:
    ids = [r.rule_id for r in RELATIONSHIP_RULES]
    assert ids == ["RF-08", "RF-09", "RF-10", "RF-25"]
    for r in RELATIONSHIP_RULES:
        assert r.name_zh
        assert r.name_en
        assert "§" in r.doc
