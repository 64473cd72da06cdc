"""A simulated clock for the demo, so that one seed always gives one ledger.

Every event's recorded time comes from the eventsourcing library's clock
(``eventsourcing.domain.datetime_now_with_tzinfo``). While the demo writes,
``simulated_clock`` replaces it with a clock that reads the demo's own
"now" (the day the history is imported, then each live act's day) and
advances one microsecond per reading, so recorded times stay strictly
increasing and two runs with the same seed store the same bytes. The real
clock is put back on exit, whatever happens. Nothing outside the demo uses it.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import eventsourcing.domain as es_domain

if TYPE_CHECKING:
    from collections.abc import Iterator


class SimulatedClock:
    """The demo's clock: set to a moment, it ticks a microsecond per reading."""

    def __init__(self, start: datetime) -> None:
        self._now = start.astimezone(UTC)

    def set(self, moment: datetime) -> None:
        """Move the clock to ``moment`` (never backwards)."""
        self._now = max(self._now, moment.astimezone(UTC))

    def now(self) -> datetime:
        self._now += timedelta(microseconds=1)
        return self._now


@contextmanager
def simulated_clock(start: datetime) -> Iterator[SimulatedClock]:
    """Run the block with the library's clock replaced by a ``SimulatedClock``."""
    clock = SimulatedClock(start)
    real = es_domain.datetime_now_with_tzinfo
    es_domain.datetime_now_with_tzinfo = clock.now
    try:
        yield clock
    finally:
        es_domain.datetime_now_with_tzinfo = real
