"""Set-up and reference commands end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from relief_support import (
    COUNTY,
    ID_CHILD,
    ID_HEAD,
    ID_OTHER,
    TOWNSHIP,
    VILLAGE,
    as_,
    build_county,
    ref,
    store,
)

from cli.main import cli

if TYPE_CHECKING:
    from pathlib import Path

    from relief_support import Relief

__all__ = ["store"]


@pytest.fixture(scope="module")
def county(store: Relief) -> Relief:
    build_county(store)
    return store


def test_staff_show_lists_roles_as_json(county: Relief) -> None:
    shown = json.loads(county.ok("staff", "show", "T1", "--json").output)
    assert shown["staff_id"] == "T1"
    assert shown["name"] == "员工T1"
    assert shown["roles"] == [
        {"role": "乡镇经办", "org_code": TOWNSHIP, "from": "2024-01-01", "until": None}
    ]


def test_household_show_gives_members_in_chinese(county: Relief) -> None:
    table = county.ok("household", "show", "H1").output
    assert "张三" in table
    assert "出生日期" in table
    shown = json.loads(county.ok("household", "show", "H1", "--json").output)
    assert [m["name"] for m in shown["members"]] == ["张三", "张小"]
    assert shown["region_code"] == VILLAGE
    assert all(len(m["person_ref"]) == 64 for m in shown["members"])
    assert ID_HEAD not in county.ok("household", "show", "H1", "--json").output


def test_household_show_in_english(county: Relief) -> None:
    table = county.ok("household", "show", "H1", "--lang", "en").output
    assert "born" in table
    assert "出生日期" not in table


def test_standard_limit_and_calendar_are_recorded(county: Relief) -> None:
    before = county.head()[0]
    county.ok(
        "standard", "set", COUNTY, "特困", "urban", "1100.5", "--from", "2024-01-01",
        "--document", "东民发〔2024〕3号", *as_("S0", "2024-01-03"),
    )  # fmt: skip
    county.ok(
        "limit", "set", COUNTY, "临时救助", "township", "1000", "--from", "2024-01-01",
        "--document", "东民发〔2024〕4号", *as_("S0", "2024-01-03"),
    )  # fmt: skip
    result = county.ok(
        "calendar", "year", "2024", "--holiday", "2024-10-01", "--workday",
        "2024-10-12", "--source", "国办发明电〔2023〕7号", *as_("S0", "2024-01-03"),
    )  # fmt: skip
    assert "1 holidays" in result.output
    assert county.head()[0] >= before + 3


def test_kinship_is_recorded_once(county: Relief) -> None:
    args = ("kinship", "add", ID_CHILD, ID_OTHER, "兄弟姐妹", "--source", "户籍")
    county.ok(*args, *as_("T1", "2024-02-02"))
    sentence = county.refused(1, *args, *as_("T1", "2024-02-02"))
    assert "kinship-once" in sentence


def test_staff_role_can_be_ended(county: Relief) -> None:
    county.ok("staff", "add", "X1", ref("staff-X1"), "临时工", *as_("S0", "2024-01-02"))
    county.ok(
        "staff", "role", "X1", "乡镇经办", TOWNSHIP, "--from", "2024-01-01",
        *as_("S0", "2024-01-02"),
    )  # fmt: skip
    county.ok(
        "staff", "role", "X1", "乡镇经办", TOWNSHIP, "--from", "2024-01-01",
        "--until", "2024-06-30", *as_("S0", "2024-07-01"),
    )  # fmt: skip
    shown = json.loads(county.ok("staff", "show", "X1", "--json").output)
    assert shown["roles"][0]["until"] == "2024-06-30"


@pytest.mark.parametrize(
    ("amount", "why"),
    [
        ("700.505", "at most two decimals"),
        ("-1", "at most two decimals"),
        ("1e3", "at most two decimals"),
        ("abc", "at most two decimals"),
    ],
)
def test_bad_amounts_are_bad_usage(county: Relief, amount: str, why: str) -> None:
    sentence = county.refused(
        2, "standard", "set", "--from", "2024-01-01", "--document", "D",
        *as_("S0", "2024-01-02"), "--", COUNTY, "低保", "rural", amount,
    )  # fmt: skip
    assert why in sentence


@pytest.mark.parametrize(
    "args",
    [
        ("standard", "set", COUNTY, "低保", "rural", "700", "--from", "2024-02-30",
         "--document", "D", "--as", "S0"),
        ("region", "add", "110101002", "景山街道", "--as", "S0", "--on", "2024/01/02"),
        ("staff", "role", "T1", "乡镇经办", TOWNSHIP, "--from", "01-01-2024",
         "--as", "S0"),
        ("household", "add", "H8", VILLAGE, "--area", "urban", "--member",
         f"{ID_HEAD},张三,户主", "--as", "T1"),
        ("calendar", "year", "2024", "--holiday", "2024-13-01", "--source", "S",
         "--as", "S0"),
    ],
)  # fmt: skip
def test_malformed_input_is_bad_usage(county: Relief, args: tuple[str, ...]) -> None:
    county.refused(2, *args)


@pytest.mark.parametrize(
    ("args", "rule"),
    [
        (("region", "add", "110101009", "无上级", "--as", "S0"), "record-unique"),
        (("region", "add", "120101001", "无上级", "--as", "S0"), "region-parent"),
        (("staff", "show", "NOBODY"), "unknown-record"),
        (("household", "show", "H404"), "unknown-record"),
        (("staff", "role", "NOBODY", "审批", COUNTY, "--from", "2024-01-01",
          "--as", "S0"), "unknown-record"),
        (("standard", "set", "999999", "低保", "urban", "1", "--from", "2024-01-01",
          "--document", "D", "--as", "S0"), "unknown-record"),
    ],
)  # fmt: skip
def test_unknown_records_are_refused(
    county: Relief, args: tuple[str, ...], rule: str
) -> None:
    if rule == "record-unique":
        county.ok("region", "add", "110101009", "无上级", *as_("S0", "2024-01-02"))
    assert rule in county.refused(1, *args)


def test_who_lacks_the_role_is_refused_in_one_sentence(county: Relief) -> None:
    member = f"{ref('h9')},赵九,户主,1970-01-01"
    args = ("household", "add", "H9", VILLAGE, "--area", "urban", "--member", member)
    assert "role-required" in county.refused(1, *args, *as_("F1", "2024-02-01"))
    assert "role-required" in county.refused(1, *args, *as_("NOBODY", "2024-02-01"))
    assert "reference-role" in county.refused(
        1, "region", "add", "110101003", "朝阳门", *as_("J1", "2024-02-01")
    )


def test_the_actor_comes_from_the_environment(county: Relief) -> None:
    result = county.runner.invoke(
        cli,
        ["--db", county.url, "--keys", str(county.keys), "region", "add",
         "110101004", "交道口", "--on", "2024-01-02"],
        env={"RELIEF_ACTOR": "S0", "RELIEF_PERSON_KEY": "x"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    missing = county.refused(2, "region", "add", "110101005", "安定门")
    assert "--as" in missing


def test_a_store_without_a_ledger_is_refused_in_one_sentence(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    for _ in range(2):  # no file at all, then an empty SQLite file
        result = CliRunner().invoke(cli, ["--db", str(empty), "case", "show", "C1"])
        assert result.exit_code == 1
        assert result.output.startswith("Error: Store configuration rule broken")
        assert result.output.count("\n") == 1
        empty.touch()
    assert "relief init" in result.output
