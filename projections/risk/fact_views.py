"""The risk-fact log: one row per event the risk rules read, built by the runner.

``RiskFactLog`` is a ``projections.folds.Log``: each event a rule needs adds
one row to ``risk_facts`` holding its ledger position, its business day, its
recorded day, the ``lag`` between its recorded and business times in seconds
(for approvals, notices and corrections, whose back-dating RF-27 judges; 0 on
other rows), a short ``kind``, the ``subject`` it
concerns and the event's fields that matter as compact JSON
(``projections.risk.fact_extracts`` says what, per event class). A batch's
chunk of 1,000 lines stays one row, as it is one event. The batched runner
keeps the table current, page by page, with its position in the same
transaction; ``read_facts`` reads it back in position order, and each rule
group's fold (``projections.risk.relation_facts``,
``projections.risk.money_fold``, ``projections.risk.procedure_fold``) takes
the kinds it reads. The chain hash of a position is looked up only when a
finding cites it (``projections.risk.scan.with_links``).

A business time without a zone is read as China Standard Time (UTC+8), the
zone in which people state when things happened here.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

import msgspec
from eventsourcing.utils import get_topic
from sqlalchemy import BigInteger, Column, String, Table, Text

from projections.evidence import Evidence
from projections.folds import TupleLog
from projections.risk.fact_extracts import EXTRACTS, TOPICS
from projections.schema import POSITION, metadata

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from sqlalchemy.engine import Connection

    from projections.folds import At

CHINA = timezone(timedelta(hours=8), "CST")

risk_facts = Table(
    "risk_facts",
    metadata,
    Column("position", POSITION, primary_key=True),
    Column("day", String(10), nullable=False),
    Column("recorded", String(10), nullable=False),
    Column("lag", BigInteger, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("data", Text, nullable=False),
)
"""One row per event a risk rule reads: where, when, what, about whom.

Days are ISO text (``YYYY-MM-DD``), written without a per-value conversion and
read back through a small cache (``_date``)."""

_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder().decode


class FactRow(NamedTuple):
    """A row of ``risk_facts`` as the folds read it (its chain hash, if known).

    A named tuple: a county holds hundreds of thousands of rows.
    """

    position: int
    hash_hex: str
    day: date
    recorded: date
    lag: int
    kind: str
    topic: str
    subject: str
    data: dict[str, Any]


def lag_seconds(at: At) -> int:
    """Return how long after its business time an event was recorded, in seconds."""
    recorded, occurred = at.recorded_at, at.occurred_at
    if recorded == datetime.min:  # no recorded time: nothing to compare
        return 0
    if recorded.tzinfo is None:
        recorded = recorded.replace(tzinfo=CHINA)
    if occurred.tzinfo is None:
        occurred = occurred.replace(tzinfo=CHINA)
    return (recorded - occurred) // _SECOND


_SECOND = timedelta(seconds=1)

LAGGED = frozenset({"approved", "notice", "correction"})
"""The kinds whose recording lag a rule reads (RF-27); other rows keep 0."""


class RiskFactLog(TupleLog):
    """Every event a risk rule reads, one row each, in ledger order.

    Rows are built as tuples in the table's column order (``TupleLog``):
    position, day, recorded, lag, kind, subject, data.
    """

    name: ClassVar[str] = "risk-facts"
    topics: ClassVar[tuple[str, ...]] = tuple(sorted(get_topic(c) for c in EXTRACTS))
    table: ClassVar[Table] = risk_facts

    def tuples(self, event: Any, at: At) -> tuple[tuple[Any, ...], ...]:
        extract = EXTRACTS.get(event.__class__)
        if extract is None:
            return ()
        kind, subject, fields = extract
        return (
            (
                at.position,
                at.occurred_at.date().isoformat(),
                at.recorded_at.date().isoformat(),
                lag_seconds(at) if kind in LAGGED else 0,
                kind,
                subject(event),
                _encode(fields(event)).decode(),
            ),
        )


READ_PAGE = 10_000
"""Rows fetched from the driver at a time."""


def read_facts(conn: Connection, kinds: Iterable[str] = ()) -> Iterator[FactRow]:
    """Yield the fact rows (of ``kinds``, or all) in position order.

    Rows carry no chain hash (``hash_hex`` is empty): a county holds millions
    of rows and a scan cites a few hundred, so the scan looks up the links of
    the positions its findings cite, once (``projections.risk.scan.find``).
    Rows come from the driver's own cursor a page at a time, not through
    SQLAlchemy's result layer (a county holds millions).
    """
    wanted = tuple(kinds)
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    where = f"WHERE kind IN ({', '.join(mark for _ in wanted)}) " if wanted else ""
    statement = (
        "SELECT position, day, recorded, lag, kind, subject, data "
        f"FROM {risk_facts.name} {where}ORDER BY position"
    )
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(statement, wanted)
        yield from _rows(cursor)
    finally:
        cursor.close()


def _rows(cursor: Any) -> Iterator[FactRow]:
    # Millions of rows: each is built with ``tuple.__new__`` (what the named
    # tuple's own ``__new__`` calls, a Python frame saved); both drivers give
    # the integer columns as ``int`` already.
    topics, decode, as_date, new, row = TOPICS, _decode, _date, tuple.__new__, FactRow
    while page := cursor.fetchmany(READ_PAGE):
        for position, day, recorded, lag, kind, subject, data in page:
            yield new(
                row,
                (
                    position,
                    "",
                    as_date(day) if day.__class__ is str else day,
                    as_date(recorded) if recorded.__class__ is str else recorded,
                    lag,
                    kind,
                    topics.get(kind, kind),
                    subject,
                    decode(data),
                ),
            )


def evidence_of(row: FactRow) -> Evidence:
    """Return the evidence a fact row gives: its position, chain hash, topic."""
    return _new(Evidence, (row[0], row[1], row[6]))  # a frame saved per row


_new = tuple.__new__


@lru_cache(maxsize=8192)
def _date(text: str) -> date:
    return date.fromisoformat(text)


def rows_of_events(
    pairs: Iterable[tuple[Any, At]],
    hash_of: Callable[[int], str],
    kinds: Iterable[str] = (),
) -> Iterator[FactRow]:
    """Yield the fact rows (of ``kinds``, or all) of decoded events, without a
    database (tests, replay), as ``read_facts`` would read them back.

    ``hash_of`` gives each position's chain hash (a stand-in in unit tests).
    """
    log = RiskFactLog()
    wanted = frozenset(kinds)
    for event, at in pairs:
        for row in log.rows(event, at):
            if wanted and row["kind"] not in wanted:
                continue
            yield FactRow(
                row["position"],
                hash_of(row["position"]),
                _date(row["day"]),
                _date(row["recorded"]),
                row["lag"],
                row["kind"],
                TOPICS[row["kind"]],
                row["subject"],
                _decode(row["data"]),
            )


def judged_day(business: date, recorded: date) -> date:
    """Return the day to judge from: the latest business day, but never after
    the latest day anything was recorded, so a business date in the future
    (an exit set for a later month, say) does not move the clock.
    """
    return min(business, recorded)
