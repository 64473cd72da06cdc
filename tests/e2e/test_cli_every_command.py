"""Every registered `relief` command: help with an example, a working case, bad input.

The commands are read from the click group itself, so a command added without
its rows here fails ``test_every_command_has_a_row``. ``WORKS_IN`` names the
end-to-end test or helper (a function in tests/e2e) that runs each command
successfully; ``BAD_INPUT`` gives bad input (a wrong date, a negative or
three-decimal amount, an unknown id, a malformed file row) that must be
refused with one sentence, exit 1 or 2, and nothing written, on SQLite and on
PostgreSQL. Every listing (a command with ``--lang``) shows Chinese by default
and English on request.
"""

from __future__ import annotations

import ast
import json
import shlex
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

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


# The e2e test or helper (a function in tests/e2e, ``module::`` if the name is
# not unique) that runs each command successfully.
WORKS_IN: dict[str, str] = {
    "approved_case": (
        "case accept, case apply, case approve, case notice, case opinion, case "
        "record-check, case request-check, case visit"
    ),
    "relief_support.py::build_county": (
        "household add, region add, staff add, staff role, standard set"
    ),
    "store": "init",
    "test_a_death_ends_a_single_person_case": "case death",
    "test_a_notice_is_closed_on_its_last_day_then_the_case_approved": (
        "case close-notice"
    ),
    "test_an_approved_case_shows_its_amount_and_first_month": ("case show"),
    "test_intake_with_extension_relative_objection_and_county_visit": (
        "case declare-relative, case extend, case objection"
    ),
    "test_management_to_termination": (
        "case adjust, case change, case gradual-exit, case review, case suspend, case "
        "terminate"
    ),
    "test_overpayment_ordered_and_recovered": ("case overpayment, case recovery"),
    "test_rejection_with_reasons": "case notify-rejection, case reject",
    "test_an_exported_segment_verifies_without_the_database": ("export, verify-export"),
    "test_history_of_a_household_follows_its_case": "history",
    "test_import_records_once_and_refuses_a_malformed_line": ("import"),
    "test_replay_gives_money_as_it_stood": "replay",
    "test_risk_clear_needs_another_person_and_a_reason": ("risk clear"),
    "test_risk_list_and_show_give_the_evidence": ("risk list, risk show"),
    "test_risk_rules_lists_every_rule_the_scan_runs": "risk rules",
    "test_risk_scan_finds_an_undeclared_relative_once": "risk scan",
    "build_demo": "demo",
    "test_checkpoint_signs_the_verified_head_once": "checkpoint",
    "test_log_pages_through_the_chain": "log",
    "test_a_failed_line_returned": "batch return",
    "test_a_month_from_roll_to_reconciled_statement": (
        "batch approve, batch create, batch export, batch import, batch reconcile, "
        "batch reissue, batch show"
    ),
    "test_funds_received_and_an_account_registered": ("account add, funds receive"),
    "test_case_by_case_above_the_limit": "case case-by-case",
    "test_emergency_aid_granted_then_regularised": (
        "case emergency-aid, case regularise"
    ),
    "test_tekun_self_care_support_mode_and_democratic_review": (
        "case democratic-review, case self-care, case support-mode"
    ),
    "test_rebuild_replays_from_position_one": ("projections rebuild"),
    "test_update_catches_every_view_up_and_status_says_so": (
        "projections status, projections update"
    ),
    "test_household_show_in_english": "household show",
    "test_kinship_is_recorded_once": "kinship add",
    "test_staff_show_lists_roles_as_json": "staff show",
    "test_standard_limit_and_calendar_are_recorded": ("calendar year, limit set"),
    "_report": "report audit",
    "test_audit_report_states_the_chain_and_its_checkpoint": ("verify"),
    "test_audit_report_totals_match_the_monthly_reports": ("report monthly"),
    "test_notice_shows_name_size_and_amount_only": "report notice",
}
# Bad input for each command: the exit status it must give, and the arguments
# (split as a shell would, after filling in PLACES and the test's directory).
BAD_INPUT: dict[str, tuple[int, str]] = {
    "account add": (1, "H404 {id} {token} --bank ICBC --card-type 社保卡 --as F1"),
    "batch approve": (1, "低保 {township} 2031-01 --as F2"),
    "batch create": (2, "低保 {township} 2024-13 --as F1"),
    "batch export": (
        1,
        "低保 {township} 2031-01 --out {tmp}/pay.csv --bank ICBC --as F1",
    ),
    "batch import": (2, "{batch} {tmp}/return.csv --as F1"),
    "batch reconcile": (2, "{batch} {tmp}/statement.csv --statement S1 --as F1"),
    "batch reissue": (
        2,
        "{batch} 2 --bank-ref T --value-date 2024-04-31 --account {token}"
        " --amount 450.50 --as F1",
    ),
    "batch return": (1, "低保 {township} 2031-01 1 --treasury-ref t --as F1"),
    "batch show": (1, "低保 {township} 2031-01"),
    "calendar year": (2, "20x4 --source s --as S0"),
    "case accept": (1, "C404 --as T1"),
    "case adjust": (2, "C1 400.999 --from-month 2024-06 --reason r --as A1"),
    "case apply": (
        1,
        "C90 低保 补差 H404 --applicant {id} --consent a --promise b --as T1",
    ),
    "case approve": (2, "C1 1000.001 --as A1"),
    "case case-by-case": (2, "C1 10.123 --meeting m --as A1"),
    "case change": (2, "C1 income --effective 2024-02-30 --source self --as T1"),
    "case close-notice": (1, "C404 --as T1"),
    "case death": (1, "H404 {id} --died 2024-06-03 --source 公安 --as T1"),
    "case declare-relative": (1, "C404 {id} K1 配偶 --as T1"),
    "case democratic-review": (1, "C404 --conclusion 同意 --minutes m --as T1"),
    "case emergency-aid": (2, "C1 -5 --reason 火灾 --as T1"),
    "case extend": (1, "C404 --reason 调查困难 --as T1"),
    "case gradual-exit": (
        2,
        "C1 -200 --from-month 2024-09 --to-month 2024-10 --reason r --as A1",
    ),
    "case notice": (2, "C1 --from 2024-02-30 --until 2024-03-14 --as T1"),
    "case objection": (1, "C404 OB-1 --channel 12349 --as T1"),
    "case opinion": (2, "C1 approve -5 --as T1"),
    "case overpayment": (2, "R90 C1 500.555 --period 2024-04 --cause error --as T1"),
    "case record-check": (2, "C1 300.001 --report r --as C1"),
    "case recovery": (1, "R404 100 --order o --as A1"),
    "case regularise": (1, "C404 1 --signatures s --as A1"),
    "case notify-rejection": (
        2,
        "C1 --notified-on 2024-02-30 --channel 直接送达 --as T1",
    ),
    "case reject": (1, "C404 --reason r --as A1"),
    "case request-check": (2, "C1 --source 户籍 {bad_day}"),
    "case review": (2, "C1 no-change -300 --as T1"),
    "case self-care": (1, "C404 {id} --as T1"),
    "case show": (1, "C404"),
    "case support-mode": (1, "C404 分散供养 --as T1"),
    "case suspend": (1, "C404 --from-month 2024-07 --reason r --as A1"),
    "case terminate": (1, "C404 income-or-assets --written w --as A1"),
    "case visit": (2, "C1 --level township --investigator T1 {bad_day}"),
    "checkpoint": (2, "--out {tmp}"),
    "demo": (2, "--scale -5"),
    "export": (2, "--from 0 --to 5 --out {tmp}/segment.out"),
    "funds receive": (
        2,
        "低保 {county} -5000 --source 中央 --treasury-ref G9 --received 2024-03-20"
        " --as F1",
    ),
    "history": (2, "C1 --as-of 2024-02-30"),
    "household add": (
        2,
        "H90 {village} --area urban --member {id},张三,户主,1949-02-30 --as T1",
    ),
    "household show": (1, "H404"),
    "import": (1, "{tmp}/legacy.jsonl --as S0"),
    "init": (2, "--bogus"),
    "kinship add": (1, "{id} not-an-id 配偶 --source 户籍 --as T1"),
    "limit set": (
        2,
        "{county} 临时救助 county -5 --from 2024-01-01 --document d --as S0",
    ),
    "log": (2, "--after -1"),
    "projections rebuild": (2, "--page-size 0"),
    "projections status": (2, "--lang fr"),
    "projections update": (2, "--page-size -5"),
    "region add": (2, "{county}002 新区 {bad_day}"),
    "replay": (2, "--as-of 2024-13-01"),
    "report audit": (2, "--out {tmp}"),
    "report monthly": (2, "--month 2024-13"),
    "report notice": (2, "--on 2024-02-30"),
    "risk clear": (1, "{flag} --reason r --as J2"),
    "risk list": (2, "--status nonsense"),
    "risk rules": (2, "--lang fr"),
    "risk scan": (2, "--as-of 2024-02-30 --as J1"),
    "risk show": (1, "{flag}"),
    "staff add": (2, "S9 {id} 员工 {bad_day}"),
    "staff role": (1, "NOBODY 财务 {county} --from 2024-01-01 --as S0"),
    "staff show": (1, "NOBODY"),
    "standard set": (
        2,
        "{county} 低保 urban 800.005 --from 2024-01-01 --document d --as S0",
    ),
    "verify": (2, "--checkpoint {tmp}/missing.json"),
    "verify-export": (2, "{tmp}/segment.json"),
}
PLACES = {
    "id": ID_HEAD,
    "token": TOKEN,
    "flag": UNKNOWN_FLAG,
    "township": TOWNSHIP,
    "village": VILLAGE,
    "county": COUNTY,
    "batch": f"低保 {TOWNSHIP} 2024-04",
    "bad_day": "--as T1 --on 2024-02-30",
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
def _functions() -> dict[str, list[str]]:
    """Sources of the top-level functions of tests/e2e, by name and module::name."""
    found: dict[str, list[str]] = {}
    for module in sorted(HERE.glob("*.py")):
        text = module.read_text(encoding="utf-8")
        for node in ast.parse(text).body:
            if isinstance(node, ast.FunctionDef):
                source = ast.get_source_segment(text, node) or ""
                found.setdefault(node.name, []).append(source)
                found[f"{module.name}::{node.name}"] = [source]
    return found


def _named(table: dict[str, str]) -> list[str]:
    return sorted(name for names in table.values() for name in names.split(", "))


def test_every_command_has_a_row() -> None:
    commands = [" ".join(path) for path in COMMANDS]
    assert _named(WORKS_IN) == commands
    assert sorted(BAD_INPUT) == commands


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
    name = " ".join(path)
    function = next(f for f, names in WORKS_IN.items() if name in names.split(", "))
    sources = _functions().get(function, [])
    assert len(sources) == 1, f"{function} names no single function in tests/e2e"
    for word in path:
        assert f'"{word}"' in sources[0], (path, function)


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
    code, bad = BAD_INPUT[" ".join(path)]
    args = shlex.split(bad.format(**PLACES, tmp=tmp_path))
    county.refused(code, *path, *args)


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
    ("risk", "rules"): (),
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
