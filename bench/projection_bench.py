"""Benchmark: rebuild a balance-like view from scratch, on SQLite and PostgreSQL.

Records synthetic deposits and withdrawals over many accounts in a real
chained ledger (``ledger.store``), then times ``ViewRunner.rebuild()`` of a
balance view (one row per account) and a log view (one row per event), each
page in one transaction. Beside it, the same run measures a baseline: reading
and decoding every event with no view at all, which bounds what any view can
reach. Targets (issue 4): 50,000 events/s on SQLite, 30,000 on PostgreSQL.

    .venv/bin/python bench/projection_bench.py --events 200000 --backend both
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import psycopg
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from sqlalchemy import BigInteger, Column, MetaData, String, Table

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from ledger.store import create_ledger, persistence_env
from projections.engine import views_engine
from projections.folds import At, Fold, Log, Row
from projections.replay import read_events
from projections.runner import DEFAULT_PAGE_SIZE, ViewRunner
from projections.schema import POSITION
from projections.views import FoldView, LogView

if TYPE_CHECKING:
    from collections.abc import Mapping

START = datetime(2024, 1, 1)
PG = "postgresql://postgres@127.0.0.1:5432/test"


class Account(Aggregate):
    """A fund account: money in and out, with business time."""

    class Opened(Aggregate.Created):
        region: str
        occurred_at: datetime

    class Moved(Aggregate.Event):
        amount: int
        occurred_at: datetime

    @event(Opened)
    def __init__(self, region: str, occurred_at: datetime) -> None:  # noqa: ARG002
        self.region = region

    @event(Moved)
    def move(self, amount: int, occurred_at: datetime) -> None:
        pass


class Ledger(Application[uuid.UUID]):
    """The benchmark's writer."""


tables = MetaData()
balances = Table(
    "bench_balances",
    tables,
    Column("account", String(36), primary_key=True),
    Column("received", BigInteger, nullable=False),
    Column("disbursed", BigInteger, nullable=False),
    Column("events", BigInteger, nullable=False),
)
postings = Table(
    "bench_postings",
    tables,
    Column("position", POSITION, primary_key=True),
    Column("account", String(36), nullable=False),
    Column("amount", BigInteger, nullable=False),
)


@dataclass(frozen=True, slots=True)
class Balance:
    received: int = 0
    disbursed: int = 0
    events: int = 0


class BalanceFold(Fold[str, Balance]):
    name = "bench-balances"
    table = balances

    def keys(self, event: Any) -> tuple[str, ...]:
        return (str(event.originator_id),) if type(event) is Account.Moved else ()

    def initial(self, key: str) -> Balance:  # noqa: ARG002 (the Fold interface)
        return Balance()

    def apply(self, key: str, state: Balance, event: Any, at: At) -> Balance:  # noqa: ARG002
        amount = event.amount
        if amount >= 0:
            return Balance(state.received + amount, state.disbursed, state.events + 1)
        return Balance(state.received, state.disbursed - amount, state.events + 1)

    def to_row(self, key: str, state: Balance) -> Row:
        return {
            "account": key,
            "received": state.received,
            "disbursed": state.disbursed,
            "events": state.events,
        }

    def from_row(self, row: Mapping[Any, Any]) -> tuple[str, Balance]:
        return row["account"], Balance(row["received"], row["disbursed"], row["events"])


class PostingsLog(Log):
    name = "bench-postings"
    table = postings

    def rows(self, event: Any, at: At) -> list[Row]:
        if type(event) is not Account.Moved:
            return []
        return [
            {
                "position": at.position,
                "account": str(event.originator_id),
                "amount": event.amount,
            }
        ]


def record(app: Ledger, events: int, accounts: int) -> None:
    """Record ``events`` events over ``accounts`` accounts, in batches."""
    opened = [
        Account(region=f"1101010010{n % 100:02d}", occurred_at=START)
        for n in range(accounts)
    ]
    app.save(*opened)
    moves = events - accounts
    ids = [a.id for a in opened]
    batch = 20_000
    for start in range(0, moves, batch):
        touched: dict[uuid.UUID, Account] = {}
        for n in range(start, min(start + batch, moves)):
            account_id = ids[n % accounts]
            account = touched.get(account_id) or app.repository.get(account_id)
            touched[account_id] = account
            amount = (n * 7919) % 90_000 - 30_000
            account.move(amount=amount, occurred_at=START + timedelta(hours=n % 9000))
        app.save(*touched.values())


def measure(url: str, events: int, accounts: int, page_size: int) -> dict[str, float]:
    create_ledger(url)
    app = Ledger(env=persistence_env(url))
    began = time.perf_counter()
    record(app, events, accounts)
    recorded = time.perf_counter() - began
    total = app.recorder.max_notification_id() or 0

    began, cpu = time.perf_counter(), time.process_time()
    decoded = sum(1 for _ in read_events(app.recorder, app.mapper, page_size=page_size))
    baseline, baseline_cpu = time.perf_counter() - began, time.process_time() - cpu

    engine = views_engine(url)
    views = [FoldView(engine, BalanceFold()), LogView(engine, PostingsLog())]
    runner = ViewRunner(
        engine, app.recorder, app.mapper, app.name, views, page_size=page_size
    )
    began, cpu = time.perf_counter(), time.process_time()
    report = runner.rebuild()
    rebuilt, rebuilt_cpu = time.perf_counter() - began, time.process_time() - cpu
    assert report.events == total == decoded, (report, total, decoded)
    engine.dispose()
    app.close()
    return {
        "events": total,
        "record/s": total / recorded,
        "decode-only/s": decoded / baseline,
        "rebuild/s": total / rebuilt,
        "rebuild s": rebuilt,
        "rebuild/cpu-s": total / rebuilt_cpu,
        "decode-only/cpu-s": decoded / baseline_cpu,
        "pages": report.pages,
    }


def postgres_url() -> tuple[str, str]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(
        PG.replace("postgresql://", "postgresql://"), autocommit=True
    ) as c:
        c.execute(f"CREATE SCHEMA {schema}")
    return f"{PG}?schema={schema}", schema


def drop_schema(schema: str) -> None:
    with psycopg.connect(PG, autocommit=True) as c:
        c.execute(f"DROP SCHEMA {schema} CASCADE")


def report(backend: str, figures: dict[str, float], target: int) -> None:
    """Print one backend's figures: wall-clock rates, and per CPU-second of this
    process (the shared machine's load inflates wall time; for PostgreSQL the
    server's own CPU is not in the second figure)."""
    wall = figures["rebuild/s"]
    print(
        f"{backend}: {int(figures['events']):,} events, "
        f"{int(figures['pages'])} pages, load average {os.getloadavg()[0]:.1f}\n"
        f"  rebuild          {wall:>9,.0f} events/s wall "
        f"({figures['rebuild s']:.2f} s)  {figures['rebuild/cpu-s']:>9,.0f} "
        f"events per client CPU-s\n"
        f"  decode-only      {figures['decode-only/s']:>9,.0f} events/s wall"
        f"{'':>12}{figures['decode-only/cpu-s']:>9,.0f} events per client CPU-s\n"
        f"  rebuild/decode   {wall / figures['decode-only/s']:>9.0%} of the ceiling\n"
        f"  target           {target:>9,d} events/s wall: "
        f"{'met' if wall >= target else 'NOT met'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--accounts", type=int, default=2_000)
    parser.add_argument("--page-size", type=int, default=DEFAULT_PAGE_SIZE)
    parser.add_argument(
        "--backend", choices=["sqlite", "postgres", "both"], default="both"
    )
    args = parser.parse_args()
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as directory:
            url = os.path.join(directory, "bench.db")
            report(
                "sqlite",
                measure(url, args.events, args.accounts, args.page_size),
                50_000,
            )
    if args.backend in ("postgres", "both"):
        url, schema = postgres_url()
        try:
            figures = measure(url, args.events, args.accounts, args.page_size)
        finally:
            drop_schema(schema)
        report("postgresql", figures, 30_000)


if __name__ == "__main__":
    main()
