"""Every registered `relief` command: help with an example, a working case, bad input.

The commands are read from the click group itself, so a command added without
a row here fails ``test_every_command_has_a_row``. Each row names the end-to-end
test (``module::function`` in tests/e2e) that runs the command successfully,
and gives bad input (a wrong date, a negative or three-decimal amount, an
unknown id, a malformed file row) that must be refused with one sentence,
exit 1 or 2, and nothing written, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import ast
import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import click
import pytest
from click.testing import CliRunner
from relief_support import (
    COUNTY,
    ID_HEAD,
    TOWNSHIP,
    VILLAGE,
    approved_case,
    build_county,
    store,
)

from cli.main import cli

if TYPE_CHECKING:
    from relief_support import Relief

__all__ = ["store"]

HERE = Path(__file__).parent
TOKEN = "ab" * 32
BAD_DAY = ("--as", "T1", "--on", "2024-02-30")
BATCH = ("低保", TOWNSHIP, "2024-04")
UNKNOWN_FLAG = "00000000-0000-4000-8000-000000000000"
# Files the rows read: {name: content}; written into the test's directory.
FILES = {
    "return.csv": "line_no,status,bank_ref,value_date,amount,account_token,reason\n"
    f"1,paid,TXN-1,2024-04-10,1000.005,{TOKEN},\n",
    "statement.csv": "bank_ref,amount,reversal\nTXN-1,-5,no\n",
    "legacy.jsonl": '{"id": "L1", "type": "region.added", "record": "9"\n',
    "segment.json": "not a segment\n",
}


class Row(NamedTuple):
    """A command's working case (``module::function``) and its bad input."""

    works_in: str
    code: int
    bad: tuple[str, ...]


ROWS: dict[tuple[str, ...], Row] = {
    ("init",): Row("relief_support.py::store", 2, ("--bogus",)),
    ("verify",): Row(
        "test_cli_report.py::test_audit_report_states_the_chain_and_its_checkpoint",
        2,
        ("--checkpoint", "{tmp}/missing.json"),
    ),
    ("checkpoint",): Row(
        "test_cli_ledger.py::test_checkpoint_signs_the_verified_head_once",
        2,
        ("--out", "{tmp}"),
    ),
    ("log",): Row(
        "test_cli_ledger.py::test_log_pages_through_the_chain", 2, ("--after", "-1")
    ),
    ("demo",): Row(
        "test_cli_ledger.py::build_demo",
        2,
        ("--scale", "-5"),
    ),
    ("region", "add"): Row(
        "relief_support.py::build_county", 2, ("110101002", "新区", *BAD_DAY)
    ),
    ("standard", "set"): Row(
        "relief_support.py::build_county",
        2,
        (
            COUNTY,
            "低保",
            "urban",
            "800.005",
            "--from",
            "2024-01-01",
            "--document",
            "d",
            "--as",
            "S0",
        ),
    ),
    ("limit", "set"): Row(
        "test_cli_reference.py::test_standard_limit_and_calendar_are_recorded",
        2,
        (
            COUNTY,
            "临时救助",
            "county",
            "-5",
            "--from",
            "2024-01-01",
            "--document",
            "d",
            "--as",
            "S0",
        ),
    ),
    ("calendar", "year"): Row(
        "test_cli_reference.py::test_standard_limit_and_calendar_are_recorded",
        2,
        ("20x4", "--source", "s", "--as", "S0"),
    ),
    ("staff", "add"): Row(
        "relief_support.py::build_county", 2, ("S9", ID_HEAD, "员工", *BAD_DAY)
    ),
    ("staff", "role"): Row(
        "relief_support.py::build_county",
        1,
        ("NOBODY", "财务", COUNTY, "--from", "2024-01-01", "--as", "S0"),
    ),
    ("staff", "show"): Row(
        "test_cli_reference.py::test_staff_show_lists_roles_as_json", 1, ("NOBODY",)
    ),
    ("household", "add"): Row(
        "relief_support.py::build_county",
        2,
        (
            "H90",
            VILLAGE,
            "--area",
            "urban",
            "--member",
            f"{ID_HEAD},张三,户主,1949-02-30",
            "--as",
            "T1",
        ),
    ),
    ("household", "show"): Row(
        "test_cli_reference.py::test_household_show_in_english", 1, ("H404",)
    ),
    ("kinship", "add"): Row(
        "test_cli_reference.py::test_kinship_is_recorded_once",
        1,
        (ID_HEAD, "not-an-id", "配偶", "--source", "户籍", "--as", "T1"),
    ),
    ("case", "apply"): Row(
        "relief_support.py::approved_case",
        1,
        (
            "C90",
            "低保",
            "补差",
            "H404",
            "--applicant",
            ID_HEAD,
            "--consent",
            "a",
            "--promise",
            "b",
            "--as",
            "T1",
        ),
    ),
    ("case", "accept"): Row(
        "relief_support.py::approved_case", 1, ("C404", "--as", "T1")
    ),
    ("case", "extend"): Row(
        "test_cli_cases.py::test_intake_with_extension_relative_objection_and_county_visit",
        1,
        ("C404", "--reason", "调查困难", "--as", "T1"),
    ),
    ("case", "declare-relative"): Row(
        "test_cli_cases.py::test_intake_with_extension_relative_objection_and_county_visit",
        1,
        ("C404", ID_HEAD, "K1", "配偶", "--as", "T1"),
    ),
    ("case", "request-check"): Row(
        "relief_support.py::approved_case", 2, ("C1", "--source", "户籍", *BAD_DAY)
    ),
    ("case", "record-check"): Row(
        "relief_support.py::approved_case",
        2,
        ("C1", "300.001", "--report", "r", "--as", "C1"),
    ),
    ("case", "visit"): Row(
        "relief_support.py::approved_case",
        2,
        ("C1", "--level", "township", "--investigator", "T1", *BAD_DAY),
    ),
    ("case", "democratic-review"): Row(
        "test_cli_programmes.py::test_tekun_self_care_support_mode_and_democratic_review",
        1,
        ("C404", "--conclusion", "同意", "--minutes", "m", "--as", "T1"),
    ),
    ("case", "opinion"): Row(
        "relief_support.py::approved_case", 2, ("C1", "approve", "-5", "--as", "T1")
    ),
    ("case", "notice"): Row(
        "relief_support.py::approved_case",
        2,
        ("C1", "--from", "2024-02-30", "--until", "2024-03-14", "--as", "T1"),
    ),
    ("case", "close-notice"): Row(
        "test_cli_cases.py::test_a_notice_is_closed_on_its_last_day_then_the_case_approved",
        1,
        ("C404", "--as", "T1"),
    ),
    ("case", "objection"): Row(
        "test_cli_cases.py::test_intake_with_extension_relative_objection_and_county_visit",
        1,
        ("C404", "OB-1", "--channel", "12349", "--as", "T1"),
    ),
    ("case", "approve"): Row(
        "relief_support.py::approved_case", 2, ("C1", "1000.001", "--as", "A1")
    ),
    ("case", "reject"): Row(
        "test_cli_cases.py::test_rejection_with_reasons",
        1,
        ("C404", "--reason", "r", "--as", "A1"),
    ),
    ("case", "self-care"): Row(
        "test_cli_programmes.py::test_tekun_self_care_support_mode_and_democratic_review",
        1,
        ("C404", ID_HEAD, "--as", "T1"),
    ),
    ("case", "support-mode"): Row(
        "test_cli_programmes.py::test_tekun_self_care_support_mode_and_democratic_review",
        1,
        ("C404", "分散供养", "--as", "T1"),
    ),
    ("case", "emergency-aid"): Row(
        "test_cli_programmes.py::test_emergency_aid_granted_then_regularised",
        2,
        ("C1", "-5", "--reason", "火灾", "--as", "T1"),
    ),
    ("case", "regularise"): Row(
        "test_cli_programmes.py::test_emergency_aid_granted_then_regularised",
        1,
        ("C404", "1", "--signatures", "s", "--as", "A1"),
    ),
    ("case", "case-by-case"): Row(
        "test_cli_programmes.py::test_case_by_case_above_the_limit",
        2,
        ("C1", "10.123", "--meeting", "m", "--as", "A1"),
    ),
    ("case", "review"): Row(
        "test_cli_cases.py::test_management_to_termination",
        2,
        ("C1", "no-change", "-300", "--as", "T1"),
    ),
    ("case", "change"): Row(
        "test_cli_cases.py::test_management_to_termination",
        2,
        ("C1", "income", "--effective", "2024-02-30", "--source", "self", "--as", "T1"),
    ),
    ("case", "death"): Row(
        "test_cli_cases.py::test_a_death_ends_a_single_person_case",
        1,
        ("H404", ID_HEAD, "--died", "2024-06-03", "--source", "公安", "--as", "T1"),
    ),
    ("case", "adjust"): Row(
        "test_cli_cases.py::test_management_to_termination",
        2,
        ("C1", "400.999", "--from-month", "2024-06", "--reason", "r", "--as", "A1"),
    ),
    ("case", "suspend"): Row(
        "test_cli_cases.py::test_management_to_termination",
        1,
        ("C404", "--from-month", "2024-07", "--reason", "r", "--as", "A1"),
    ),
    ("case", "gradual-exit"): Row(
        "test_cli_cases.py::test_management_to_termination",
        2,
        (
            "C1",
            "-200",
            "--from-month",
            "2024-09",
            "--to-month",
            "2024-10",
            "--reason",
            "r",
            "--as",
            "A1",
        ),
    ),
    ("case", "terminate"): Row(
        "test_cli_cases.py::test_management_to_termination",
        1,
        ("C404", "income-or-assets", "--written", "w", "--as", "A1"),
    ),
    ("case", "overpayment"): Row(
        "test_cli_cases.py::test_overpayment_ordered_and_recovered",
        2,
        (
            "R90",
            "C1",
            "500.555",
            "--period",
            "2024-04",
            "--cause",
            "error",
            "--as",
            "T1",
        ),
    ),
    ("case", "recovery"): Row(
        "test_cli_cases.py::test_overpayment_ordered_and_recovered",
        1,
        ("R404", "100", "--order", "o", "--as", "A1"),
    ),
    ("case", "show"): Row(
        "test_cli_cases.py::test_an_approved_case_shows_its_amount_and_first_month",
        1,
        ("C404",),
    ),
    ("funds", "receive"): Row(
        "test_cli_money.py::test_funds_received_and_an_account_registered",
        2,
        (
            "低保",
            COUNTY,
            "-5000",
            "--source",
            "中央",
            "--treasury-ref",
            "G9",
            "--received",
            "2024-03-20",
            "--as",
            "F1",
        ),
    ),
    ("account", "add"): Row(
        "test_cli_money.py::test_funds_received_and_an_account_registered",
        1,
        (
            "H404",
            ID_HEAD,
            TOKEN,
            "--bank",
            "ICBC",
            "--card-type",
            "社保卡",
            "--as",
            "F1",
        ),
    ),
    ("batch", "create"): Row(
        "test_cli_money.py::test_a_month_from_roll_to_reconciled_statement",
        2,
        ("低保", TOWNSHIP, "2024-13", "--as", "F1"),
    ),
    ("batch", "approve"): Row(
        "test_cli_money.py::test_a_month_from_roll_to_reconciled_statement",
        1,
        ("低保", TOWNSHIP, "2031-01", "--as", "F2"),
    ),
    ("batch", "export"): Row(
        "test_cli_money.py::test_a_month_from_roll_to_reconciled_statement",
        1,
        (
            "低保",
            TOWNSHIP,
            "2031-01",
            "--out",
            "{tmp}/pay.csv",
            "--bank",
            "ICBC",
            "--as",
            "F1",
        ),
    ),
    ("batch", "import"): Row(
        "test_cli_money.py::test_a_month_from_roll_to_reconciled_statement",
        2,
        (*BATCH, "{tmp}/return.csv", "--as", "F1"),
    ),
    ("batch", "reissue"): Row(
        "test_cli_money.py::test_a_month_from_roll_to_reconciled_statement",
        2,
        (
            *BATCH,
            "2",
            "--bank-ref",
            "T",
            "--value-date",
            "2024-04-31",
            "--account",
            TOKEN,
            "--amount",
            "450.50",
            "--as",
            "F1",
        ),
    ),
    ("batch", "return"): Row(
        "test_cli_money.py::test_a_failed_line_returned",
        1,
        ("低保", TOWNSHIP, "2031-01", "1", "--treasury-ref", "t", "--as", "F1"),
    ),
    ("batch", "reconcile"): Row(
        "test_cli_money.py::test_a_month_from_roll_to_reconciled_statement",
        2,
        (*BATCH, "{tmp}/statement.csv", "--statement", "S1", "--as", "F1"),
    ),
    ("batch", "show"): Row(
        "test_cli_money.py::test_a_month_from_roll_to_reconciled_statement",
        1,
        ("低保", TOWNSHIP, "2031-01"),
    ),
    ("history",): Row(
        "test_cli_inspect.py::test_history_of_a_household_follows_its_case",
        2,
        ("C1", "--as-of", "2024-02-30"),
    ),
    ("replay",): Row(
        "test_cli_inspect.py::test_replay_gives_money_as_it_stood",
        2,
        ("--as-of", "2024-13-01"),
    ),
    ("risk", "scan"): Row(
        "test_cli_inspect.py::test_risk_scan_finds_an_undeclared_relative_once",
        2,
        ("--as-of", "2024-02-30", "--as", "J1"),
    ),
    ("risk", "list"): Row(
        "test_cli_inspect.py::test_risk_list_and_show_give_the_evidence",
        2,
        ("--status", "nonsense"),
    ),
    ("risk", "show"): Row(
        "test_cli_inspect.py::test_risk_list_and_show_give_the_evidence",
        1,
        (UNKNOWN_FLAG,),
    ),
    ("risk", "clear"): Row(
        "test_cli_inspect.py::test_risk_clear_needs_another_person_and_a_reason",
        1,
        (UNKNOWN_FLAG, "--reason", "r", "--as", "J2"),
    ),
    ("projections", "update"): Row(
        "test_cli_projections.py::test_update_catches_every_view_up_and_status_says_so",
        2,
        ("--page-size", "-5"),
    ),
    ("projections", "rebuild"): Row(
        "test_cli_projections.py::test_rebuild_replays_from_position_one",
        2,
        ("--page-size", "0"),
    ),
    ("projections", "status"): Row(
        "test_cli_projections.py::test_update_catches_every_view_up_and_status_says_so",
        2,
        ("--lang", "fr"),
    ),
    ("export",): Row(
        "test_cli_inspect.py::test_an_exported_segment_verifies_without_the_database",
        2,
        ("--from", "0", "--to", "5", "--out", "{tmp}/segment.out"),
    ),
    ("verify-export",): Row(
        "test_cli_inspect.py::test_an_exported_segment_verifies_without_the_database",
        2,
        ("{tmp}/segment.json",),
    ),
    ("import",): Row(
        "test_cli_inspect.py::test_import_records_once_and_refuses_a_malformed_line",
        1,
        ("{tmp}/legacy.jsonl", "--as", "S0"),
    ),
    ("report", "audit"): Row(
        "test_cli_report.py::_report",
        2,
        ("--out", "{tmp}"),
    ),
    ("report", "monthly"): Row(
        "test_cli_report.py::test_audit_report_totals_match_the_monthly_reports",
        2,
        ("--month", "2024-13"),
    ),
    ("report", "notice"): Row(
        "test_cli_report.py::test_notice_shows_name_size_and_amount_only",
        2,
        ("--on", "2024-02-30"),
    ),
}


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found.extend(_commands(command, (*path, name)))
        else:
            found.append((*path, name))
    return found


COMMANDS = _commands(cli)


@cache
def _functions(module: str) -> dict[str, str]:
    """The source of each top-level function of a tests/e2e module, by name."""
    text = (HERE / module).read_text(encoding="utf-8")
    return {
        node.name: ast.get_source_segment(text, node) or ""
        for node in ast.parse(text).body
        if isinstance(node, ast.FunctionDef)
    }


def test_every_command_has_a_row() -> None:
    assert sorted(ROWS) == COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_has_an_example_and_a_working_case(
    path: tuple[str, ...],
) -> None:
    shown = CliRunner().invoke(cli, ["--db", "/nonexistent/x.db", *path, "--help"])
    assert shown.exit_code == 0, shown.output
    assert "Example" in shown.output
    example = shown.output.split("Example", 1)[1].split("Options:", 1)[0]
    assert "relief " in example
    assert path[-1] in example
    module, function = ROWS[path].works_in.split("::")
    source = _functions(module).get(function)
    assert source is not None, f"{ROWS[path].works_in} is not a function"
    for word in path:
        assert f'"{word}"' in source, (path, ROWS[path].works_in)


def _groups(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found.extend(_groups(command, (*path, name)))
    return found


@pytest.mark.parametrize("path", _groups(cli), ids=lambda p: " ".join(p) or "relief")
def test_relief_and_every_group_help_show_an_example(path: tuple[str, ...]) -> None:
    shown = CliRunner().invoke(cli, ["--db", "/nonexistent/x.db", *path, "--help"])
    assert shown.exit_code == 0, shown.output
    assert "relief " in shown.output.split("Example", 1)[1]


@pytest.fixture(scope="module")
def county(store: Relief) -> Relief:
    build_county(store)
    approved_case(store, "C1", "H1", "1000")
    return store


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_bad_input_is_one_sentence_and_writes_nothing(
    county: Relief, path: tuple[str, ...], tmp_path: Path
) -> None:
    for name, content in FILES.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    row = ROWS[path]
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in row.bad]
    county.refused(row.code, *path, *args)


def _listings(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command that shows a listing to people: those with ``--lang``."""
    return [
        found
        for found in _commands(group, path)
        if any(
            "--lang" in param.opts
            for param in _command(found).params
            if isinstance(param, click.Option)
        )
    ]


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


LISTINGS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("batch", "show"): BATCH,
    ("case", "show"): ("C1",),
    ("history",): ("H1",),
    ("household", "show"): ("H1",),
    ("log",): (),
    ("projections", "status"): (),
    ("replay",): ("--as-of", "2024-04-30"),
    ("report", "monthly"): ("--month", "2024-04"),
    ("report", "notice"): ("--on", "2024-03-10"),
    ("risk", "list"): (),
    ("risk", "scan"): ("--as", "J1", "--on", "2024-05-01"),
    ("risk", "show"): ("{flag}",),
    ("staff", "show"): ("T1",),
}


@pytest.fixture(scope="module")
def listed(county: Relief) -> tuple[Relief, str]:
    """The county with a batch and a flag, for the listings to show."""
    county.ok("batch", "create", *BATCH, "--as", "F1", "--on", "2024-04-03")
    county.ok("risk", "scan", "--as", "J1", "--on", "2024-05-01")
    flags = json.loads(county.ok("risk", "list", "--json").output)
    return county, flags[0]["flag_id"] if flags else UNKNOWN_FLAG


def test_every_listing_has_a_row() -> None:
    assert sorted(LISTINGS) == _listings(cli)


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


@pytest.mark.parametrize("path", sorted(LISTINGS), ids=" ".join)
def test_every_listing_speaks_chinese_by_default_and_english_on_request(
    listed: tuple[Relief, str], path: tuple[str, ...]
) -> None:
    relief, flag = listed
    args = [arg.replace("{flag}", flag) for arg in LISTINGS[path]]
    english = relief.ok(*path, *args, "--lang", "en").output
    chinese = relief.ok(*path, *args, "--lang", "zh").output
    assert relief.ok(*path, *args).output == chinese
    assert _has_chinese(chinese)
    assert english != chinese


# Commands with --json whose output for people is one sentence, not a listing.
SENTENCES = {
    ("batch", "reconcile"),
    ("projections", "rebuild"),
    ("projections", "update"),
    ("verify",),
    ("verify-export",),
}


def test_every_command_with_json_is_a_listing_or_a_sentence() -> None:
    with_json = {
        path
        for path in COMMANDS
        if any("--json" in p.opts for p in _command(path).params)
    }
    assert with_json - set(LISTINGS) == SENTENCES
