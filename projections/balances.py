"""The books: postings, and balances per account, region × programme × month, case.

``BooksView`` is a view (``projections.views.View``) over the pure posting
rules of ``projections.postings``. Per page it buffers the legs, adds them up
(``totals``) and, in the page's one transaction, inserts the legs, adds the
sums to the balance rows (``INSERT … ON CONFLICT DO UPDATE SET x = x + new``)
and stores what the rules learnt (``books_context``), so a later run, or
another process, reads the context back instead of replaying from position 1.
Sums commute, so a rebuilt book equals the incrementally built one row for row.

Kinds of movement (columns): received, instructed, disbursed (with reissued
and emergency aid), failed, returned, recovered, fined.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    String,
    Table,
    Text,
    and_,
    select,
)

from projections.posting_context import Context
from projections.postings import PostingRules
from projections.schema import metadata
from projections.sql import add_to_rows, insert_tuples, upsert
from projections.views import View

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from sqlalchemy.engine import Connection, Engine

    from projections.folds import At
    from projections.posting_legs import Posting

KINDS: Final = (
    "received",
    "instructed",
    "disbursed",
    "failed",
    "returned",
    "recovered",
    "fined",
)
PAID_KINDS: Final = {"disbursed": "disbursed", "reissued": "disbursed"}
PAID_KINDS_ALL: Final = {**PAID_KINDS, "emergency": "disbursed"}
CASE_COLUMNS: Final = ("paid", "emergency", "failed", "returned", "recovered", "fined")


def _money(name: str) -> Column[int]:
    return Column(name, BigInteger, nullable=False, default=0)


postings_table = Table(
    "books_postings",
    metadata,
    Column("position", BigInteger, primary_key=True),
    Column("leg", Integer, primary_key=True),
    Column("account", String(120), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("programme", String(40), nullable=False),
    Column("region", String(20), nullable=False),
    Column("period", String(7), nullable=False),
    Column("case_no", String(80), nullable=False),
    Column("household_no", String(80), nullable=False),
    Column("occurred_on", String(10), nullable=False),
    Index("ix_books_postings_account", "account", "position"),
    Index("ix_books_postings_case", "case_no", "position"),
    sqlite_with_rowid=False,
)
accounts_table = Table(
    "books_accounts",
    metadata,
    Column("account", String(120), primary_key=True),
    _money("debit"),
    _money("credit"),
    *(_money(kind) for kind in KINDS),
    _money("balance"),
)
cells_table = Table(
    "books_region_months",
    metadata,
    Column("region", String(20), primary_key=True),
    Column("programme", String(40), primary_key=True),
    Column("period", String(7), primary_key=True),
    *(_money(kind) for kind in KINDS),
    _money("balance"),
)
cases_table = Table(
    "books_cases",
    metadata,
    Column("case_no", String(80), primary_key=True),
    *(_money(column) for column in CASE_COLUMNS),
)
context_table = Table(
    "books_context",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("value", Text, nullable=False),
)

Sums = dict[str, int]


@dataclass(frozen=True)
class Totals:
    """Sums of legs per account, per (region, programme, period), per case."""

    accounts: dict[str, Sums]
    cells: dict[tuple[str, str, str], Sums]
    cases: dict[str, Sums]


def _add(sums: Sums, column: str, amount: int) -> None:
    sums[column] = sums.get(column, 0) + amount


def totals(legs: Iterable[Posting]) -> Totals:
    """Add up legs: what every balance row gains from them.

    The legs are first summed per (account, kind), per (cell, kind) and per
    (case, kind), a few dictionary steps each, since a page holds hundreds of
    thousands of legs; the far fewer sums are then spread over the columns.
    """
    flows: dict[tuple[str, str], list[int]] = {}
    cell_flows: dict[tuple[str, str, str, str], int] = {}
    case_flows: dict[tuple[str, str], int] = {}
    # Unpacked, not read by name: a tuple's unpacking is one step per leg.
    for _, _, account, amount, kind, programme, region, period, case_no, _, _ in legs:
        flow = flows.get((account, kind))
        if flow is None:
            flow = flows[(account, kind)] = [0, 0]
        flow[0] += amount
        if amount > 0:
            flow[1] += amount
            key = (region, programme, period, kind)
            cell_flows[key] = cell_flows.get(key, 0) + amount
            if case_no:
                case_key = (case_no, kind)
                case_flows[case_key] = case_flows.get(case_key, 0) + amount
        if account.startswith("fund:"):
            key = (region, programme, period, "")
            cell_flows[key] = cell_flows.get(key, 0) + amount
    return Totals(_accounts(flows), _cells(cell_flows), _cases(case_flows))


def _accounts(flows: dict[tuple[str, str], list[int]]) -> dict[str, Sums]:
    accounts: dict[str, Sums] = {}
    for (account, kind), (signed, debit) in flows.items():
        sums = accounts.setdefault(account, {})
        credit = debit - signed
        if debit:
            _add(sums, "debit", debit)
        if credit:
            _add(sums, "credit", credit)
        _add(sums, PAID_KINDS_ALL.get(kind, kind), debit + credit)
        _add(sums, "balance", signed)
    return accounts


def _cells(
    flows: dict[tuple[str, str, str, str], int],
) -> dict[tuple[str, str, str], Sums]:
    cells: dict[tuple[str, str, str], Sums] = {}
    for (region, programme, period, kind), amount in flows.items():
        column = PAID_KINDS_ALL.get(kind, kind) if kind else "balance"
        _add(cells.setdefault((region, programme, period), {}), column, amount)
    return cells


def _cases(flows: dict[tuple[str, str], int]) -> dict[str, Sums]:
    cases: dict[str, Sums] = {}
    for (case_no, kind), amount in flows.items():
        sums = cases.setdefault(case_no, {})
        if kind in PAID_KINDS_ALL:
            _add(sums, "paid", amount)
        if kind in CASE_COLUMNS:
            _add(sums, kind, amount)
    return cases


def add_rows(conn: Connection, table: Table, keys: Iterable[Mapping[str, Any]]) -> None:
    """Add each row's numbers to the stored row with its key (insert if none)."""
    add_to_rows(conn, table, list(keys))


class BooksView(View):
    """Legs and balances of every money event, with the rules' context."""

    name_default: Final = "books"

    def __init__(self, engine: Engine, cache_limit: int = 1_000_000) -> None:
        tables = (postings_table, accounts_table, cells_table, cases_table)
        super().__init__(engine, self.name_default, (), (*tables, context_table))
        self.cache_limit = cache_limit
        self.rules = PostingRules(Context(self._load))
        self._legs: list[Posting] = []

    def take(self, event: Any, at: At) -> None:
        self._legs.extend(self.rules.take(event, at))

    def flush(self, conn: Connection) -> None:
        legs, fresh = self._legs, self.rules.context.settle()
        if fresh:
            upsert(
                conn, context_table, [{"key": k, "value": v} for k, v in fresh.items()]
            )
        if not legs:
            return
        # Legs are plain tuples of str and int in the table's column order:
        # straight to the driver, with no mapping built per leg.
        insert_tuples(conn, postings_table, legs)
        sums = totals(legs)
        add_rows(
            conn, accounts_table, ({"account": k} | s for k, s in sums.accounts.items())
        )
        add_rows(
            conn,
            cells_table,
            (
                {"region": r, "programme": p, "period": m} | s
                for (r, p, m), s in sums.cells.items()
            ),
        )
        add_rows(conn, cases_table, ({"case_no": k} | s for k, s in sums.cases.items()))

    def commit_page(self) -> None:
        super().commit_page()
        self._legs = []
        if self.rules.context.size > self.cache_limit:
            self.rules.context.forget()

    def forget_cache(self) -> None:
        self.rules.context.forget()

    def _reset_page(self) -> None:
        self._legs = []

    def _load(self, key: str) -> dict[str, str]:
        """Read context for ``key``: a batch line brings its whole batch."""
        column = context_table.c.key
        if key.startswith("line:"):
            prefix = key[: key.rindex(":") + 1]
            where = and_(column >= prefix, column < prefix[:-1] + ";")
        else:
            where = column == key
        with self.engine.connect() as conn:
            rows = conn.execute(select(column, context_table.c.value).where(where))
            return {k: v for k, v in rows}
