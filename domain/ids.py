"""Stable aggregate ids from the numbers people use (case no., household no., ...).

Aggregates are keyed by UUIDs; people name records by their own numbers. A
``uuid5`` of a kind and a number links the two, so the same number always
reaches the same aggregate and a second "create" of it is refused by the store.
"""

from __future__ import annotations

from uuid import UUID, uuid5

NAMESPACE = UUID("7d3c2a52-0f6e-5b8e-9a41-2f1c6d9e4b10")


def record_id(kind: str, number: str) -> UUID:
    """Return the aggregate id of the record of ``kind`` numbered ``number``.

    Args:
        kind: the record kind, e.g. ``"case"``, ``"household"``, ``"staff"``.
        number: the number people use for it.

    Returns:
        A UUID that is the same for the same kind and number.
    """
    return uuid5(NAMESPACE, f"{kind}:{number}")
