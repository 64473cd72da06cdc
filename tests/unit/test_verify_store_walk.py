"""The store's paged walk gives the same report as ``verify_chain`` over the outer join.

``LedgerStore.verify`` walks two page-by-page scans while everything links and
re-walks from a mark with ``verify_chain`` where anything differs. These
properties store tampered chains in SQLite tables (no constraints, so any
damage can be written) and require the store's report to equal the reference:
``verify_chain`` over the full outer join of the same rows, whether one
process walks them or workers walk ranges of them. The lookahead and
the mark depth are shrunk so that marks, page ends and windows all meet in
short chains.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING
from unittest import mock

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from test_chain_support import PROPERTY, build_chain, event_lists
from test_chain_tamper import TAMPERINGS, random_tamper

from ledger import verify as verify_module
from ledger import walk as walk_module
from ledger.sqlite_store import SQLiteLedgerStore
from ledger.verify import verify_chain

if TYPE_CHECKING:
    from ledger.chain import ChainRecord

EACH_TAMPERING = settings(PROPERTY, max_examples=12)
"""Per kind of tampering: every kind is drawn, not left to chance."""

WORKERS = st.sampled_from([1, 2, 3])
"""Walked in one process, or in ranges by forked workers."""

DEPTH = 3
"""The shrunk lookahead and mark depth."""


def _store_rows(path: Path, records: list[ChainRecord]) -> bool:
    """Write the records' event rows and link rows; False if SQLite cannot hold them."""
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TABLE stored_events (originator_id TEXT, originator_version "
            "INTEGER, topic TEXT, state BLOB)"
        )
        conn.execute(
            "CREATE TABLE ledger_chain (notification_id INTEGER PRIMARY KEY, "
            "prev_hash BLOB, hash BLOB)"
        )
        try:
            for position, oid, version, topic, state, prev, link in records:
                if oid is not None:
                    conn.execute(
                        "INSERT INTO stored_events (rowid, originator_id, "
                        "originator_version, topic, state) VALUES (?,?,?,?,?)",
                        (position, oid.hex(), version, topic, state),
                    )
                if prev is not None:
                    link_row = (position, prev, link)
                    conn.execute("INSERT INTO ledger_chain VALUES (?,?,?)", link_row)
        except (OverflowError, sqlite3.Error):
            return False
    return True


def _both_reports(
    records: list[ChainRecord],
    page: int,
    checkpoint: tuple[int, bytes] | None = None,
    workers: int = 1,
) -> tuple[object, object]:
    with (
        tempfile.TemporaryDirectory() as tmp,
        mock.patch.object(verify_module, "LOOKAHEAD", DEPTH),
        mock.patch.object(walk_module, "MARK_DEPTH", DEPTH),
    ):
        path = Path(tmp) / "ledger.db"
        assume(_store_rows(path, records))
        store = SQLiteLedgerStore(str(path), str(path))
        try:
            reference = verify_chain(list(store.records()), checkpoint=checkpoint)
            with mock.patch.object(store, "page_size", page):
                walked = store.verify(checkpoint=checkpoint, workers=workers)
        finally:
            store.close()
    return walked, reference


@PROPERTY
@given(event_lists(max_size=14), st.integers(1, 5))
def test_an_untampered_store_reports_as_the_reference(events, page) -> None:  # type: ignore[no-untyped-def]
    walked, reference = _both_reports(build_chain(events), page)
    assert walked == reference
    assert walked.ok  # type: ignore[attr-defined]


@pytest.mark.parametrize("tampering", sorted(TAMPERINGS))
@EACH_TAMPERING
@given(
    events=event_lists(min_size=2, max_size=14),
    page=st.integers(1, 5),
    workers=WORKERS,
    data=st.data(),
)
def test_a_tampered_store_reports_as_the_reference(  # type: ignore[no-untyped-def]
    tampering, events, page, workers, data
) -> None:
    records = TAMPERINGS[tampering](data, build_chain(events), 0)
    walked, reference = _both_reports(records, page, workers=workers)
    assert walked == reference


@PROPERTY
@given(event_lists(min_size=1, max_size=14), st.integers(1, 5), WORKERS, st.data())
def test_a_checkpoint_is_judged_as_the_reference_judges_it(  # type: ignore[no-untyped-def]
    events, page, workers, data
) -> None:
    records = random_tamper(data, build_chain(events))
    good = build_chain(events)
    at = data.draw(st.integers(0, len(good)), label="checkpoint position")
    head = good[at - 1].hash if at else bytes(32)
    if data.draw(st.booleans(), label="a forged head"):
        head = bytes(31) + b"\x01"
    assert head is not None
    walked, reference = _both_reports(records, page, (at, head), workers)
    assert walked == reference
