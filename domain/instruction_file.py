"""The bank instruction file of a payment batch: its bytes, count, total and SHA-256.

A pure formatter (no I/O): UTF-8 CSV with ``\\n`` line ends, one line per
payment in line-number order, then a trailer with the count and the total::

    line_no,case_no,household_no,amount
    1,C1,H1,1000.00
    TOTAL,1,1000.00

Amounts are yuan with two decimals, written from integer fen. The SHA-256 of
exactly these bytes is what the batch records (``PaymentBatch.send_instruction``),
so the file a bank receives can be matched to the ledger later.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterable

    from domain.batch_rules import Line

INSTRUCTION_HEADER: Final = ("line_no", "case_no", "household_no", "amount")
TRAILER: Final = "TOTAL"
_FEN_PER_YUAN: Final = 100


@dataclass(frozen=True)
class InstructionFile:
    """An instruction file's bytes and what the ledger records of it."""

    data: bytes
    line_count: int
    total_fen: int
    sha256: str


def yuan(fen: int) -> str:
    """Show integer fen as yuan with two decimals (``70050`` → ``700.50``)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), _FEN_PER_YUAN)
    return f"{sign}{whole}.{cents:02d}"


def instruction_file(lines: Iterable[tuple[int, Line]]) -> InstructionFile:
    """Return the instruction file of ``(line_no, line)`` pairs, in their order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(INSTRUCTION_HEADER)
    count = total = 0
    for line_no, line in lines:
        writer.writerow(
            (line_no, line.case_no, line.household_no, yuan(line.amount_fen))
        )
        count += 1
        total += line.amount_fen
    writer.writerow((TRAILER, count, yuan(total)))
    data = out.getvalue().encode("utf-8")
    return InstructionFile(data, count, total, hashlib.sha256(data).hexdigest())
