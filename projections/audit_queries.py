"""Audit queries: a case's timeline with chain hashes, and what each staff member did.

They read the indexes of ``projections.audit`` and the books' legs, and quote
each event's chain hash from the ledger's ``ledger_chain`` by position, so an
inspector can check every line against the chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime  # noqa: TC003 (dataclass fields)
from typing import TYPE_CHECKING

from sqlalchemy import and_, select, union

from domain.ids import record_id
from projections.audit import events_table, originators_table, subjects_table
from projections.balances import postings_table
from projections.schema import ledger_chain

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy.engine import Connection
    from sqlalchemy.sql import Select


@dataclass(frozen=True)
class TimelineEntry:
    """One event of a timeline, with its chain hash for anyone to check."""

    position: int
    topic: str
    actor_id: str
    actor_role: str
    occurred_at: datetime
    recorded_at: datetime
    chain_hash: str

    def as_dict(self) -> dict[str, object]:
        return {
            "position": self.position,
            "topic": self.topic,
            "actor_id": self.actor_id,
            "actor_role": self.actor_role,
            "occurred_at": self.occurred_at.isoformat(),
            "recorded_at": self.recorded_at.isoformat(),
            "chain_hash": self.chain_hash,
        }


def case_positions(case_no: str) -> Select[tuple[int]]:
    """Positions of a case's events: its own, naming it, its money, its recoveries."""
    case_id = str(record_id("case", case_no))
    e, s, o = events_table.c, subjects_table.c, originators_table.c
    subject = f"case:{case_no}"
    recoveries = (
        select(o.originator_id)
        .join(subjects_table, s.position == o.position)
        .where(s.subject == subject, o.kind == "Recovery")
    )
    return union(
        select(e.position).where(e.originator_id == case_id),
        select(s.position).where(s.subject == subject),
        select(postings_table.c.position).where(postings_table.c.case_no == case_no),
        select(e.position).where(e.originator_id.in_(recoveries)),
    )  # type: ignore[return-value]


def timeline(conn: Connection, positions: Select[tuple[int]]) -> list[TimelineEntry]:
    """Return the indexed events at ``positions``, in order, with chain hashes."""
    wanted = positions.subquery()
    e = events_table.c
    query = (
        select(
            e.position,
            e.topic,
            e.actor_id,
            e.actor_role,
            e.occurred_at,
            e.recorded_at,
            ledger_chain.c.hash,
        )
        .join(wanted, wanted.c.position == e.position)
        .outerjoin(ledger_chain, ledger_chain.c.notification_id == e.position)
        .order_by(e.position)
    )
    return [
        TimelineEntry(
            int(row[0]),
            row[1],
            row[2],
            row[3],
            row[4],
            row[5],
            bytes(row[6]).hex() if row[6] is not None else "",
        )
        for row in conn.execute(query)
    ]


def case_timeline(conn: Connection, case_no: str) -> list[TimelineEntry]:
    """Return every event of a case, oldest first, each with its chain hash."""
    return timeline(conn, case_positions(case_no))


@dataclass(frozen=True)
class StaffAct:
    """One act of a staff member: when, as what, on which record."""

    position: int
    topic: str
    actor_role: str
    occurred_at: datetime
    recorded_at: datetime
    record_kind: str
    record: str

    def as_dict(self) -> dict[str, object]:
        return {
            "position": self.position,
            "topic": self.topic,
            "actor_role": self.actor_role,
            "occurred_at": self.occurred_at.isoformat(),
            "recorded_at": self.recorded_at.isoformat(),
            "record_kind": self.record_kind,
            "record": self.record,
        }


def staff_activity(
    conn: Connection,
    staff_id: str,
    since: date | None = None,
    until: date | None = None,
) -> Iterator[StaffAct]:
    """Yield what ``staff_id`` did from day ``since`` up to (not on) ``until``."""
    e, o = events_table.c, originators_table.c
    where = [e.actor_id == staff_id]
    if since is not None:
        where.append(e.occurred_on >= since.isoformat())
    if until is not None:
        where.append(e.occurred_on < until.isoformat())
    query = (
        select(
            e.position,
            e.topic,
            e.actor_role,
            e.occurred_at,
            e.recorded_at,
            o.kind,
            o.label,
        )
        .outerjoin(originators_table, o.originator_id == e.originator_id)
        .where(and_(*where))
        .order_by(e.position)
    )
    for row in conn.execute(query):
        yield StaffAct(
            int(row[0]), row[1], row[2], row[3], row[4], row[5] or "", row[6] or ""
        )
