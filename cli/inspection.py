"""What inspectors read: a record's timeline, and money totals as they stood.

A timeline follows a household or a case and every record that names it (its
cases, accounts, recoveries, the batch lines that pay it). It finds their
positions in the audit indexes (``projections.audit``, caught up first), reads
only those events, and quotes each one's chain link
(``projections.evidence.chain_hashes``), so every line an inspector sees can
be checked against the chain. Totals as they stood are summed from the books
view's stored legs within the bounds (``projections.asof``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, union

from domain.ids import record_id
from projections.asof import programme_totals_as_of
from projections.audit import (
    EventIndexLog,
    OriginatorLog,
    SubjectLog,
    events_table,
    originators_table,
    subjects_table,
)
from projections.balances import KINDS, BooksView
from projections.engine import views_engine
from projections.evidence import chain_hashes
from projections.folds import at_of
from projections.runner import ViewRunner
from projections.views import LogView

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import date

    from sqlalchemy.engine import Connection, Engine

    from domain.service import ReliefFund
    from projections.folds import At

_SKIPPED = frozenset(
    {"originator_id", "originator_version", "timestamp", "actor_id", "actor_role"}
    | {"occurred_at", "imported", "originator_topic", "id"}
)


@dataclass(frozen=True)
class TimelineEntry:
    """One event of a timeline: what, who, when, and where it stands in the chain."""

    position: int
    hash: str
    event: str
    record: str
    actor_id: str
    actor_role: str
    occurred_at: str
    recorded_at: str
    imported: bool
    details: dict[str, object]

    def as_dict(self) -> dict[str, object]:
        """Stable ``--json`` fields (documented in ``docs/cli-json.md``)."""
        return {
            "position": self.position,
            "hash": self.hash,
            "event": self.event,
            "record": self.record,
            "actor_id": self.actor_id,
            "actor_role": self.actor_role,
            "occurred_at": self.occurred_at,
            "recorded_at": self.recorded_at,
            "imported": self.imported,
            "details": self.details,
        }


def _plain(value: object) -> object:
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, str | int | bool) or value is None:
        return value
    return str(value)


def _details(event: Any) -> dict[str, object]:
    fields = vars(event)
    return {k: _plain(v) for k, v in sorted(fields.items()) if k not in _SKIPPED}


def catch_up_audit(fund: ReliefFund, engine: Engine) -> None:
    """Bring the audit indexes (``projections.audit``) up to the ledger's head."""
    views = [LogView(engine, log) for log in (EventIndexLog(), SubjectLog())]
    views.append(LogView(engine, OriginatorLog()))
    ViewRunner(engine, fund.recorder, fund.mapper, fund.name, views).run()


def subject_positions(conn: Connection, subject: str) -> list[int]:
    """Positions of the events of household or case ``subject`` and of the
    records that name it: its cases, their accounts, recoveries and pay lines.
    """
    s, e, o = subjects_table.c, events_table.c, originators_table.c
    cases = select(o.label).join(subjects_table, s.position == o.position)
    cases = cases.where(s.subject == f"household:{subject}", o.kind == "ReliefCase")
    numbers = {subject, *(str(label) for (label,) in conn.execute(cases))}
    subjects = {f"household:{subject}", *(f"case:{n}" for n in numbers)}
    ids = {str(record_id("household", subject))}
    ids |= {str(record_id("case", n)) for n in numbers}
    named = select(o.originator_id).join(subjects_table, s.position == o.position)
    named = named.where(s.subject.in_(subjects), o.kind != "PaymentBatch")
    query = union(
        select(s.position).where(s.subject.in_(subjects)),
        select(e.position).where(e.originator_id.in_(ids)),
        select(e.position).where(e.originator_id.in_(named)),
    )
    return sorted(int(position) for (position,) in conn.execute(query))


def _events_at(fund: ReliefFund, positions: list[int]) -> Iterator[tuple[Any, At]]:
    for position in positions:
        for notification in fund.recorder.select_notifications(position, 1):
            event = fund.mapper.to_domain_event(notification)
            yield event, at_of(event, notification.id)


def timeline(
    fund: ReliefFund,
    db: str,
    subject: str,
    *,
    as_of: date | None = None,
    at: int | None = None,
) -> list[TimelineEntry]:
    """Return the events of household or case ``subject`` (and records naming it).

    The audit indexes are caught up first, then only the subject's events are
    read. ``as_of`` keeps events whose business date is on or before it;
    ``at`` stops at a ledger position.
    """
    engine = views_engine(db)
    try:
        catch_up_audit(fund, engine)
        with engine.connect() as conn:
            positions = subject_positions(conn, subject)
            positions = [p for p in positions if at is None or p <= at]
            links = chain_hashes(conn, positions)
    finally:
        engine.dispose()
    found = [
        (event, where)
        for event, where in _events_at(fund, positions)
        if as_of is None or where.occurred_at.date() <= as_of
    ]
    return [_entry(event, where, links) for event, where in found]


def _entry(event: Any, where: At, links: dict[int, str]) -> TimelineEntry:
    return TimelineEntry(
        position=where.position,
        hash=links.get(where.position, ""),
        event=type(event).__qualname__,
        record=str(event.originator_id),
        actor_id=str(getattr(event, "actor_id", "")),
        actor_role=str(getattr(event, "actor_role", "")),
        occurred_at=where.occurred_at.isoformat(),
        recorded_at=where.recorded_at.isoformat(),
        imported=bool(getattr(event, "imported", False)),
        details=_details(event),
    )


MONEY_KEYS = KINDS


def money_totals(
    fund: ReliefFund, db: str, *, as_of: date | None = None, at: int | None = None
) -> tuple[dict[str, dict[str, int]], int]:
    """Return fen totals per programme as they stood, and the ledger's last position.

    The books view (``projections.balances``) is caught up first; the totals
    are then summed from its stored legs within the bounds
    (``projections.asof.programme_totals_as_of``), which equals folding every
    event with the posting rules (``programme_totals(books_as_of(...))``).
    """
    last = fund.recorder.max_notification_id() or 0
    engine = views_engine(db)
    try:
        ViewRunner(
            engine, fund.recorder, fund.mapper, fund.name, [BooksView(engine)]
        ).run()
        with engine.connect() as conn:
            totals = programme_totals_as_of(conn, position=at, as_of=as_of)
    finally:
        engine.dispose()
    return totals, last if at is None else min(at, last)
