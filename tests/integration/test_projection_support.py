"""A tiny purse aggregate, a balance fold and a timeline log for the view tests."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

import pytest
from eventsourcing.application import Application
from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.domain import Aggregate, event
from eventsourcing.utils import get_topic
from sqlalchemy import BigInteger, Column, DateTime, MetaData, String, Table, text
from sqlalchemy import create_engine as sa_create_engine

from domain.base import Act, ReliefCreated, ReliefEvent
from projections.folds import At, Fold, Log, Row

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from sqlalchemy.engine import Engine

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
START = datetime(2024, 1, 1, 9, 0)


class Purse(Aggregate):
    """A test aggregate: money in and out, with business time on every event."""

    class Opened(ReliefCreated):
        owner: str

    class Deposited(ReliefEvent):
        amount: int

    class Withdrawn(ReliefEvent):
        amount: int

    @event(Opened)
    def __init__(
        self,
        owner: str,
        actor_id: str,
        actor_role: str,
        occurred_at: datetime,
        imported: bool,
    ) -> None:
        self.owner = owner

    @event(Deposited)
    def _deposited(
        self,
        amount: int,
        actor_id: str,
        actor_role: str,
        occurred_at: datetime,
        imported: bool,
    ) -> None:
        pass

    @event(Withdrawn)
    def _withdrawn(
        self,
        amount: int,
        actor_id: str,
        actor_role: str,
        occurred_at: datetime,
        imported: bool,
    ) -> None:
        pass


def act(day: int = 0) -> Act:
    return Act("S001", "乡镇经办", START + timedelta(days=day))


class Purses(Application[UUID]):
    """The test application whose events the views follow."""

    def open(self, owner: str, day: int = 0) -> UUID:
        purse = Purse(owner=owner, **act(day).fields())
        self.save(purse)
        return purse.id

    def open_many(self, owners: list[str]) -> list[UUID]:
        purses = [Purse(owner=owner, **act().fields()) for owner in owners]
        self.save(*purses)
        return [purse.id for purse in purses]

    def move_many(self, moves: list[tuple[UUID, int]]) -> None:
        purses: dict[UUID, Purse] = {}
        for purse_id, amount in moves:
            purse = purses.get(purse_id) or self.repository.get(purse_id)
            purses[purse_id] = purse
            purse._deposited(amount=amount, **act().fields())
        self.save(*purses.values())

    def move(self, purse_id: UUID, amount: int, day: int = 0) -> None:
        purse: Purse = self.repository.get(purse_id)
        if amount >= 0:
            purse._deposited(amount=amount, **act(day).fields())
        else:
            purse._withdrawn(amount=-amount, **act(day).fields())
        self.save(purse)


tables = MetaData()

balances = Table(
    "test_purse_balances",
    tables,
    Column("purse_id", String(36), primary_key=True),
    Column("credits", BigInteger, nullable=False),
    Column("debits", BigInteger, nullable=False),
    Column("events", BigInteger, nullable=False),
    Column("last_position", BigInteger, nullable=False),
)

timeline = Table(
    "test_purse_timeline",
    tables,
    Column("position", BigInteger, primary_key=True),
    Column("purse_id", String(36), nullable=False),
    Column("topic", String(200), nullable=False),
    Column("actor_id", String(20), nullable=False),
    Column("occurred_at", DateTime, nullable=False),
)


@dataclass(frozen=True)
class Balance:
    credits: int = 0
    debits: int = 0
    events: int = 0
    last_position: int = 0

    @property
    def balance(self) -> int:
        return self.credits - self.debits


class BalanceFold(Fold[str, Balance]):
    """Credits and debits per purse; can be told to fail at one position."""

    name = "test-balances"
    topics = (
        get_topic(Purse.Opened),
        get_topic(Purse.Deposited),
        get_topic(Purse.Withdrawn),
    )
    table = balances

    def __init__(self, fail_at: int | None = None) -> None:
        self.fail_at = fail_at

    def keys(self, event: Any) -> tuple[str, ...]:
        return (str(event.originator_id),)

    def initial(self, key: str) -> Balance:
        return Balance()

    def apply(self, key: str, state: Balance, event: Any, at: At) -> Balance:
        if at.position == self.fail_at:
            msg = f"planted failure at {at.position}"
            raise RuntimeError(msg)
        moved = self._moved(event, state)
        return replace(moved, events=moved.events + 1, last_position=at.position)

    @singledispatchmethod
    def _moved(self, event: Any, state: Balance) -> Balance:
        return state

    @_moved.register
    def _(self, event: Purse.Deposited, state: Balance) -> Balance:
        return replace(state, credits=state.credits + event.amount)

    @_moved.register
    def _(self, event: Purse.Withdrawn, state: Balance) -> Balance:
        return replace(state, debits=state.debits + event.amount)

    def to_row(self, key: str, state: Balance) -> Row:
        return {
            "purse_id": key,
            "credits": state.credits,
            "debits": state.debits,
            "events": state.events,
            "last_position": state.last_position,
        }

    def from_row(self, row: Mapping[Any, Any]) -> tuple[str, Balance]:
        return row["purse_id"], Balance(
            row["credits"], row["debits"], row["events"], row["last_position"]
        )


class TimelineLog(Log):
    """Every purse event, with its actor and business time."""

    name = "test-timeline"
    table = timeline

    def rows(self, event: Any, at: At) -> list[Row]:
        if not isinstance(event, ReliefEvent | ReliefCreated):
            return []
        return [
            {
                "position": at.position,
                "purse_id": str(event.originator_id),
                "topic": get_topic(type(event)),
                "actor_id": event.actor_id,
                "occurred_at": at.occurred_at,
            }
        ]


@dataclass
class Backend:
    """An application and an engine on the same database."""

    name: str
    app: Purses
    engine: Engine

    def table_rows(self, table: Table) -> list[tuple[Any, ...]]:
        with self.engine.connect() as conn:
            order = list(table.primary_key.columns)
            return [tuple(r) for r in conn.execute(table.select().order_by(*order))]


def postgres_reachable() -> bool:
    try:
        engine = sa_create_engine(PG_URL)
        with engine.connect():
            pass
        engine.dispose()
    except Exception:
        return False
    return True


@contextmanager
def sqlite_backend(directory: str) -> Iterator[Backend]:
    path = os.path.join(directory, f"ledger-{uuid.uuid4().hex}.db")
    app = Purses(
        env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": path}
    )
    engine = sa_create_engine(f"sqlite:///{path}")
    try:
        yield Backend("sqlite", app, engine)
    finally:
        engine.dispose()
        app.close()


@contextmanager
def postgres_backend() -> Iterator[Backend]:
    if not postgres_reachable():
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is unreachable under CI")
        pytest.skip("PostgreSQL at 127.0.0.1:5432 is unreachable")
    schema = f"proj_{uuid.uuid4().hex[:12]}"
    admin = sa_create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    app = Purses(
        env={
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": "test",
            "POSTGRES_HOST": "127.0.0.1",
            "POSTGRES_PORT": "5432",
            "POSTGRES_USER": "postgres",
            "POSTGRES_PASSWORD": "",
            "POSTGRES_SCHEMA": schema,
        }
    )
    engine = sa_create_engine(
        PG_URL, connect_args={"options": f"-csearch_path={schema}"}
    )
    try:
        yield Backend("postgres", app, engine)
    finally:
        engine.dispose()
        app.close()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@contextmanager
def open_backend(name: str, directory: str) -> Iterator[Backend]:
    if name == "sqlite":
        with sqlite_backend(directory) as backend:
            yield backend
    else:
        with postgres_backend() as backend:
            yield backend
