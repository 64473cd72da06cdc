"""The demo's imprisonments: one left alone (RF-02's plant), one dealt with (its
near miss), checked on the generated lines."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cli.demo.prisons import ADJUSTED, ADJUSTED_FROM, REPORTED, TOOK_EFFECT
from domain import roles
from domain.case_rules import payable_on

if TYPE_CHECKING:
    from cli.demo.cases import Case
    from cli.demo.generate import Generated


def _reported(lines: list[dict[str, Any]]) -> dict[str, Any]:
    (report,) = [line for line in lines if line["type"] == "case.ChangeReported"]
    assert report["change_type"] == "imprisonment"
    assert report["effective_date"] == TOOK_EFFECT.isoformat()
    assert report["occurred_at"].startswith(REPORTED.isoformat())
    return report


def _later(lines: list[dict[str, Any]], report: dict[str, Any]) -> list[str]:
    """The types of the case's lines after the report (ISO times sort as text)."""
    return [
        line["type"] for line in lines if line["occurred_at"] > report["occurred_at"]
    ]


def test_one_person_alone_is_paid_on_through_an_imprisonment(
    generated: Generated, by_record: dict[str, list[dict[str, Any]]]
) -> None:
    (entry,) = [p for p in generated.plan.manifest() if p["rule"] == "RF-02"]
    assert entry["subject"] == entry["case_no"]
    (case,) = [c for c in generated.cases if c.case_no == entry["case_no"]]
    assert case.programme == roles.TEKUN
    assert len(case.covered) == 1
    lines = by_record[case.case_no]
    report = _reported(lines)
    later = _later(lines, report)
    assert "case.Adjusted" not in later
    assert "case.Terminated" not in later
    # The first step after the report, the yearly review, comes after April's line.
    assert all(
        line["occurred_at"] > "2025-05"
        for line in lines
        if line["type"] == "case.ReviewCompleted"
        and line["occurred_at"] > report["occurred_at"]
    )
    assert payable_on(case.schedule, "2025-03") > 0
    assert payable_on(case.schedule, "2025-04") > 0


def _family(generated: Generated, by_record: dict[str, list[dict[str, Any]]]) -> Case:
    (case,) = [
        c
        for c in generated.cases
        if c.programme == roles.DIBAO
        and any(line["type"] == "case.ChangeReported" for line in by_record[c.case_no])
    ]
    return case


def test_a_family_has_its_amount_cut_within_a_month_of_an_imprisonment(
    generated: Generated, by_record: dict[str, list[dict[str, Any]]]
) -> None:
    case = _family(generated, by_record)
    size = len(case.covered)
    assert size > 1
    lines = by_record[case.case_no]
    report = _reported(lines)
    (adjusted,) = [
        line
        for line in lines
        if line["type"] == "case.Adjusted"
        and line["occurred_at"] > report["occurred_at"]
    ]
    assert adjusted["occurred_at"].startswith(ADJUSTED.isoformat())
    assert adjusted["effective_month"] == ADJUSTED_FROM
    assert adjusted["new_amount"] == adjusted["old_amount"] // size * (size - 1)
    assert payable_on(case.schedule, ADJUSTED_FROM) == adjusted["new_amount"]
    assert case.home.number not in {
        p["household_no"] for p in generated.plan.manifest()
    }
