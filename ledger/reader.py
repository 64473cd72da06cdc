"""Reading a stored ledger back: records, pages, the head, and verification.

``LedgerStore`` is what ``ledger.store.open_store`` returns: the SQLite and
PostgreSQL readers (``ledger.sqlite_store``, ``ledger.postgres_store``) give
the rows; verification, ``relief log``'s pages and the outer join's merging
live here, once for both.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any
from uuid import UUID

from ledger.chain import GENESIS
from ledger.ranges import default_workers, verify_in_ranges
from ledger.verify import ChainReport, verify_chain
from ledger.walk import walk_pages

if TYPE_CHECKING:
    from collections.abc import Callable, Generator, Iterator, Sequence

    from ledger.chain import ChainRecord

PAGE_SIZE = 20_000
"""Rows of each scan per page of a verification's walk (and per progress call)."""


@dataclass(frozen=True)
class LogEntry:
    """One position of the chain as ``relief log`` shows it.

    Fields are ``None`` where the event row or the link row is missing.
    """

    position: int
    originator_id: str | None
    originator_version: int | None
    topic: str | None
    state_size: int | None
    prev_hash: bytes | None
    hash: bytes | None


class LedgerStore(ABC):
    """Read access to a stored ledger: the records, the head, verification."""

    @abstractmethod
    def records(self, after: int = 0, stop: int | None = None) -> Iterator[ChainRecord]:
        """Stream every position in ``(after, stop]``, ascending, in constant memory.

        Each record is the full outer join of the event row and the link row,
        as a plain tuple in ``ChainRecord``'s field order, straight from the
        cursor (wrap it, ``ChainRecord(*row)``, to read fields by name). Close
        the iterator (or exhaust it) to release the database cursor.
        """

    @abstractmethod
    def pages(
        self, after: int = 0, stop: int | None = None, size: int = PAGE_SIZE
    ) -> Iterator[tuple[Sequence[Any], Sequence[Any]]]:
        """Stream event and link rows in ``(after, stop]``, a page of each at a time.

        Each pair holds up to ``size`` event rows ``(position, originator_id,
        version, topic, state)`` and up to ``size`` link rows ``(position,
        prev_hash, hash)``, each from its own position-ordered scan; pairs
        come until both scans are done. Originator ids are as stored (see
        ``id_bytes``). Close the iterator to release the cursors.
        """

    id_bytes: Callable[[Any], bytes] | None = None
    """Turns an originator id as ``pages`` yields it into its chain bytes."""

    page_size: int = PAGE_SIZE
    """Rows of each scan per page when verifying."""

    url: str = ""
    """The store URL it was opened with (verification workers open it again)."""

    @abstractmethod
    def head(self) -> tuple[int, bytes]:
        """Return the last stored link's position and hash, ``(0, GENESIS)`` if none."""

    @abstractmethod
    def link_at(self, position: int) -> bytes | None:
        """Return the link stored at ``position``, or ``None`` if there is none."""

    @abstractmethod
    def close(self) -> None:
        """Release the store's connection."""

    def verify(
        self,
        checkpoint: tuple[int, bytes] | None = None,
        progress: Callable[[int], None] | None = None,
        workers: int | None = None,
    ) -> ChainReport:
        """Verify the whole ledger from genesis.

        Args:
            checkpoint: an optional trusted ``(position, head_hash)`` that the
                ledger must still contain as an exact prefix.
            progress: called with the number of records verified so far,
                after each page of ``PAGE_SIZE`` rows and at the end.
            workers: processes walking position ranges at once (default: one
                per core for a large ledger, see ``ledger.ranges``).

        Returns:
            The ``ChainReport`` of ``ledger.verify.verify_chain`` over every
            record. The good stretch is walked page by page by
            ``ledger.walk.walk_pages``; from a mark before the first page
            that fails, ``verify_chain`` walks the rest and names the damage.
        """
        if checkpoint is not None and checkpoint[0] < 0:
            return verify_chain((), checkpoint=checkpoint)  # raises its ValueError
        last = self._last_position()
        if workers is None:
            workers = default_workers(last)
        if workers > 1:
            return verify_in_ranges(self, workers, last, checkpoint, progress)
        return self.verify_from((0, 0, GENESIS), checkpoint, progress)

    def _last_position(self) -> int:
        """The head's position, or 0 when the head row itself is damaged.

        Only sizes the work: the walk finds and names any damage.
        """
        try:
            return self.head()[0]
        except (TypeError, ValueError):  # a link edited to another type
            return 0

    def verify_from(
        self,
        start: tuple[int, int, bytes],
        checkpoint: tuple[int, bytes] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> ChainReport:
        """Verify in this process from a trusted ``(checked, position, link)``.

        Requires a checkpoint, if any, at or after ``start``'s position.
        """
        before, after, trusted_link = start
        pages = self.pages(after, size=self.page_size)
        try:
            walked = walk_pages(
                pages,
                start_hash=trusted_link,
                start_position=after,
                id_bytes=self.id_bytes,
                checkpoint=checkpoint,
                progress=None if progress is None else lambda n: progress(before + n),
            )
        finally:
            _close(pages)
        if walked.clean:
            checked = before + walked.checked
            return ChainReport(checked, walked.position, walked.link, None)
        done, position, link = walked.mark
        done += before
        trusted = None if checkpoint is None or checkpoint[0] < position else checkpoint
        records = self.records(after=position)
        try:
            rest = verify_chain(
                records, start_hash=link, start_position=position, checkpoint=trusted
            )
        finally:
            _close(records)
        if progress is not None:
            progress(done + rest.checked)
        return ChainReport(
            done + rest.checked, rest.head_position, rest.head_hash, rest.first_break
        )

    def page(self, after: int, limit: int) -> list[LogEntry]:
        """Return up to ``limit`` log entries for positions after ``after``."""
        records = self.records(after=after)
        try:
            return [_log_entry(record) for record in islice(records, limit)]
        finally:
            _close(records)

    def __enter__(self) -> LedgerStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def merged_records(
    events: Generator[tuple[Any, ...]],
    links: Generator[tuple[Any, ...]],
    after: int,
    outer_join: Callable[[int], Iterator[ChainRecord]],
    id_bytes: Callable[[Any], bytes] | None = None,
) -> Iterator[ChainRecord]:
    """Stream records by zipping two position-ordered scans, then the outer join.

    While the event rows and the link rows carry the same positions, pairing
    them is the outer join, and two ordered scans are cheaper than the
    database's join. At the first disagreement (only in a damaged ledger) or
    when one scan ends, the scans are closed and ``outer_join(last)`` supplies
    every record after the last position that agreed.

    Args:
        events: ``(position, originator_id, version, topic, state)`` rows.
        links: ``(position, prev_hash, hash)`` rows.
        after: the position both scans start after.
        outer_join: the records after a position, from the full outer join.
        id_bytes: turns a stored originator id into its chain bytes, if needed.
    """
    last = after
    try:
        for (p, stored_id, version, topic, state), (q, prev, link) in zip(
            events, links, strict=False
        ):
            if p != q:
                break
            oid = stored_id if id_bytes is None else id_bytes(stored_id)
            yield (p, oid, version, topic, state, prev, link)  # type: ignore[misc]
            last = p
    finally:
        events.close()
        links.close()
    yield from outer_join(last)


def _close(records: Iterator[Any]) -> None:
    """Release a records iterator's cursor, even when it was not exhausted."""
    close = getattr(records, "close", None)
    if close is not None:
        close()


def _log_entry(record: ChainRecord) -> LogEntry:
    position, oid, version, topic, state, prev_hash, link = record
    return LogEntry(
        position=position,
        originator_id=None if oid is None else _id_text(oid),
        originator_version=version,
        topic=topic,
        state_size=None if state is None else len(state),
        prev_hash=prev_hash,
        hash=link,
    )


def _id_text(oid: bytes) -> str:
    if len(oid) == 16:  # a raw UUID
        return str(UUID(bytes=oid))
    return oid.decode("utf-8", errors="replace")
