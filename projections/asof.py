"""Replay as of a business date or a ledger position: households, accounts, books.

Two ways to the same answer, and a property test holds them equal:

* **from the events** (``books_as_of``, ``household_from_events``): fold the
  events up to the bound with the views' own pure code (the posting rules of
  ``projections.postings``, the sums of ``projections.balances``);
* **from the indexes** (``household_as_of``, ``account_as_of``): read only the
  subject's own events, found through ``audit_events``/``audit_subjects``,
  and its legs from ``books_postings``. This is how one household is replayed
  in a ledger of millions of events in milliseconds.

Totals per programme (what ``relief replay`` shows) come the same two ways:
``programme_totals`` of ``books_as_of`` folds every event; ``programme_totals_as_of``
sums the stored legs of ``books_postings`` within the bounds in one query.

A date bound keeps the events whose business date (``occurred_at``) is on or
before it, even if recorded later; a position bound keeps positions ≤ N.
What the posting rules learn (a batch's lines, a case's household) is learnt
from every event up to the position bound, whatever its date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from sqlalchemy import case, func, select

from domain.ids import record_id
from projections.audit import events_table, originators_table, subjects_table
from projections.balances import (
    KINDS,
    PAID_KINDS_ALL,
    Totals,
    postings_table,
    totals,
)
from projections.folds import at_of, within
from projections.households import HouseholdFolder, HouseholdState
from projections.postings import PostingRules

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date

    from eventsourcing.persistence import ApplicationRecorder, Mapper
    from sqlalchemy.engine import Connection
    from sqlalchemy.sql.elements import ColumnElement

    from projections.folds import At
    from projections.posting_legs import Posting

Pair = tuple[Any, "At"]


def legs_as_of(
    pairs: Iterable[Pair], *, position: int | None = None, as_of: date | None = None
) -> list[Posting]:
    """Return the legs posted by the events within the bounds, from position 1."""
    rules = PostingRules()
    legs: list[Posting] = []
    for event, at in pairs:
        if position is not None and at.position > position:
            break
        if within(at, position, as_of):
            legs.extend(rules.postings(event, at))
        rules.learn(event)
    return legs


def books_as_of(
    pairs: Iterable[Pair], *, position: int | None = None, as_of: date | None = None
) -> Totals:
    """Return every balance (account, region × programme × month, case) as it stood."""
    return totals(legs_as_of(pairs, position=position, as_of=as_of))


def programme_totals(books: Totals) -> dict[str, dict[str, int]]:
    """Return the fen moved per programme and kind (``KINDS``), from the books."""
    sums: dict[str, dict[str, int]] = {}
    for (_region, programme, _period), cell in books.cells.items():
        row = sums.setdefault(programme, dict.fromkeys(KINDS, 0))
        for kind in KINDS:
            row[kind] += cell.get(kind, 0)
    return dict(sorted(sums.items()))


def programme_totals_as_of(
    conn: Connection, *, position: int | None = None, as_of: date | None = None
) -> dict[str, dict[str, int]]:
    """``programme_totals(books_as_of(...))`` from the stored legs, in one query.

    A cell gains each positive leg's amount under its kind (``totals``), so
    the sum per programme and kind of the positive legs within the bounds is
    the same answer; the books view must be caught up to the position bound.
    """
    c = postings_table.c
    positive = func.sum(case((c.amount > 0, c.amount), else_=0))
    # A fund's leg opens its programme's cell whatever its sign, as in ``totals``.
    query = (
        select(c.programme, c.kind, positive)
        .where(
            (c.amount > 0) | c.account.startswith("fund:"),
            *_leg_bounds(position, as_of),
        )
        .group_by(c.programme, c.kind)
    )
    sums: dict[str, dict[str, int]] = {}
    for programme, kind, amount in conn.execute(query):
        column = PAID_KINDS_ALL.get(kind, kind)
        row = sums.setdefault(programme, dict.fromkeys(KINDS, 0))
        if column in row:
            row[column] += int(amount)
    return dict(sorted(sums.items()))


def _bounds(
    column_position: Any, column_day: Any, position: int | None, as_of: date | None
) -> list[ColumnElement[bool]]:
    # Business days are compared as ISO strings ("2024-02-01"): the same on
    # both backends, whatever format a driver gives a stored datetime.
    where: list[ColumnElement[bool]] = []
    if position is not None:
        where.append(column_position <= position)
    if as_of is not None:
        where.append(column_day <= as_of.isoformat())
    return where


def _leg_bounds(position: int | None, as_of: date | None) -> list[ColumnElement[bool]]:
    c = postings_table.c
    return _bounds(c.position, c.occurred_on, position, as_of)


def account_as_of(
    conn: Connection,
    account: str,
    *,
    position: int | None = None,
    as_of: date | None = None,
) -> dict[str, int]:
    """Return an account's sums (as ``Totals.accounts`` holds them) as it stood."""
    return _account_sums(conn, account, position, as_of)[0]


def _account_sums(
    conn: Connection, account: str, position: int | None, as_of: date | None
) -> tuple[dict[str, int], int]:
    """Return an account's sums and the position of its last leg (0 if none)."""
    c = postings_table.c
    debit = func.sum(case((c.amount > 0, c.amount), else_=0))
    query = (
        select(c.kind, func.sum(c.amount), func.sum(func.abs(c.amount)), debit)
        .add_columns(func.max(c.position))
        .where(c.account == account, *_leg_bounds(position, as_of))
        .group_by(c.kind)
    )
    sums: dict[str, int] = {}
    last = 0
    for kind, signed, absolute, debits, latest in conn.execute(query):
        column = PAID_KINDS_ALL.get(kind, kind)
        for name, amount in (
            (column, int(absolute)),
            ("debit", int(debits)),
            ("credit", int(absolute) - int(debits)),
            ("balance", int(signed)),
        ):
            if amount or name == "balance":
                sums[name] = sums.get(name, 0) + amount
        last = max(last, int(latest))
    return sums, last


def household_from_events(
    household_no: str,
    pairs: Iterable[Pair],
    *,
    position: int | None = None,
    as_of: date | None = None,
) -> HouseholdState:
    """Replay one household from the whole event stream (the reference answer)."""
    pairs = list(pairs)
    folder = HouseholdFolder(household_no)
    for event, at in pairs:
        if within(at, position, as_of):
            folder.take(event, at)
    account = f"household:{household_no}"
    legs = [
        leg
        for leg in legs_as_of(pairs, position=position, as_of=as_of)
        if leg.account == account
    ]
    money = totals(legs).accounts.get(account, {})
    return folder.result(money, max((leg.position for leg in legs), default=0))


def household_as_of(
    conn: Connection,
    recorder: ApplicationRecorder,
    mapper: Mapper[Any],
    household_no: str,
    *,
    position: int | None = None,
    as_of: date | None = None,
) -> HouseholdState:
    """Replay one household from its own events only, found through the indexes."""
    e, s, o = events_table.c, subjects_table.c, originators_table.c
    created = conn.execute(
        select(o.originator_id)
        .join(subjects_table, s.position == o.position)
        .where(s.subject == f"household:{household_no}")
    ).scalars()
    originators = {str(record_id("household", household_no)), *created}
    rows = conn.execute(
        select(e.originator_id, e.version, e.position).where(
            e.originator_id.in_(sorted(originators)),
            *_bounds(e.position, e.occurred_on, position, as_of),
        )
    ).all()
    wanted: dict[str, dict[int, int]] = {}
    for originator, version, at_position in rows:
        wanted.setdefault(originator, {})[int(version)] = int(at_position)
    pairs: list[Pair] = []
    for originator, versions in wanted.items():
        stored = recorder.select_events(UUID(originator), lte=max(versions))
        for item in stored:
            if item.originator_version in versions:
                event = mapper.to_domain_event(item)
                pairs.append((event, at_of(event, versions[item.originator_version])))
    pairs.sort(key=lambda pair: pair[1].position)
    folder = HouseholdFolder(household_no)
    for event, at in pairs:
        folder.take(event, at)
    money, last = _account_sums(conn, f"household:{household_no}", position, as_of)
    return folder.result(money, last)
