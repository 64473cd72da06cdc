"""Legacy lines: the envelope of each line checked, and its fields converted.

``parse_line`` turns one JSON line into a ``LegacyLine`` (its act, record and
converted fields) or refuses it with its line number (``LegacyImportError``).
Repeated actors and times are shared, so consecutive lines of one act can be
recognised cheaply.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

import msgspec

from domain.base import Act
from domain.errors import DomainError, InvalidDataError
from domain.legacy_fields import convert
from domain.legacy_schema import Refusal, fields_of, schema_for

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from domain.legacy_fields import LineType


class LegacyImportError(InvalidDataError):
    """A legacy line is malformed; the message names the line and the reason."""

    def __init__(self, line_no: int, line_id: str, rule: str, reason: str) -> None:
        self.line_no = line_no
        self.line_id = line_id
        label = f"line {line_no}" + (f" (id {line_id})" if line_id else "")
        super().__init__(rule, label, reason)


class LegacyLine(NamedTuple):
    """One checked line: its envelope as an ``Act`` and its converted fields.

    A named tuple rather than a frozen dataclass: one is made per line, and a
    frozen dataclass's ``__init__`` costs several times more.
    """

    line_no: int
    line_id: str
    type: LineType
    record: str
    act: Act
    fields: Mapping[str, Any]


def parse_line(
    raw: bytes | str,
    line_no: int,
    types: Mapping[str, LineType],
    person_ref: Callable[[str], str],
) -> LegacyLine:
    """Return the checked line, or refuse it with its line number."""
    schema = schema_for(types)
    try:
        decoded = schema.decode(raw)
    except Refusal as refusal:
        line_id = _line_id(raw)
        raise LegacyImportError(
            line_no, line_id, refusal.rule, refusal.reason
        ) from None
    line_type, field_posts = schema.by_struct[type(decoded)]
    line_id = str(decoded.id)
    act = _act(decoded, line_no, line_id)
    try:
        fields = fields_of(decoded, field_posts, person_ref)
        if line_type.post_check is not None:
            line_type.post_check(decoded.record, fields)
    except DomainError as error:
        raise LegacyImportError(line_no, line_id, error.rule, error.reason) from None
    return LegacyLine(line_no, line_id, line_type, decoded.record, act, fields)


def check_line(
    raw: bytes | str,
    line_no: int,
    types: Mapping[str, LineType],
    person_ref: Callable[[str], str],
) -> str:
    """Check a line as ``parse_line`` does and return its id, building nothing
    for a line whose fields the decoder has fully checked."""
    schema = schema_for(types)
    try:
        decoded = schema.decode(raw)
    except Refusal as refusal:
        raise LegacyImportError(
            line_no, _line_id(raw), refusal.rule, refusal.reason
        ) from None
    line_id = str(decoded.id)
    _act(decoded, line_no, line_id)
    if type(decoded) not in schema.decoded_only:
        parse_line(raw, line_no, types, person_ref)
    return line_id


def _line_id(raw: bytes | str) -> str:
    """The id of a line that failed to decode, when it can be read at all."""
    try:
        data = msgspec.json.decode(raw)
    except msgspec.DecodeError:
        return ""
    line_id = data.get("id") if isinstance(data, dict) else None
    return str(line_id) if isinstance(line_id, str | int) else ""


_ACTS: dict[tuple[str, str, str], Act] = {}


def _act(decoded: Any, line_no: int, line_id: str) -> Act:
    """Return the line's act; lines with the same envelope share one ``Act``."""
    key = (decoded.actor, decoded.role, decoded.occurred_at)
    act = _ACTS.get(key)
    if act is None:
        act = Act(decoded.actor, decoded.role, _moment(key[2], line_no, line_id), True)
        if len(_ACTS) > 100_000:
            _ACTS.clear()
        _ACTS[key] = act
    return act


def _moment(text: str, line_no: int, line_id: str) -> datetime:
    try:
        moment = convert("datetime", text)
    except DomainError:
        moment = None
    if not isinstance(moment, datetime):
        reason = "occurred_at is not an ISO 8601 date-time with a UTC offset"
        raise LegacyImportError(line_no, line_id, "legacy-envelope", reason)
    return moment
