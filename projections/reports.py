"""Reports: the monthly disbursement report, and the 公示 list as shown publicly.

The monthly report reads the books' region × programme × month rows
(``projections.balances``). The 公示 list keeps each ``NoticePosted``; what
leaves it is a ``PublicNotice`` of exactly three fields, name, household size
and amount (审核确认办法 2021 §19, "不得公开无关信息"): the case, the
household and every person ref stay inside.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date  # noqa: TC003 (event annotations at runtime)
from typing import TYPE_CHECKING, Any

from eventsourcing.utils import get_topic
from sqlalchemy import BigInteger, Column, Date, Integer, String, Table, select

from domain.cases import ReliefCase
from projections.balances import KINDS, cells_table
from projections.folds import At, Log, Row, originator_text
from projections.schema import POSITION, metadata

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

notices_table = Table(
    "public_notices",
    metadata,
    Column("position", POSITION, primary_key=True),
    Column("originator_id", String(36), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("posted_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("shown_name", String(200), nullable=False),
    Column("shown_size", Integer, nullable=False),
    Column("shown_amount", BigInteger, nullable=False),
)


class NoticeLog(Log):
    """Every 公示 posted, as the notice showed it."""

    name = "public-notices"
    table = notices_table
    topics = (get_topic(ReliefCase.NoticePosted),)

    def rows(self, event: Any, at: At) -> list[Row]:
        if type(event) is not ReliefCase.NoticePosted:
            return []
        return [
            {
                "position": at.position,
                "originator_id": originator_text(event),
                "kind": event.kind,
                "posted_on": event.posted_on,
                "ends_on": event.ends_on,
                "shown_name": event.shown_name,
                "shown_size": event.shown_size,
                "shown_amount": event.shown_amount,
            }
        ]


@dataclass(frozen=True)
class PublicNotice:
    """What a 公示 may show: name, household size, monthly amount in fen."""

    name: str
    household_size: int
    amount: int

    def as_dict(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def public_notices(conn: Connection, on: date | None = None) -> list[PublicNotice]:
    """Return the notices on show on day ``on`` (all, if None), in posting order."""
    c = notices_table.c
    query = select(c.shown_name, c.shown_size, c.shown_amount).order_by(c.position)
    if on is not None:
        query = query.where(c.posted_on <= on, c.ends_on >= on)
    return [
        PublicNotice(str(name), int(size), int(amount))
        for name, size, amount in conn.execute(query)
    ]


@dataclass(frozen=True)
class MonthLine:
    """One region and programme in one month: each kind of movement, in fen."""

    region: str
    programme: str
    period: str
    received: int
    instructed: int
    disbursed: int
    failed: int
    returned: int
    recovered: int
    fined: int
    balance: int

    def as_dict(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def monthly_report(
    conn: Connection, period: str, programme: str | None = None
) -> list[MonthLine]:
    """Return the month's lines per region and programme, sorted."""
    c = cells_table.c
    query = select(cells_table).where(c.period == period)
    if programme is not None:
        query = query.where(c.programme == programme)
    query = query.order_by(c.region, c.programme)
    return [
        MonthLine(
            region=row["region"],
            programme=row["programme"],
            period=row["period"],
            **{kind: int(row[kind]) for kind in (*KINDS, "balance")},
        )
        for row in conn.execute(query).mappings()
    ]
