"""Errors of the ledger: a broken chain, a bad checkpoint, a misconfigured store."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


class LedgerError(Exception):
    """Base of every error the ledger raises; the message is one sentence."""


class ChainIntegrityError(LedgerError):
    """The stored ledger stops being a chain at ``position``.

    For callers that must stop; verification itself returns a ``ChainReport``.
    """

    def __init__(
        self,
        position: int,
        kind: str,
        expected: bytes,
        calculated: bytes | None,
    ) -> None:
        self.position = position
        self.kind = kind
        self.expected = expected
        self.calculated = calculated
        found = "nothing" if calculated is None else calculated.hex()
        super().__init__(
            f"Chain integrity rule broken at ledger position {position}: "
            f"{kind} (expected link {expected.hex()}, calculated {found})."
        )


class CheckpointSignatureError(LedgerError):
    """A checkpoint file's Ed25519 signature does not verify."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(
            f"Checkpoint signature rule broken for checkpoint {path}: {reason}."
        )


class StoreConfigError(LedgerError):
    """The store cannot be opened as configured (bad URL, unsafe settings)."""

    def __init__(self, store: str, reason: str) -> None:
        self.store = _without_password(store)
        self.reason = reason.splitlines()[0].rstrip(". ") if reason else reason
        super().__init__(
            f"Store configuration rule broken for store {self.store}: {self.reason}."
        )


def _without_password(store: str) -> str:
    """Hide the password of a ``scheme://user:password@host/...`` store URL."""
    if "://" not in store:
        return store
    try:
        parts = urlsplit(store)
        password = parts.password
    except ValueError:
        return store
    if not password:
        return store
    netloc = parts.netloc.replace(f":{password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))
