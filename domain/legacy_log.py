"""The record of a legacy file's import: how far it got, saved with each batch.

A legacy file is named by the SHA-256 of its lines. Each batch of imported
lines is saved together with a ``LinesImported`` event on the file's log, in
the same ``save()``, so the log says exactly which lines are recorded. Importing
the same file again resumes after them and records nothing twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventsourcing.domain import Aggregate, event

from domain.base import ReliefCreated, ReliefEvent
from domain.ids import record_id

if TYPE_CHECKING:
    from uuid import UUID

    from domain.base import Act


def import_log_id(digest: str) -> UUID:
    """Return the id of the import log of the file with SHA-256 ``digest``."""
    return record_id("legacy-import", digest)


class LegacyImportLog(Aggregate):
    """One legacy file's import: its digest, size, and the lines recorded."""

    class Started(ReliefCreated):
        digest: str
        total_lines: int

    class LinesImported(ReliefEvent):
        lines_done: int
        recorded: int
        skipped: int

    @classmethod
    def start(cls, act: Act, digest: str, total_lines: int) -> LegacyImportLog:
        """Start the log of a file's import."""
        return cls._create(
            cls.Started,
            id=import_log_id(digest),
            digest=digest,
            total_lines=total_lines,
            **act.fields(),
        )

    @event(Started)
    def __init__(self, digest: str, total_lines: int) -> None:
        self.digest = digest
        self.total_lines = total_lines
        self.lines_done = 0
        self.recorded = 0
        self.skipped = 0

    @property
    def complete(self) -> bool:
        """Whether every line of the file is recorded."""
        return self.lines_done >= self.total_lines

    def mark(self, act: Act, lines_done: int, recorded: int, skipped: int) -> None:
        """Note that the first ``lines_done`` lines are recorded (this batch's
        ``recorded`` facts are new, ``skipped`` were already there)."""
        self.trigger_event(
            self.LinesImported,
            lines_done=lines_done,
            recorded=recorded,
            skipped=skipped,
            **act.fields(),
        )

    @event(LinesImported)
    def _lines_imported(self, lines_done: int, recorded: int, skipped: int) -> None:
        self.lines_done = lines_done
        self.recorded += recorded
        self.skipped += skipped
