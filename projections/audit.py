"""Audit views: an index of every event, a case's timeline, each staff member's acts.

Three append-only logs, read from every event:

* ``EventIndexLog`` (``audit_events``): one row per event: position, aggregate
  and version, topic, actor, role, business and recorded time;
* ``SubjectLog`` (``audit_subjects``): the people and cases an event names in
  its fields (``case_no``, ``household_no``, ``staff_id``, the cases of batch lines,
  investigators), one row per subject and position;
* ``OriginatorLog`` (``audit_originators``): what each aggregate is, from its
  creation event (a case and its number, a household, a batch...).

They index the ledger by subject, by aggregate and by actor, so a timeline or
a replay of one household reads only its own events. A timeline quotes each
event's chain hash from the ledger's ``ledger_chain`` by position.
"""

from __future__ import annotations

from typing import Any, Final

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    String,
    Table,
)

from projections.folds import At, Log, Row, TupleLog, originator_text
from projections.schema import POSITION, metadata

events_table = Table(
    "audit_events",
    metadata,
    Column("position", POSITION, primary_key=True),
    Column("originator_id", String(36), nullable=False),
    Column("version", Integer, nullable=False),
    Column("topic", String(200), nullable=False),
    Column("actor_id", String(80), nullable=False),
    Column("actor_role", String(40), nullable=False),
    Column("occurred_at", DateTime, nullable=False),
    Column("occurred_on", String(10), nullable=False),
    Column("recorded_at", DateTime, nullable=False),
    Index("ix_audit_events_originator", "originator_id", "position"),
    Index("ix_audit_events_actor", "actor_id", "position"),
)
subjects_table = Table(
    "audit_subjects",
    metadata,
    Column("position", BigInteger, primary_key=True),
    Column("subject", String(120), primary_key=True),
    Index("ix_audit_subjects_subject", "subject", "position"),
    sqlite_with_rowid=False,
)
"""Keyed by position first, so a page's rows append in key order; subjects are
found through ``ix_audit_subjects_subject``."""
originators_table = Table(
    "audit_originators",
    metadata,
    Column("originator_id", String(36), primary_key=True),
    Column("kind", String(60), nullable=False),
    Column("label", String(200), nullable=False),
    Column("position", BigInteger, nullable=False),
    Index("ix_audit_originators_position", "position"),
)

SINGLE_SUBJECTS: Final = {
    "case_no": "case",
    "household_no": "household",
    "staff_id": "staff",
}
MANY_SUBJECTS: Final = {"case_nos": "case", "investigators": "staff"}
"""Tuple fields naming many subjects. A batch's ``household_nos`` are left out:
each line's case already names it (``case_nos``), and the case names its
household, so indexing both would double the largest index for nothing."""
LABEL_FIELDS: Final = (
    "recovery_no",
    "case_no",
    "household_no",
    "staff_id",
    "statement_id",
    "person_ref",
    "code",
)


_TOPICS: dict[type, str] = {}


def topic_of(cls: type) -> str:
    """Return the stored topic of an event class (cached: one lookup per class)."""
    topic = _TOPICS.get(cls)
    if topic is None:
        topic = _TOPICS[cls] = get_topic(cls)
    return topic


class EventIndexLog(TupleLog):
    """One row per event: where it is, whose it is, who did it and when."""

    name = "audit-events"
    table = events_table

    def tuples(self, event: Any, at: At) -> list[tuple[Any, ...]]:
        fields = event.__dict__
        occurred = at.occurred_at
        return [
            (
                at.position,
                originator_text(event),
                event.originator_version,
                topic_of(type(event)),
                str(fields.get("actor_id", "")),
                str(fields.get("actor_role", "")),
                occurred,
                occurred.date().isoformat(),
                at.recorded_at,
            )
        ]


_NAMING: dict[type, tuple[tuple[str, str, bool], ...]] = {}


def _naming_fields(cls: type) -> tuple[tuple[str, str, bool], ...]:
    """Return (field, kind, many) for the subject fields ``cls`` declares (cached)."""
    found = _NAMING.get(cls)
    if found is None:
        names: set[str] = set()
        for klass in cls.__mro__:
            names.update(getattr(klass, "__annotations__", {}))
        found = tuple(
            (name, kind, many)
            for many, table in ((False, SINGLE_SUBJECTS), (True, MANY_SUBJECTS))
            for name, kind in table.items()
            if name in names
        )
        _NAMING[cls] = found
    return found


def subjects_of(event: Any) -> set[str]:
    """Return the subjects (``case:C1``, ``household:H1``...) an event names."""
    found: set[str] = set()
    fields = event.__dict__
    for name, kind, many in _naming_fields(type(event)):
        value = fields.get(name)
        if many and isinstance(value, tuple | list):
            found.update(f"{kind}:{item}" for item in set(value))
        elif isinstance(value, str):
            found.add(f"{kind}:{value}")
    return found


class SubjectLog(TupleLog):
    """One row per subject an event names, at the event's position."""

    name = "audit-subjects"
    table = subjects_table

    def tuples(self, event: Any, at: At) -> list[tuple[Any, ...]]:
        position = at.position
        return [(position, s) for s in subjects_of(event)]


class OriginatorLog(Log):
    """What each aggregate is: its class and a label, from its creation event."""

    name = "audit-originators"
    table = originators_table

    def rows(self, event: Any, at: At) -> list[Row]:
        if not isinstance(event, Aggregate.Created):
            return []
        fields = event.__dict__
        label = next((str(fields[f]) for f in LABEL_FIELDS if f in fields), "")
        if not label and "period" in fields:
            where = fields.get("region_code")
            label = f"{fields.get('programme')}/{where}/{fields['period']}"
        if not label and "programme" in fields:
            where = fields.get("org_code") or fields.get("region_code")
            label = f"{fields['programme']}/{where}"
        kind = type(event).__qualname__.split(".")[0]
        return [
            {
                "originator_id": originator_text(event),
                "kind": kind,
                "label": label,
                "position": at.position,
            }
        ]
