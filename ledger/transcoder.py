"""A faster JSON transcoder: the library's registry semantics, msgspec's codec.

``FastJSONTranscoder`` is selected with ``TRANSCODER_TOPIC`` (``persistence_env``
does it). It subclasses eventsourcing's ``JSONTranscoder`` so that applications
register their ``Transcoding`` objects on it as usual, and it writes the same
wire format: a registered type becomes ``{"_type_": name, "_data_": ...}``,
compact separators, UTF-8 unescaped. Tuples also round-trip, as
``{"_type_": "tuple_as_list", "_data_": [...]}`` (the name the library's own
transcoder tests use), where the stock transcoder would hand back a list.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from uuid import UUID

import msgspec
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    TranscodingNotRegisteredError,
    UUIDAsHex,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from eventsourcing.persistence import Transcoding

TUPLE_NAME = "tuple_as_list"
_DIRECT: dict[type[Transcoding], Callable[[str], Any]] = {
    DatetimeAsISO: datetime.fromisoformat,
    UUIDAsHex: UUID,
    DecimalAsStr: Decimal,
}
"""The library's own string transcodings, and the C callable each ``decode`` is.

Called directly (for string data) they skip a Python frame per tagged value:
a county's events carry two datetimes each."""
_IMMUTABLE: frozenset[type] = frozenset({datetime, date, time, UUID, Decimal})
"""Value types a decoded string may be shared for: a repeated string (an
event's business time, a date) gives the very same immutable object, from a
bounded ``functools.lru_cache``, which also lets the views format each
distinct object once (``projections.binds``)."""
UNIQUE_KEY = "timestamp"
"""The library's recorded time of an event: unique to it, so never shared."""
MEMO_LIMIT = 8192
"""Decoded strings each transcoding's cache holds."""
_PLAIN = frozenset({str, int, bool, float, type(None)})


_BASES: tuple[type[Any], ...] = (str, int, float, dict, list)


class FastJSONTranscoder(JSONTranscoder):
    """JSON transcoder using msgspec, with the library's ``Transcoding`` registry."""

    def __init__(self) -> None:
        self._leaves: dict[type, tuple[str, Callable[[Any], Any]]] = {}
        self._string_decoders: dict[str, Callable[[str], Any]] = {}
        self._unique_decoders: dict[str, Callable[[str], Any]] = {}
        super().__init__()
        self._encode_json = msgspec.json.Encoder().encode
        self._decode_json = msgspec.json.Decoder().decode

    def register(self, transcoding: Transcoding) -> None:
        """Register ``transcoding`` as the library does, and as a one-step leaf."""
        super().register(transcoding)
        self._leaves[transcoding.type] = (transcoding.name, transcoding.encode)
        if transcoding.name == TUPLE_NAME:  # that name always means a tuple
            return
        decode = _DIRECT.get(type(transcoding)) or transcoding.decode
        self._unique_decoders[transcoding.name] = decode
        if transcoding.type in _IMMUTABLE:
            decode = lru_cache(maxsize=MEMO_LIMIT)(decode)
        self._string_decoders[transcoding.name] = decode

    def encode(self, obj: Any) -> bytes:
        """Encode ``obj`` as compact UTF-8 JSON, tagging registered types."""
        if type(obj) is dict:  # an event's state: the hot path, one frame
            return self._encode_json(self._tagged_state(obj))
        return self._encode_json(self._tagged(obj))

    def _tagged_state(self, obj: dict[str, Any]) -> dict[str, Any]:
        """Tag a dict's values, encoding registered leaf values in place.

        A registered value whose transcoding returns a plain JSON value (a
        ``datetime`` as its ISO string) is tagged here without recursion;
        anything else takes the general path. The output is the same.
        """
        leaves = self._leaves
        tagged: dict[str, Any] = {}
        for key, value in obj.items():
            kind = type(value)
            if kind in _PLAIN:
                tagged[key] = value
                continue
            leaf = leaves.get(kind)
            if leaf is None:
                tagged[key] = self._tagged(value)
                continue
            data = leaf[1](value)
            if type(data) not in _PLAIN:
                data = self._tagged(data)
            tagged[key] = {"_type_": leaf[0], "_data_": data}
        return tagged

    def decode(self, data: bytes) -> Any:
        """Decode JSON bytes, turning tagged values back into their types."""
        return self._untagged(self._decode_json(data))

    def _untagged_state(self, obj: dict[str, Any]) -> dict[str, Any]:
        """Untag a dict's values in place, decoding tagged strings in one step.

        A tagged value whose data is a string (a datetime, a date) is decoded
        here by its transcoding's ``decode`` (or the C function that method
        calls, for the library's own transcodings), without recursion, and a
        repeated string of an immutable type gives the object decoded before
        (a bounded cache; not for ``UNIQUE_KEY``). Any other nested value takes the
        general path. The output is equal either way.
        """
        strings, unique = self._string_decoders, self._unique_decoders
        for key, value in obj.items():
            kind = value.__class__
            if kind is dict:
                if len(value) == 2 and "_type_" in value and "_data_" in value:
                    data = value["_data_"]
                    if data.__class__ is str:
                        by_name = unique if key == UNIQUE_KEY else strings
                        decoder = by_name.get(value["_type_"])
                        if decoder is not None:
                            obj[key] = decoder(data)
                            continue
                    elif value["_type_"] == TUPLE_NAME and data.__class__ is list:
                        obj[key] = tuple(self._untagged(data))
                        continue
                obj[key] = self._untagged(value)
            elif kind is list:
                obj[key] = self._untagged(value)
        return obj

    def _tagged(self, obj: Any) -> Any:
        kind = type(obj)
        if kind in _PLAIN:
            return obj
        if kind is dict:
            tag = self._tagged
            return {
                key: value if type(value) in _PLAIN else tag(value)
                for key, value in obj.items()
            }
        if kind is list:
            return [self._tagged(item) for item in obj]
        if kind is tuple:
            return {"_type_": TUPLE_NAME, "_data_": [self._tagged(i) for i in obj]}
        transcoding = self.types.get(kind)
        if transcoding is not None:
            data = self._tagged(transcoding.encode(obj))
            return {"_type_": transcoding.name, "_data_": data}
        return self._tagged_subclass(obj)

    def _tagged_subclass(self, obj: Any) -> Any:
        """Encode an unregistered subclass of a JSON type as its base type."""
        for base in _BASES:
            if isinstance(obj, base):
                return self._tagged(base(obj))
        msg = (
            f"Object of type {type(obj)} is not "
            "serializable. Please define and register "
            "a custom transcoding for this type."
        )
        raise TranscodingNotRegisteredError(msg)

    def _untagged(self, obj: Any) -> Any:
        kind = type(obj)
        if kind is list:
            # Most lists hold only numbers or strings (a batch's line numbers
            # and amounts): checked in C, and handed back as they are.
            if _NESTED.isdisjoint(map(type, obj)):
                return obj
            untag = self._untagged
            return [untag(item) if type(item) in _NESTED else item for item in obj]
        if kind is not dict:
            return obj
        if len(obj) == 2 and "_type_" in obj and "_data_" in obj:
            return self._decoded(obj["_type_"], self._untagged(obj["_data_"]))
        return self._untagged_state(obj)

    def _decoded(self, name: Any, data: Any) -> Any:
        if name == TUPLE_NAME:
            return tuple(data)
        transcoding = self.names.get(name)
        if transcoding is None:
            msg = (
                f"Data serialized with name '{name}' is not "
                "deserializable. Please register a "
                "custom transcoding for this type."
            )
            raise TranscodingNotRegisteredError(msg)
        return transcoding.decode(data)


_NESTED = frozenset({dict, list})
