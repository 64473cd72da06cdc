"""Reference data and the legacy import on a real chained ledger (SQLite, Postgres)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import pytest

from domain import roles
from domain.base import Act
from domain.errors import InvalidDataError
from domain.legacy import import_lines
from domain.people import Member
from domain.service import ReliefFund
from ledger.store import create_ledger, open_store, persistence_env

BUREAU = Act("S0", roles.COUNTY_CLERK, datetime(2024, 1, 2, 9, 0))
OPERATOR = Act("IMP1", roles.COUNTY_CLERK, datetime(2026, 1, 1, 8, 0))
ID_HEAD = "11010519491231002X"
ID_CHILD = "110101199003074477"


def open_fund(url: str) -> ReliefFund:
    return ReliefFund(env={**persistence_env(url), "RELIEF_PERSON_KEY": "k"})


@pytest.fixture
def url(store_url: str) -> str:
    create_ledger(store_url)
    return store_url


def chain_ok(url: str) -> int:
    store = open_store(url)
    try:
        report = store.verify()
    finally:
        store.close()
    assert report.ok
    return report.checked


def line(line_id: str, type_: str, record: str, **fields: Any) -> str:
    envelope = {
        "id": line_id,
        "type": type_,
        "record": record,
        "actor": "S0",
        "role": roles.COUNTY_CLERK,
        "occurred_at": "2022-03-01T09:00:00+08:00",
    }
    return json.dumps({**envelope, **fields}, ensure_ascii=False)


def legacy_lines() -> list[str]:
    regions = ["11", "1101", "110101", "110101001", "110101001001"]
    lines = [
        line(f"R{i}", "region.registered", c, name="区") for i, c in enumerate(regions)
    ]
    member = {
        "person": ID_HEAD,
        "name": "张三",
        "relation": "户主",
        "birth_date": "1949-12-31",
    }
    return [
        *lines,
        line(
            "S1",
            "region.standard_set",
            "1101",
            programme=roles.DIBAO,
            area="rural",
            amount_fen=90_000,
            effective_from="2022-01-01",
            document="京民发",
        ),
        line(
            "H1",
            "household.registered",
            "H1",
            region_code="110101001001",
            area="rural",
            members=[member],
        ),
        line(
            "K1",
            "kinship.recorded",
            ID_HEAD,
            other=ID_CHILD,
            relation=roles.CHILD,
            source="户籍",
        ),
        line(
            "D1",
            "household.member_deceased",
            "H1",
            person=ID_HEAD,
            date_of_death="2022-02-20",
            source="公安",
        ),
    ]


def test_reference_data_survives_a_reopened_service(url: str) -> None:
    fund = open_fund(url)
    for code in ["11", "1101", "110101"]:
        fund.register_region(BUREAU, code, "区")
    fund.set_standard(
        BUREAU,
        "1101",
        roles.DIBAO,
        "urban",
        124_500,
        effective_from=date(2024, 1, 1),
        document="京民发〔2023〕1号",
    )
    fund.record_calendar_year(
        BUREAU, 2031, [date(2031, 1, 2)], [date(2031, 1, 4)], "通知"
    )
    fund.register_staff(BUREAU, "S1", fund.person_ref(ID_CHILD), "李四")
    fund.assign_role(BUREAU, "S1", roles.REVIEWER, "110101", date(2024, 1, 1))
    again = open_fund(url)
    assert (
        again.standard_on("110101", "urban", roles.DIBAO, date(2024, 2, 1)) == 124_500
    )
    assert again.region("1101").standards[0].effective_from == date(2024, 1, 1)
    assert not again.calendar().is_working_day(date(2031, 1, 2))
    assert again.calendar().is_working_day(date(2031, 1, 4))
    assert again.staff("S1").holds(roles.REVIEWER, date(2024, 3, 1), "110101001")
    assert (
        chain_ok(url) == 8
    )  # 3 regions, a standard, a calendar and its year, staff, role


def test_a_refused_command_writes_nothing_to_the_ledger(url: str) -> None:
    fund = open_fund(url)
    fund.register_region(BUREAU, "11", "北京市")
    with pytest.raises(InvalidDataError, match="record-unique"):
        fund.register_region(BUREAU, "11", "北京市")
    assert chain_ok(url) == 1


def test_a_legacy_file_is_recorded_once_on_the_ledger(url: str) -> None:
    fund = open_fund(url)
    lines = legacy_lines()
    first = import_lines(fund, lambda: lines, by=OPERATOR, batch_size=3)
    size = chain_ok(url)
    second = import_lines(open_fund(url), lambda: lines, by=OPERATOR, batch_size=3)
    assert (first.recorded, second.recorded) == (len(lines), 0)
    assert chain_ok(url) == size
    reopened = open_fund(url)
    household = reopened.household("H1")
    assert household.size == 0
    assert household.deaths == {reopened.person_ref(ID_HEAD): date(2022, 2, 20)}
    assert reopened.kin_of(reopened.person_ref(ID_CHILD)) == {
        reopened.person_ref(ID_HEAD)
    }


def test_an_import_into_a_ledger_in_use_checks_the_store(url: str) -> None:
    fund = open_fund(url)
    fund.register_region(BUREAU, "11", "北京市")
    fund.register_region(BUREAU, "1101", "市辖区")
    report = import_lines(fund, legacy_lines, by=OPERATOR)
    assert report.recorded == len(legacy_lines()) - 2  # the two regions were there
    assert open_fund(url).household("H1").members[0] == Member(
        fund.person_ref(ID_HEAD), "张三", "户主", date(1949, 12, 31), alive=False
    )
