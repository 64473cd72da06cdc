"""The ledger store: reading the chain back, verifying it, and what it refuses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import InfrastructureFactory, IntegrityError, StoredEvent
from eventsourcing.utils import Environment

from ledger.chain import GENESIS, ChainRecord
from ledger.errors import StoreConfigError
from ledger.store import create_ledger, open_store, persistence_env

if TYPE_CHECKING:
    from collections.abc import Callable

    RawSQL = Callable[[str], list[tuple[Any, ...]]]


class Parcel(Aggregate):
    def __init__(self, label: str) -> None:
        self.label = label


def _ledger(url: str, batches: tuple[int, ...] = (4, 3, 3)) -> list[Parcel]:
    """Create a ledger and save the batches; return the saved aggregates."""
    create_ledger(url)
    app: Application[Any] = Application(env=persistence_env(url))
    saved: list[Parcel] = []
    for size in batches:
        parcels = [Parcel(f"p{len(saved) + i}") for i in range(size)]
        app.save(*parcels)
        saved += parcels
    app.close()
    return saved


def _drop_triggers(url: str, raw_sql: RawSQL) -> None:
    """What an operator with the owner's rights could do before tampering."""
    for table in ("stored_events", "ledger_chain"):
        if url.startswith("postgresql://"):
            for suffix in ("no_change", "no_truncate"):
                raw_sql(f"DROP TRIGGER {table}_{suffix} ON {table}")
        else:
            for op in ("update", "delete"):
                raw_sql(f"DROP TRIGGER {table}_no_{op}")


def _position_column(url: str) -> str:
    return "notification_id" if url.startswith("postgresql://") else "rowid"


def test_an_empty_ledger_is_a_chain_of_nothing(store_url: str) -> None:
    create_ledger(store_url)
    create_ledger(store_url)  # idempotent
    with open_store(store_url) as store:
        report = store.verify()
        assert (report.ok, report.checked) == (True, 0)
        assert store.head() == (0, GENESIS)
        assert store.page(after=0, limit=10) == []


def test_saved_events_read_back_as_one_verified_chain(store_url: str) -> None:
    saved = _ledger(store_url)
    seen: list[int] = []
    with open_store(store_url) as store:
        report = store.verify(progress=seen.append)
        records = [ChainRecord(*row) for row in store.records()]
        assert report.ok
        assert report.checked == len(saved) == len(records) == seen[-1]
        assert [r.position for r in records] == list(range(1, len(saved) + 1))
        assert [r.originator_id for r in records] == [p.id.bytes for p in saved]
        assert store.head() == (report.head_position, report.head_hash)
        assert store.link_at(3) == records[2].hash == records[3].prev_hash
        assert store.link_at(len(saved) + 1) is None
        assert [row[0] for row in store.records(after=2, stop=5)] == [3, 4, 5]


def test_a_page_shows_positions_after_the_given_one(store_url: str) -> None:
    saved = _ledger(store_url)
    with open_store(store_url) as store:
        page = store.page(after=2, limit=3)
        records = [ChainRecord(*row) for row in store.records(after=2, stop=5)]
    assert [entry.position for entry in page] == [3, 4, 5]
    assert page[0].originator_id == str(saved[2].id)
    assert page[0].originator_version == 1
    assert page[0].topic is not None
    assert page[0].topic.endswith("Parcel.Created")
    assert page[0].state_size == len(records[0].state or b"")
    assert (page[0].prev_hash, page[0].hash) == (records[0].prev_hash, records[0].hash)


def test_a_refused_write_records_nothing(store_url: str) -> None:
    _ledger(store_url)
    env = Environment(env=persistence_env(store_url))
    factory = InfrastructureFactory.construct(env)
    recorder = factory.application_recorder()
    with open_store(store_url) as store:
        head = store.head()
    duplicate = StoredEvent(
        originator_id=recorder.select_notifications(start=1, limit=1)[0].originator_id,
        originator_version=1,
        topic="x",
        state=b"{}",
    )
    fresh = StoredEvent(
        originator_id=Parcel("new").id, originator_version=1, topic="y", state=b"{}"
    )
    with pytest.raises(IntegrityError):
        recorder.insert_events([fresh, duplicate])
    factory.close()
    with open_store(store_url) as store:
        assert store.head() == head
        assert store.verify().checked == head[0]


def test_a_checkpoint_must_still_be_a_prefix(store_url: str) -> None:
    _ledger(store_url)
    with open_store(store_url) as store:
        link = store.link_at(4)
        assert link is not None
        assert store.verify(checkpoint=(4, link)).ok
        broken = store.verify(checkpoint=(4, bytes(32))).first_break
    assert broken is not None
    assert (broken.position, broken.kind) == (4, "checkpoint mismatch")


def test_content_changed_by_hand_is_found_at_its_position(
    store_url: str, raw_sql: RawSQL
) -> None:
    _ledger(store_url)
    _drop_triggers(store_url, raw_sql)
    column = _position_column(store_url)
    raw_sql(f"UPDATE stored_events SET topic = topic || 'x' WHERE {column} = 6")
    with open_store(store_url) as store:
        broken = store.verify().first_break
    assert broken is not None
    assert (broken.position, broken.kind) == (6, "content modified")


def test_an_event_deleted_by_hand_is_found(store_url: str, raw_sql: RawSQL) -> None:
    _ledger(store_url)
    _drop_triggers(store_url, raw_sql)
    raw_sql(f"DELETE FROM stored_events WHERE {_position_column(store_url)} = 3")
    with open_store(store_url) as store:
        broken = store.verify().first_break
    assert broken is not None
    assert (broken.position, broken.kind) == (3, "event deleted")


def test_a_tail_cut_off_by_hand_is_found(store_url: str, raw_sql: RawSQL) -> None:
    saved = _ledger(store_url)
    _drop_triggers(store_url, raw_sql)
    cut = len(saved) - 1
    raw_sql(f"DELETE FROM stored_events WHERE {_position_column(store_url)} >= {cut}")
    with open_store(store_url) as store:
        report = store.verify()
    assert report.first_break is not None
    assert (report.first_break.position, report.first_break.kind) == (
        cut,
        "tail truncated",
    )
    assert report.checked == cut - 1


def test_a_missing_sqlite_file_is_not_a_ledger(tmp_path: Any) -> None:
    with pytest.raises(StoreConfigError, match="cannot be read"):
        open_store(str(tmp_path / "absent.db"))


@pytest.mark.postgres
def test_a_schema_without_tables_is_not_a_ledger(postgres_url: str) -> None:
    with pytest.raises(StoreConfigError, match="no ledger tables"):
        open_store(postgres_url)


@pytest.mark.postgres
def test_database_functions_are_refused(postgres_url: str) -> None:
    env = {**persistence_env(postgres_url), "POSTGRES_ENABLE_DB_FUNCTIONS": "yes"}
    with pytest.raises(StoreConfigError, match="POSTGRES_ENABLE_DB_FUNCTIONS"):
        InfrastructureFactory.construct(Environment(env=env))


def _naive_outer_join(url: str, raw_sql: RawSQL) -> list[tuple[Any, ...]]:
    """The reference: both tables read whole and joined in Python."""
    column = _position_column(url)
    events = {
        row[0]: (_id_bytes(row[1]), *row[2:])
        for row in raw_sql(
            f"SELECT {column}, originator_id, originator_version, topic, state "
            "FROM stored_events"
        )
    }
    links = {row[0]: row[1:] for row in raw_sql("SELECT * FROM ledger_chain")}
    return [
        (p, *events.get(p, (None,) * 4), *links.get(p, (None, None)))
        for p in sorted(events.keys() | links.keys())
    ]


def _id_bytes(value: Any) -> bytes:
    return bytes.fromhex(value) if isinstance(value, str) else bytes(value.bytes)


@pytest.mark.parametrize(
    "damage",
    [
        (),
        ("DELETE FROM stored_events WHERE {pos} = 3",),
        ("DELETE FROM ledger_chain WHERE notification_id = 4",),
        (
            "DELETE FROM stored_events WHERE {pos} = 3",
            "DELETE FROM ledger_chain WHERE notification_id = 6",
        ),
        ("DELETE FROM stored_events WHERE {pos} >= 9",),
    ],
)
def test_records_are_the_full_outer_join_whatever_the_damage(
    store_url: str, raw_sql: RawSQL, damage: tuple[str, ...]
) -> None:
    _ledger(store_url)
    _drop_triggers(store_url, raw_sql)
    for statement in damage:
        raw_sql(statement.format(pos=_position_column(store_url)))
    expected = _naive_outer_join(store_url, raw_sql)
    with open_store(store_url) as store:
        assert [tuple(row) for row in store.records()] == expected
        assert [tuple(r) for r in store.records(after=2, stop=7)] == [
            row for row in expected if 2 < row[0] <= 7
        ]
        report = store.verify()
    first = min((row[0] for row in expected if None in row), default=None)
    if first is None:
        assert report.ok
    else:
        assert report.first_break is not None
        assert report.first_break.position == first


DAMAGE = {
    "none": None,
    "content": "UPDATE stored_events SET topic = topic || 'x' WHERE {column} = 6",
    "event deleted": "DELETE FROM stored_events WHERE {column} = 3",
    "link deleted": "DELETE FROM ledger_chain WHERE notification_id = 7",
    "tail cut": "DELETE FROM stored_events WHERE {column} >= 9",
    "links cut": "DELETE FROM ledger_chain WHERE notification_id >= 5",
    "head link edited": (
        "UPDATE ledger_chain SET hash = 'abc' WHERE notification_id = 12"
    ),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_workers_walking_ranges_report_what_one_walk_reports(
    store_url: str, raw_sql: RawSQL, damage: str
) -> None:
    _ledger(store_url, batches=(4, 3, 3, 2))
    _drop_triggers(store_url, raw_sql)
    statement = DAMAGE[damage]
    if statement is not None:
        raw_sql(statement.format(column=_position_column(store_url)))
    with open_store(store_url) as store:
        link = store.link_at(8)
        one = store.verify(workers=1)
        seen: list[int] = []
        assert store.verify() == one  # the default: sized from the head
        for workers in (2, 3, 5):
            assert store.verify(workers=workers, progress=seen.append) == one
        if link is not None:
            for checkpoint in ((8, link), (8, bytes(32)), (20, link)):
                assert store.verify(checkpoint, workers=3) == store.verify(
                    checkpoint, workers=1
                )
    assert one.ok == (statement is None)
    assert seen[-1] == one.checked
