"""`relief case` end to end, on SQLite and PostgreSQL: a case's whole life, refusals."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from relief_support import (
    approved_case,
    as_,
    build_county,
    household,
    ref,
    store,
)

if TYPE_CHECKING:
    from relief_support import Relief

__all__ = ["store"]


@pytest.fixture(scope="module")
def county(store: Relief) -> Relief:
    build_county(store)
    approved_case(store, "C1", "H1", "1000")
    return store


def shown(relief: Relief, case_no: str) -> dict[str, object]:
    document: dict[str, object] = json.loads(
        relief.ok("case", "show", case_no, "--json").output
    )
    return document


def test_an_approved_case_shows_its_amount_and_first_month(county: Relief) -> None:
    case = shown(county, "C1")
    assert case["status"] == "active"
    assert case["monthly_amount_fen"] == 100_000
    assert case["first_pay_month"] == "2024-04"
    assert case["approver"] == "A1"
    table = county.ok("case", "show", "C1").output
    assert "享受中 (active)" in table
    assert "享受中" not in county.ok("case", "show", "C1", "--lang", "en").output


def test_intake_with_extension_relative_objection_and_county_visit(
    county: Relief,
) -> None:
    person = household(county, "H20", "h20")
    county.ok(
        "case", "apply", "C20", "低保", "补差", "H20", "--applicant", person,
        "--covers", person, "--consent", "授权书-20", "--promise", "承诺书-20",
        "--channel", "网上", *as_("T1", "2024-03-01"),
    )  # fmt: skip
    county.ok("case", "accept", "C20", *as_("T1", "2024-03-01"))
    county.ok("case", "extend", "C20", "--reason", "调查困难", *as_("T1", "2024-03-02"))
    county.ok(
        "case", "declare-relative", "C20", person, "K1", "兄弟姐妹",
        *as_("T1", "2024-03-02"),
    )  # fmt: skip
    county.ok(
        "case", "request-check", "C20", "--source", "户籍", *as_("T1", "2024-03-02")
    )
    county.ok(
        "case",
        "record-check",
        "C20",
        "250.5",
        "--report",
        "R20",
        *as_("C1", "2024-03-04"),
    )
    for level, who, pair in (("township", "T1", "T2"), ("county", "C1", "T2")):
        county.ok(
            "case", "visit", "C20", "--level", level, "--investigator", who,
            "--investigator", pair, *as_(who, "2024-03-05"),
        )  # fmt: skip
    county.ok("case", "opinion", "C20", "approve", "500", *as_("T1", "2024-03-06"))
    county.ok(
        "case", "notice", "C20", "--from", "2024-03-07", "--until", "2024-03-14",
        *as_("T1", "2024-03-07"),
    )  # fmt: skip
    objection = ("case", "objection", "C20", "OB-1", "--channel", "12349")
    county.ok(*objection, *as_("T1", "2024-03-08"))
    county.ok(
        "case", "visit", "C20", "--level", "township", "--investigator", "T1",
        "--investigator", "T2", *as_("T1", "2024-03-09"),
    )  # fmt: skip
    county.ok(
        *objection, "--resolve", "重新调查", "--finding", "情况属实",
        *as_("T1", "2024-03-10"),
    )  # fmt: skip
    # A resolved objection needs a new opinion and a new 公示 (2021 §19).
    county.ok("case", "opinion", "C20", "approve", "499.5", *as_("T1", "2024-03-11"))
    county.ok(
        "case", "notice", "C20", "--from", "2024-03-12", "--until", "2024-03-19",
        *as_("T1", "2024-03-12"),
    )  # fmt: skip
    county.ok("case", "approve", "C20", "499.5", *as_("A1", "2024-03-20"))
    assert shown(county, "C20")["monthly_amount_fen"] == 49_950


def _noticed_case(relief: Relief, case_no: str, household_no: str) -> None:
    """A 低保 case with a 公示 posted from 2024-03-07 to 2024-03-14."""
    person = household(relief, household_no, household_no.lower())
    relief.ok(
        "case", "apply", case_no, "低保", "补差", household_no, "--applicant", person,
        "--consent", "a", "--promise", "b", *as_("T1", "2024-03-01"),
    )  # fmt: skip
    relief.ok("case", "accept", case_no, *as_("T1", "2024-03-01"))
    relief.ok(
        "case", "request-check", case_no, "--source", "户籍", *as_("T1", "2024-03-01")
    )
    relief.ok(
        "case", "record-check", case_no, "300", "--report", "r",
        *as_("C1", "2024-03-04"),
    )  # fmt: skip
    relief.ok(
        "case", "visit", case_no, "--level", "township", "--investigator", "T1",
        "--investigator", "T2", *as_("T1", "2024-03-05"),
    )  # fmt: skip
    relief.ok("case", "opinion", case_no, "approve", "500", *as_("T1", "2024-03-06"))
    relief.ok(
        "case", "notice", case_no, "--from", "2024-03-07", "--until", "2024-03-14",
        *as_("T1", "2024-03-07"),
    )  # fmt: skip


def test_a_notice_is_closed_on_its_last_day_then_the_case_approved(
    county: Relief,
) -> None:
    _noticed_case(county, "C30", "H30")
    early = county.refused(1, "case", "close-notice", "C30", *as_("T1", "2024-03-13"))
    assert "notice-days" in early
    assert "case C30" in early
    assert "7 days" in early
    before = county.head()[0]
    closed = county.ok("case", "close-notice", "C30", *as_("T1", "2024-03-14"))
    assert "公示 closed on 2024-03-14" in closed.output
    assert county.head()[0] == before + 1
    again = county.refused(1, "case", "close-notice", "C30", *as_("T1", "2024-03-15"))
    assert "notice-open" in again
    county.refused(
        1, "case", "objection", "C30", "OB-30", "--channel", "12349",
        *as_("T1", "2024-03-15"),
    )  # fmt: skip
    county.ok("case", "approve", "C30", "500", *as_("A1", "2024-03-15"))
    timeline = json.loads(county.ok("history", "C30", "--json").output)
    events = [entry["event"] for entry in timeline]
    assert "ReliefCase.NoticeClosed" in events


def test_an_open_objection_blocks_closing_the_notice(county: Relief) -> None:
    _noticed_case(county, "C31", "H31")
    county.ok(
        "case", "objection", "C31", "OB-31", "--channel", "12349",
        *as_("T1", "2024-03-10"),
    )  # fmt: skip
    sentence = county.refused(
        1, "case", "close-notice", "C31", *as_("T1", "2024-03-14")
    )
    assert "objection-open" in sentence
    assert "case C31" in sentence


def test_management_to_termination(county: Relief) -> None:
    household(county, "H21", "h21")
    approved_case(county, "C21", "H21", "500")
    steps = [
        ("review", "C21", "no-change", "300", *as_("T1", "2024-05-10")),
        ("change", "C21", "income", "--effective", "2024-05-01", "--source", "self",
         *as_("T1", "2024-05-11")),
        ("adjust", "C21", "400", "--from-month", "2024-06", "--reason", "收入增加",
         *as_("A1", "2024-05-12")),
        ("suspend", "C21", "--from-month", "2024-07", "--reason", "外出务工",
         *as_("A1", "2024-06-12")),
        ("suspend", "C21", "--from-month", "2024-08", "--reason", "返乡", "--resume",
         *as_("A1", "2024-07-12")),
        ("gradual-exit", "C21", "200", "--from-month", "2024-09", "--to-month",
         "2024-10", "--reason", "就业增收", *as_("A1", "2024-08-12")),
        ("terminate", "C21", "income-or-assets", "--written", "家庭收入超标",
         *as_("A1", "2024-10-20")),
    ]  # fmt: skip
    for step in steps:
        county.ok("case", *step)
    case = shown(county, "C21")
    assert case["status"] == "terminated"
    schedule = case["schedule_fen"]
    assert isinstance(schedule, dict)
    assert schedule.get("2024-06") == 40_000


def test_rejection_with_reasons(county: Relief) -> None:
    person = household(county, "H22", "h22")
    county.ok(
        "case", "apply", "C22", "低保", "补差", "H22", "--applicant", person,
        "--consent", "a", "--promise", "b", *as_("T1", "2024-03-01"),
    )  # fmt: skip
    county.ok("case", "accept", "C22", *as_("T1", "2024-03-01"))
    county.ok(
        "case", "reject", "C22", "--reason", "收入超过标准", *as_("A1", "2024-03-20")
    )
    assert shown(county, "C22")["status"] == "rejected"
    notify = ("case", "notify-rejection", "C22", "--channel", "直接送达")
    early = county.refused(
        1, *notify, "--notified-on", "2024-03-19", *as_("T1", "2024-03-21")
    )
    assert "rejection-notice-after-decision" in early
    assert "case C22" in early
    assert "rule role-required" in county.refused(
        1, *notify, "--notified-on", "2024-03-21", *as_("A1", "2024-03-21")
    )
    done = county.ok(*notify, "--notified-on", "2024-03-21", *as_("T1", "2024-03-22"))
    assert (
        done.output.strip() == "Case C22: rejection notified on 2024-03-21 (直接送达)."
    )
    again = county.refused(
        1, *notify, "--notified-on", "2024-03-22", *as_("T1", "2024-03-22")
    )
    assert "rejection-notice-once" in again


def test_a_death_ends_a_single_person_case(county: Relief) -> None:
    person = household(county, "H23", "h23")
    approved_case(county, "C23", "H23", "500")
    county.ok(
        "case", "death", "H23", person, "--died", "2024-06-03", "--source", "公安",
        *as_("T1", "2024-06-05"),
    )  # fmt: skip
    assert shown(county, "C23")["status"] == "terminated"


def test_overpayment_ordered_and_recovered(county: Relief) -> None:
    household(county, "H24", "h24")
    approved_case(county, "C24", "H24", "500")
    county.ok(
        "case", "overpayment", "R24", "C24", "500", "--period", "2024-04",
        "--cause", "error", *as_("T1", "2024-05-02"),
    )  # fmt: skip
    county.ok(
        "case", "recovery", "R24", "500", "--order", "追-1", *as_("A1", "2024-05-03")
    )
    county.ok(
        "case", "recovery", "R24", "200.25", "--receipt", "收据-1",
        *as_("F1", "2024-05-04"),
    )  # fmt: skip
    sentence = county.refused(
        1, "case", "recovery", "R24", "400", "--receipt", "收据-2",
        *as_("F1", "2024-05-05"),
    )  # fmt: skip
    assert "R24" in sentence


@pytest.mark.parametrize(
    "args",
    [
        ("opinion", "C1", "approve", "700.505", "--as", "T1"),
        ("approve", "C1", "1e3", "--as", "A1"),
        ("notice", "C1", "--from", "2024-03-07", "--until", "2024-02-30", "--as", "T1"),
        ("suspend", "C1", "--from-month", "2024-13", "--reason", "x", "--as", "A1"),
        ("change", "C1", "lottery", "--effective", "2024-05-01", "--source", "self",
         "--as", "T1"),
        ("recovery", "R1", "100", "--as", "A1"),
        ("apply", "C9", "低保", "补差", "H1", "--applicant", "x", "--consent", "a",
         "--promise", "b", "--as", "T1", "--on", "yesterday"),
    ],
)  # fmt: skip
def test_malformed_case_input_is_bad_usage(
    county: Relief, args: tuple[str, ...]
) -> None:
    county.refused(2, "case", *args)


@pytest.mark.parametrize(
    ("args", "rule"),
    [
        (("show", "C404"), "unknown-record"),
        (("accept", "C404", "--as", "T1"), "unknown-record"),
        (("approve", "C404", "100", "--as", "A1"), "unknown-record"),
        (("approve", "C1", "100", *as_("T1", "2024-03-15")), "role-required"),
        (("approve", "C1", "100", *as_("J1", "2024-03-15")), "role-required"),
        (("terminate", "C1", "fraud", "--written", "x", *as_("F1", "2024-05-01")),
         "role-required"),
        (("adjust", "C1", "2000", "--from-month", "2024-06", "--reason", "r",
          *as_("A1", "2024-05-12")), ""),
        (("death", "H1", ref("stranger"), "--died", "2024-06-03", "--source", "公安",
          *as_("T1", "2024-06-05")), "death-member"),
        (("overpayment", "R9", "C404", "1", "--period", "2024-04", "--cause",
          "error", "--as", "T1"), "unknown-record"),
    ],
)  # fmt: skip
def test_refused_case_commands_write_nothing(
    county: Relief, args: tuple[str, ...], rule: str
) -> None:
    assert rule in county.refused(1, "case", *args)


@pytest.mark.parametrize(
    ("code", "args"),
    [
        (2, ("extend", "C1", "--reason", "太忙", "--as", "T1")),
        (2, ("record-check", "C1", "1.001", "--report", "r", "--as", "C1")),
        (2, ("visit", "C1", "--level", "city", "--investigator", "T1", "--as", "T1")),
        (2, ("review", "C1", "no-change", "abc", "--as", "T1")),
        (2, ("gradual-exit", "C1", "100", "--from-month", "2024-09", "--to-month",
             "2024-1", "--reason", "r", "--as", "A1")),
        (2, ("death", "H1", ref("x"), "--died", "2024-02-30", "--source", "公安",
             "--as", "T1")),
        (2, ("overpayment", "R7", "C1", "1e2", "--period", "2024-04", "--cause",
             "error", "--as", "T1")),
        (1, ("declare-relative", "C1", ref("x"), "NOBODY", "配偶", "--as", "T1")),
        (1, ("reject", "C404", "--reason", "r", "--as", "A1")),
        (1, ("notify-rejection", "C404", "--notified-on", "2024-03-21",
             "--channel", "直接送达", "--as", "T1")),
        (2, ("notify-rejection", "C1", "--notified-on", "2024-03-21",
             "--channel", "电话", "--as", "T1")),
        (1, ("review", "C404", "no-change", "100", "--as", "T1")),
        (1, ("request-check", "C404", "--source", "户籍", "--as", "T1")),
        (1, ("visit", "C404", "--level", "county", "--investigator", "C1",
             "--as", "C1")),
        (1, ("objection", "C404", "OB-9", "--channel", "12349", "--as", "T1")),
        (1, ("gradual-exit", "C404", "100", "--from-month", "2024-09",
             "--to-month", "2024-10", "--reason", "r", "--as", "A1")),
        (1, ("recovery", "R404", "100", "--order", "d", "--as", "A1")),
    ],
)  # fmt: skip
def test_more_bad_case_input_writes_nothing(
    county: Relief, code: int, args: tuple[str, ...]
) -> None:
    county.refused(code, "case", *args)
