"""The SQL tracking recorder meets the library's tracking-recorder contract.

The checks are those of ``eventsourcing.tests.persistence.TrackingRecorderTestCase``
(9.5.6), restated here because that module imports pycryptodome at import time,
which this project does not install.
"""

from __future__ import annotations

from threading import Event
from typing import TYPE_CHECKING

import pytest
from eventsourcing.persistence import (
    IntegrityError,
    Tracking,
    WaitInterruptedError,
)

from projections.tracking import SQLTrackingRecorder

if TYPE_CHECKING:
    from test_projection_support import Backend


def recorder_on(backend: Backend, name: str = "conformance") -> SQLTrackingRecorder:
    recorder = SQLTrackingRecorder(backend.engine, name)
    recorder.create_table()
    return recorder


def test_positions_only_move_forward(backend: Backend) -> None:
    recorder = recorder_on(backend)
    recorder.insert_tracking(Tracking("upstream1", 21))
    recorder.insert_tracking(Tracking("upstream1", 22))
    recorder.insert_tracking(Tracking("upstream2", 21))

    for again in (("upstream1", 21), ("upstream1", 22), ("upstream2", 21)):
        with pytest.raises(IntegrityError):
            recorder.insert_tracking(Tracking(*again))

    assert recorder.max_tracking_id("upstream1") == 22
    assert recorder.max_tracking_id("upstream2") == 21
    assert recorder.max_tracking_id("upstream3") is None
    assert recorder.has_tracking_id("upstream1", None)
    assert recorder.has_tracking_id("upstream1", 22)
    assert not recorder.has_tracking_id("upstream1", 23)
    assert not recorder.has_tracking_id("upstream2", 22)

    recorder.insert_tracking(Tracking("upstream1", 24))
    with pytest.raises(IntegrityError):  # cannot fill in the gap
        recorder.insert_tracking(Tracking("upstream1", 23))
    assert recorder.has_tracking_id("upstream1", 23)


def test_wait_returns_once_the_position_is_reached(backend: Backend) -> None:
    recorder = recorder_on(backend)
    recorder.wait("upstream1", None)
    with pytest.raises(TimeoutError):
        recorder.wait("upstream1", 21, timeout=0.1)
    recorder.insert_tracking(Tracking("upstream1", 21))
    recorder.wait("upstream1", 10)
    recorder.wait("upstream1", 21)
    interrupt = Event()
    interrupt.set()
    with pytest.raises(WaitInterruptedError):
        recorder.wait("upstream1", 22, interrupt=interrupt)


def test_two_views_keep_separate_positions_for_one_application(
    backend: Backend,
) -> None:
    first, second = recorder_on(backend, "a"), recorder_on(backend, "b")
    first.insert_tracking(Tracking("ReliefFund", 5))
    second.insert_tracking(Tracking("ReliefFund", 2))

    assert first.max_tracking_id("ReliefFund") == 5
    assert second.max_tracking_id("ReliefFund") == 2


def test_forget_clears_only_that_views_positions(backend: Backend) -> None:
    first, second = recorder_on(backend, "a"), recorder_on(backend, "b")
    first.insert_tracking(Tracking("ReliefFund", 5))
    second.insert_tracking(Tracking("ReliefFund", 2))
    with backend.engine.begin() as conn:
        first.forget(conn)

    assert first.max_tracking_id("ReliefFund") is None
    assert second.max_tracking_id("ReliefFund") == 2
