"""Money in the demo county: payee accounts, funds, and every monthly batch.

Each month, for each programme and township, the batch holds one line per
case with something payable that month (the cases' schedules, exactly as the
rolls hold them). A township finance officer makes it, a second approves it,
the instruction goes to the bank, the bank pays by the 10th; a few lines fail
and are reissued or returned, and a statement reconciles the batch. Funds
arrive from the treasury each quarter.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Final

from cli.demo.bank import bank_report, statement, who
from cli.demo.county import AREA_CODE
from cli.demo.lines import MONEY, moment
from cli.demo.reference import REGISTRAR, SET_UP
from domain import roles
from domain.case_rules import add_months

if TYPE_CHECKING:
    import random

    from cli.demo.cases import Case
    from cli.demo.county import County, Post
    from cli.demo.lines import LegacyFile
    from cli.demo.plants import Plan

FIRST: Final = "2021-01"
STATEMENTS_FROM: Final = "2024-01"
"""The bank's statements come electronically, one per batch, from 2024."""
LAST: Final = "2025-12"
BANK: Final = "清溪农商银行"
PREFIXES: Final = {
    roles.DIBAO: "DB",
    roles.TEKUN: "TK",
    roles.LINSHI: "LS",
    roles.CANJI: "CJ",
    roles.GUER: "GE",
}


def account_token(seed: int, household_no: str) -> str:
    """Return the household's payee account token (a hash, never a number)."""
    return hashlib.sha256(f"demo-account:{seed}:{household_no}".encode()).hexdigest()


@dataclass
class Money:
    """The state the monthly writer needs across months."""

    county: County
    plan: Plan
    rng: random.Random
    out: LegacyFile
    seed: int
    officers: dict[str, list[Post]] = field(default_factory=dict)
    totals: dict[tuple[str, str], int] = field(default_factory=dict)
    open_failures: list[dict[str, str]] = field(default_factory=list)
    statement_planted: bool = False
    late_planted: bool = False


def payee_accounts(
    county: County, plan: Plan, cases: list[Case], seed: int, out: LegacyFile
) -> None:
    """Register one account per paid household (the planted shared ones aside)."""
    heads = {h.number: h.head for h in county.homes}
    done: set[str] = set()
    for case in cases:
        number = case.home.number
        owner = plan.shared_accounts.get(number, number)
        case.account = account_token(seed, owner)
        if number in done or number in plan.shared_accounts:
            continue
        done.add(number)
        out.ref(
            "payment.bank_account_registered",
            case.account,
            REGISTRAR,
            SET_UP,
            household_no=number,
            holder=heads[number].ref,
            bank_code=BANK,
            card_type="社保卡",
        )
    groups: dict[str, list[str]] = {}
    for number, owner in plan.shared_accounts.items():
        groups.setdefault(owner, []).append(number)
    for owner, numbers in groups.items():
        home = next(h for h in county.homes if h.number == owner)
        plan.note(
            "shared-account",
            "RF-16",
            home,
            "",
            f"households {' and '.join(numbers)} are paid into the account "
            f"registered to household {owner}",
            subject=f"account {account_token(seed, owner)}",
        )


def write_payments(money: Money, cases: list[Case]) -> None:
    """Write every month's batches from FIRST to LAST, then the quarterly funds."""
    for post in money.county.posts:
        if post.role == roles.FINANCE and len(post.org) == 9:
            money.officers.setdefault(post.org, []).append(post)
    by_roll: dict[tuple[str, str], list[Case]] = {}
    for case in sorted(cases, key=lambda c: c.case_no):
        by_roll.setdefault((case.programme, case.home.township), []).append(case)
    period = FIRST
    while period <= LAST:
        for (programme, township), roll in sorted(by_roll.items()):
            lines = [(c, c.payable(period)) for c in roll]
            paid = [(c, fen) for c, fen in lines if fen > 0]
            if paid:
                _batch(money, programme, township, period, paid)
        period = add_months(period, 1)
    _funds(money)


def _batch(
    money: Money,
    programme: str,
    township: str,
    period: str,
    paid: list[tuple[Case, int]],
) -> None:
    record = f"{programme}/{township}/{period}"
    maker, checker = money.officers[township][:2]
    year, month = int(period[:4]), int(period[5:])
    out = money.out
    rows = [
        {"case_no": c.case_no, "household_no": c.home.number, "amount_fen": fen}
        for c, fen in paid
    ]
    total = sum(fen for _, fen in paid)
    key = (programme, f"{year}Q{(month - 1) // 3 + 1}")
    money.totals[key] = money.totals.get(key, 0) + total
    out.add(
        MONEY,
        "payment.batch_created",
        record,
        who(maker),
        moment(date(year, month, 3)),
        lines=rows,
    )
    out.add(
        MONEY,
        "payment.batch_approved",
        record,
        who(checker),
        moment(date(year, month, 4)),
    )
    digest = hashlib.sha256(f"{record}:{len(rows)}:{total}".encode()).hexdigest()
    out.add(
        MONEY,
        "payment.instruction_sent",
        record,
        who(maker),
        moment(date(year, month, 5)),
        file_sha256=digest,
        line_count=len(rows),
        total_fen=total,
        bank_code=BANK,
    )
    entries = list(bank_report(money, record, period, paid, maker))
    if period >= STATEMENTS_FROM:
        statement(money, record, period, entries, maker)


def _funds(money: Money) -> None:
    finance = next(
        p for p in money.county.posts if p.role == roles.FINANCE and p.org == AREA_CODE
    )
    for (programme, quarter), total in sorted(money.totals.items()):
        year, q = int(quarter[:4]), int(quarter[5:])
        day = date(year, (q - 1) * 3 + 1, 1)
        central = total * 4 // 5
        for source, fen in (("中央", central), ("省", total - central)):
            money.out.add(
                MONEY,
                "payment.funds_received",
                f"{programme}/{AREA_CODE}",
                who(finance),
                moment(day, 8),
                source=source,
                amount_fen=fen,
                treasury_ref=f"GK{year}Q{q}-{source}-{PREFIXES[programme]}",
                received_on=day.isoformat(),
            )


__all__ = ["Money", "payee_accounts", "write_payments"]
