"""Every legacy line type the import knows, by name (``docs/import-format.md``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.legacy_cases import CASE_TYPES
from domain.legacy_money import MONEY_TYPES
from domain.legacy_reference import REFERENCE_TYPES

if TYPE_CHECKING:
    from domain.legacy_fields import LineType

LINE_TYPES: dict[str, LineType] = {
    t.name: t
    for t in (
        *REFERENCE_TYPES,
        *CASE_TYPES,
        *MONEY_TYPES,
    )
}
