"""Signed checkpoints: an Ed25519 signature over the ledger's (position, head).

A checkpoint is a small file kept outside the database. It commits the operator
to "the ledger held exactly this chain up to this position at this time", so a
later ``verify`` against it catches a truncated tail or a chain rebuilt from
scratch, which a bare hash chain cannot. The format is published in
``docs/checkpoint-format.md``. The signed message, format version 1::

    message = PREFIX                     2 bytes: 0x43 ('C'), 0x01 (version)
            || u64be(position)           the last position the checkpoint covers
            || head_hash                 32 bytes: the link at that position
            || key_id                    32 bytes: SHA-256 of the raw public key
            || u32be(len(created_at))
            || created_at                UTF-8, RFC 3339 UTC, e.g. 2026-01-31T08:00:00Z
    signature = Ed25519(private_key, message)

The key pair is made and loaded by ``ledger.keys``.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidSignature

from ledger.chain import HASH_SIZE
from ledger.errors import CheckpointSignatureError
from ledger.keys import key_id, refusal

if TYPE_CHECKING:
    from pathlib import Path

    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

FORMAT_VERSION = 1
MESSAGE_PREFIX = b"\x43\x01"
FILE_FORMAT = "relief-checkpoint"

_FIXED = struct.Struct(">Q")
_LENGTH = struct.Struct(">I")
_FIELDS = (
    "format",
    "version",
    "position",
    "head_hash",
    "created_at",
    "key_id",
    "signature",
)


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement that the ledger's link at ``position`` is ``head_hash``.

    ``created_at`` is kept as the exact text that was signed (RFC 3339, UTC);
    ``key_id`` is the hex SHA-256 of the signer's raw 32-byte public key.
    """

    position: int
    head_hash: bytes
    created_at: str
    key_id: str

    @property
    def trusted_head(self) -> tuple[int, bytes]:
        """The ``(position, head_hash)`` pair a verifier checks the ledger against."""
        return (self.position, self.head_hash)


def utc_timestamp(moment: datetime | None = None) -> str:
    """Return ``moment`` (default: now) as RFC 3339 UTC text to the second."""
    moment = datetime.now(UTC) if moment is None else moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def checkpoint_message(checkpoint: Checkpoint) -> bytes:
    """Return the exact bytes that are signed (format version 1).

    Raises:
        ValueError: if the head is not 32 bytes, the key id not 32 hex bytes,
            or the position is negative.
    """
    if len(checkpoint.head_hash) != HASH_SIZE:
        msg = f"head_hash must be {HASH_SIZE} bytes, got {len(checkpoint.head_hash)}"
        raise ValueError(msg)
    fingerprint = bytes.fromhex(checkpoint.key_id)
    if len(fingerprint) != HASH_SIZE:
        msg = f"key_id must be {HASH_SIZE} bytes, got {len(fingerprint)}"
        raise ValueError(msg)
    if checkpoint.position < 0:
        msg = f"position must not be negative, got {checkpoint.position}"
        raise ValueError(msg)
    created = checkpoint.created_at.encode("utf-8")
    return b"".join(
        (
            MESSAGE_PREFIX,
            _FIXED.pack(checkpoint.position),
            checkpoint.head_hash,
            fingerprint,
            _LENGTH.pack(len(created)),
            created,
        )
    )


def sign_checkpoint(
    private_key: Ed25519PrivateKey,
    position: int,
    head_hash: bytes,
    created_at: str | None = None,
) -> tuple[Checkpoint, bytes]:
    """Sign the head of a ledger.

    Args:
        private_key: the operator's checkpoint key.
        position: the head position (0 for an empty ledger).
        head_hash: the link at ``position`` (``GENESIS`` for an empty ledger).
        created_at: RFC 3339 UTC text; now, to the second, when omitted.

    Returns:
        The checkpoint and its 64-byte signature.
    """
    checkpoint = Checkpoint(
        position=position,
        head_hash=head_hash,
        created_at=utc_timestamp() if created_at is None else created_at,
        key_id=key_id(private_key.public_key()),
    )
    return checkpoint, private_key.sign(checkpoint_message(checkpoint))


def checkpoint_document(checkpoint: Checkpoint, signature: bytes) -> dict[str, object]:
    """Return the JSON document of a signed checkpoint, fields in a fixed order."""
    return {
        "format": FILE_FORMAT,
        "version": FORMAT_VERSION,
        "position": checkpoint.position,
        "head_hash": checkpoint.head_hash.hex(),
        "created_at": checkpoint.created_at,
        "key_id": checkpoint.key_id,
        "signature": signature.hex(),
    }


def write_checkpoint(path: Path, checkpoint: Checkpoint, signature: bytes) -> Path:
    """Write a signed checkpoint as JSON to a new file.

    Raises:
        LedgerError: if ``path`` exists already (a checkpoint is evidence and is
            never replaced) or cannot be written.
    """
    text = json.dumps(checkpoint_document(checkpoint, signature), indent=2) + "\n"
    try:
        with path.open("x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        raise refusal(
            "evidence protection", f"checkpoint {path}", "it already exists"
        ) from None
    except OSError as error:
        raise refusal(
            "checkpoint writing", f"checkpoint {path}", str(error.strerror)
        ) from None
    return path


def read_checkpoint(path: Path) -> tuple[Checkpoint, bytes]:
    """Read a checkpoint file without checking its signature.

    Raises:
        CheckpointSignatureError: if the file is missing or malformed.
    """
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        return _parse_document(document)
    except (OSError, ValueError, TypeError, KeyError) as error:
        raise CheckpointSignatureError(str(path), f"unreadable: {error}") from None


def _parse_document(document: dict[str, object]) -> tuple[Checkpoint, bytes]:
    if sorted(document) != sorted(_FIELDS):
        msg = f"fields must be exactly {', '.join(_FIELDS)}"
        raise ValueError(msg)
    if document["format"] != FILE_FORMAT or document["version"] != FORMAT_VERSION:
        msg = f"not a {FILE_FORMAT} version {FORMAT_VERSION} file"
        raise ValueError(msg)
    position = document["position"]
    if not isinstance(position, int) or isinstance(position, bool):
        msg = "position must be an integer"
        raise TypeError(msg)
    checkpoint = Checkpoint(
        position=position,
        head_hash=bytes.fromhex(_text(document, "head_hash")),
        created_at=_text(document, "created_at"),
        key_id=_text(document, "key_id"),
    )
    checkpoint_message(checkpoint)  # raises ValueError on bad widths
    return checkpoint, bytes.fromhex(_text(document, "signature"))


def _text(document: dict[str, object], field: str) -> str:
    value = document[field]
    if not isinstance(value, str):
        msg = f"{field} must be a string"
        raise TypeError(msg)
    return value


def verify_checkpoint(path: Path, public_key: Ed25519PublicKey) -> Checkpoint:
    """Read a checkpoint file and check its signature.

    Args:
        path: a file written by ``write_checkpoint``.
        public_key: the operator's published checkpoint key.

    Returns:
        The checkpoint, whose ``trusted_head`` the ledger must still contain.

    Raises:
        CheckpointSignatureError: if the file is malformed, was signed by
            another key, or any signed field or the signature was altered.
    """
    checkpoint, signature = read_checkpoint(path)
    expected_id = key_id(public_key)
    if checkpoint.key_id != expected_id:
        reason = f"signed by key {checkpoint.key_id[:16]}, not {expected_id[:16]}"
        raise CheckpointSignatureError(str(path), reason)
    try:
        public_key.verify(signature, checkpoint_message(checkpoint))
    except InvalidSignature:
        reason = "the signature does not match its contents"
        raise CheckpointSignatureError(str(path), reason) from None
    return checkpoint
