"""Hash-chain maths: the link of one stored event to the one before it.

The byte layout is published in ``docs/ledger-format.md`` and frozen by the
golden vectors in ``tests/vectors/``. Format version 1::

    message = PREFIX                          2 bytes: 0x4C ('L'), 0x01 (version)
            || prev_hash                      32 bytes (genesis: 32 zero bytes)
            || u64be(notification_id)
            || u64be(originator_version)
            || u32be(len(originator_id)) || u32be(len(topic)) || u32be(len(state))
            || originator_id                  16 raw bytes of a UUID (text ids: UTF-8)
            || topic                          UTF-8
            || state                          the bytes exactly as stored
    link    = SHA-256(message)

Fixed-width fields come first so that one ``struct`` call packs them; every
variable field is length-prefixed, so no two different events share a message.
Nothing here does I/O: recorders only move the bytes.
"""

from __future__ import annotations

import hashlib
import struct
from typing import NamedTuple
from uuid import UUID

FORMAT_VERSION = 1
LINK_PREFIX = b"\x4c\x01"
GENESIS = bytes(32)
HASH_SIZE = 32

FIXED_FIELDS = struct.Struct(">QQIII")
"""The fixed-width fields after ``prev_hash``, packed in one call."""
_FIXED = FIXED_FIELDS


class ChainRecord(NamedTuple):
    """One position of the ledger as stored: the event row and its link row.

    ``originator_id`` is ``None`` when the event row is missing and
    ``prev_hash`` is ``None`` when the link row is missing. Recorders yield
    plain tuples of this shape straight from their cursors.
    """

    position: int
    originator_id: bytes | None
    originator_version: int | None
    topic: str | None
    state: bytes | None
    prev_hash: bytes | None
    hash: bytes | None


def originator_id_bytes(originator_id: UUID | str, *, uuid_ids: bool = False) -> bytes:
    """Return the canonical bytes of an originator id.

    Args:
        originator_id: a UUID, or a text id when the store keeps text ids.
        uuid_ids: the store keeps UUIDs, so a text id is a UUID's text.

    Returns:
        The 16 raw bytes of a UUID, or the UTF-8 bytes of a text id.
    """
    if isinstance(originator_id, UUID):
        return originator_id.bytes
    if uuid_ids:
        return UUID(originator_id).bytes
    return originator_id.encode("utf-8")


def link_message(  # noqa: PLR0917 - the arguments follow the byte layout
    prev_hash: bytes,
    position: int,
    originator_id: bytes,
    originator_version: int,
    topic: str,
    state: bytes,
) -> bytes:
    """Return the exact bytes that are hashed for one link (format version 1).

    Args:
        prev_hash: the previous link, 32 bytes (``GENESIS`` for the first event).
        position: the event's notification id, 1 or more.
        originator_id: canonical originator id bytes (see ``originator_id_bytes``).
        originator_version: the aggregate version of the event.
        topic: the event's topic as stored.
        state: the event's state bytes as stored (after compression/encryption).

    Returns:
        The message whose SHA-256 is the link.

    Raises:
        ValueError: if ``prev_hash`` is not 32 bytes.
        struct.error: if a number or length does not fit its field.
    """
    if len(prev_hash) != HASH_SIZE:
        msg = f"prev_hash must be {HASH_SIZE} bytes, got {len(prev_hash)}"
        raise ValueError(msg)
    topic_bytes = topic.encode("utf-8")
    fixed = _FIXED.pack(
        position, originator_version, len(originator_id), len(topic_bytes), len(state)
    )
    return b"".join((LINK_PREFIX, prev_hash, fixed, originator_id, topic_bytes, state))


def link_hash(  # noqa: PLR0917 - the arguments follow the byte layout
    prev_hash: bytes,
    position: int,
    originator_id: bytes,
    originator_version: int,
    topic: str,
    state: bytes,
) -> bytes:
    """Return the SHA-256 link of one event to the link before it.

    Args and preconditions as for ``link_message``.

    Returns:
        32 bytes.
    """
    return hashlib.sha256(
        link_message(
            prev_hash, position, originator_id, originator_version, topic, state
        )
    ).digest()


def chain_links(
    prev_hash: bytes,
    rows: list[tuple[int, bytes, int, str, bytes]],
) -> list[tuple[int, bytes, bytes]]:
    """Extend a chain over new rows, in the order given.

    Args:
        prev_hash: the current head link (``GENESIS`` for an empty ledger).
        rows: ``(position, originator_id, originator_version, topic, state)``
            in ascending position order.

    Returns:
        ``(position, prev_hash, hash)`` for each row, ready to store.
    """
    sha256 = hashlib.sha256
    pack = _FIXED.pack
    out: list[tuple[int, bytes, bytes]] = []
    prev = prev_hash
    for position, oid, version, topic, state in rows:
        topic_bytes = topic.encode("utf-8")
        digest = sha256(
            b"".join(
                (
                    LINK_PREFIX,
                    prev,
                    pack(position, version, len(oid), len(topic_bytes), len(state)),
                    oid,
                    topic_bytes,
                    state,
                )
            )
        ).digest()
        out.append((position, prev, digest))
        prev = digest
    return out
