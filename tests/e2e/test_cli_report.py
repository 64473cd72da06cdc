"""`relief report`: the audit HTML file, the monthly report and the public 公示 list."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pytest
from report_support import County, build_county

from cli.reports.svg import yuan_label

if TYPE_CHECKING:
    from pathlib import Path

PERSON_REF = re.compile(r"\b[0-9a-f]{64}\b")
ID_NUMBER = re.compile(r"\b\d{17}[\dX]\b")


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def county(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> County:
    home = tmp_path_factory.mktemp(f"report-{request.param}")
    if request.param == "sqlite":
        url = str(home / "relief.db")
    else:
        url = request.getfixturevalue("postgres_url_module")
    return build_county(url, home)


def _report(county: County, name: str) -> str:
    result = county.run("report", "audit", "--out", name)
    assert result.exit_code == 0, result.output
    return (county.home / name).read_text(encoding="utf-8")


def test_audit_report_needs_no_network(county: County) -> None:
    page = _report(county, "offline.html")
    links = re.findall(r"(?:src|href)=\"([^\"#][^\"]*)\"", page)
    assert links == []
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page


def test_audit_report_holds_every_flag_with_its_evidence(county: County) -> None:
    page = _report(county, "flags.html")
    listed = json.loads(county.run("risk", "list", "--json").output)
    assert listed, "the demo county plants flags"
    assert f"Risk flags ({len(listed)})" in page
    for flag in listed:
        assert f'href="#flag-{flag["flag_id"]}"' in page
        assert f'id="flag-{flag["flag_id"]}"' in page
        for item in flag["evidence"]:
            assert item["hash"] in page


def test_audit_report_states_the_chain_and_its_checkpoint(county: County) -> None:
    page = _report(county, "chain.html")
    head = json.loads(county.run("verify", "--json").output)
    assert "完整 intact" in page
    assert head["head_hash"] in page
    assert "signature ok" in page


def test_audit_report_totals_match_the_monthly_reports(county: County) -> None:
    page = _report(county, "money.html")
    bars = re.findall(r"<title>(\d{4}-\d{2}): ([^<]+) 元</title>", page)
    assert len(bars) >= 12
    for month, label in (bars[0], bars[-1]):
        result = county.run("report", "monthly", "--month", month, "--json")
        lines = json.loads(result.output)
        assert lines
        assert all(isinstance(line["disbursed"], int) for line in lines)
        assert label == yuan_label(sum(line["disbursed"] for line in lines))


def test_notice_shows_name_size_and_amount_only(county: County) -> None:
    result = county.run("report", "notice", "--json")
    assert result.exit_code == 0, result.output
    notices = json.loads(result.output)
    assert notices
    assert all(set(n) == {"name", "household_size", "amount"} for n in notices)
    assert not PERSON_REF.search(result.output)
    assert not ID_NUMBER.search(result.output)


def test_notice_for_an_unknown_village_is_empty(county: County) -> None:
    result = county.run("report", "notice", "--village", "999999999999", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == []


def test_monthly_refuses_a_malformed_month(county: County, tmp_path: Path) -> None:
    result = county.run("report", "monthly", "--month", "2025-13")
    assert result.exit_code == 2
    assert "2025-13" in result.output
