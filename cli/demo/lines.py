"""Legacy JSON lines for the demo: the envelope, the encoding, and monthly buckets.

Lines are made as bytes at once (msgspec, compact) and kept in buckets: the
reference data first, then one bucket per month in which each line sorts by
phase (register changes, cases, money) and business time, so the file reads
as the county's history in order (``docs/import-format.md``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from typing import Any, Final

import msgspec

CHINA: Final = timezone(timedelta(hours=8))
REGISTER, CASES, MONEY = 0, 1, 2
"""Phases within a month: register changes, case events, then money."""

_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder().decode


@cache
def moment(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """Return ``day`` at ``hour:minute`` China time."""
    return datetime.combine(day, time(hour, minute), CHINA)


@cache
def _iso(when: datetime) -> str:
    return when.isoformat()


def period_of(day: date) -> str:
    """Return the ``YYYY-MM`` of ``day``."""
    return f"{day.year:04d}-{day.month:02d}"


class LegacyFile:
    """Collects legacy lines: numbered, encoded, bucketed by month."""

    def __init__(self) -> None:
        self.count = 0
        self.reference: list[bytes] = []
        self.months: dict[str, list[tuple[int, datetime, int, bytes]]] = {}
        self.by_type: dict[str, int] = {}

    def line(
        self,
        type_: str,
        record: str,
        actor: tuple[str, str],
        when: datetime,
        **fields: Any,
    ) -> bytes:
        """Encode one line with the next id; ``actor`` is (staff id, role)."""
        self.count += 1
        self.by_type[type_] = self.by_type.get(type_, 0) + 1
        envelope = {
            "id": f"L{self.count}",
            "type": type_,
            "record": record,
            "actor": actor[0],
            "role": actor[1],
            "occurred_at": _iso(when),
        }
        return _encode({**envelope, **fields})

    def ref(
        self, type_: str, record: str, actor: tuple[str, str], when: datetime, **f: Any
    ) -> None:
        """Add a reference line (written before the history)."""
        self.reference.append(self.line(type_, record, actor, when, **f))

    def amend_reference(self, type_: str, record: str, **fields: Any) -> None:
        """Set ``fields`` on the reference line of ``type_`` for ``record``,
        keeping its id and place (a planted pattern decided after the history)."""
        for index, raw in enumerate(self.reference):
            if record.encode() not in raw:
                continue
            line = _decode(raw)
            if line["type"] == type_ and line["record"] == record:
                self.reference[index] = _encode({**line, **fields})
                return
        msg = f"no reference line {type_} for {record}"
        raise KeyError(msg)

    def add(
        self,
        phase: int,
        type_: str,
        record: str,
        actor: tuple[str, str],
        when: datetime,
        **fields: Any,
    ) -> None:
        """Add a line of the history in its month, ordered by phase and time."""
        raw = self.line(type_, record, actor, when, **fields)
        bucket = self.months.setdefault(_iso(when)[:7], [])
        bucket.append((phase, when, self.count, raw))

    def ordered(self) -> list[bytes]:
        """Return every line in file order, each ending with a newline."""
        out = [raw + b"\n" for raw in self.reference]
        for period in sorted(self.months):
            bucket = self.months[period]
            bucket.sort(key=lambda item: item[:3])
            out.extend(item[3] + b"\n" for item in bucket)
        return out
