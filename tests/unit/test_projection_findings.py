"""Rule framework: rules need docs, findings sort stably, cleared ones stay cleared."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from projections.evidence import Evidence
from projections.risk.findings import RiskFinding, fresh_findings, rule, run_rules

if TYPE_CHECKING:
    from collections.abc import Iterator

E1 = Evidence(3, "aa" * 32, "ReliefCase.Approved")
E2 = Evidence(9, "bb" * 32, "Payment.Disbursed")


@rule("RF-99", "测试规则", "Test rule", "low")
def flags_odd_numbers(facts: list[int]) -> Iterator[RiskFinding]:
    """Flags every odd number (test only; 测试 §0)."""
    for n in facts:
        if n % 2:
            yield RiskFinding("RF-99", "low", f"n{n}", f"{n} is odd", (E2, E1))


@rule("RF-98", "高危测试", "High test rule", "high")
def flags_sevens(facts: list[int]) -> Iterator[RiskFinding]:
    """Flags sevens (test only)."""
    return (RiskFinding("RF-98", "high", "n7", "seven", (E1,)) for n in facts if n == 7)


def test_a_rule_keeps_its_names_severity_and_docstring() -> None:
    assert flags_odd_numbers.rule_id == "RF-99"
    assert flags_odd_numbers.name_zh == "测试规则"
    assert flags_odd_numbers.severity == "low"
    assert flags_odd_numbers.doc.startswith("Flags every odd number")


def test_a_rule_without_a_docstring_is_refused() -> None:
    def undocumented(facts: list[int]) -> Iterator[RiskFinding]:
        yield from ()

    with pytest.raises(ValueError, match="RF-97 needs a docstring"):
        rule("RF-97", "无", "none", "low")(undocumented)


def test_findings_come_high_first_then_by_rule_and_subject() -> None:
    found = run_rules((flags_odd_numbers, flags_sevens), [7, 3, 4])
    assert [(f.rule_id, f.subject) for f in found] == [
        ("RF-98", "n7"),
        ("RF-99", "n3"),
        ("RF-99", "n7"),
    ]


def test_a_fingerprint_ignores_evidence_order() -> None:
    (finding,) = flags_odd_numbers([1])
    assert finding.fingerprint == ("RF-99", "n1", (3, 9))
    assert finding.as_dict()["evidence"] == [E2.as_dict(), E1.as_dict()]


def test_a_cleared_finding_is_not_raised_again_for_the_same_evidence() -> None:
    first = flags_odd_numbers([1, 5])
    cleared = [first[0].fingerprint]

    again = fresh_findings(flags_odd_numbers([1, 5]), cleared)
    assert [f.subject for f in again] == ["n5"]


def test_a_cleared_finding_comes_back_on_new_evidence() -> None:
    (old,) = flags_odd_numbers([1])
    new = RiskFinding(
        "RF-99", "low", "n1", "1 is odd", (E1, Evidence(12, "cc" * 32, "x"))
    )
    assert fresh_findings([new], [old.fingerprint]) == (new,)
