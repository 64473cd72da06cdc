"""Verification in position ranges, one process per core.

Each link is checked against its own stored ``prev_hash``, so the chain can
be checked in pieces: the ledger's positions are cut into ranges, each
walked by ``ledger.walk.walk_pages`` in a worker process starting from the
``prev_hash`` stored in its own first link row (not yet trusted). The parent
then joins the pieces in order: a range counts only when it walked clean and
its first ``prev_hash`` is the last link of the range before it (or genesis).
Where a range fails either test, the parent walks on in this process from a
mark at least ``MARK_DEPTH`` records before the trouble
(``LedgerStore.verify_from``), so the report, damage and all, is the one the
single walk gives. A trusted checkpoint goes to the range that holds its
position (the last range if it lies past the head).

Workers are forked (they open their own connection to ``store.url`` and never
touch the parent's) and add their progress to one shared counter.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from itertools import chain
from typing import TYPE_CHECKING

from ledger.chain import GENESIS
from ledger.verify import ChainReport
from ledger.walk import MARK_DEPTH, Walked, walk_pages

if TYPE_CHECKING:
    from collections.abc import Callable
    from multiprocessing.sharedctypes import Synchronized

    from ledger.reader import LedgerStore

PARALLEL_FROM = 200_000
"""Ledgers shorter than this are walked in one process: starting workers costs more."""

MAX_WORKERS = 4
"""At most this many worker processes, whatever the core count."""

_POLL_SECONDS = 0.2
_counter: Synchronized[int] | None = None
"""The shared progress counter, set in each worker by ``_init``."""

Mark = tuple[int, int, bytes]
"""``(records checked before it, position, link)``: a trusted place to walk on from."""


def default_workers(head_position: int) -> int:
    """One worker per core (at most ``MAX_WORKERS``) for a large ledger, else 1."""
    if head_position < PARALLEL_FROM:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    return max(1, min(cores, MAX_WORKERS))


def verify_in_ranges(
    store: LedgerStore,
    workers: int,
    last_position: int,
    checkpoint: tuple[int, bytes] | None,
    progress: Callable[[int], None] | None,
) -> ChainReport:
    """Verify ``store`` in ``workers`` ranges; the same report as one walk.

    ``last_position`` (the head's, as far as is known) only sizes the ranges:
    the last one is open-ended.

    Requires a checkpoint, if any, at a position of 1 or more (position 0 is
    genesis: ``LedgerStore.verify`` checks it in one walk).
    """
    if checkpoint is not None and checkpoint[0] == 0:
        return store.verify_from((0, 0, GENESIS), checkpoint, progress)
    cuts = _cuts(last_position, workers)
    context = multiprocessing.get_context("fork")
    counter: Synchronized[int] = context.Value("q", 0)
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_init, initargs=(counter,)
    ) as pool:
        futures = [
            pool.submit(
                _walk_range,
                store.url,
                store.page_size,
                after,
                stop,
                _checkpoint_in(checkpoint, after, stop),
            )
            for after, stop in cuts
        ]
        pending = set(futures)
        while pending:
            _, pending = wait(
                pending, timeout=_POLL_SECONDS, return_when=FIRST_EXCEPTION
            )
            if progress is not None:
                progress(counter.value)
        results = [future.result() for future in futures]
    return _joined(store, results, checkpoint, progress)


def _cuts(head: int, workers: int) -> list[tuple[int, int | None]]:
    """``workers`` ranges ``(after, stop]`` of about equal size; the last is open."""
    bounds = [head * i // workers for i in range(workers)]
    return [
        (after, bounds[i + 1] if i + 1 < workers else None)
        for i, after in enumerate(bounds)
    ]


def _checkpoint_in(
    checkpoint: tuple[int, bytes] | None, after: int, stop: int | None
) -> tuple[int, bytes] | None:
    if checkpoint is None or checkpoint[0] <= after:
        return None
    if stop is not None and checkpoint[0] > stop:
        return None
    return checkpoint


def _joined(
    store: LedgerStore,
    results: list[tuple[Walked, bytes]],
    checkpoint: tuple[int, bytes] | None,
    progress: Callable[[int], None] | None,
) -> ChainReport:
    """Join the ranges in order; walk on from a deep mark at the first that fails."""
    checked, position, link = 0, 0, GENESIS
    marks: list[Mark] = [(0, 0, GENESIS)]
    for walked, first_prev in results:
        if walked.checked == 0 and walked.clean:
            continue  # no rows in this range
        if first_prev != link or not walked.clean:
            break
        done, at, at_link = walked.mark
        marks.append((checked + done, at, at_link))
        checked += walked.checked
        position, link = walked.position, walked.link
    else:
        if progress is not None:
            progress(checked)
        return ChainReport(checked, position, link, None)
    mark = next(m for m in reversed(marks) if checked - m[0] >= MARK_DEPTH or m[1] == 0)
    trusted = None if checkpoint is None or checkpoint[0] < mark[1] else checkpoint
    return store.verify_from(mark, trusted, progress)


def _init(counter: Synchronized[int]) -> None:
    global _counter  # noqa: PLW0603 - one counter per worker process
    _counter = counter


def _walk_range(
    url: str,
    page_size: int,
    after: int,
    stop: int | None,
    checkpoint: tuple[int, bytes] | None,
) -> tuple[Walked, bytes]:
    """Walk ``(after, stop]`` from its first stored ``prev_hash``; return it too."""
    from ledger.store import open_store  # the worker opens its own connection

    with open_store(url) as store:
        pages = store.pages(after, stop, size=page_size)
        try:
            first = next(pages, ([], []))
            first_prev: bytes = first[1][0][1] if first[1] else GENESIS
            walked = walk_pages(
                chain([first], pages),
                start_hash=first_prev,
                start_position=after,
                id_bytes=store.id_bytes,
                checkpoint=checkpoint,
                progress=_adder(),
            )
        finally:
            pages.close()  # type: ignore[attr-defined]
    return walked, first_prev


def _adder() -> Callable[[int], None] | None:
    counter = _counter
    if counter is None:
        return None
    seen = [0]

    def add(total: int) -> None:
        with counter.get_lock():
            counter.value += total - seen[0]
        seen[0] = total

    return add
