"""The demo's final month, January 2026, through the live domain commands.

After the import, the county works one month the way users do: every rule is
checked. Three households apply for 低保 and go through the whole procedure
to approval (one approval keyed in two weeks after the day it states: the
planted back-dating); then each township's finance officers make the month's
batches from the rolls, a second officer approves each, the instruction is
sent, the bank's payments are recorded, and the statement is reconciled.
The simulated clock follows each act's day.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Final

from cli.demo.lines import moment
from cli.demo.payments import BANK, account_token
from domain import roles
from domain.base import Act
from domain.batch_rules import Disbursement, StatementEntry
from domain.batches import batch_id
from domain.rolls import roll_id

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from cli.demo.cases import Case
    from cli.demo.clock import SimulatedClock
    from cli.demo.county import County, Home, Post
    from cli.demo.generate import Generated
    from domain.batch_rules import Line
    from domain.service import ReliefFund

    Step = tuple[datetime, int, Callable[[], object]]

PERIOD: Final = "2026-01"
APPLY_DAY: Final = date(2026, 1, 5)
PROGRAMMES: Final = (roles.DIBAO, roles.TEKUN, roles.CANJI, roles.GUER, roles.LINSHI)


@dataclass
class LiveMonth:
    """The live month's context: the service, the clock and the generated county."""

    fund: ReliefFund
    clock: SimulatedClock
    county: Generated
    seed: int

    def act(self, post: Post, day: date, hour: int = 10) -> Act:
        """Return ``post``'s act at ``day`` ``hour``, moving the clock there."""
        when = moment(day, hour)
        self.clock.set(when)
        return Act(post.staff_id, post.role, when)

    def act_later(self, post: Post, day: date, hour: int = 10) -> Callable[[], Act]:
        """Return a function giving ``post``'s act when the step runs."""
        return lambda: self.act(post, day, hour)


def run_live_month(
    live: LiveMonth, progress: Callable[[int, int], None] | None = None
) -> int:
    """Work January 2026 live, every act in order of its day; return the count."""
    steps: list[Step] = []
    _applications(live, steps)
    for township in live.county.county.townships:
        for programme in PROGRAMMES:
            _month_batch(live, programme, township.code, steps)
    steps.sort(key=lambda step: step[:2])
    for done, (_, _, act) in enumerate(steps, start=1):
        act()
        if progress is not None:
            progress(done, len(steps))
    return len(steps)


def _at(steps: list[Step], day: date, hour: int, act: Callable[[], object]) -> None:
    steps.append((moment(day, hour), len(steps), act))


def _posts(live: LiveMonth, role: str, org: str) -> list[Post]:
    return [p for p in live.county.county.posts if p.role == role and p.org == org]


def live_applicants(county: County, cases: Iterable[Case]) -> list[Home]:
    """The households that apply live: the first three family households with
    no case in ``cases``, no cadre kin and no death."""
    paid = {c.home.number for c in cases}
    fresh = [
        h
        for h in county.homes
        if h.number not in paid
        and h.kind == "family"
        and h.number not in county.cadre_kin
        and all(m.died is None for m in h.members)
    ]
    return fresh[:3]


def _applications(live: LiveMonth, steps: list[Step]) -> None:
    """Three live 低保 applications, the last approval back-dated."""
    county = live.county.county
    approver = _posts(live, roles.APPROVER, county.homes[0].village[:6])[0]
    for index, home in enumerate(live_applicants(county, live.county.cases)):
        case_no = f"DB2026{index + 1:05d}"
        _intake(live, home, case_no, steps)
        _decision(live, home, (approver, case_no), steps, backdated=index == 2)


def _intake(live: LiveMonth, home: Home, case_no: str, steps: list[Step]) -> None:
    fund, day = live.fund, APPLY_DAY
    clerk, second = _posts(live, roles.TOWNSHIP_CLERK, home.township)[:2]

    def apply() -> None:
        members = tuple(m.id_no for m in home.members if m.died is None)
        refs = tuple(fund.person_ref(n) for n in members)  # 身份证号 as keyed in
        fund.submit_application(
            live.act(clerk, day, 9),
            case_no,
            roles.DIBAO,
            "补差",
            home.number,
            covered=(refs[0], refs),
            consent=(f"SQ-{case_no}", f"CN-{case_no}"),
        )
        fund.accept(live.act(clerk, day), case_no)

    def check() -> None:
        fund.request_check(live.act(clerk, day + timedelta(1)), case_no, ("户籍",))
        fund.complete_check(
            live.act(clerk, day + timedelta(2)), case_no, 15_000, f"HD-{case_no}"
        )
        fund.record_visit(
            live.act(clerk, day + timedelta(2), 14),
            case_no,
            "township",
            (clerk.staff_id, second.staff_id),
        )

    def notice() -> None:
        cap, _ = fund.cap_on(fund.case(case_no), day)
        fund.issue_opinion(live.act(clerk, day + timedelta(3)), case_no, "approve", cap)
        fund.post_notice(
            live.act(clerk, day + timedelta(3), 11),
            case_no,
            day + timedelta(3),
            day + timedelta(10),
        )

    _at(steps, day, 9, apply)
    _at(steps, day + timedelta(1), 10, check)
    _at(steps, day + timedelta(3), 10, notice)


def _decision(
    live: LiveMonth,
    home: Home,
    who: tuple[Post, str],
    steps: list[Step],
    *,
    backdated: bool,
) -> None:
    fund, (approver, case_no) = live.fund, who
    decided = APPLY_DAY + timedelta(16)
    keyed = decided + timedelta(9) if backdated else decided

    def approve() -> None:
        act = live.act(approver, keyed, 15)
        act = Act(act.actor_id, act.actor_role, moment(decided, 15))
        cap, _ = fund.cap_on(fund.case(case_no), decided)
        fund.approve(act, case_no, cap)

    _at(steps, keyed, 15, approve)
    live.county.plan.note(
        "backdated-approval" if backdated else "live-application",
        "RF-27" if backdated else "—",
        home,
        case_no,
        f"approval dated {decided} but recorded on {keyed}"
        if backdated
        else "applied and approved live in January 2026",
    )


PAY_DAY: Final = date(2026, 1, 9)


def _month_batch(
    live: LiveMonth, programme: str, township: str, steps: list[Step]
) -> None:
    """Schedule the month's batch of one roll: make, approve, send, pay, reconcile."""
    fund = live.fund
    if not fund.exists(roll_id(programme, township)):
        return
    lines = fund.roll_lines(programme, township, PERIOD)
    if not lines:
        return
    maker, checker = _posts(live, roles.FINANCE, township)[:2]
    the_id = batch_id(programme, township, PERIOD)
    items = _bank_payments(live, lines)
    total = sum(line.amount_fen for line in lines)
    digest = hashlib.sha256(f"{programme}/{township}/{PERIOD}:{total}".encode())
    entries = [StatementEntry(i.bank_txn_ref, i.amount_fen) for i in items]

    def create() -> None:
        fund.create_batch(
            live.act(maker, date(2026, 1, 3)),
            programme=programme,
            region_code=township,
            period=PERIOD,
        )

    def send() -> None:
        act = live.act(maker, date(2026, 1, 5), 8)
        fund.send_instruction(
            act,
            the_id,
            file_sha256=digest.hexdigest(),
            line_count=len(lines),
            total_fen=total,
            bank_code=BANK,
        )

    def reconcile() -> None:
        act = live.act(maker, date(2026, 1, 26))
        statement = f"ST202601-{township[-3:]}"
        fund.reconcile_statement(act, the_id, statement_id=statement, entries=entries)

    _at(steps, date(2026, 1, 3), 9, create)
    approve = live.act_later(checker, date(2026, 1, 4))
    _at(steps, date(2026, 1, 4), 10, lambda: fund.approve_batch(approve(), the_id))
    _at(steps, date(2026, 1, 5), 8, send)
    pay = live.act_later(maker, PAY_DAY, 18)
    _at(steps, PAY_DAY, 18, lambda: fund.record_disbursements(pay(), the_id, items))
    _at(steps, date(2026, 1, 26), 10, reconcile)


def _bank_payments(live: LiveMonth, lines: list[Line]) -> list[Disbursement]:
    """The bank's payment of every line, into each household's account."""
    shared = live.county.plan.shared_accounts
    return [
        Disbursement(
            n,
            f"T202601{line.case_no}",
            PAY_DAY,
            line.amount_fen,
            account_token(live.seed, shared.get(line.household_no, line.household_no)),
        )
        for n, line in enumerate(lines, start=1)
    ]


__all__ = ["LiveMonth", "run_live_month"]
