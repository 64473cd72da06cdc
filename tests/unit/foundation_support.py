"""Builders for foundation tests: an in-memory service with a small region tree."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, datetime

from domain import roles
from domain.base import Act
from domain.people import Member
from domain.reference_service import ReferenceCommands

KEY = "test-deployment-key"
BUREAU = Act("S0", roles.COUNTY_CLERK, datetime(2024, 1, 2, 9, 0))
CLERK = Act("S1", roles.TOWNSHIP_CLERK, datetime(2024, 2, 1, 9, 0))
VILLAGE = "110101001001"
TOWNSHIP = "110101001"
REGIONS = (
    ("11", "北京市"),
    ("1101", "市辖区"),
    ("110101", "东城区"),
    ("110101001", "东华门街道"),
    ("110101001001", "多福巷社区"),
    ("110101002", "景山街道"),
)
# Valid 18-digit numbers (GB 11643 check digits), made up for tests.
ID_A = "11010519491231002X"
ID_B = "110101199003074477"
ID_C = "110101200001011232"


def memory_fund() -> ReferenceCommands:
    """Return an empty in-memory service (POPO store) with the test key."""
    return ReferenceCommands(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo", "RELIEF_PERSON_KEY": KEY}
    )


def expected_ref(id_number: str) -> str:
    """The person ref as the deployment would compute it, by hand."""
    return hmac.new(KEY.encode(), id_number.encode(), hashlib.sha256).hexdigest()


def recorded(fund: ReferenceCommands) -> int:
    """Return how many events the service has recorded."""
    return fund.recorder.max_notification_id() or 0


def seeded_fund() -> ReferenceCommands:
    """A service with regions, a township clerk (S1) and a household H1."""
    fund = memory_fund()
    for code, name in REGIONS:
        fund.register_region(BUREAU, code, name)
    fund.register_staff(BUREAU, "S1", fund.person_ref(ID_C), "李四")
    fund.assign_role(BUREAU, "S1", roles.TOWNSHIP_CLERK, TOWNSHIP, date(2024, 1, 1))
    head = Member(fund.person_ref(ID_A), "张三", "户主", date(1949, 12, 31))
    child = Member(fund.person_ref(ID_B), "张小", roles.CHILD, date(1990, 3, 7))
    fund.register_household(CLERK, "H1", VILLAGE, "urban", [head, child])
    return fund
