"""Builders for case tests: an in-memory service with regions, staff, households."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from domain import roles
from domain.base import Act
from domain.case_service import CaseCommands
from domain.people import Member
from domain.reference_service import ReferenceCommands

VILLAGE = "110101001001"
TOWNSHIP = "110101001"
COUNTY = "110101"
REGIONS = (
    ("11", "北京市"),
    ("1101", "市辖区"),
    ("110101", "东城区"),
    ("110101001", "东华门街道"),
    ("110101001001", "多福巷社区"),
)
STANDARDS = {
    roles.DIBAO: 80_000,
    roles.TEKUN: 110_000,
    roles.GUER: 150_000,
    roles.CANJI: 10_000,
}
BUREAU = Act("S0", roles.COUNTY_CLERK, datetime(2024, 1, 2, 9, 0))
STAFF = {
    "T1": (roles.TOWNSHIP_CLERK, TOWNSHIP),
    "T2": (roles.TOWNSHIP_CLERK, TOWNSHIP),
    "V1": (roles.VILLAGE_COMMITTEE, VILLAGE),
    "C1": (roles.COUNTY_CLERK, COUNTY),
    "A1": (roles.APPROVER, COUNTY),
    "A2": (roles.APPROVER, COUNTY),
    "J1": (roles.DISCIPLINE, COUNTY),
    "F1": (roles.FINANCE, COUNTY),
    "K1": (roles.VILLAGE_COMMITTEE, VILLAGE),
}


class CaseFund(ReferenceCommands, CaseCommands):
    """The reference and case parts of the service, as ``ReliefFund`` composes them."""


def ref(label: str) -> str:
    """A person ref (64 hex digits) for a made-up person."""
    return hashlib.sha256(label.encode()).hexdigest()


def act(staff_id: str, day: date, role: str | None = None) -> Act:
    """An act by ``staff_id`` in their test role (or ``role``) on ``day``."""
    return Act(
        staff_id, role or STAFF[staff_id][0], datetime.combine(day, datetime.min.time())
    )


def recorded(fund: CaseFund) -> int:
    """How many events the service has recorded."""
    return fund.recorder.max_notification_id() or 0


HOUSEHOLDS = {
    "H1": (
        "urban",
        [
            Member(ref("h1-head"), "王大", "户主", date(1970, 5, 1)),
            Member(ref("h1-wife"), "刘芳", roles.SPOUSE, date(1972, 6, 1)),
            Member(ref("h1-child"), "王小", roles.CHILD, date(2010, 7, 1)),
        ],
    ),
    "H2": ("urban", [Member(ref("h2-old"), "赵老", "户主", date(1940, 1, 1))]),
    "H3": ("urban", [Member(ref("h3-child"), "孙童", "户主", date(2014, 2, 1))]),
    "H4": (
        "urban",
        [Member(ref("h4-dis"), "钱残", "户主", date(1980, 3, 1), disability_grade=1)],
    ),
}


def seeded_fund(
    standards: dict[str, int] | None = None, *, snapshots: bool = False
) -> CaseFund:
    """A service with regions, standards, staff, four households and one kinship."""
    env = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    fund = CaseFund(env={**env, "IS_SNAPSHOTTING_ENABLED": "y"} if snapshots else env)
    for code, name in REGIONS:
        fund.register_region(BUREAU, code, name)
    for programme, amount in (STANDARDS if standards is None else standards).items():
        fund.set_standard(
            BUREAU,
            COUNTY,
            programme,
            "urban",
            amount,
            effective_from=date(2024, 1, 1),
            document="东民发〔2024〕1号",
        )
    for staff_id, (role, org) in STAFF.items():
        fund.register_staff(
            BUREAU, staff_id, ref(f"staff-{staff_id}"), f"员工{staff_id}"
        )
        fund.assign_role(BUREAU, staff_id, role, org, date(2024, 1, 1))
    clerk = act("T1", date(2024, 2, 1))
    for number, (area, members) in HOUSEHOLDS.items():
        fund.register_household(clerk, number, VILLAGE, area, members)
    # K1, a village committee member, is the brother of H1's wife.
    fund.record_kinship(clerk, ref("h1-wife"), ref("staff-K1"), roles.SIBLING, "户籍")
    return fund


MEMBERS_H1 = tuple(m.person_ref for m in HOUSEHOLDS["H1"][1])

APPLIED = date(2024, 3, 1)
CHECKED = date(2024, 3, 4)
VISITED = date(2024, 3, 5)
OPINED = date(2024, 3, 6)
POSTED = date(2024, 3, 7)
NOTICE_ENDS = date(2024, 3, 14)
DECIDED = date(2024, 3, 15)


def applied(
    fund: CaseFund,
    case_no: str,
    programme: str,
    category: str,
    household_no: str,
) -> tuple[str, ...]:
    """Lodge and accept an application covering every member of the household."""
    covered = tuple(m.person_ref for m in HOUSEHOLDS[household_no][1])
    fund.submit_application(
        act("T1", APPLIED),
        case_no,
        programme,
        category,
        household_no,
        covered=(covered[0], covered),
        consent=("授权书-1", "承诺书-1"),
    )
    fund.accept(act("T1", APPLIED), case_no)
    return covered


def investigated(fund: CaseFund, case_no: str, income: int = 30_000) -> None:
    """Check the household's economy and visit it (township)."""
    fund.request_check(act("T1", APPLIED), case_no, ("户籍", "银行存款"))
    fund.complete_check(act("C1", CHECKED), case_no, income, "核对报告-1")
    fund.record_visit(act("T1", VISITED), case_no, "township", ("T1", "T2"))


def noticed(fund: CaseFund, case_no: str, amount: int) -> None:
    """Issue the preliminary opinion and post the 7-day 公示."""
    fund.issue_opinion(act("T1", OPINED), case_no, "approve", amount)
    fund.post_notice(act("T1", POSTED), case_no, POSTED, NOTICE_ENDS)


def ready_dibao(fund: CaseFund, case_no: str = "C1") -> None:
    """A 低保 case of H1 up to an ended 公示, its relative filed and visited."""
    applied(fund, case_no, roles.DIBAO, "补差", "H1")
    investigated(fund, case_no)
    fund.declare_relative(
        act("T1", VISITED), case_no, ref("h1-wife"), "K1", roles.SIBLING
    )
    fund.record_visit(act("C1", VISITED), case_no, "county", ("C1", "T2"))
    noticed(fund, case_no, 150_000)


def approved_dibao(fund: CaseFund, case_no: str = "C1", amount: int = 150_000) -> None:
    """A 低保 case of H1 approved at ``amount`` a month from 2024-04."""
    ready_dibao(fund, case_no)
    fund.approve(act("A1", DECIDED), case_no, amount)
