"""Programme steps end to end, on SQLite and PostgreSQL: 临时救助, 特困, 民主评议."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from relief_support import COUNTY, as_, build_county, household, store

if TYPE_CHECKING:
    from relief_support import Relief

__all__ = ["store"]


@pytest.fixture(scope="module")
def county(store: Relief) -> Relief:
    build_county(store)
    store.ok(
        "standard", "set", COUNTY, "特困", "urban", "1100", "--from", "2024-01-01",
        "--document", "东民发〔2024〕5号", *as_("S0", "2024-01-02"),
    )  # fmt: skip
    return store


def applied(relief: Relief, case_no: str, programme: str, category: str) -> str:
    person = household(relief, f"H{case_no}", f"h{case_no}")
    relief.ok(
        "case", "apply", case_no, programme, category, f"H{case_no}",
        "--applicant", person, "--consent", "a", "--promise", "b",
        *as_("T1", "2024-03-01"),
    )  # fmt: skip
    relief.ok("case", "accept", case_no, *as_("T1", "2024-03-01"))
    return person


def test_emergency_aid_granted_then_regularised(county: Relief) -> None:
    applied(county, "E1", "临时救助", "急难型")
    county.ok(
        "case",
        "emergency-aid",
        "E1",
        "800",
        "--reason",
        "火灾",
        *as_("T1", "2024-03-02"),
    )
    county.ok(
        "case",
        "regularise",
        "E1",
        "1",
        "--signatures",
        "签字-1",
        *as_("T1", "2024-03-10"),
    )
    sentence = county.refused(
        1,
        "case",
        "emergency-aid",
        "E1",
        "5000",
        "--reason",
        "再次",
        *as_("T1", "2024-03-11"),
    )
    assert "E1" in sentence
    assert "1,2" not in sentence


def test_case_by_case_above_the_limit(county: Relief) -> None:
    applied(county, "E2", "临时救助", "支出型")
    county.ok(
        "case",
        "case-by-case",
        "E2",
        "8000",
        "--meeting",
        "纪要-2",
        *as_("A1", "2024-03-05"),
    )
    assert "role-required" in county.refused(
        1,
        "case",
        "case-by-case",
        "E2",
        "9000",
        "--meeting",
        "纪要-3",
        *as_("T1", "2024-03-05"),
    )


def test_tekun_self_care_support_mode_and_democratic_review(county: Relief) -> None:
    person = applied(county, "K5", "特困", "分散供养")
    county.ok(
        "case",
        "self-care",
        "K5",
        person,
        "--failed",
        "walking",
        *as_("T1", "2024-03-03"),
    )
    county.ok("case", "support-mode", "K5", "分散供养", *as_("T1", "2024-03-03"))
    county.ok(
        "case", "democratic-review", "K5", "--conclusion", "同意",
        "--minutes", "纪要-5", *as_("T1", "2024-03-04"),
    )  # fmt: skip
    shown = json.loads(county.ok("case", "show", "K5", "--json").output)
    assert shown["programme"] == "特困"
    assert "status-accepted" in county.refused(
        1, "case", "notice", "K5", "--termination", "--from", "2024-03-05",
        "--until", "2024-03-12", *as_("T1", "2024-03-05"),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("code", "args"),
    [
        (2, ("emergency-aid", "E9", "1.234", "--reason", "r", "--as", "T1")),
        (2, ("regularise", "E9", "0", "--signatures", "s", "--as", "T1")),
        (2, ("support-mode", "E9", "居家", "--as", "T1")),
        (2, ("self-care", "E9", "x", "--failed", "flying", "--as", "T1")),
        (1, ("emergency-aid", "E404", "100", "--reason", "r", "--as", "T1")),
        (1, ("democratic-review", "E404", "--conclusion", "c", "--minutes", "m",
             "--as", "T1")),
    ],
)  # fmt: skip
def test_bad_programme_input(county: Relief, code: int, args: tuple[str, ...]) -> None:
    county.refused(code, "case", *args)
