"""Typed decoding of legacy lines: one msgspec ``Struct`` per line type.

The line types (``domain.legacy_types``) name each field's kind; here every
type becomes a tagged ``Struct`` (the tag is the line's ``type``), so one
``msgspec`` decode checks the JSON, the envelope, the field names and the
field types in C. What types cannot say (a 身份证号 to turn into a person ref,
a region code to shorten, a UTC offset) is done after, field by field. A
refusal names the line and the field in one sentence.
"""

from __future__ import annotations

import re
from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

import msgspec

from domain import roles
from domain.legacy_fields import CHOICES, converter

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from domain.legacy_fields import LineType

ENVELOPE = ("id", "type", "record", "actor", "role", "occurred_at")
_TEXT = Annotated[str, msgspec.Meta(min_length=1)]
_COUNT = Annotated[int, msgspec.Meta(ge=0)]
_ROLE = Literal[tuple(sorted(roles.ROLES))]  # type: ignore[valid-type]
_FIELD = re.compile(r"field `([^`]+)`")

_TYPES: dict[str, Any] = {
    "text": _TEXT,
    "fen": _COUNT,
    "count": _COUNT,
    "int": int,
    "bool": bool,
    "date": date,
    "datetime": _TEXT,
    "dates": list[date],
    "code": _TEXT,
    "str": str,
    "strs": list[str],
    "schedule": dict[str, _COUNT],
    "person": _TEXT,
    "persons": list[_TEXT],
}
_POST_KINDS = frozenset({"datetime", "code", "person", "persons"})
_AS_TUPLE = frozenset({"strs", "dates"})


def _as_tuple(value: list[Any], _ref: object) -> tuple[Any, ...]:
    return tuple(value)


def _post(kind: str) -> Callable[..., Any] | None:
    """The conversion after decoding of a field of ``kind``, if it needs one."""
    if kind in _AS_TUPLE:
        return _as_tuple
    return converter(kind) if kind in _POST_KINDS else None


class Refusal(Exception):  # noqa: N818 (carried to LegacyImportError by the caller)
    """A line failed decoding: the rule and the one-sentence reason."""

    def __init__(self, rule: str, reason: str) -> None:
        self.rule, self.reason = rule, reason
        super().__init__(reason)


class Schema:
    """The decoder for a set of line types and the conversions after it."""

    def __init__(self, types: Mapping[str, LineType]) -> None:
        self.types = types
        structs = [self._struct(t) for t in types.values()]
        self.by_struct: dict[type[Any], tuple[LineType, Any]] = {
            struct: (t, posts(t))
            for struct, t in zip(structs, types.values(), strict=True)
        }
        # Types whose fields the decoder checks completely: a check needs no more.
        self.decoded_only: frozenset[type[Any]] = frozenset(
            struct
            for struct, (t, _) in self.by_struct.items()
            if t.post_check is None and not _needs_posts(t)
        )
        self.decoder = msgspec.json.Decoder(Union[tuple(structs)])  # noqa: UP007
        self.money = frozenset(
            name
            for t in types.values()
            for spec in (t.fields, *(t.nested or {}).values())
            for name, kind in _plain(spec)
            if kind == "fen"
        )

    def _struct(self, line_type: LineType, nested_name: str = "") -> type[Any]:
        fields: list[tuple[Any, ...]] = []
        if not nested_name:
            fields += [
                ("id", _TEXT | int),
                ("record", _TEXT),
                ("actor", _TEXT),
                ("role", _ROLE),
                ("occurred_at", _TEXT),
            ]
        for spec, kind in (line_type.fields if not nested_name else {}).items():
            fields.append(self._field(line_type, spec, kind))
        return msgspec.defstruct(
            f"Line_{line_type.name.replace('.', '_')}",
            fields,
            tag_field="type",
            tag=line_type.name,
            forbid_unknown_fields=True,
            kw_only=True,
        )

    def _field(self, line_type: LineType, spec: str, kind: str) -> tuple[Any, ...]:
        name = spec.lstrip("?")
        if kind == "members":
            row = self._row(line_type, name)
            typ: Any = list[row]  # type: ignore[valid-type]
        elif kind in _TYPES:
            typ = _TYPES[kind]
        else:
            typ = Literal[tuple(sorted(CHOICES[kind]))]
        return (name, typ | None, None) if spec.startswith("?") else (name, typ)

    def _row(self, line_type: LineType, name: str) -> type[Any]:
        spec = (line_type.nested or {}).get(name, {})
        fields = [self._field(line_type, s, k) for s, k in spec.items()]
        return msgspec.defstruct(
            f"Row_{line_type.name.replace('.', '_')}_{name}",
            fields,
            forbid_unknown_fields=True,
            kw_only=True,
        )

    def decode(self, raw: bytes | str) -> Any:
        """Return the decoded line, or raise ``Refusal``."""
        try:
            return self.decoder.decode(raw)
        except msgspec.ValidationError as error:
            raise self._refusal(str(error)) from None
        except msgspec.DecodeError:
            raise Refusal("legacy-json", "it is not JSON") from None

    def _refusal(self, text: str) -> Refusal:
        message, _, path = text.partition(" - at `$.")
        named = _FIELD.search(message)
        field = re.split(r"[.\[`]", path)[0] if path else (named[1] if named else "")
        if not field:
            return Refusal("legacy-json", "it is not a JSON object")
        if field == "type":
            return Refusal("legacy-type", "the type is missing or unknown")
        what = message.replace("`", "").lower()
        reason = f"the field {field}: {what}" if path else what
        if field in ENVELOPE:
            return Refusal("legacy-envelope", reason)
        if field in self.money:
            return Refusal("legacy-money", f"{reason} (money is whole fen ≥ 0)")
        return Refusal("legacy-field", reason)


def _needs_posts(line_type: LineType) -> bool:
    specs = [line_type.fields, *(line_type.nested or {}).values()]
    return any(kind in _POST_KINDS for spec in specs for _, kind in _plain(spec))


def _plain(spec: Mapping[str, str]) -> list[tuple[str, str]]:
    return [(name.lstrip("?"), kind) for name, kind in spec.items()]


class Extractor:
    """Turns a decoded line (or row) into its fields dict, converting as needed."""

    __slots__ = ("getter", "names", "posts")

    def __init__(self, field_posts: tuple[tuple[str, Callable[..., Any] | None], ...]):
        self.posts = field_posts
        self.names = tuple(name for name, _ in field_posts)
        plain = all(post is None for _, post in field_posts) and len(self.names) > 1
        self.getter = attrgetter(*self.names) if plain else None

    def __call__(self, obj: Any, person_ref: Callable[[str], str]) -> dict[str, Any]:
        if self.getter is not None:
            return dict(zip(self.names, self.getter(obj), strict=True))
        out = {}
        for name, post in self.posts:
            value = getattr(obj, name)
            out[name] = (
                value if post is None or value is None else post(value, person_ref)
            )
        return out


def posts(line_type: LineType) -> Extractor:
    """The extractor of a line type's fields (conversions after decoding)."""
    out: list[tuple[str, Callable[..., Any] | None]] = []
    for name, kind in _plain(line_type.fields):
        if kind == "members":
            row = posts_of((line_type.nested or {}).get(name, {}))
            out.append((name, _rows(row)))
        else:
            out.append((name, _post(kind)))
    return Extractor(tuple(out))


def posts_of(spec: Mapping[str, str]) -> Extractor:
    """The extractor of a nested row spec."""
    return Extractor(tuple((name, _post(kind)) for name, kind in _plain(spec)))


def _rows(row: Extractor) -> Callable[..., Any]:
    def convert_rows(
        rows: list[Any], person_ref: Callable[[str], str]
    ) -> tuple[Any, ...]:
        return tuple(row(item, person_ref) for item in rows)

    return convert_rows


def fields_of(
    obj: Any, extract: Extractor, person_ref: Callable[[str], str]
) -> dict[str, Any]:
    """Return the decoded fields of ``obj`` as a dict, converted where needed."""
    return extract(obj, person_ref)


_SCHEMAS: dict[int, Schema] = {}
_LAST: list[Schema | None] = [None]


def schema_for(types: Mapping[str, LineType]) -> Schema:
    """Return the (cached) schema of a set of line types."""
    last = _LAST[0]
    if last is not None and last.types is types:
        return last
    schema = _SCHEMAS.get(id(types))
    if schema is None or schema.types is not types:
        schema = Schema(types)
        _SCHEMAS[id(types)] = schema
    _LAST[0] = schema
    return schema
