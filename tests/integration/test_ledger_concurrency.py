"""Several writer processes appending at once still make one linear chain."""

from __future__ import annotations

import itertools
import json
import multiprocessing
from typing import TYPE_CHECKING, Any

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

from ledger.chain import ChainRecord
from ledger.store import create_ledger, open_store, persistence_env

if TYPE_CHECKING:
    from multiprocessing.synchronize import Barrier

WRITERS = 4
BATCHES = 40
BATCH_SIZE = 5


class Parcel(Aggregate):
    def __init__(self, writer: int, batch: int) -> None:
        self.writer = writer
        self.batch = batch


def _write(url: str, writer: int, start: Barrier) -> None:
    app: Application[Any] = Application(env=persistence_env(url))
    start.wait(timeout=60)  # every writer is ready before any writes
    for batch in range(BATCHES):
        app.save(*[Parcel(writer, batch) for _ in range(BATCH_SIZE)])
    app.close()


def test_concurrent_writers_make_one_linear_chain(store_url: str) -> None:
    create_ledger(store_url)
    # Forked writers open their own connections; nothing is shared but the URL.
    context = multiprocessing.get_context("fork")
    start = context.Barrier(WRITERS)
    writers = [
        context.Process(target=_write, args=(store_url, writer, start))
        for writer in range(WRITERS)
    ]
    for process in writers:
        process.start()
    for process in writers:
        process.join(timeout=120)
    assert [process.exitcode for process in writers] == [0] * WRITERS

    with open_store(store_url) as store:
        report = store.verify()
        records = [ChainRecord(*row) for row in store.records()]
    total = WRITERS * BATCHES * BATCH_SIZE
    assert report.ok, report.first_break
    assert report.checked == len(records) == total
    assert len({record.originator_id for record in records}) == total
    positions = [record.position for record in records]
    assert positions == sorted(set(positions))
    links = [(record.prev_hash, record.hash) for record in records]
    assert all(prev[1] == this[0] for prev, this in itertools.pairwise(links))
    assert _writers_interleaved(records)


def _writers_interleaved(records: list[ChainRecord]) -> bool:
    """Whether the writers' batches really overlapped in time (not one by one)."""
    order = [json.loads(record.state or b"{}")["writer"] for record in records]
    changes = sum(1 for a, b in itertools.pairwise(order) if a != b)
    return changes >= WRITERS
