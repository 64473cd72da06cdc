"""The service's application base saves what the library's ``save`` saves."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from domain.app_base import EventApplication

if TYPE_CHECKING:
    from uuid import UUID

POPO = {"PERSISTENCE_MODULE": "eventsourcing.popo"}


class Parcel(Aggregate):
    def __init__(self, label: str) -> None:
        self.label = label

    @event("Relabelled")
    def relabel(self, label: str) -> None:
        self.label = label


def _save_all(app: Application[UUID]) -> list[tuple[int, str]]:
    first, second = Parcel("a"), Parcel("b")
    second.relabel("c")
    recordings = app.save(first, None, second)
    third = Parcel("d")
    # A bare pending event goes the library's way, and is recorded all the same.
    (event,) = third.collect_events()
    recordings += app.save(event)
    assert app.repository.get(second.id).label == "c"
    return [
        (r.notification.originator_version, r.notification.topic.rsplit(".", 1)[1])
        for r in recordings
    ]


def test_save_records_the_same_events_as_the_library() -> None:
    ours: EventApplication[UUID] = EventApplication(env=POPO)
    theirs: Application[UUID] = Application(env=POPO)
    saved = _save_all(ours)
    assert saved == _save_all(theirs)
    assert saved == [(1, "Created"), (1, "Created"), (2, "Relabelled"), (1, "Created")]
    assert [n.id for n in ours.notification_log.select(1, 10)] == [1, 2, 3, 4]
