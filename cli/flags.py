"""Red flags as inspectors list them: raised, cleared, and the evidence each cites.

Flags are read from their own events (``RedFlag.Raised``, ``RedFlag.Cleared``)
in ledger order, by topic, so listing them never folds the rest of the ledger.
A flag's evidence is the ledger positions and chain hashes it cites; ``show``
also gives the chain link stored at each position now, so a mismatch shows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from eventsourcing.utils import get_topic

from domain.oversight import RedFlag
from projections.engine import views_engine
from projections.evidence import chain_hashes
from projections.replay import read_events

if TYPE_CHECKING:
    from domain.service import ReliefFund

TOPICS = (get_topic(RedFlag.Raised), get_topic(RedFlag.Cleared))


@dataclass(frozen=True)
class FlagRow:
    """One flag: its rule, subject, state, who raised and cleared it, its evidence."""

    flag_id: str
    rule_id: str
    subject: str
    summary: str
    status: str
    raised_by: str
    raised_on: str
    position: int
    evidence: tuple[tuple[int, str], ...]
    cleared_by: str | None = None
    cleared_reason: str | None = None

    def as_dict(self) -> dict[str, object]:
        """Stable ``--json`` fields (documented in ``docs/cli-json.md``)."""
        return {
            "flag_id": self.flag_id,
            "rule_id": self.rule_id,
            "subject": self.subject,
            "summary": self.summary,
            "status": self.status,
            "raised_by": self.raised_by,
            "raised_on": self.raised_on,
            "position": self.position,
            "evidence": [{"position": p, "hash": h} for p, h in self.evidence],
            "cleared_by": self.cleared_by,
            "cleared_reason": self.cleared_reason,
        }


def flags(fund: ReliefFund) -> list[FlagRow]:
    """Return every flag ever raised, in the order raised, with its state now."""
    rows: dict[str, FlagRow] = {}
    for event, at in read_events(fund.recorder, fund.mapper, topics=TOPICS):
        key = str(event.originator_id)
        if isinstance(event, RedFlag.Raised):
            rows[key] = FlagRow(
                flag_id=key,
                rule_id=event.rule_id,
                subject=event.subject,
                summary=event.summary,
                status="open",
                raised_by=event.actor_id,
                raised_on=at.occurred_at.date().isoformat(),
                position=at.position,
                evidence=tuple((int(p), str(h)) for p, h in event.evidence),
            )
        elif key in rows:
            rows[key] = replace(
                rows[key],
                status="cleared",
                cleared_by=event.actor_id,
                cleared_reason=event.reason,
            )
    return list(rows.values())


def stored_links(db: str, positions: list[int]) -> dict[int, str]:
    """Return the chain link stored now at each position (hex)."""
    engine = views_engine(db)
    try:
        with engine.connect() as conn:
            return chain_hashes(conn, positions)
    finally:
        engine.dispose()
