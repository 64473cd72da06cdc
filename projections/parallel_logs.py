"""The later half of a long catch-up, built in a forked worker.

When every view of a run is stateless (a ``Log``: each event's rows depend
on that event alone) and the views stand far behind the ledger, decoding the
events, the larger part of the work, splits cleanly in two: a forked worker
reads and decodes the later part of the stretch and builds its rows, page by
page, sending each as it is built, while this process runs the first part as
usual. Then this process writes the worker's pages, in order, each page's
rows with the views' positions in one transaction, exactly as if it had built
them itself, while the worker builds the rest (``FIRST_PART`` sets the
split). The worker writes nothing: if it fails, or this process stops, the
views stand at their last committed page (the first part's, or the last page
the worker sent before it failed), and the next run carries on from there.

The risk scan's one fact log over a county of a million events and more is
the case this is for (``projections.risk.scan``).
"""

from __future__ import annotations

import gc
import threading
import time
from dataclasses import dataclass
from queue import SimpleQueue
from typing import TYPE_CHECKING, Any

from projections.forking import can_fork, described, fork, worker_error

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from multiprocessing.connection import Connection as Pipe

    from projections.forking import LedgerReader
    from projections.runner import ViewRunner


@dataclass
class LaterHalf:
    """A worker building the views' pages after ``mid``.

    ``pages`` yields them as they arrive: the last position of each page and
    each view's rows (in the runner's order of views); ``events`` is how many
    events the worker read, and ``cpu`` its CPU seconds, once ``pages`` ends.
    """

    mid: int
    views: str
    process: Any
    receive: Pipe
    events: int = 0
    cpu: float = 0.0

    def pages(self) -> Iterator[tuple[int, list[list[Any]]]]:
        """Yield the worker's pages in order, then wait for it to end.

        Raises:
            ViewWorkerError: the worker failed or died before its last page.
        """
        try:
            while True:
                try:
                    message = self.receive.recv()
                except EOFError:
                    self.process.join()
                    code = self.process.exitcode
                    failure = f"it ended without a report (exit code {code})"
                    raise worker_error(self.views, failure, "", None) from None
                if message[0] == "page":
                    yield message[1], message[2]
                elif message[0] == "done":
                    self.events, self.cpu = message[1], message[2]
                    return
                else:
                    _, line, trace, error = message
                    raise worker_error(self.views, line, trace, error)
        finally:
            self.receive.close()
            self.process.join()

    def write(
        self, runner: ViewRunner, positions: dict[str, int], after: int
    ) -> tuple[int, int]:
        """Write the worker's pages through ``runner``, each page's rows and
        positions in one transaction; return the pages written and the last
        position. On any error the worker is stopped and the error raised."""
        written = 0
        try:
            for last, rows in self.pages():
                for view, taken in zip(runner.views, rows, strict=True):
                    view.begin_page()
                    view.take_rows(taken)
                runner.commit_page(last, positions)
                written += 1
                after = last
        except BaseException:
            self.abandon()
            raise
        return written, after

    def abandon(self) -> None:
        """Stop the worker unread (the first half failed): nothing is lost,
        as the worker writes nothing."""
        self.process.terminate()
        self.receive.close()
        self.process.join()


FIRST_PART = 37
"""The percentage of the stretch this process builds itself. It also writes
every page the worker sends, so it takes less than half. On the 1.3 million
fact events of a 1.5-million-event county (ADR 0002), with 40% this process
built its part in 22.8 s and then wrote the worker's pages for 6.4–7.6 s,
while the worker built its 60% in about 26 s: at 37% both end together."""


def later_half(
    runner: ViewRunner,
    reader: Callable[[], LedgerReader],
    positions: dict[str, int],
    stop: int | None,
    far: int,
) -> LaterHalf | None:
    """Fork a worker for the later half of ``runner``'s catch-up, if it pays.

    It does when every view is stateless, all stand at one position (of
    ``positions``, the views' tracked ones), at least ``far`` events behind
    ``stop`` (or the ledger's end), and this system can fork. The caller runs
    its pages up to the returned ``mid``, then writes the worker's. None: run
    every page here.
    """
    views = runner.views
    if not views or not all(view.stateless for view in views) or not can_fork():
        return None
    stands = set(positions.values())
    if len(stands) != 1:
        return None
    (start,) = stands
    head = runner.recorder.max_notification_id() or 0
    if stop is not None:
        head = min(head, stop)
    if head - start < far:
        return None
    mid = start + (head - start) * FIRST_PART // 100
    names = ", ".join(view.name for view in views)
    process, receive = fork(
        _work, (runner, reader, mid, head), f"views:{names}:after {mid}"
    )
    return LaterHalf(mid, names, process, receive)


def _work(
    runner: ViewRunner,
    reader: Callable[[], LedgerReader],
    mid: int,
    head: int,
    send: Pipe,
) -> None:
    """In the worker: build every page after ``mid`` to ``head`` and send each
    one as it is built, then the count.

    A thread sends (pickles and writes to the pipe, which blocks until this
    process's parent reads) while the worker builds on, so the parent, once
    its own part is in, writes the pages built so far while the rest are
    being built.
    """
    runner.engine.dispose(close=False)
    gc.disable()  # pages of acyclic rows: reference counting frees them
    outbox: SimpleQueue[tuple[Any, ...] | None] = SimpleQueue()
    sender = threading.Thread(target=_send_all, args=(outbox, send), daemon=True)
    sender.start()
    try:
        opened = reader()
        try:
            own = runner.over(runner.views, opened.recorder, opened.mapper)
            positions = dict.fromkeys((view.name for view in own.views), mid)
            events = 0
            for page in own.pages(mid, head):
                own.take_page(page, positions)
                rows = [view.page_rows() for view in own.views]
                outbox.put(("page", page[-1].id, rows))
                events += len(page)
        finally:
            opened.close()
        outbox.put(("done", events, time.process_time()))
    except BaseException as error:  # sent to the parent, which raises
        line, trace, crossing = described(error)
        outbox.put(("failed", line, trace, crossing))
    finally:
        outbox.put(None)
        sender.join()
        send.close()


def _send_all(outbox: SimpleQueue[tuple[Any, ...] | None], send: Pipe) -> None:
    """Send what ``outbox`` holds, in order, until it yields None."""
    while (message := outbox.get()) is not None:
        try:
            send.send(message)
        except OSError:  # the parent has gone: nothing left to send to
            return
