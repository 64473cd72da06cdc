"""Pure checks and matching for payment batches: lines, disbursements, statements.

Kept apart from ``domain.batches`` so the aggregate holds only commands and
mutators; everything here is a function of values and raises ``DomainError``.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Final, NamedTuple

from domain.errors import AmountError, InvalidDataError, OrderingError
from domain.funds import is_digest, require_digest, require_fen, require_text

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

# Why a bank gave a line back (domain notes §2.3 PaymentFailed).
FAILURE_REASONS: Final = frozenset(
    {"account-closed", "name-mismatch", "deceased", "frozen", "other"}
)


class Line(NamedTuple):
    """One household's money for the month, as scheduled in a batch.

    A named tuple rather than a frozen dataclass: a batch replays 100,000 of
    them, and a tuple is built several times faster.
    """

    case_no: str
    household_no: str
    amount_fen: int


@dataclass(frozen=True, slots=True)
class Disbursement:
    """The bank's report that one line was paid."""

    line_no: int
    bank_txn_ref: str
    value_date: date
    amount_fen: int
    account_token: str


@dataclass(frozen=True, slots=True)
class StatementEntry:
    """One debit (or its reversal) on the bank statement of the programme account."""

    bank_txn_ref: str
    amount_fen: int
    reversal: bool = False


@dataclass(frozen=True)
class Reconciliation:
    """Statement against ledger: what matched, what did not, what was reversed."""

    matched: tuple[int, ...]
    unmatched: tuple[tuple[str, int], ...]
    reversals: tuple[tuple[int, str, int], ...]
    missing: tuple[int, ...]


def lines_digest(lines: Iterable[tuple[int, tuple[str, str, int]]]) -> str:
    """Return SHA-256 hex over the lines, one ``no TAB case TAB household TAB fen``.

    The approval records it, so the approved set of lines is bound by one hash.
    """
    rows = "".join(
        f"{line_no}\t{case_no}\t{household_no}\t{amount_fen}\n"
        for line_no, (case_no, household_no, amount_fen) in lines
    )
    return hashlib.sha256(rows.encode("utf-8")).hexdigest()


def check_lines(lines: Sequence[Line], record: str, *, live: bool) -> None:
    """Refuse malformed lines; live, also a second line for one household or case.

    Rules: at most one line per household × programme × month (domain notes
    §2.3 PaymentScheduled); money is whole fen above zero. Legacy data keeps
    its duplicates so that the risk rules can find them.
    """
    floor = 1 if live else 0
    bad = next((line for line in lines if not _line_ok(line, floor)), None)
    if bad is not None:
        require_text(bad.case_no, record, "a line's case number")
        require_text(bad.household_no, record, "a line's household number")
        require_fen(bad.amount_fen, record, allow_zero=not live)
    if not live:
        return
    if not lines:
        raise InvalidDataError("batch.not-empty", record, "no line is payable")
    for column in (1, 0):
        counts = Counter(line[column] for line in lines)
        twice = next((key for key, n in counts.items() if n > 1), None)
        if twice is not None:
            raise InvalidDataError(
                "batch.one-line-per-household", record, f"{twice} has two lines"
            )


def check_disbursements(
    items: Sequence[Disbursement],
    lines: Mapping[int, tuple[str, str, int]],
    paid_refs: Mapping[str, int],
    record: str,
    *,
    live: bool,
) -> None:
    """Refuse reports naming no line, reusing a bank ref, or paying another amount.

    Rule: the amount disbursed equals the amount scheduled (domain notes §2.3
    PaymentDisbursed); a bank transaction pays one line.
    """
    _check_once(items, paid_refs, record)
    floor = 1 if live else 0
    for item in items:
        line = lines.get(item.line_no)
        if (
            line is not None
            and _paid_ok(item, floor)
            and (not live or item.amount_fen == line[2])
        ):
            continue
        if line is None:
            raise InvalidDataError(
                "batch.line-known", record, f"no line {item.line_no}"
            )
        require_text(item.bank_txn_ref, record, "the bank transaction ref")
        require_digest(item.account_token, record, "the account token")
        require_fen(item.amount_fen, record, allow_zero=not live)
        if not isinstance(item.value_date, date):
            raise InvalidDataError("batch.value-date", record, "no value date")
        raise AmountError(
            "batch.amount-as-scheduled",
            record,
            f"line {item.line_no} was scheduled at {line[2]} fen",
        )


def _line_ok(line: Line, floor: int) -> bool:
    """The fast screen of one line; the helpers name the fault of a bad one."""
    case_no, household_no, amount = line
    return (
        type(case_no) is str
        and bool(case_no.strip())
        and type(household_no) is str
        and bool(household_no.strip())
        and type(amount) is int
        and amount >= floor
    )


def _paid_ok(item: Disbursement, floor: int) -> bool:
    """The fast screen of one bank report; the helpers name the fault of a bad one."""
    return (
        type(item.bank_txn_ref) is str
        and bool(item.bank_txn_ref.strip())
        and type(item.amount_fen) is int
        and item.amount_fen >= floor
        and type(item.value_date) is date
        and is_digest(item.account_token)
    )


def _check_once(
    items: Sequence[Disbursement], paid_refs: Mapping[str, int], record: str
) -> None:
    """Refuse a line reported twice, or a bank ref paying two lines."""
    line_nos = Counter(item.line_no for item in items)
    twice = next((no for no, n in line_nos.items() if n > 1), None)
    if twice is not None:
        raise OrderingError(
            "batch.line-closed-once", record, f"line {twice} is reported twice"
        )
    refs = Counter(item.bank_txn_ref for item in items)
    for ref, n in refs.items():
        if n > 1 or ref in paid_refs:
            raise InvalidDataError(
                "batch.bank-ref-once", record, f"{ref} pays two lines"
            )


def reconcile(
    entries: Iterable[StatementEntry], paid: Mapping[str, tuple[int, int]]
) -> Reconciliation:
    """Match statement entries to paid lines by bank ref and amount.

    Args:
        entries: the statement's debits and reversals for this batch.
        paid: bank ref → (line number, amount) of every disbursed or reissued line.

    Returns:
        Matched line numbers; entries matching no line (ref and amount);
        reversals of paid lines; paid lines the statement does not show.
    """
    matched: list[int] = []
    unmatched: list[tuple[str, int]] = []
    reversals: list[tuple[int, str, int]] = []
    seen: set[str] = set()
    for entry in entries:
        hit = paid.get(entry.bank_txn_ref)
        if hit is None or hit[1] != entry.amount_fen:
            unmatched.append((entry.bank_txn_ref, entry.amount_fen))
        elif entry.reversal:
            reversals.append((hit[0], entry.bank_txn_ref, entry.amount_fen))
        elif entry.bank_txn_ref in seen:
            unmatched.append((entry.bank_txn_ref, entry.amount_fen))
        else:
            seen.add(entry.bank_txn_ref)
            matched.append(hit[0])
    missing = sorted(no for ref, (no, _) in paid.items() if ref not in seen)
    return Reconciliation(
        tuple(sorted(matched)), tuple(unmatched), tuple(reversals), tuple(missing)
    )
