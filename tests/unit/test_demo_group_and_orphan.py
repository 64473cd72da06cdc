"""The demo's last plants: a village group enrolled at once (RF-26) and an
orphan out of school paid past 18 (RF-29), checked on the generated lines."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from cli.demo.live import live_applicants
from domain import roles
from domain.case_rules import add_months, payable_on
from projections.risk.enrolment_facts import EnrolmentPolicy

if TYPE_CHECKING:
    from cli.demo.generate import Generated


def _entries(generated: Generated, rule: str) -> list[dict[str, str]]:
    found = [p for p in generated.plan.manifest() if p["rule"] == rule]
    assert found, f"nothing planted for {rule}"
    return found


def _event(lines: list[dict[str, Any]], type_: str) -> dict[str, Any]:
    (found,) = [line for line in lines if line["type"] == type_]
    return found


def test_a_village_group_is_approved_on_one_day_by_one_approver(
    generated: Generated, by_record: dict[str, list[dict[str, Any]]]
) -> None:
    entries = _entries(generated, "RF-26")
    (village,) = {e["subject"] for e in entries}
    homes = [h for h in generated.county.homes if h.village == village]
    assert len(entries) == EnrolmentPolicy().threshold(len(homes))
    approvals = [_event(by_record[e["case_no"]], "case.Approved") for e in entries]
    assert len({(a["occurred_at"][:10], a["actor"]) for a in approvals}) == 1
    for entry in entries:
        applied = _event(by_record[entry["case_no"]], "case.Applied")
        assert (applied["region_code"], applied["programme"]) == (village, roles.DIBAO)
        assert {"case.CheckCompleted", "case.HomeVisited", "case.NoticePosted"} <= {
            line["type"] for line in by_record[entry["case_no"]]
        }
        others = [c for c in generated.cases if c.home.number == entry["household_no"]]
        assert [c.case_no for c in others] == [entry["case_no"]]
        assert others[0].schedule == {"2026-01": others[0].monthly}


def test_the_group_leaves_the_live_applicants_as_they_were(
    generated: Generated,
) -> None:
    group = {e["household_no"] for e in _entries(generated, "RF-26")}
    before = [c for c in generated.cases if c.home.number not in group]
    assert live_applicants(generated.county, before) == live_applicants(
        generated.county, generated.cases
    )


def test_an_orphan_out_of_school_is_paid_past_the_month_of_turning_18(
    generated: Generated, by_record: dict[str, list[dict[str, Any]]]
) -> None:
    (entry,) = _entries(generated, "RF-29")
    assert entry["subject"] == entry["case_no"]
    (case,) = [c for c in generated.cases if c.case_no == entry["case_no"]]
    assert case.programme == roles.GUER
    child = case.covered[0]
    register = _event(by_record[entry["household_no"]], "household.registered")
    (row,) = [m for m in register["members"] if m["person"] == child.ref]
    assert "in_school" not in row
    born = date.fromisoformat(row["birth_date"])
    after = add_months(f"{born.year + 18:04d}-{born.month:02d}", 1)
    assert payable_on(case.schedule, after) > 0
    others = [
        c.covered[0]
        for c in generated.cases
        if c.programme == roles.GUER and c is not case
    ]
    assert all(p.in_school or p.born.year + 18 > 2025 for p in others)
