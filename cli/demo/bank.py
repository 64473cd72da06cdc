"""The bank's side of a demo batch: paid lines, failures, reissues, the statement.

``cli.demo.payments`` makes, approves and instructs each monthly batch; the
bank then pays each line by the 10th (the first 低保 batch of July 2025 on
the 16th, planted, RF-19), a few fail and are reissued on the 20th or returned to
the treasury (three in 2025 planted as neither, RF-19), and from 2024 a
statement reconciles the batch (one planted to disagree, RF-20).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Final

from cli.demo.lines import MONEY, moment
from domain import roles

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import datetime

    from cli.demo.cases import Case
    from cli.demo.county import Post
    from cli.demo.payments import Money

FAILURES: Final = ("account-closed", "name-mismatch", "frozen")
LATE_PERIOD: Final = "2025-07"
LATE_DAY: Final = 16
"""The first 低保 batch of July 2025 is paid on the 16th (planted, RF-19)."""


def bank_report(
    money: Money, record: str, period: str, paid: list[tuple[Case, int]], maker: Post
) -> Iterator[dict[str, Any]]:
    """Write the bank's return: paid lines, failures reissued or returned."""
    year, month = int(period[:4]), int(period[5:])
    late = _paid_late(money, record, period, paid)
    value = date(year, month, LATE_DAY if late else 8 + (month % 3))
    bank = who(maker)
    for line_no, (case, fen) in enumerate(paid, start=1):
        ref = f"T{period.replace('-', '')}{case.case_no}"
        if money.rng.random() < 0.003:
            yield from _failure(money, (record, period), line_no, (case, fen), maker)
            continue
        yield _paid(
            money,
            ("payment.disbursed", record),
            by=bank,
            at=moment(value, 18),
            line=(line_no, case, fen),
            ref=ref,
        )


def _paid_late(
    money: Money, record: str, period: str, paid: list[tuple[Case, int]]
) -> bool:
    """Whether this is the one batch the bank pays late (planted, RF-19)."""
    if money.late_planted or period != LATE_PERIOD or not paid:
        return False
    if not record.startswith(f"{roles.DIBAO}/"):
        return False
    money.late_planted = True
    case = paid[0][0]
    money.plan.note(
        "paid-late",
        "RF-19",
        case.home,
        case.case_no,
        f"every line of {record} paid on the {LATE_DAY}th, past the pay day (the 10th)",
        subject=record,
    )
    return True


def _failure(
    money: Money,
    batch: tuple[str, str],
    line_no: int,
    line: tuple[Case, int],
    maker: Post,
) -> Iterator[dict[str, Any]]:
    """Write a failed line, then its reissue or return (or, planted, neither)."""
    record, period = batch
    case, _ = line
    year, month = int(period[:4]), int(period[5:])
    money.out.add(
        MONEY,
        "payment.failed",
        record,
        who(maker),
        moment(date(year, month, 12)),
        line_no=line_no,
        reason_code=money.rng.choice(FAILURES),
        bank_ref=f"F{period.replace('-', '')}{case.case_no}",
    )
    if len(money.open_failures) < 3 and year == 2025:
        money.open_failures.append({"record": record, "line_no": str(line_no)})
        detail = f"line {line_no} of {record} failed and was never reissued or returned"
        money.plan.note(
            "failed-line-open",
            "RF-19",
            case.home,
            case.case_no,
            detail,
            subject=f"{record} line {line_no}",
        )
        return
    if money.rng.random() < 0.7:
        yield _paid(
            money,
            ("payment.reissued", record),
            by=who(maker),
            at=moment(date(year, month, 20)),
            line=(line_no, *line),
            ref=f"R{period.replace('-', '')}{case.case_no}",
        )
    else:
        money.out.add(
            MONEY,
            "payment.returned",
            record,
            who(maker),
            moment(date(year, month, 21)),
            line_no=line_no,
            treasury_ref=f"TH{period.replace('-', '')}{line_no:04d}",
        )


def _paid(
    money: Money,
    event: tuple[str, str],
    *,
    by: tuple[str, str],
    at: datetime,
    line: tuple[int, Case, int],
    ref: str,
) -> dict[str, Any]:
    """Write a line the bank paid on ``at``'s day; return its statement entry.

    ``event`` is the event type (disbursed, or reissued after a failure) and
    the batch's record; ``by`` is who the line is written as; ``line`` is its
    number, case and fen; ``ref`` the bank's transaction ref.
    """
    line_no, case, fen = line
    kind, record = event
    money.out.add(
        MONEY,
        kind,
        record,
        by,
        at,
        line_no=line_no,
        bank_txn_ref=ref,
        value_date=at.date().isoformat(),
        amount_fen=fen,
        account_token=case.account,
    )
    return {"bank_txn_ref": ref, "amount_fen": fen}


def statement(
    money: Money, record: str, period: str, entries: list[dict[str, Any]], maker: Post
) -> None:
    """Write the statement that reconciles the batch (one planted to differ)."""
    year, month = int(period[:4]), int(period[5:])
    statement_id = f"ST{period.replace('-', '')}-{record.split('/')[1][-3:]}"
    if not money.statement_planted and period == "2025-06" and len(entries) > 5:
        money.statement_planted = True
        entries = [dict(e) for e in entries]
        entries[2]["amount_fen"] += 10_000
        entries.append(
            {"bank_txn_ref": f"X{period}{record[-12:]}", "amount_fen": 88_800}
        )
        home = next(h for h in money.county.homes if h.township == record.split("/")[1])
        money.plan.note(
            "statement-disagrees",
            "RF-20",
            home,
            "",
            f"the bank statement of {record} differs from the lines paid",
            subject=f"{record} {statement_id}",
        )
    out_entries = [{**e, "reversal": False} for e in entries]
    money.out.add(
        MONEY,
        "payment.reconciled",
        record,
        who(maker),
        moment(date(year, month, 26)),
        statement_id=statement_id,
        entries=out_entries,
    )


def who(post: Post) -> tuple[str, str]:
    """Return the (staff id, role) a post writes its events as."""
    return post.staff_id, post.role
