"""The lean notifications and mapper give what the library's give."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.application import Application
from eventsourcing.cipher import AESCipher
from eventsourcing.compressor import ZlibCompressor
from eventsourcing.domain import Aggregate, DomainEvent, event
from eventsourcing.persistence import (
    Mapper,
    MapperDeserialisationError,
    Notification,
    StoredEvent,
)
from eventsourcing.utils import Environment
from hypothesis import given
from hypothesis import strategies as st

from ledger.decoding import LeanMapper, notification
from ledger.transcoder import FastJSONTranscoder

if TYPE_CHECKING:
    from collections.abc import Callable
    from decimal import Decimal


class Parcel(Aggregate):
    def __init__(self, label: str, due: int) -> None:
        self.label = label
        self.due = due

    @event("Moved")
    def move(self, to: str, at: datetime, stops: tuple[str, ...], fee: Decimal) -> None:
        self.label = to


class Stamped(DomainEvent):
    """An event stored at class version 1 and read at version 3."""

    class_version = 3
    note: str
    mark: str

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["note"] = state.get("note", "") + "+v2"

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        state["mark"] = "v3"


def transcoder() -> FastJSONTranscoder:
    made = FastJSONTranscoder()
    Application().register_transcodings(made)  # the library's own set
    return made


def mappers(**options: Any) -> tuple[Mapper[UUID], LeanMapper]:
    codec = transcoder()
    return Mapper(transcoder=codec, **options), LeanMapper(transcoder=codec, **options)


def stored(parcel: Parcel, library: Mapper[UUID]) -> list[StoredEvent]:
    return [library.to_stored_event(e) for e in parcel.collect_events()]


@given(
    label=st.text(max_size=20),
    due=st.integers(),
    stops=st.lists(st.text(max_size=5), max_size=4),
    fee=st.decimals(allow_nan=False, allow_infinity=False, places=2),
    at=st.datetimes(timezones=st.just(UTC)),
)
def test_events_decode_as_the_librarys_mapper_decodes_them(
    label: str, due: int, stops: list[str], fee: Decimal, at: datetime
) -> None:
    library, lean = mappers()
    parcel = Parcel(label, due)
    parcel.move(to=label + "!", at=at, stops=tuple(stops), fee=fee)
    for record in stored(parcel, library) * 2:  # the second pass uses the plan
        ours, theirs = lean.to_domain_event(record), library.to_domain_event(record)
        assert type(ours) is type(theirs)
        assert ours.__dict__ == theirs.__dict__
        assert ours == theirs


def test_text_ids_and_uuid_ids_each_get_their_own_convertor() -> None:
    library, lean = mappers()
    record = stored(Parcel("p", 1), library)[0]
    as_text = StoredEvent(str(record.originator_id), 1, record.topic, record.state)
    for each in (record, as_text, record):
        ours = lean.to_domain_event(each)
        assert ours == library.to_domain_event(each)
        assert type(ours.originator_id) is UUID


def test_older_class_versions_are_upcast_in_order() -> None:
    library, lean = mappers()
    topic = f"{__name__}:Stamped"
    state = transcoder().encode(
        {"timestamp": datetime(2026, 1, 1, tzinfo=UTC), "note": "n", "mark": "m"}
    )
    record = StoredEvent(uuid4(), 3, topic, state)
    ours = lean.to_domain_event(record)
    assert ours.__dict__ == library.to_domain_event(record).__dict__
    assert (ours.note, ours.mark) == ("n+v2", "v3")  # type: ignore[attr-defined]


def test_a_bad_state_fails_with_the_librarys_error() -> None:
    library, lean = mappers()
    record = StoredEvent(uuid4(), 1, f"{__name__}:Parcel.Moved", b"{not json")
    with pytest.raises(MapperDeserialisationError) as theirs:
        library.to_domain_event(record)
    with pytest.raises(MapperDeserialisationError) as ours:
        lean.to_domain_event(record)
    assert str(ours.value) == str(theirs.value)


def cipher() -> AESCipher:
    return AESCipher(Environment(env={"CIPHER_KEY": AESCipher.create_key(16)}))


@pytest.mark.parametrize(
    "options",
    [lambda: {"compressor": ZlibCompressor()}, lambda: {"cipher": cipher()}],
    ids=["compressor", "cipher"],
)
def test_a_cipher_or_compressor_is_left_to_the_library(
    options: Callable[[], dict[str, Any]],
) -> None:
    library, lean = mappers(**options())
    for record in stored(Parcel("sealed", 2), library):
        assert lean.to_domain_event(record) == library.to_domain_event(record)


@given(st.integers(min_value=1, max_value=2**62), st.uuids(), st.binary(max_size=40))
def test_lean_notifications_equal_the_librarys(
    position: int, originator_id: UUID, state: bytes
) -> None:
    ours = notification(position, originator_id, 7, "m:T", state)
    theirs = Notification(
        id=position,
        originator_id=originator_id,
        originator_version=7,
        topic="m:T",
        state=state,
    )
    assert type(ours) is Notification
    assert ours == theirs
    assert hash(ours) == hash(theirs)
    assert repr(ours) == repr(theirs)
    with pytest.raises(AttributeError):
        ours.id = 3  # type: ignore[misc]
