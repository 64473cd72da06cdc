"""Bank files as CSV that we receive: the return file and the statement.

The instruction file we send is made, with its SHA-256, by the domain
(``domain.instruction_file``). Return file, one row per line the bank processed::

    line_no,status,bank_ref,value_date,amount,account_token,reason
    1,paid,TXN-1,2024-04-10,1000.00,<64 hex digits>,
    2,failed,TXN-2,,,,account-closed

Statement, one debit (or its reversal) per row::

    bank_ref,amount,reversal
    TXN-1,1000.00,no

Amounts are yuan with at most two decimals. A malformed row raises
``BankFileError`` naming its line number in the file; nothing is read past it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cli.params import amount_fen, iso_date
from domain.batch_rules import Disbursement, StatementEntry

if TYPE_CHECKING:
    from collections.abc import Iterator


RETURN_HEADER = (
    "line_no",
    "status",
    "bank_ref",
    "value_date",
    "amount",
    "account_token",
    "reason",
)
STATEMENT_HEADER = ("bank_ref", "amount", "reversal")


class BankFileError(ValueError):
    """A row of a bank file is malformed; the message names its line number."""

    def __init__(self, line_no: int, reason: str) -> None:
        self.line_no = line_no
        super().__init__(f"line {line_no}: {reason}")


@dataclass(frozen=True)
class Failure:
    """A line the bank could not pay."""

    line_no: int
    bank_ref: str
    reason_code: str


@dataclass(frozen=True)
class Returns:
    """What a return file says: the lines paid and the lines failed."""

    paid: tuple[Disbursement, ...]
    failed: tuple[Failure, ...]


def _rows(text: str, header: tuple[str, ...]) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, cells) of each data row after checking the header."""
    reader = csv.reader(io.StringIO(text))
    first = next(reader, None)
    if first is None or tuple(c.strip() for c in first) != header:
        raise BankFileError(1, f"the header must be {','.join(header)}")
    for cells in reader:
        line_no = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise BankFileError(line_no, f"expected {len(header)} fields")
        yield line_no, [c.strip() for c in cells]


def _number(text: str, line_no: int) -> int:
    if not text.isdigit():
        raise BankFileError(line_no, f"{text!r} is not a line number")
    return int(text)


def read_returns(text: str) -> Returns:
    """Parse a bank return file.

    Raises:
        BankFileError: a row is malformed (its line number is named).
    """
    paid, failed = [], []
    for line_no, cells in _rows(text, RETURN_HEADER):
        number, status, ref, value_date, amount, token, reason = cells
        line = _number(number, line_no)
        if not ref:
            raise BankFileError(line_no, "the bank ref is missing")
        if status == "failed":
            failed.append(Failure(line, ref, reason))
            continue
        if status != "paid":
            raise BankFileError(
                line_no, f"status {status!r} is neither paid nor failed"
            )
        try:
            paid.append(
                Disbursement(line, ref, iso_date(value_date), amount_fen(amount), token)
            )
        except ValueError as error:
            raise BankFileError(line_no, str(error)) from None
    return Returns(tuple(paid), tuple(failed))


def read_statement(text: str) -> tuple[StatementEntry, ...]:
    """Parse a bank statement.

    Raises:
        BankFileError: a row is malformed (its line number is named).
    """
    entries = []
    for line_no, (ref, amount, reversal) in _rows(text, STATEMENT_HEADER):
        if not ref:
            raise BankFileError(line_no, "the bank ref is missing")
        if reversal not in {"yes", "no"}:
            raise BankFileError(line_no, f"reversal {reversal!r} is neither yes nor no")
        try:
            fen = amount_fen(amount)
        except ValueError as error:
            raise BankFileError(line_no, str(error)) from None
        entries.append(StatementEntry(ref, fen, reversal == "yes"))
    return tuple(entries)
