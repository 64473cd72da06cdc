"""What every event carries: who acted, in what role, and when it happened.

The library's own ``timestamp`` is the recorded time (set when the event is
created); ``occurred_at`` is the business time, which a person states and which
may be earlier (legacy import, late recording). ``imported`` marks events
brought in from an older system as facts, without the live rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime  # noqa: TC003 (event annotations are read at runtime)
from typing import Any

from eventsourcing.domain import Aggregate


class ReliefEvent(Aggregate.Event):
    """Base of every non-creation event: actor, role, business time, import mark."""

    actor_id: str
    actor_role: str
    occurred_at: datetime
    imported: bool


class ReliefCreated(Aggregate.Created):
    """Base of every creation event, with the same fields as ``ReliefEvent``."""

    actor_id: str
    actor_role: str
    occurred_at: datetime
    imported: bool


@dataclass(frozen=True)
class Act:
    """Who is acting, in which role, and the business time of the act.

    Commands take an ``Act`` and splat ``act.fields()`` into their event.
    """

    actor_id: str
    actor_role: str
    occurred_at: datetime
    imported: bool = False

    def fields(self) -> dict[str, Any]:
        return {
            "actor_id": self.actor_id,
            "actor_role": self.actor_role,
            "occurred_at": self.occurred_at,
            "imported": self.imported,
        }
