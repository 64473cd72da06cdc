"""A relief case on a chained ledger, SQLite and PostgreSQL: write, reopen, verify."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import TYPE_CHECKING

import pytest

from domain import roles
from domain.base import Act
from domain.case_import_service import ImportedEvent
from domain.errors import AmountError
from domain.people import Member
from domain.rolls import Roll, roll_id
from domain.service import ReliefFund
from ledger.store import create_ledger, open_store, persistence_env

if TYPE_CHECKING:
    from collections.abc import Iterator

BUREAU = Act("S0", roles.COUNTY_CLERK, datetime(2024, 1, 2, 9, 0))
VILLAGE = "110101001001"
REGIONS = (
    ("11", "北京市"),
    ("1101", "市辖区"),
    ("110101", "东城区"),
    ("110101001", "东华门街道"),
    (VILLAGE, "多福巷社区"),
)
STAFF = (
    ("T1", roles.TOWNSHIP_CLERK, "110101001"),
    ("T2", roles.TOWNSHIP_CLERK, "110101001"),
    ("A1", roles.APPROVER, "110101"),
)


def ref(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


def on(staff_id: str, day: date) -> Act:
    role = next(role for sid, role, _ in STAFF if sid == staff_id)
    return Act(staff_id, role, datetime.combine(day, datetime.min.time()))


def open_fund(url: str) -> ReliefFund:
    return ReliefFund(env={**persistence_env(url), "RELIEF_PERSON_KEY": "k"})


def events(fund: ReliefFund) -> int:
    return fund.recorder.max_notification_id() or 0


@pytest.fixture
def fund(store_url: str) -> Iterator[ReliefFund]:
    create_ledger(store_url)
    fund = open_fund(store_url)
    for code, name in REGIONS:
        fund.register_region(BUREAU, code, name)
    fund.set_standard(
        BUREAU,
        "110101",
        roles.DIBAO,
        "rural",
        60_000,
        effective_from=date(2024, 1, 1),
        document="东民发〔2024〕1号",
    )
    for staff_id, role, org in STAFF:
        fund.register_staff(BUREAU, staff_id, ref(staff_id), staff_id)
        fund.assign_role(BUREAU, staff_id, role, org, date(2024, 1, 1))
    members = [
        Member(ref("head"), "陈一", "户主", date(1960, 1, 1)),
        Member(ref("wife"), "林二", roles.SPOUSE, date(1962, 1, 1)),
    ]
    fund.register_household(on("T1", date(2024, 2, 1)), "H1", VILLAGE, "rural", members)
    yield fund
    fund.close()


def approve_case(fund: ReliefFund) -> None:
    covered = (ref("head"), ref("wife"))
    fund.submit_application(
        on("T1", date(2024, 3, 1)),
        "C1",
        roles.DIBAO,
        "补差",
        "H1",
        covered=(covered[0], covered),
        consent=("授权书", "承诺书"),
    )
    fund.accept(on("T1", date(2024, 3, 1)), "C1")
    fund.request_check(on("T1", date(2024, 3, 1)), "C1", ("户籍", "银行存款"))
    fund.complete_check(on("T2", date(2024, 3, 4)), "C1", 20_000, "核对报告")
    fund.record_visit(on("T1", date(2024, 3, 5)), "C1", "township", ("T1", "T2"))
    fund.issue_opinion(on("T1", date(2024, 3, 6)), "C1", "approve", 80_000)
    fund.post_notice(
        on("T1", date(2024, 3, 7)), "C1", date(2024, 3, 7), date(2024, 3, 14)
    )
    fund.approve(on("A1", date(2024, 3, 15)), "C1", 80_000)


def test_an_approved_case_reads_back_after_reopening(
    fund: ReliefFund, store_url: str
) -> None:
    approve_case(fund)
    again = open_fund(store_url)
    case = again.case("C1")
    assert (case.status, case.monthly_amount, case.first_pay_month) == (
        "active",
        80_000,
        "2024-04",
    )
    roll = again.repository.get(roll_id(roles.DIBAO, VILLAGE))
    assert isinstance(roll, Roll)
    assert [(e.case_no, e.amount_fen) for e in roll.entitlements("2024-04")] == [
        ("C1", 80_000)
    ]
    again.close()
    with open_store(store_url) as store:
        report = store.verify()
    assert report.ok
    assert report.head_position == events(fund)


def test_a_refused_approval_writes_nothing_to_the_ledger(fund: ReliefFund) -> None:
    covered = (ref("head"), ref("wife"))
    fund.submit_application(
        on("T1", date(2024, 3, 1)),
        "C1",
        roles.DIBAO,
        "补差",
        "H1",
        covered=(covered[0], covered),
        consent=("授权书", "承诺书"),
    )
    fund.accept(on("T1", date(2024, 3, 1)), "C1")
    fund.request_check(on("T1", date(2024, 3, 1)), "C1", ("户籍",))
    fund.complete_check(on("T2", date(2024, 3, 4)), "C1", 20_000, "核对报告")
    fund.record_visit(on("T1", date(2024, 3, 5)), "C1", "township", ("T1", "T2"))
    fund.issue_opinion(on("T1", date(2024, 3, 6)), "C1", "approve", 80_000)
    fund.post_notice(
        on("T1", date(2024, 3, 7)), "C1", date(2024, 3, 7), date(2024, 3, 14)
    )
    before = events(fund)
    with pytest.raises(AmountError):
        fund.approve(on("A1", date(2024, 3, 15)), "C1", 80_001)
    assert events(fund) == before


def test_an_imported_history_is_stored_with_dates_and_the_import_mark(
    fund: ReliefFund, store_url: str
) -> None:
    old = Act("legacy-1", roles.TOWNSHIP_CLERK, datetime(2019, 5, 6, 10))
    fund.import_case_events(
        [
            ImportedEvent(
                old,
                "OLD-1",
                "Applied",
                {
                    "case_no": "OLD-1",
                    "programme": roles.DIBAO,
                    "category": "补差",
                    "household_no": "H1",
                    "region_code": VILLAGE,
                    "area": "rural",
                    "applicant_ref": ref("head"),
                    "member_refs": [ref("head")],
                    "channel": "窗口",
                    "authorisation_ref": "",
                    "commitment_ref": "",
                },
            ),
            ImportedEvent(old, "OLD-1", "Accepted", {"deadline": date(2019, 6, 18)}),
        ]
    )
    again = open_fund(store_url)
    case = again.case("OLD-1")
    assert case.deadline == date(2019, 6, 18)
    assert all(e.imported for e in again.repository.event_store.get(case.id))
    again.close()
