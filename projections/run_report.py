"""What one run of the views did: pages, events, where it stopped, and by whom."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RunReport:
    """What one run did: pages committed, events read, and where it stopped.

    A run in worker processes sums their pages, gives the most events any of
    them read and the lowest position any stopped at, the number of workers
    and the CPU seconds they spent (0 for a run in this process alone).
    """

    pages: int
    events: int
    position: int
    workers: int = 1
    worker_cpu: float = 0.0
    rebuilt: tuple[str, ...] = ()
    """Views found built by another definition, built again from position 1."""
