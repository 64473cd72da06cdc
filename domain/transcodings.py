"""Transcodings the service registers so events may carry ``datetime.date``."""

from __future__ import annotations

from datetime import date

from eventsourcing.persistence import Transcoding


class DateAsISO(Transcoding):
    """A ``date`` as its ISO string (``2024-10-01``)."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


TRANSCODINGS: tuple[Transcoding, ...] = (DateAsISO(),)
