"""The ledger's use cases as the `relief` command sees them: one call per command."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ledger.checkpoints import sign_checkpoint, verify_checkpoint, write_checkpoint
from ledger.errors import ChainIntegrityError
from ledger.keys import (
    generate_keys,
    key_paths,
    keys_exist,
    load_private_key,
    load_public_key,
)
from ledger.store import create_ledger, open_store

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from ledger.checkpoints import Checkpoint
    from ledger.keys import KeyPaths
    from ledger.reader import LedgerStore, LogEntry
    from ledger.verify import ChainReport


@dataclass(frozen=True)
class InitResult:
    """What ``relief init`` did: the store is ready; keys made or kept."""

    db: str
    keys: KeyPaths
    keys_created: bool


@dataclass(frozen=True)
class Verification:
    """A chain report, and the signed checkpoint it was held against, if any."""

    report: ChainReport
    checkpoint: Checkpoint | None

    def as_dict(self) -> dict[str, object]:
        """The report's fields, plus ``checkpoint``: what was signed and held."""
        document = self.report.as_dict()
        document["checkpoint"] = None
        cp = self.checkpoint
        if cp is not None:
            document["checkpoint"] = {
                "position": cp.position,
                "head_hash": cp.head_hash.hex(),
                "created_at": cp.created_at,
                "key_id": cp.key_id,
                "signature_ok": True,
                "prefix_ok": self.prefix_holds,
            }
        return document

    @property
    def prefix_holds(self) -> bool:
        """Whether the ledger holds the checkpoint's prefix, damage after it aside."""
        damage, cp = self.report.first_break, self.checkpoint
        if cp is None or damage is None:
            return True
        return damage.position > cp.position and damage.kind != "tail truncated"


@dataclass(frozen=True)
class Services:
    """The store URL, key directory and person key, and what the CLI may do.

    ``person_key`` is the deployment's key for person refs (HMAC of an ID
    number); commands that take ID numbers need it.

    Nothing connects until a method is called, and every method closes what
    it opened.
    """

    db: str
    keys: Path
    person_key: str | None = None

    @contextmanager
    def _store(self) -> Iterator[LedgerStore]:
        store = open_store(self.db)
        try:
            yield store
        finally:
            store.close()

    def init_ledger(self) -> InitResult:
        """Create the ledger tables (idempotent) and, once, the key pair."""
        create_ledger(self.db)
        if keys_exist(self.keys):
            return InitResult(self.db, key_paths(self.keys), keys_created=False)
        return InitResult(self.db, generate_keys(self.keys), keys_created=True)

    def head(self) -> tuple[int, bytes]:
        """Return the ledger's last position and link, as stored."""
        with self._store() as store:
            return store.head()

    def verify(
        self,
        checkpoint_file: Path | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> Verification:
        """Verify the whole chain, against a signed checkpoint when given.

        Raises:
            CheckpointSignatureError: if the checkpoint file does not verify
                with the public key in the keys directory.
        """
        checkpoint = None
        if checkpoint_file is not None:
            checkpoint = verify_checkpoint(checkpoint_file, load_public_key(self.keys))
        trusted = None if checkpoint is None else checkpoint.trusted_head
        with self._store() as store:
            report = store.verify(checkpoint=trusted, progress=progress)
        return Verification(report, checkpoint)

    def checkpoint(
        self,
        out: Path | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> tuple[Path, Checkpoint]:
        """Verify the chain, then sign its head into a new checkpoint file.

        A broken ledger is never signed: the operator would be vouching for it.

        Raises:
            ChainIntegrityError: if the chain does not verify; nothing is written.
            LedgerError: if the key is missing or the file exists already.
        """
        private_key = load_private_key(self.keys)
        with self._store() as store:
            report = store.verify(progress=progress)
        damage = report.first_break
        if damage is not None:
            raise ChainIntegrityError(
                damage.position, damage.kind, damage.expected, damage.calculated
            )
        checkpoint, signature = sign_checkpoint(
            private_key, report.head_position, report.head_hash
        )
        path = out or Path(f"checkpoint-{report.head_position:08d}.json")
        return write_checkpoint(path, checkpoint, signature), checkpoint

    def log(self, after: int, limit: int) -> list[LogEntry]:
        """Return up to ``limit`` chain entries after position ``after``."""
        with self._store() as store:
            return store.page(after, limit)
