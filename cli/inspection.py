"""What inspectors read: a record's timeline, and money totals as they stood.

Both read decoded events in ledger order (``projections.replay.read_events``)
and quote each event's chain link (``projections.evidence.chain_hashes``), so
every line an inspector sees can be checked against the chain. A timeline
follows a household or a case and every record that names it (its cases,
accounts, recoveries); totals add up money events per programme.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from domain.ids import record_id
from projections.engine import views_engine
from projections.evidence import chain_hashes
from projections.replay import read_events

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import date
    from uuid import UUID

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


def _window(
    fund: ReliefFund, as_of: date | None, at: int | None
) -> Iterator[tuple[Any, At]]:
    for event, where in read_events(fund.recorder, fund.mapper, stop=at):
        if as_of is None or where.occurred_at.date() <= as_of:
            yield event, where


def _names(event: Any, numbers: set[str], ids: set[UUID]) -> bool:
    """Whether ``event`` concerns the subject; learn its record's id if so."""
    if event.originator_id in ids:
        return True
    for name in ("household_no", "case_no", "target_case_no"):
        if getattr(event, name, None) in numbers:
            ids.add(event.originator_id)
            number = getattr(event, "case_no", None)
            if isinstance(number, str):
                numbers.add(number)
            return True
    return False


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


def timeline(
    fund: ReliefFund,
    db: str,
    subject: str,
    *,
    as_of: date | None = None,
    at: int | None = None,
) -> list[TimelineEntry]:
    """Return the events of household or case ``subject`` (and records naming it).

    ``as_of`` keeps events whose business date is on or before it; ``at``
    stops at a ledger position.
    """
    numbers = {subject}
    ids = {record_id("household", subject), record_id("case", subject)}
    found = [(e, w) for e, w in _window(fund, as_of, at) if _names(e, numbers, ids)]
    engine = views_engine(db)
    try:
        with engine.connect() as conn:
            links = chain_hashes(conn, [w.position for _, w in found])
    finally:
        engine.dispose()
    return [
        TimelineEntry(
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
        for event, where in found
    ]


MONEY_KEYS = ("received", "scheduled", "disbursed", "reissued", "returned")


def _money(event: Any) -> tuple[str, int] | None:
    """Which total an event moves, and by how much (fen)."""
    name = type(event).__qualname__
    if name.endswith("FundsReceived"):
        return "received", event.amount_fen
    if name == "PaymentBatch.Created":
        return "scheduled", event.total_fen
    if name == "PaymentBatch.LinesDisbursed":
        return "disbursed", sum(event.amounts_fen)
    if name == "PaymentBatch.LineReissued":
        return "reissued", event.amount_fen
    if name == "PaymentBatch.LineReturned":
        return "returned", event.amount_fen
    return None


def money_totals(
    fund: ReliefFund, *, as_of: date | None = None, at: int | None = None
) -> tuple[dict[str, dict[str, int]], int]:
    """Return fen totals per programme as they stood, and the last position read."""
    programme_of: dict[UUID, str] = {}
    totals: dict[str, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(MONEY_KEYS, 0)
    )
    last = 0
    for event, where in _window(fund, as_of, at):
        last = where.position
        programme = getattr(event, "programme", None)
        if isinstance(programme, str):
            programme_of[event.originator_id] = programme
        moved = _money(event)
        if moved is not None:
            key = programme_of.get(event.originator_id, "?")
            totals[key][moved[0]] += moved[1]
    return dict(sorted(totals.items())), last
