"""The demo's manifest lists what its rules will name, and the summary compares them.

A planted entry names a case only if the case covers the kin the pattern is
about (a 两项补贴 for the head's child, approved by the head's brother, is an
uncle's approval: no 近亲属 is on the case, so nothing is planted there), and
each entry carries the subject its rule's finding names. The summary table
counts subjects on both sides, so one finding on a cluster of six grants and
four findings on one case's four undeclared members compare like with like.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from rich.console import Console

from cli.demo.generate import generate
from cli.demo.summary import found_table

if TYPE_CHECKING:
    from cli.demo.generate import Generated

HOUSEHOLDS = 400
UNDECLARED_AID_SEED = 12
"""At this seed and size an undeclared household also receives 急难型 aid."""
NEPHEW_SEED = 5
"""At this seed and size an approver's kin household has a case covering no kin."""


def _applied(generated: Generated) -> dict[str, dict[str, Any]]:
    """Each case's application line, by case number (emergency aid included)."""
    found = {}
    for raw in generated.lines:
        line = json.loads(raw)
        if line["type"] == "case.Applied":
            found[line["record"]] = line
    return found


@pytest.fixture(scope="module")
def aid() -> tuple[Generated, dict[str, dict[str, Any]]]:
    generated = generate(UNDECLARED_AID_SEED, HOUSEHOLDS)
    return generated, _applied(generated)


@pytest.fixture(scope="module")
def nephew() -> tuple[Generated, dict[str, dict[str, Any]]]:
    generated = generate(NEPHEW_SEED, HOUSEHOLDS)
    return generated, _applied(generated)


def _kin_refs(generated: Generated, household: str, staff_id: str = "") -> set[str]:
    """The household's members who are 近亲属 of a cadre (of ``staff_id``)."""
    return {
        member.ref
        for post, kin in generated.county.cadre_kin.get(household, [])
        if not staff_id or post.staff_id == staff_id
        for member, _ in kin
    }


def _planted(generated: Generated, rule: str) -> set[str]:
    return {p["case_no"] for p in generated.plan.manifest() if p["rule"] == rule}


def test_every_case_of_an_undeclared_household_covering_kin_is_planted(
    aid: tuple[Generated, dict[str, dict[str, Any]]],
) -> None:
    generated, applied = aid
    expected = {
        case_no
        for case_no, line in applied.items()
        if line["household_no"] in generated.plan.undeclared
        and _kin_refs(generated, line["household_no"]) & set(line["member_refs"])
    }
    assert any(applied[c]["category"] == "急难型" for c in expected)
    assert _planted(generated, "RF-08") == expected


def test_an_approver_kin_case_is_planted_only_if_it_covers_the_approvers_kin(
    nephew: tuple[Generated, dict[str, dict[str, Any]]],
) -> None:
    generated, applied = nephew
    covering: set[str] = set()
    not_covering: set[str] = set()
    for case_no, line in applied.items():
        approver = generated.plan.approver_kin.get(line["household_no"])
        if approver is None or line["category"] == "急难型":  # no approval step
            continue
        kin = _kin_refs(generated, line["household_no"], approver.staff_id)
        (covering if kin & set(line["member_refs"]) else not_covering).add(case_no)
    assert covering
    assert not_covering  # e.g. a 两项补贴 for the head's child: the approver's nephew
    assert _planted(generated, "RF-10") == covering


@pytest.mark.parametrize("which", ["aid", "nephew"])
def test_entries_name_the_subject_their_rule_names(
    which: str, request: pytest.FixtureRequest
) -> None:
    generated: Generated = request.getfixturevalue(which)[0]
    manifest = generated.plan.manifest()
    by_rule: dict[str, set[str]] = {}
    for entry in manifest:
        by_rule.setdefault(entry["rule"], set()).add(entry["subject"])
    township = generated.plan.bunched_township
    assert by_rule["RF-24"] == {f"township {township}"}
    assert by_rule["RF-25"] == {generated.plan.concentrated_village}
    assert all(s.startswith("account ") for s in by_rule["RF-16"])
    assert len(by_rule["RF-16"]) == len(set(generated.plan.shared_accounts.values()))
    lines = {s for s in by_rule["RF-19"] if " line " in s}
    assert lines
    (batch,) = by_rule["RF-19"] - lines  # the batch paid late
    assert batch.endswith("/2025-07")
    (statement,) = by_rule["RF-20"]
    assert " ST2025" in statement
    for entry in manifest:
        if entry["rule"] in {"RF-01", "RF-08", "RF-09", "RF-10", "RF-11", "RF-22"}:
            assert entry["subject"] == entry["case_no"]


def _rows(findings: list[tuple[str, str]], planted: list[dict[str, str]]) -> str:
    console = Console(width=140, record=True)
    console.print(found_table(findings, planted))
    return console.export_text()


def _row(text: str, rule: str) -> list[str]:
    line = next(r for r in text.splitlines() if f" {rule} " in r)
    return [cell.strip() for cell in line.strip("│ ").split("│")]


def test_the_summary_counts_subjects_on_both_sides() -> None:
    grants = [
        {"rule": "RF-24", "subject": "township 430121002", "case_no": f"LS{i}"}
        for i in range(6)
    ]
    members = [("RF-08", "DB1")] * 4 + [("RF-08", "LS9")]
    findings = [*members, ("RF-24", "township 430121002"), ("RF-23", "DB7")]
    planted = [
        *grants,
        {"rule": "RF-08", "subject": "DB1"},
        {"rule": "RF-08", "subject": "DB2"},
        {"rule": "—", "subject": "DB3"},
    ]
    text = _rows(findings, planted)
    assert _row(text, "RF-24")[2:] == ["township", "1", "1", "1", "1"]
    assert _row(text, "RF-08")[2:] == ["case", "5", "2", "2", "1"]
    assert _row(text, "RF-23")[2:] == ["case", "1", "1", "0", "0"]


def test_a_rule_the_scan_lacks_shows_a_dash_for_what_it_found() -> None:
    text = _rows([], [{"rule": "RF-99", "subject": "DB1"}])
    assert _row(text, "RF-99")[2:] == ["case", "—", "—", "1", "—"]
