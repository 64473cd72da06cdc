"""The fast walk: hash page after page of stored rows while everything links.

A store reads its event rows and link rows as two position-ordered scans and
hands them over a page at a time. While both pages hold the same
positions and every event hashes to its stored link, the ledger is good, and
nothing more is needed than this loop: no merged records, no lookbehind. At
the first page where anything differs (a missing row on either side, a stored
``prev_hash`` that is not the link before, an event that does not hash to its
link, a column of the wrong type), the walk stops and returns a *mark*: a
position whose link it verified, with at least ``MARK_DEPTH`` verified
records between it and the trouble. ``LedgerStore.verify`` then re-walks from
the mark with ``ledger.verify.verify_chain``, which names the damage with its
full window. So the verdict and the report are those of ``verify_chain`` over
the full outer join; this loop only makes the good case fast.

A trusted checkpoint ``(position, hash)`` is checked on the way: the walk
stops (with a mark before it) when the checkpoint's position is passed or its
link differs, and the re-walk reports it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ledger.chain import FIXED_FIELDS, LINK_PREFIX
from ledger.verify import LOOKAHEAD, WRONG_TYPE

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

MARK_DEPTH = LOOKAHEAD
"""How many verified records a mark lies before the first page that failed."""


@dataclass(frozen=True)
class Walked:
    """How far the fast walk went.

    ``checked``, ``position`` and ``link`` describe the last verified record
    (``link`` is its hash). ``clean`` is true when every page linked to the
    end; otherwise ``mark`` is ``(checked, position, link)`` of a verified
    record to re-walk from, at least ``MARK_DEPTH`` records before the
    trouble or at the start.
    """

    checked: int
    position: int
    link: bytes
    clean: bool
    mark: tuple[int, int, bytes]


def walk_pages(  # noqa: C901 - one frame on purpose: it runs per stored event
    pages: Iterable[tuple[Sequence[Any], Sequence[Any]]],
    *,
    start_hash: bytes,
    start_position: int,
    id_bytes: Callable[[Any], bytes] | None = None,
    checkpoint: tuple[int, bytes] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Walked:
    """Hash pages of rows until one does not link; see the module docstring.

    Args:
        pages: the two scans a page at a time: pairs of a page of event rows
            ``(position, originator_id, version, topic, state)`` and a page of
            link rows ``(position, prev_hash, hash)``, both position-ordered.
        start_hash: the trusted link at ``start_position``.
        start_position: the position the scans start after.
        id_bytes: turns a stored originator id into its chain bytes, if needed.
        checkpoint: a trusted ``(position, hash)`` at or after the start.
        progress: called with the number of verified records after each page.
    """
    sha256, pack, join = hashlib.sha256, FIXED_FIELDS.pack, b"".join
    prefix = LINK_PREFIX
    cp_position, cp_hash = checkpoint if checkpoint is not None else (-1, b"")
    checked, last, prev = 0, start_position, start_hash
    marks = [(0, start_position, start_hash)]
    for events, links in pages:
        if len(events) != len(links):
            return Walked(checked, last, prev, False, _mark(marks))
        for event, link in zip(events, links, strict=True):
            position, oid, version, topic, state = event
            linked, stored_prev, stored = link
            if position != linked or stored_prev != prev:
                return Walked(checked, last, prev, False, _mark(marks))
            try:
                if id_bytes is not None:
                    oid = id_bytes(oid)
                topic_bytes = topic.encode("utf-8")
                fixed = pack(position, version, len(oid), len(topic_bytes), len(state))
                digest = sha256(
                    join((prefix, prev, fixed, oid, topic_bytes, state))
                ).digest()
            except WRONG_TYPE:
                return Walked(checked, last, prev, False, _mark(marks))
            if digest != stored:
                return Walked(checked, last, prev, False, _mark(marks))
            if position >= cp_position >= 0:
                if position > cp_position or digest != cp_hash:
                    return Walked(checked, last, prev, False, _mark(marks))
                cp_position = -1  # the checkpoint holds
            prev = digest
            last = position
            checked += 1
        marks.append((checked, last, prev))
        while len(marks) > 2 and checked - marks[1][0] >= MARK_DEPTH:
            del marks[0]  # the next one is deep enough
        if progress is not None:
            progress(checked)
    # A checkpoint past the end: the ledger stops short of it.
    return Walked(checked, last, prev, cp_position < 0, _mark(marks))


def _mark(marks: list[tuple[int, int, bytes]]) -> tuple[int, int, bytes]:
    """The latest page-end mark at least ``MARK_DEPTH`` records before the last one.

    The trouble lies after the last page end, so this mark lies at least
    ``MARK_DEPTH`` records before it, or is the start.
    """
    newest = marks[-1][0]
    for mark in reversed(marks):
        if newest - mark[0] >= MARK_DEPTH:
            return mark
    return marks[0]
