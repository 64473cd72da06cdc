"""Replay as of a business date or a ledger position: households, accounts, books.

Two ways to the same answer, and a property test holds them equal:

* **from the events** (``books_as_of``, ``household_from_events``): fold the
  events up to the bound with the views' own pure code (the posting rules of
  ``projections.postings``, the sums of ``projections.balances``);
* **from the indexes** (``household_as_of``, ``account_as_of``): read only the
  subject's own events, found through ``audit_events``/``audit_subjects``,
  and its legs from ``books_postings``. This is how one household is replayed
  in a ledger of millions of events in milliseconds.

A date bound keeps the events whose business date (``occurred_at``) is on or
before it, even if recorded later; a position bound keeps positions ≤ N.
What the posting rules learn (a batch's lines, a case's household) is learnt
from every event up to the position bound, whatever its date.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.dispatch import singledispatchmethod
from sqlalchemy import case, func, select

from domain import case_events as ev  # noqa: TC001 (dispatch reads annotations)
from domain.accounts import BankAccount  # noqa: TC001 (dispatch reads annotations)
from domain.cases import ReliefCase
from domain.ids import record_id
from domain.people import Household  # noqa: TC001 (dispatch reads annotations)
from projections.audit import events_table, originators_table, subjects_table
from projections.balances import PAID_KINDS_ALL, Totals, postings_table, totals
from projections.folds import at_of
from projections.postings import Posting, PostingRules

if TYPE_CHECKING:
    from collections.abc import Iterable

    from eventsourcing.persistence import ApplicationRecorder, Mapper
    from sqlalchemy.engine import Connection
    from sqlalchemy.sql.elements import ColumnElement

    from projections.folds import At

Pair = tuple[Any, "At"]


def _within(at: At, position: int | None, as_of: date | None) -> bool:
    if position is not None and at.position > position:
        return False
    return as_of is None or at.occurred_at.date() <= as_of


def legs_as_of(
    pairs: Iterable[Pair], *, position: int | None = None, as_of: date | None = None
) -> list[Posting]:
    """Return the legs posted by the events within the bounds, from position 1."""
    rules = PostingRules()
    legs: list[Posting] = []
    for event, at in pairs:
        if position is not None and at.position > position:
            break
        if _within(at, position, as_of):
            legs.extend(rules.postings(event, at))
        rules.learn(event)
    return legs


def books_as_of(
    pairs: Iterable[Pair], *, position: int | None = None, as_of: date | None = None
) -> Totals:
    """Return every balance (account, region × programme × month, case) as it stood."""
    return totals(legs_as_of(pairs, position=position, as_of=as_of))


def _bounds(
    column_position: Any, column_time: Any, position: int | None, as_of: date | None
) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if position is not None:
        where.append(column_position <= position)
    if as_of is not None:
        where.append(column_time < datetime.combine(as_of + timedelta(days=1), time()))
    return where


def _leg_bounds(position: int | None, as_of: date | None) -> list[ColumnElement[bool]]:
    c = postings_table.c
    where: list[ColumnElement[bool]] = []
    if position is not None:
        where.append(c.position <= position)
    if as_of is not None:
        where.append(c.occurred_on <= as_of.isoformat())
    return where


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


@dataclass(frozen=True)
class CaseLine:
    """A household's case as it stood: programme, status, monthly amount."""

    case_no: str
    programme: str
    status: str
    monthly: int


@dataclass(frozen=True)
class HouseholdState:
    """One household as it stood at a date or position."""

    household_no: str
    region_code: str = ""
    members: tuple[str, ...] = ()
    deceased: tuple[str, ...] = ()
    cases: tuple[CaseLine, ...] = ()
    accounts: int = 0
    paid: int = 0
    recovered: int = 0
    balance: int = 0
    last_position: int = 0


@dataclass
class _Household:
    """The mutable working copy the fold below fills, event by event."""

    household_no: str
    region_code: str = ""
    members: list[str] = field(default_factory=list)
    deceased: list[str] = field(default_factory=list)
    cases: dict[str, CaseLine] = field(default_factory=dict)
    case_ids: dict[UUID, str] = field(default_factory=dict)
    accounts: int = 0
    last_position: int = 0


_CASE_STATUS: dict[type, str] = {
    ReliefCase.Rejected: "rejected",
    ReliefCase.Suspended: "suspended",
    ReliefCase.Resumed: "approved",
    ReliefCase.Terminated: "terminated",
}


class HouseholdFolder:
    """Applies a household's own events (household, its cases, its accounts)."""

    def __init__(self, household_no: str) -> None:
        self.state = _Household(household_no)
        self.household_id = record_id("household", household_no)

    def take(self, event: Any, at: At) -> None:
        if self.handle(event):
            self.state.last_position = max(self.state.last_position, at.position)

    @singledispatchmethod
    def handle(self, event: Any) -> bool:
        """Apply ``event`` if it is the household's; return whether it was."""
        case_no = self.state.case_ids.get(getattr(event, "originator_id", None))  # type: ignore[arg-type]
        if case_no is None or not isinstance(event, ReliefCase.Event):
            return False
        line = self.state.cases[case_no]
        status = _CASE_STATUS.get(type(event))
        monthly = getattr(event, "new_amount", None)
        if isinstance(event, ReliefCase.Approved):
            status, monthly = "approved", event.monthly_amount
        self.state.cases[case_no] = replace(
            line,
            status=status or line.status,
            monthly=line.monthly if monthly is None else monthly,
        )
        return True

    @handle.register
    def _(self, event: Household.Registered) -> bool:
        if event.household_no != self.state.household_no:
            return False
        self.state.region_code = event.region_code
        self.state.members = [str(m["person_ref"]) for m in event.members]
        return True

    @handle.register
    def _(self, event: Household.MemberAdded) -> bool:
        if event.originator_id != self.household_id:
            return False
        self.state.members.append(str(event.member["person_ref"]))
        return True

    @handle.register
    def _(self, event: Household.MemberRemoved) -> bool:
        if event.originator_id != self.household_id:
            return False
        self.state.members.remove(event.person_ref)
        return True

    @handle.register
    def _(self, event: Household.MemberDeceased) -> bool:
        if event.originator_id != self.household_id:
            return False
        self.state.deceased.append(event.person_ref)
        return True

    @handle.register
    def _(self, event: ev.Applied) -> bool:
        if event.household_no != self.state.household_no:
            return False
        self.state.case_ids[event.originator_id] = event.case_no
        self.state.cases[event.case_no] = CaseLine(
            event.case_no, event.programme, "applied", 0
        )
        return True

    @handle.register
    def _(self, event: BankAccount.Registered) -> bool:
        if event.household_no != self.state.household_no:
            return False
        self.state.accounts += 1
        return True

    def result(self, money: dict[str, int], last_money: int) -> HouseholdState:
        s = self.state
        return HouseholdState(
            s.household_no,
            s.region_code,
            tuple(s.members),
            tuple(s.deceased),
            tuple(s.cases[c] for c in sorted(s.cases)),
            s.accounts,
            money.get("disbursed", 0),
            money.get("recovered", 0),
            money.get("balance", 0),
            max(s.last_position, last_money),
        )


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
        if _within(at, position, as_of):
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
            *_bounds(e.position, e.occurred_at, position, as_of),
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
