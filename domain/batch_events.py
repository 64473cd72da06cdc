"""The payloads of a payment batch's events, nested into ``PaymentBatch`` by name.

``domain.batches.PaymentBatch`` nests each class below under the same name, so
the stored topic is ``domain.batches:PaymentBatch.<Name>``; renaming one is a
schema migration (house style rule 9). Lines travel as columns in chunks
(``LinesScheduled``, ``LinesDisbursed``); failures, reissues and returns are
one event per line (domain notes §2.3). Money is integer fen.
"""

from __future__ import annotations

from datetime import date  # noqa: TC003 (event annotations are read at runtime)

from domain.base import ReliefCreated, ReliefEvent


class Created(ReliefCreated):
    """The batch of one programme × region × month, made by its maker."""

    programme: str
    region_code: str
    period: str
    line_count: int
    total_fen: int


class LinesScheduled(ReliefEvent):
    """A chunk of lines from ``first_line_no`` on, as columns."""

    first_line_no: int
    case_nos: tuple[str, ...]
    household_nos: tuple[str, ...]
    amounts_fen: tuple[int, ...]


class Approved(ReliefEvent):
    """The checker's approval, binding the lines by their digest."""

    line_count: int
    total_fen: int
    lines_digest: str


class InstructionSent(ReliefEvent):
    """PaymentInstructionSent: the bank file's hash, count and total."""

    file_sha256: str
    line_count: int
    total_fen: int
    bank_code: str


class LinesDisbursed(ReliefEvent):
    """A chunk of lines the bank paid, as columns."""

    line_nos: tuple[int, ...]
    bank_txn_refs: tuple[str, ...]
    value_dates: tuple[str, ...]
    amounts_fen: tuple[int, ...]
    account_tokens: tuple[str, ...]


class LineFailed(ReliefEvent):
    """One line the bank could not pay, with its reason code."""

    line_no: int
    reason_code: str
    bank_ref: str


class LineReissued(ReliefEvent):
    """A failed line paid again."""

    line_no: int
    bank_txn_ref: str
    value_date: date
    amount_fen: int
    account_token: str


class LineReturned(ReliefEvent):
    """A failed line's money returned to the treasury."""

    line_no: int
    amount_fen: int
    treasury_ref: str
