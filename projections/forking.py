"""What the views' worker processes share: cores, readers, and failures.

``projections.parallel_views`` forks a worker per group of views, and
``projections.parallel_logs`` one for the later half of a long catch-up of
stateless views; the risk scan's rule worker asks ``cores`` too. A worker
reads the ledger through a ``LedgerReader`` the composition root opens for it
in the child, never through its parent's connections, and a worker's failure
reaches the parent as ``ViewWorkerError``.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import traceback
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from collections.abc import Callable
    from multiprocessing.connection import Connection as Pipe

    from eventsourcing.persistence import ApplicationRecorder, Mapper


def cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether this system starts processes by ``fork``."""
    return "fork" in multiprocessing.get_all_start_methods()


def fork(
    target: Callable[..., None], args: tuple[Any, ...], name: str
) -> tuple[Any, Pipe]:
    """Start ``target(*args, send)`` in a forked process named ``name``;
    return the process and the end of a one-way pipe its messages come on."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=target, args=(*args, send), name=name)
    # Objects of this process stay out of the worker's garbage collections:
    # a collection there could finalise, and so close, this process's
    # database connections (and it would copy every page it touches).
    gc.freeze()
    try:
        process.start()
    finally:
        gc.unfreeze()
        send.close()
    return process, receive


class LedgerReader(Protocol):
    """What a worker reads the ledger with: an application recorder, its
    mapper, and a ``close`` that releases their connections."""

    @property
    def recorder(self) -> ApplicationRecorder: ...

    @property
    def mapper(self) -> Mapper[Any]: ...

    def close(self) -> None: ...


class ViewWorkerError(RuntimeError):
    """A worker process failed; its views stand at their last committed page."""


def described(error: BaseException) -> tuple[str, str, BaseException | None]:
    """An error raised in a worker as it crosses to the parent: one line, the
    traceback, and the error itself if it can be pickled (else None)."""
    line = "".join(traceback.format_exception_only(error)).strip()
    trace = "".join(traceback.format_exception(error))
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:  # an error that cannot cross is only described
        return line, trace, None
    return line, trace, error


def worker_error(
    views: str, failure: str, trace: str, error: BaseException | None
) -> ViewWorkerError:
    """The parent's error for a worker over ``views`` that failed."""
    failed = ViewWorkerError(f"the worker for the views {views} failed: {failure}")
    if trace:
        failed.add_note(f"In the worker:\n{trace}")
    if error is not None:
        failed.__cause__ = error
    return failed
