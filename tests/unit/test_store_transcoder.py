"""The fast transcoder keeps the library's transcoding semantics and wire format."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Transcoder,
    Transcoding,
    TranscodingNotRegisteredError,
    UUIDAsHex,
)
from eventsourcing.tests import persistence as library_cases
from eventsourcing.tests.persistence import (
    CustomType1AsDict,
    CustomType2AsDict,
    Mydict,
    MyInt,
    MyList,
    MyStr,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger import transcoder as transcoder_module
from ledger.transcoder import FastJSONTranscoder


class DateAsISO(Transcoding):
    """What the domain registers for dates."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


def _as_base(cls: type, base: type, name: str) -> Transcoding:
    """A transcoding for a subclass of a JSON type, as the library's tests use."""

    class AsBase(Transcoding):
        type = cls

        def encode(self, obj: Any) -> Any:
            return base(obj)

        def decode(self, data: Any) -> Any:
            return cls(data)

    AsBase.name = name
    return AsBase()


def _fast() -> FastJSONTranscoder:
    transcoder = FastJSONTranscoder()
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO(), DateAsISO()):
        transcoder.register(transcoding)
    return transcoder


class TestLibraryTranscoderCases(library_cases.TranscoderTestCase):
    """eventsourcing's own transcoder test case, run on the fast transcoder."""

    def construct_transcoder(self) -> Transcoder:
        transcoder = _fast()
        transcoder.register(CustomType1AsDict())
        transcoder.register(CustomType2AsDict())
        transcoder.register(_as_base(Mydict, dict, "mydict"))
        transcoder.register(_as_base(MyList, list, "mylist"))
        transcoder.register(_as_base(MyStr, str, "mystr"))
        transcoder.register(_as_base(MyInt, int, "myint"))
        return transcoder


def test_event_state_round_trips_with_every_registered_type() -> None:
    transcoder = _fast()
    state = {
        "originator_topic": "domain.applications:ReliefApplication",
        "timestamp": datetime(2026, 11, 22, 23, 0, tzinfo=UTC),
        "household_id": UUID("b2723fe2c01a40d2875ea3aac6a09ff5"),
        "birth_date": date(2014, 3, 1),
        "rate": Decimal("0.125"),
        "amount_fen": 70050,
        "refs": ("pay-1", "pay-2"),
        "members": [{"id": UUID(int=7), "since": date(2020, 1, 1)}],
        "imported": False,
        "note": None,
    }
    decoded = transcoder.decode(transcoder.encode(state))
    assert decoded == state
    assert type(decoded["refs"]) is tuple
    assert type(decoded["birth_date"]) is date
    assert type(decoded["timestamp"]) is datetime


def test_wire_format_is_the_stock_transcoders_for_registered_types() -> None:
    stock = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO(), DateAsISO()):
        stock.register(transcoding)
    state = {
        "timestamp": datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
        "id": UUID(int=1),
        "amount": Decimal("700.50"),
        "on": date(2026, 1, 2),
        "name": "低保 🐈",
        "nested": {"a": [1, 2, {"b": UUID(int=2)}]},
    }
    assert _fast().encode(state) == stock.encode(state)
    assert _fast().decode(stock.encode(state)) == state


def test_unregistered_types_are_refused_both_ways() -> None:
    transcoder = FastJSONTranscoder()
    with pytest.raises(TranscodingNotRegisteredError):
        transcoder.encode({"when": date(2026, 1, 1)})
    with pytest.raises(TranscodingNotRegisteredError):
        transcoder.decode(b'{"_type_":"date_iso","_data_":"2026-01-01"}')


_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.text(),
    st.uuids(),
    st.dates(),
    st.datetimes(timezones=st.just(UTC)),
    st.decimals(allow_nan=False, allow_infinity=False),
)
_values = st.recursive(
    _leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.text(max_size=12), _values, max_size=8))
def test_any_event_state_round_trips(state: dict[str, Any]) -> None:
    transcoder = _fast()
    assert transcoder.decode(transcoder.encode(state)) == state


def _stock() -> JSONTranscoder:
    stock = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO(), DateAsISO()):
        stock.register(transcoding)
    return stock


_zoned = st.builds(
    lambda moment, hours: moment.replace(tzinfo=timezone(timedelta(hours=hours))),
    st.datetimes(),
    st.integers(-12, 14),
)
_stock_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.text(),
    st.uuids(),
    st.dates(),
    st.datetimes(),
    _zoned,
    st.decimals(allow_nan=False, allow_infinity=False),
)
_stock_values = st.recursive(
    _stock_leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=12,
)


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(st.text(max_size=12), _stock_values, max_size=8))
def test_decoding_equals_the_stock_transcoders_on_its_own_bytes(
    state: dict[str, Any],
) -> None:
    # The stock transcoder writes no tuples, so lists stay lists on both sides.
    data = _stock().encode(state)
    fast = _fast().decode(data)
    assert fast == _stock().decode(data)
    assert _types(fast) == _types(_stock().decode(data))


def _types(value: Any) -> Any:
    """The value's shape with every leaf's exact type (and zone) beside it."""
    if isinstance(value, dict):
        return {key: _types(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return (type(value), [_types(item) for item in value])
    return (type(value), getattr(value, "tzinfo", None), value)


def test_a_tagged_state_decodes_its_tuples_and_leaves_in_one_step() -> None:
    data = (
        b'{"at":{"_type_":"datetime_iso","_data_":"2021-09-28T10:00:00+08:00"},'
        b'"nos":{"_type_":"tuple_as_list","_data_":[1,2,[3]]},'
        b'"on":{"_type_":"date_iso","_data_":"2022-09-23"},'
        b'"id":{"_type_":"uuid_hex","_data_":"b2723fe2c01a40d2875ea3aac6a09ff5"},'
        b'"not_a_tag":{"_type_":"date_iso","_data_":"x","more":1},'
        b'"members":[{"born":{"_type_":"date_iso","_data_":"1969-05-11"}}]}'
    )
    decoded = _fast().decode(data)
    assert decoded == {
        "at": datetime(2021, 9, 28, 10, tzinfo=timezone(timedelta(hours=8))),
        "nos": (1, 2, [3]),
        "on": date(2022, 9, 23),
        "id": UUID("b2723fe2c01a40d2875ea3aac6a09ff5"),
        "not_a_tag": {"_type_": "date_iso", "_data_": "x", "more": 1},
        "members": [{"born": date(1969, 5, 11)}],
    }
    assert type(decoded["nos"]) is tuple
    assert type(decoded["nos"][2]) is list


def test_a_repeated_business_time_decodes_to_one_shared_object() -> None:
    transcoder = _fast()
    events = [
        transcoder.decode(
            transcoder.encode(
                {
                    "timestamp": datetime(2026, 1, 2, 0, 0, 0, 5, tzinfo=UTC),
                    "occurred_at": datetime(2021, 9, 28, 10, tzinfo=UTC),
                    "on": date(2022, 9, 23),
                }
            )
        )
        for _ in range(2)
    ]
    assert events[0] == events[1]
    assert events[0]["occurred_at"] is events[1]["occurred_at"]
    assert events[0]["on"] is events[1]["on"]
    # The recorded time is unique to its event: not kept.
    assert events[0]["timestamp"] is not events[1]["timestamp"]


def test_values_of_a_mutable_type_are_never_shared() -> None:
    class Pair(list[int]):
        """A mutable value with a string transcoding."""

    class PairAsText(Transcoding):
        type = Pair
        name = "pair_text"

        def encode(self, obj: Pair) -> str:
            return ",".join(map(str, obj))

        def decode(self, data: str) -> Pair:
            return Pair(int(part) for part in data.split(","))

    transcoder = _fast()
    transcoder.register(PairAsText())
    data = transcoder.encode({"a": Pair([1, 2]), "b": Pair([1, 2])})
    decoded = transcoder.decode(data)
    assert decoded == {"a": [1, 2], "b": [1, 2]}
    assert decoded["a"] is not decoded["b"]


def test_the_shared_values_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transcoder_module, "MEMO_LIMIT", 10)
    transcoder = _fast()
    days = [date(2020, month, day) for month in range(1, 13) for day in (1, 15)]
    for day in days * 2:
        assert transcoder.decode(transcoder.encode({"on": day})) == {"on": day}
    cached = transcoder._string_decoders["date_iso"].cache_info()  # type: ignore[attr-defined]
    assert 0 < cached.currsize <= 10
