"""The risk-fact log's view, with a summary of its rows per kind.

``risk_fact_kinds`` holds, for each row kind of ``risk_facts``, how many rows
there are and the latest business and recorded days among them. Every rule
group judges from the latest day of its kinds (``fact_pass``), and the scan
weighs its groups by their rows (``parallel``): read from the log itself,
each of those was a scan of every row, seconds on a county's million rows,
paid before the rules and again in the forked worker. ``FactLogView``
keeps the summary with the log: each page adds its own rows' counts and days
by one ``INSERT ... SELECT ... ON CONFLICT`` over the page's positions, in
the page's transaction, so the summary always matches the rows committed.
A log that predates the summary gets it filled from all its rows when the
table is first made.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, Column, String, Table, func, inspect, select
from sqlalchemy.dialects import postgresql, sqlite

from projections.risk.fact_views import RiskFactLog, risk_facts
from projections.schema import metadata
from projections.views import LogView

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

    from projections.views import View

risk_fact_kinds = Table(
    "risk_fact_kinds",
    metadata,
    Column("kind", String(40), primary_key=True),
    Column("facts", BigInteger, nullable=False),
    Column("last_day", String(10), nullable=False),
    Column("last_recorded", String(10), nullable=False),
)
"""Per row kind of ``risk_facts``: its rows, latest business and recorded day."""


class FactLogView(LogView):
    """The risk-fact log and its per-kind summary, written page by page."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine, RiskFactLog())
        self.tables = (risk_facts, risk_fact_kinds)

    def create_tables(self, conn: Connection, *, indexes: bool = True) -> bool:
        fresh = not inspect(conn).has_table(risk_fact_kinds.name)
        deferred = super().create_tables(conn, indexes=indexes)
        if fresh:
            add_kinds(conn, 0, None)
        return deferred

    def flush(self, conn: Connection) -> None:
        rows: list[Any] = self._rows
        super().flush(conn)
        if rows:
            add_kinds(conn, rows[0][0], rows[-1][0])


def add_kinds(conn: Connection, first: int, last: int | None) -> None:
    """Add the rows of ``risk_facts`` from ``first`` to ``last`` (or the end)
    to the summary: counts summed, latest days kept."""
    position = risk_facts.c.position
    where = position >= first if last is None else position.between(first, last)
    page = (
        select(
            risk_facts.c.kind,
            func.count(),
            func.max(risk_facts.c.day),
            func.max(risk_facts.c.recorded),
        )
        .where(where)
        .group_by(risk_facts.c.kind)
    )
    names = ["kind", "facts", "last_day", "last_recorded"]
    postgres = conn.dialect.name == "postgresql"
    dialect: Any = postgresql if postgres else sqlite
    later = func.greatest if postgres else func.max
    statement = dialect.insert(risk_fact_kinds).from_select(names, page)
    table, new = risk_fact_kinds.c, statement.excluded
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=[table.kind],
            set_={
                "facts": table.facts + new.facts,
                "last_day": later(table.last_day, new.last_day),
                "last_recorded": later(table.last_recorded, new.last_recorded),
            },
        )
    )


def latest_days(conn: Connection) -> dict[str, tuple[date, date]]:
    """Return, per row kind, the latest business day and latest recorded day."""
    table = risk_fact_kinds.c
    rows = conn.execute(select(table.kind, table.last_day, table.last_recorded))
    return {
        kind: (date.fromisoformat(day), date.fromisoformat(recorded))
        for kind, day, recorded in rows
    }


def rows_by_kind(conn: Connection) -> dict[str, int]:
    """How many rows of each kind the fact log holds."""
    table = risk_fact_kinds.c
    return {kind: int(n) for kind, n in conn.execute(select(table.kind, table.facts))}


def fact_views(engine: Engine) -> list[View]:
    """Return the view every rule group reads: the one risk-fact log."""
    return [FactLogView(engine)]
