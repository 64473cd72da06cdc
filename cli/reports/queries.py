"""Read functions the reports need that the projections do not offer yet.

``latest_period`` and ``notices_on`` read the views' tables
(``projections.balances``, ``projections.reports``) directly; they belong in
``projections.reports`` and can move there as they settle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from sqlalchemy import func, select

from cli.bootstrap import caught_up_views
from projections.balances import cells_table
from projections.reports import PublicNotice, notices_table

if TYPE_CHECKING:
    from datetime import date

    from sqlalchemy.engine import Connection

    from cli.services import Services
    from domain.service import ReliefFund


def latest_period(conn: Connection) -> str | None:
    """Return the last month the books hold, or None when they hold none."""
    period = conn.execute(select(func.max(cells_table.c.period))).scalar()
    return None if period is None else str(period)


def notices_on(
    services: Services, fund: ReliefFund, on: date | None, village: str | None
) -> list[PublicNotice]:
    """Return the 公示 on show on day ``on`` (default: the last posting day).

    Only the three public fields leave this function; the case behind each
    notice is read only to keep those of ``village``.
    """
    with caught_up_views(services, fund) as engine, engine.connect() as conn:
        c = notices_table.c
        day = on or conn.execute(select(func.max(c.posted_on))).scalar()
        if day is None:
            return []
        query = (
            select(c.originator_id, c.shown_name, c.shown_size, c.shown_amount)
            .where(c.posted_on <= day, c.ends_on >= day)
            .order_by(c.position)
        )
        rows = list(conn.execute(query))
    return [
        PublicNotice(str(name), int(size), int(amount))
        for originator, name, size, amount in rows
        if village is None or _region_of(fund, originator) == village
    ]


def _region_of(fund: ReliefFund, originator_id: str) -> str:
    case: object = fund.repository.get(UUID(originator_id))
    return str(getattr(case, "region_code", ""))
