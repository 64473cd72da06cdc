"""Builders for payment and oversight tests: an in-memory service with staff.

``Fund`` is the real ``domain.service.ReliefFund`` on the in-memory store.
Tests that need lines a real roll would never give (a household twice, zero
fen) set them in ``fund.rolls``, a local stand-in consulted before the roll.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import TYPE_CHECKING

from foundation_support import BUREAU, KEY, REGIONS, VILLAGE

from domain import roles
from domain.base import Act
from domain.batch_rules import Disbursement, Line
from domain.people import Member
from domain.service import ReliefFund

if TYPE_CHECKING:
    from uuid import UUID

COUNTY = "110101"
TOWNSHIP = "110101001"
PERIOD = "2024-05"
DAY = datetime(2024, 5, 6, 9, 0)

MAKER = Act("F1", roles.FINANCE, DAY)
CHECKER = Act("F2", roles.FINANCE, DAY)
CLERK = Act("S1", roles.TOWNSHIP_CLERK, DAY)
COUNTY_CLERK = Act("S0", roles.COUNTY_CLERK, DAY)
APPROVER = Act("P1", roles.APPROVER, DAY)
AUDITOR = Act("A1", roles.AUDIT, DAY)
AUDITOR_2 = Act("A2", roles.AUDIT, DAY)
INSPECTOR = Act("D1", roles.DISCIPLINE, DAY)

STAFF = (
    ("S0", roles.COUNTY_CLERK, COUNTY),
    ("S1", roles.TOWNSHIP_CLERK, TOWNSHIP),
    ("F1", roles.FINANCE, COUNTY),
    ("F2", roles.FINANCE, COUNTY),
    ("P1", roles.APPROVER, COUNTY),
    ("A1", roles.AUDIT, COUNTY),
    ("A2", roles.AUDIT, COUNTY),
    ("D1", roles.DISCIPLINE, COUNTY),
)


def digest(text: str) -> str:
    """A SHA-256 hex digest of ``text`` (tokens, file hashes, evidence)."""
    return hashlib.sha256(text.encode()).hexdigest()


class Fund(ReliefFund):
    """The service under test, with an optional stand-in roll."""

    def __init__(self) -> None:
        super().__init__(
            env={"PERSISTENCE_MODULE": "eventsourcing.popo", "RELIEF_PERSON_KEY": KEY}
        )
        self.rolls: dict[tuple[str, str], list[Line]] = {}

    def roll_lines(self, programme: str, region_code: str, period: str) -> list[Line]:
        if (programme, region_code) in self.rolls:
            return list(self.rolls[(programme, region_code)])
        return super().roll_lines(programme, region_code, period)


def recorded(fund: Fund) -> int:
    """How many events the service has recorded."""
    return fund.recorder.max_notification_id() or 0


def seeded_fund(households: int = 3) -> Fund:
    """Regions, the staff above, and households H1..Hn with two members each."""
    fund = Fund()
    for code, name in REGIONS:
        fund.register_region(BUREAU, code, name)
    for staff_id, role, org in STAFF:
        fund.register_staff(BUREAU, staff_id, digest(staff_id), f"职员{staff_id}")
        fund.assign_role(BUREAU, staff_id, role, org, date(2024, 1, 1))
    for n in range(1, households + 1):
        head = Member(digest(f"head{n}"), f"户主{n}", "户主", date(1950, 1, 1))
        child = Member(digest(f"child{n}"), f"子女{n}", roles.CHILD, date(1990, 1, 1))
        fund.register_household(CLERK, f"H{n}", VILLAGE, "rural", [head, child])
    return fund


def roll_of(count: int, amount_fen: int = 50_000) -> list[Line]:
    """``count`` lines for households H1..Hn at ``amount_fen`` each."""
    return [Line(f"C{n}", f"H{n}", amount_fen) for n in range(1, count + 1)]


def paid(line_no: int, amount_fen: int = 50_000, ref: str = "") -> Disbursement:
    """The bank's report for ``line_no``."""
    return Disbursement(
        line_no,
        ref or f"TXN{line_no}",
        date(2024, 5, 10),
        amount_fen,
        digest(f"account{line_no}"),
    )


def sent_batch(fund: Fund, lines: int = 3) -> UUID:
    """A batch made by F1, approved by F2, with its instruction sent."""
    fund.rolls[(roles.DIBAO, TOWNSHIP)] = roll_of(lines)
    the_id = fund.create_batch(
        MAKER, programme=roles.DIBAO, region_code=TOWNSHIP, period=PERIOD
    )
    fund.approve_batch(CHECKER, the_id)
    fund.send_instruction(
        MAKER,
        the_id,
        file_sha256=digest("file"),
        line_count=lines,
        total_fen=50_000 * lines,
        bank_code="RCC",
    )
    return the_id
