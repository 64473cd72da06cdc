"""A money story for view tests: real commands on ``ReliefFund``, every money event.

``story(fund)`` seeds regions, standards, staff and households (as the case
tests do), receives funds from two sources, approves two 低保 cases, pays
three months of batches with a failure reissued and a failure returned,
orders and partly recovers an overpayment with a fine, and grants 临时救助
emergency aid. ``memory_fund()`` runs it in memory; integration tests pass a
``ReliefFund`` on a real store.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from case_support import (
    BUREAU,
    COUNTY,
    DECIDED,
    HOUSEHOLDS,
    REGIONS,
    STAFF,
    STANDARDS,
    TOWNSHIP,
    act,
    applied,
    approved_dibao,
    investigated,
    noticed,
    ref,
)

from domain import roles
from domain.base import Act
from domain.batch_rules import Disbursement
from domain.service import ReliefFund
from projections.replay import read_events

if TYPE_CHECKING:
    from uuid import UUID

    from projections.folds import At

MEMORY = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
MORE_STAFF = {"F2": (roles.FINANCE, COUNTY)}
PERIODS = ("2024-04", "2024-05", "2024-06")


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def memory_fund() -> ReliefFund:
    return ReliefFund(env=dict(MEMORY))


def seed(fund: ReliefFund) -> None:
    """Regions, standards, staff (with a second finance officer), households."""
    for code, name in REGIONS:
        fund.register_region(BUREAU, code, name)
    for programme, amount in STANDARDS.items():
        fund.set_standard(
            BUREAU,
            COUNTY,
            programme,
            "urban",
            amount,
            effective_from=date(2024, 1, 1),
            document="东民发〔2024〕1号",
        )
    for staff_id, (role, org) in {**STAFF, **MORE_STAFF}.items():
        fund.register_staff(
            BUREAU, staff_id, ref(f"staff-{staff_id}"), f"员工{staff_id}"
        )
        fund.assign_role(BUREAU, staff_id, role, org, date(2024, 1, 1))
    clerk = act("T1", date(2024, 2, 1))
    for number, (area, members) in HOUSEHOLDS.items():
        fund.register_household(clerk, number, f"{TOWNSHIP}001", area, members)


def finance(staff_id: str, day: date) -> Act:
    return Act(staff_id, roles.FINANCE, datetime.combine(day, datetime.min.time()))


def pay_month(fund: ReliefFund, period: str, outcome: dict[int, str]) -> UUID:
    """Make, approve and send the month's batch; pay, fail or reissue lines.

    ``outcome`` maps a line number to "paid", "failed", "reissued" or "returned".
    """
    year, month = int(period[:4]), int(period[5:])
    day = date(year, month, 5)
    the_id = fund.create_batch(
        finance("F1", day), programme=roles.DIBAO, region_code=TOWNSHIP, period=period
    )
    batch = fund.payment_batch(the_id)
    fund.approve_batch(finance("F2", day), the_id)
    fund.send_instruction(
        finance("F1", day),
        the_id,
        file_sha256=digest(f"file{period}"),
        line_count=batch.line_count,
        total_fen=batch.total_fen,
        bank_code="RCC",
    )
    paid_on = date(year, month, 10)

    def item(no: int, suffix: str = "") -> Disbursement:
        return Disbursement(
            no,
            f"TXN-{period}-{no}{suffix}",
            paid_on,
            batch.lines[no][2],
            digest(f"account-{batch.lines[no][1]}"),
        )

    paid = [item(no) for no, how in sorted(outcome.items()) if how == "paid"]
    if paid:
        fund.record_disbursements(finance("F1", paid_on), the_id, paid)
    for no, how in sorted(outcome.items()):
        if how == "paid":
            continue
        fund.record_payment_failure(
            finance("F1", paid_on),
            the_id,
            line_no=no,
            reason_code="account-closed",
            bank_ref=f"BANK-{period}-{no}",
        )
        later = finance("F1", date(year, month, 20))
        if how == "reissued":
            fund.reissue_payment(later, the_id, item(no, "-R"))
        elif how == "returned":
            fund.return_payment(later, the_id, line_no=no, treasury_ref=f"RET-{period}")
    return the_id


def story(fund: ReliefFund) -> None:
    """Every kind of money movement, through the domain's own commands."""
    seed(fund)
    for source, amount, ref_no in (("中央", 1_000_000, "T-1"), ("省", 400_000, "T-2")):
        fund.receive_funds(
            finance("F1", date(2024, 3, 20)),
            programme=roles.DIBAO,
            org_code=COUNTY,
            source=source,
            amount_fen=amount,
            treasury_ref=ref_no,
            received_on=date(2024, 3, 20),
        )
    approved_dibao(fund, "C1", 150_000)
    applied(fund, "C2", roles.DIBAO, "补差", "H2")
    investigated(fund, "C2")
    noticed(fund, "C2", 50_000)
    fund.approve(act("A1", DECIDED), "C2", 50_000)
    pay_month(fund, PERIODS[0], {1: "paid", 2: "paid"})
    pay_month(fund, PERIODS[1], {1: "paid", 2: "reissued"})
    pay_month(fund, PERIODS[2], {1: "paid", 2: "returned"})
    fund.identify_overpayment(
        act("A1", date(2024, 7, 1)),
        "R1",
        "C1",
        ("2024-04",),
        amount_fen=20_000,
        cause="fraud",
    )
    fund.order_recovery(act("A1", date(2024, 7, 2)), "R1", 20_000, 2, "决定书-1")
    fund.record_recovery(act("T1", date(2024, 7, 9)), "R1", 15_000, "收据-1")
    applied(fund, "L-1", roles.LINSHI, "急难型", "H3")
    fund.grant_emergency_aid(act("T1", date(2024, 3, 1)), "L-1", 50_000, "火灾")


def events_of(fund: ReliefFund) -> list[tuple[Any, At]]:
    """Every recorded event with where it stands, in position order."""
    return list(read_events(fund.recorder, fund.mapper))
