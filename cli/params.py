"""Parameter callbacks: yuan amounts to fen, ISO dates and months, members, actors.

Each callback turns what a person typed into a domain value or raises
``click.BadParameter`` (exit status 2) with one sentence. Amounts are parsed
as ``Decimal`` and become integer fen; a float is never made.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, TypeVar

import click

# Re-exported: every command shows fen as the instruction file writes them.
from domain.instruction_file import yuan as yuan  # noqa: PLC0414

if TYPE_CHECKING:
    from collections.abc import Callable

F = TypeVar("F", bound="Callable[..., Any]")

_AMOUNT = re.compile(r"\d{1,12}(\.\d{1,2})?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_FEN_PER_YUAN = 100


def amount_fen(text: str) -> int:
    """Return integer fen of a yuan amount with at most two decimals.

    Raises:
        ValueError: the text is not such an amount (negative, three decimals,
            an exponent, or not a number).
    """
    text = text.strip()
    if _AMOUNT.fullmatch(text) is None:
        msg = f"{text!r} is not an amount in yuan with at most two decimals"
        raise ValueError(msg)
    try:
        fen = Decimal(text) * _FEN_PER_YUAN
    except InvalidOperation:  # pragma: no cover - the pattern admits digits only
        msg = f"{text!r} is not an amount in yuan"
        raise ValueError(msg) from None
    return int(fen)


def iso_date(text: str) -> date:
    """Return the date of an ISO ``YYYY-MM-DD`` text, or raise ``ValueError``."""
    if _DATE.fullmatch(text.strip()) is None:
        msg = f"{text!r} is not a date YYYY-MM-DD"
        raise ValueError(msg)
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        msg = f"{text!r} is not a calendar date"
        raise ValueError(msg) from None


def iso_month(text: str) -> str:
    """Return a ``YYYY-MM`` month as typed, or raise ``ValueError``."""
    match = _MONTH.fullmatch(text.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12:
        msg = f"{text!r} is not a month YYYY-MM"
        raise ValueError(msg)
    return text.strip()


def _bad(error: ValueError) -> click.BadParameter:
    return click.BadParameter(f"{error}.")


def parse_amount(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> int | None:
    """Click callback: a yuan amount (``700``, ``700.5``, ``700.50``) → fen."""
    if value is None:
        return None
    try:
        return amount_fen(value)
    except ValueError as error:
        raise _bad(error) from None


def parse_amounts(
    _ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]
) -> tuple[int, ...]:
    """Click callback: several yuan amounts → fen each."""
    try:
        return tuple(amount_fen(v) for v in value)
    except ValueError as error:
        raise _bad(error) from None


def parse_date(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> date | None:
    """Click callback: an ISO date ``YYYY-MM-DD``."""
    if value is None:
        return None
    try:
        return iso_date(value)
    except ValueError as error:
        raise _bad(error) from None


def parse_dates(
    _ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]
) -> tuple[date, ...]:
    """Click callback: several ISO dates."""
    try:
        return tuple(iso_date(v) for v in value)
    except ValueError as error:
        raise _bad(error) from None


def parse_month(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> str | None:
    """Click callback: a month ``YYYY-MM``."""
    if value is None:
        return None
    try:
        return iso_month(value)
    except ValueError as error:
        raise _bad(error) from None


def business_day(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> date:
    """Click callback for ``--on``: the business date, today when not given."""
    if value is None:
        return date.today()
    try:
        return iso_date(value)
    except ValueError as error:
        raise _bad(error) from None


def acting(command: F) -> F:
    """Add ``--as STAFF_ID`` (or ``RELIEF_ACTOR``) and ``--on DATE`` to a command."""
    command = click.option(
        "--on",
        "on",
        callback=business_day,
        metavar="DATE",
        help="Business date of the act, YYYY-MM-DD (default today).",
    )(command)
    return click.option(
        "--as",
        "actor",
        envvar="RELIEF_ACTOR",
        required=True,
        metavar="STAFF_ID",
        help="Staff number of who acts (or RELIEF_ACTOR).",
    )(command)
