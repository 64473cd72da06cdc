"""The rule catalogue, the risk-fact log, and the relationship facts built from it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from eventsourcing.utils import get_topic
from test_risk_money_support import County, id_number

from domain import roles
from projections.risk.catalogue import (
    GROUPS,
    MONEY_GROUP,
    PROCEDURE_GROUP,
    RuleGroup,
    catalogue,
)
from projections.risk.fact_extracts import EXTRACTS
from projections.risk.fact_views import RiskFactLog
from projections.risk.findings import RiskFinding, rule, run_rules
from projections.risk.registry import RELATIONSHIP_RULES

if TYPE_CHECKING:
    from collections.abc import Iterator

    from projections.risk.facts import RelationshipFacts

RELATIONSHIP_IDS = {"RF-08", "RF-09", "RF-10", "RF-25"}
MONEY_IDS = {
    "RF-01",
    "RF-02",
    "RF-14",
    "RF-15",
    "RF-16",
    "RF-18",
    "RF-19",
    "RF-20",
    "RF-29",
}
PROCEDURE_IDS = {"RF-11", "RF-12", "RF-13", "RF-21", "RF-22", "RF-23", "RF-24", "RF-27"}
ENROLMENT_IDS = {"RF-26"}


def test_the_catalogue_lists_every_rule_once_with_names_severity_and_doc() -> None:
    entries = catalogue()
    ids = [e.rule_id for e in entries]
    assert ids == sorted(ids)
    assert len(ids) == len(set(ids))
    assert set(ids) >= RELATIONSHIP_IDS | MONEY_IDS
    for entry in entries:
        assert entry.name_zh
        assert entry.name_en
        assert entry.doc
        assert entry.severity in ("high", "medium", "low")
        assert entry.group in {g.name for g in GROUPS}
    assert {e.rule_id for e in entries if e.group == "money"} == MONEY_IDS
    assert {e.rule_id for e in entries if e.group == "procedure"} == PROCEDURE_IDS
    assert {e.rule_id for e in entries if e.group == "enrolment"} == ENROLMENT_IDS
    assert set(entries[0].as_dict()) == {
        "rule_id",
        "name_zh",
        "name_en",
        "severity",
        "doc",
        "group",
    }


def test_the_procedure_slot_is_part_of_what_the_scan_runs() -> None:
    assert PROCEDURE_GROUP in GROUPS

    @rule("RF-99", "测试", "Test rule", "low")
    def always(_facts: object) -> Iterator[RiskFinding]:
        """A stand-in rule for the slot."""
        yield from ()

    extra: RuleGroup[object] = RuleGroup(
        "procedure", (always,), MONEY_GROUP.views, lambda _c, _d: object()
    )
    listed = catalogue((*GROUPS, extra))
    assert [e.group for e in listed if e.rule_id == "RF-99"] == ["procedure"]


def test_the_fact_log_reads_exactly_the_topics_it_extracts() -> None:
    log = RiskFactLog()
    assert set(log.topics) == {get_topic(cls) for cls in EXTRACTS}
    assert list(log.rows(object(), None)) == []  # type: ignore[arg-type]


def cadre_county(*, declared: bool = False, left_on: str = "") -> County:
    """K1, a village committee member, is the brother of H1's head."""
    county = County()
    county.staff("K1", 30, roles.VILLAGE_COMMITTEE)
    if left_on:
        county.add(
            "staff.role_ended",
            "K1",
            left_on,
            staff_role=roles.VILLAGE_COMMITTEE,
            org_code="110101001",
            last_day=left_on,
        )
    county.household("H1", [1, 2])
    county.add(
        "kinship.recorded",
        id_number(1),
        "2022-12-06",
        other=id_number(30),
        relation=roles.SIBLING,
        source="户籍",
    )
    county.case("DB-1", "H1", [1, 2])
    if declared:
        county.add(
            "case.RelativeDeclared",
            "DB-1",
            "2023-01-06",
            member_ref=county.ref(1),
            staff_id="K1",
            relation=roles.SIBLING,
        )
    return county


def rf08(facts: RelationshipFacts) -> list[RiskFinding]:
    return [f for f in run_rules(RELATIONSHIP_RULES, facts) if f.rule_id == "RF-08"]


def test_relationship_facts_from_the_ledger_catch_an_undeclared_relative() -> None:
    county = cadre_county()
    facts = county.relationships()
    (finding,) = rf08(facts)
    assert finding.subject == "DB-1"
    assert "K1" in finding.summary
    assert facts.as_of == date(2023, 1, 20)
    topics = {e.topic for e in finding.evidence}
    assert {"Staff.RoleAssigned", "KinRecord.KinshipRecorded"} <= topics


def test_a_declared_relative_is_not_found() -> None:
    assert rf08(cadre_county(declared=True).relationships()) == []


def test_a_cadre_who_left_before_the_application_is_not_counted() -> None:
    county = cadre_county(left_on="2022-12-31")
    facts = county.relationships()
    (post,) = facts.posts
    assert post.end == date(2022, 12, 31)
    assert rf08(facts) == []
