"""Checkpoint keys: the operator's Ed25519 key pair, made once and never replaced.

Key files are PEM: ``checkpoint.key`` (PKCS#8, unencrypted, mode 0600) and
``checkpoint.pub`` (SubjectPublicKeyInfo), in a directory the README names
(``./relief-keys`` by default). ``ledger.checkpoints`` signs and checks with
them; ``key_id`` is the fingerprint a signed checkpoint carries.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from ledger.errors import LedgerError

if TYPE_CHECKING:
    from pathlib import Path

PRIVATE_KEY_FILE = "checkpoint.key"
PUBLIC_KEY_FILE = "checkpoint.pub"


@dataclass(frozen=True)
class KeyPaths:
    """Where a key pair lives."""

    private: Path
    public: Path


def key_paths(directory: Path) -> KeyPaths:
    """Return the key file paths inside ``directory`` (nothing is read)."""
    return KeyPaths(directory / PRIVATE_KEY_FILE, directory / PUBLIC_KEY_FILE)


def keys_exist(directory: Path) -> bool:
    """Return whether both key files are present in ``directory``."""
    paths = key_paths(directory)
    return paths.private.exists() and paths.public.exists()


def generate_keys(directory: Path) -> KeyPaths:
    """Create a new Ed25519 key pair in ``directory``.

    Args:
        directory: created (mode 0700) if missing.

    Returns:
        The paths of the private key (mode 0600) and the public key.

    Raises:
        LedgerError: if either key file already exists; nothing is written.
    """
    paths = key_paths(directory)
    for path in (paths.private, paths.public):
        if path.exists():
            raise refusal(
                "key protection", f"checkpoint key {path}", "it already exists"
            )
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    _write_exclusive(paths.private, pem, 0o600)
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    _write_exclusive(paths.public, public_pem, 0o644)
    return paths


def _write_exclusive(path: Path, data: bytes, mode: int) -> None:
    # O_EXCL: never replace a key; the mode is set at creation, so the private
    # key is never readable by others, not even for an instant.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as file:
        file.write(data)
    os.chmod(path, mode)  # the process umask may have narrowed it


def _why(error: Exception) -> str:
    if isinstance(error, OSError):
        return str(error.strerror).lower()
    return "it is not a PEM key"


def load_private_key(directory: Path) -> Ed25519PrivateKey:
    """Load the signing key from ``directory``.

    Raises:
        LedgerError: if the file is missing or is not an Ed25519 private key.
    """
    path = key_paths(directory).private
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as error:
        raise refusal("key loading", f"checkpoint key {path}", _why(error)) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise refusal("key loading", f"checkpoint key {path}", "it is not Ed25519")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """Load a public key from a PEM file, or from ``checkpoint.pub`` in a directory.

    Raises:
        LedgerError: if the file is missing or is not an Ed25519 public key.
    """
    if path.is_dir():
        path = key_paths(path).public
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except (OSError, ValueError, TypeError) as error:
        raise refusal(
            "key loading", f"checkpoint public key {path}", _why(error)
        ) from None
    if not isinstance(key, Ed25519PublicKey):
        raise refusal(
            "key loading", f"checkpoint public key {path}", "it is not Ed25519"
        )
    return key


def key_id(public_key: Ed25519PublicKey) -> str:
    """Return the key's fingerprint: hex SHA-256 of its raw 32 bytes."""
    raw = public_key.public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return hashlib.sha256(raw).hexdigest()


def refusal(rule: str, record: str, reason: str) -> LedgerError:
    """The one-sentence refusal of ``record`` by ``rule``."""
    return LedgerError(f"The {rule} rule refused {record}: {reason}.")
