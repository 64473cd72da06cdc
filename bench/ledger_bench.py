"""Ledger figures: chained append vs. the stock recorder, and verification speed.

Run ``.venv/bin/python bench/ledger_bench.py [--events N] [--append N]``. For
each backend (a SQLite file; a PostgreSQL schema on 127.0.0.1:5432 db ``test``)
it prints, all measured in the same run:

* chained ``save`` of batches of 1,000 single-event aggregates, beside the
  stock library recorder with the same settings (the service's application
  base ``domain.app_base.EventApplication``, transcoder, no cipher; batches
  alternate, so machine noise falls on both), beside the ceiling of writing
  the same chained rows directly (sqlite3 ``executemany``, psycopg binary
  ``COPY``); and the same pair under the library's own
  ``Application.save``, whose runtime ``Protocol`` checks the service's base
  skips;
* verification of ledgers of 100,000 and ``--events`` events through
  ``open_store`` in a fresh process (which walks position ranges in one
  forked worker per core once the ledger holds ``PARALLEL_FROM`` events),
  with its peak RSS and its largest worker's, beside two ceilings measured in
  one process: the SHA-256 chain over the same bytes in memory and a bare
  scan of the same rows.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any

import psycopg
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate
from psycopg import sql

from domain.app_base import EventApplication
from ledger import postgres_store, sqlite_store
from ledger.chain import GENESIS, chain_links
from ledger.ranges import default_workers
from ledger.store import create_ledger, open_store, persistence_env

BATCH = 1_000
FILL_BATCH = 10_000
PG = "postgresql://postgres@127.0.0.1:5432/test"
Row = tuple[int, uuid.UUID, int, str, bytes]


class Allowance(Aggregate):
    """A single-event aggregate shaped like a relief decision."""

    def __init__(
        self, household: str, programme: str, amount_fen: int, decided_at: datetime
    ) -> None:
        self.household = household
        self.programme = programme
        self.amount_fen = amount_fen
        self.decided_at = decided_at


def _aggregates(count: int) -> list[Allowance]:
    now = datetime.now(tz=UTC)
    return [Allowance(f"H{i:09d}", "dibao", 70_050 + i, now) for i in range(count)]


@dataclass
class Backend:
    """Where one backend's stores live, and how to write and scan them directly."""

    name: str
    tmp: Path | None = None
    schemas: list[str] = field(default_factory=list)

    def url(self, label: str) -> str:
        if self.tmp is not None:
            return str(self.tmp / f"{label}.db")
        schema = f"bench_{label}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        self.schemas.append(schema)
        return f"{PG}?schema={schema}"

    def stock_env(self, url: str) -> dict[str, str]:
        module = "eventsourcing.sqlite" if self.tmp else "eventsourcing.postgres"
        return {
            **persistence_env(url),
            "PERSISTENCE_MODULE": module,
            "CREATE_TABLE": "yes",
        }

    def cleanup(self) -> None:
        if not self.schemas:
            return
        with psycopg.connect(PG, autocommit=True) as conn:
            for schema in self.schemas:
                conn.execute(
                    sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema))
                )


class DirectWriter:
    """Writes chained rows straight through the driver: the append ceiling."""

    def __init__(self, url: str) -> None:
        create_ledger(url)
        self.postgres = url.startswith("postgresql://")
        self.head = GENESIS
        self.position = 0
        if self.postgres:
            self.schema = url.rsplit("schema=", 1)[1]
            self.conn: Any = psycopg.connect(PG)
        else:
            self.conn = sqlite3.connect(url, isolation_level=None)

    def write(self, events: list[tuple[uuid.UUID, int, str, bytes]]) -> None:
        rows = [(self.position + i, *e) for i, e in enumerate(events, start=1)]
        links = chain_links(
            self.head, [(p, o.bytes, v, t, s) for p, o, v, t, s in rows]
        )
        self.head, self.position = links[-1][2], rows[-1][0]
        (self._copy if self.postgres else self._executemany)(rows, links)

    def _executemany(self, rows: list[Row], links: list[Any]) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.executemany(
            "INSERT INTO stored_events (rowid, originator_id, originator_version, "
            "topic, state) VALUES (?,?,?,?,?)",
            [(p, o.hex, v, t, s) for p, o, v, t, s in rows],
        )
        self.conn.executemany("INSERT INTO ledger_chain VALUES (?,?,?)", links)
        self.conn.execute("COMMIT")

    def _copy(self, rows: list[Row], links: list[Any]) -> None:
        schema = sql.Identifier(self.schema)
        with self.conn.transaction(), self.conn.cursor() as cur:
            with cur.copy(
                sql.SQL(
                    "COPY {}.stored_events (notification_id, originator_id, "
                    "originator_version, topic, state) FROM STDIN (FORMAT BINARY)"
                ).format(schema)
            ) as copy:
                copy.set_types(["int8", "uuid", "int8", "text", "bytea"])
                for row in rows:
                    copy.write_row(row)
            with cur.copy(
                sql.SQL("COPY {}.ledger_chain FROM STDIN (FORMAT BINARY)").format(
                    schema
                )
            ) as copy:
                copy.set_types(["int8", "bytea", "bytea"])
                for link in links:
                    copy.write_row(link)

    def close(self) -> None:
        self.conn.close()


def _direct_ceiling(backend: Backend, app: Application[Any], count: int) -> float:
    """Write the same kind of stored events as chained rows, straight to the driver."""
    events = []
    for aggregates in (_aggregates(BATCH) for _ in range(count // BATCH)):
        stored = [
            app.mapper.to_stored_event(e)
            for a in aggregates
            for e in a.collect_events()
        ]
        events.append(
            [(s.originator_id, s.originator_version, s.topic, s.state) for s in stored]
        )
    writer = DirectWriter(backend.url("direct"))
    started = time.perf_counter()
    for batch in events:
        writer.write(batch)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    writer.close()
    return count / seconds


def measure_append(backend: Backend, count: int) -> None:
    """Print chained vs. stock ``save`` rates and the direct-write ceiling."""
    chained_url = backend.url("chained")
    create_ledger(chained_url)
    apps: dict[str, Application[Any]] = {
        "chained": EventApplication(env=persistence_env(chained_url)),
        "stock": EventApplication(env=backend.stock_env(backend.url("stock"))),
        "library chained": Application(env=_chained_env(backend.url("lib_chained"))),
        "library stock": Application(env=backend.stock_env(backend.url("lib_stock"))),
    }
    spent = dict.fromkeys(apps, 0.0)
    for app in apps.values():  # warm up: tables, prepared statements
        app.save(*_aggregates(BATCH))
    for _ in range(count // BATCH):
        for label, app in apps.items():
            aggregates = _aggregates(BATCH)
            started = time.perf_counter()
            app.save(*aggregates)
            spent[label] += time.perf_counter() - started
    ceiling = _direct_ceiling(backend, apps["chained"], count)
    for app in apps.values():
        app.close()
    rate = {label: count / seconds for label, seconds in spent.items()}
    print(
        f"[{backend.name}] append {count:,} events, batches of {BATCH:,}: "
        f"chained {rate['chained']:,.0f} ev/s | stock recorder "
        f"{rate['stock']:,.0f} ev/s | chained/stock "
        f"{rate['chained'] / rate['stock']:.2f}x | direct chained rows "
        f"(ceiling) {ceiling:,.0f} ev/s",
        flush=True,
    )
    print(
        f"[{backend.name}]   under the library's own Application.save: chained "
        f"{rate['library chained']:,.0f} ev/s | stock recorder "
        f"{rate['library stock']:,.0f} ev/s | chained/stock "
        f"{rate['library chained'] / rate['library stock']:.2f}x",
        flush=True,
    )


def _chained_env(url: str) -> dict[str, str]:
    create_ledger(url)
    return persistence_env(url)


def _fill(
    writer: DirectWriter, template: list[tuple[int, str, bytes]], upto: int
) -> None:
    while writer.position < upto:
        size = min(FILL_BATCH, upto - writer.position)
        writer.write(
            [(uuid.uuid4(), v, t, s) for v, t, s in islice(_cycle(template), size)]
        )


def _cycle(template: list[tuple[int, str, bytes]]) -> Any:
    while True:
        yield from template


def _verify_in_child(url: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--verify-child", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def _verify_child(url: str) -> None:
    with open_store(url) as store:
        workers = default_workers(store.head()[0])
        started = time.perf_counter()
        report = store.verify(workers=workers)
        seconds = time.perf_counter() - started
    peak_kib = _peak_rss_kib()
    # Workers are this process's children, joined by now: the largest one's peak.
    worker_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {
                "rate": report.checked / seconds,
                "ok": report.ok,
                "checked": report.checked,
                "rss_mib": peak_kib / 1024,
                "workers": workers,
                "worker_rss_mib": worker_kib / 1024 if workers > 1 else 0.0,
            }
        )
    )


def _peak_rss_kib() -> int:
    """Peak RSS of this process image (``ru_maxrss`` keeps the parent's over exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _ceilings(url: str) -> tuple[float, float]:
    """Return (SHA-256 chain in memory, bare scan) rates over the same rows."""
    hashing = scanned = 0.0
    rows = 0
    with open_store(url) as store:
        records = store.records()
        while chunk := [r[:5] for r in islice(records, 100_000)]:
            started = time.perf_counter()
            chain_links(GENESIS, chunk)  # type: ignore[arg-type]
            hashing += time.perf_counter() - started
            rows += len(chunk)
    scanned, count = _bare_scan(url)
    return rows / hashing, count / scanned


def _bare_scan(url: str) -> tuple[float, int]:
    """Fetch the rows the verifier reads (events and links in lockstep), no more."""
    everything = (0, 2**63 - 1)
    if url.startswith("postgresql://"):
        queries = postgres_store._queries(url.rsplit("schema=", 1)[1], uuid_ids=True)
        with (
            psycopg.connect(PG) as conn,
            conn.cursor(name="events", binary=True) as events,
            conn.cursor(name="links", binary=True) as links,
        ):
            started = time.perf_counter()
            events.execute(queries.events, everything)
            links.execute(queries.links, everything)
            count = sum(1 for _ in zip(_pages(events), _pages(links), strict=True))
            return time.perf_counter() - started, count
    lite = sqlite3.connect(url)
    started = time.perf_counter()
    count = sum(
        1
        for _ in zip(
            lite.execute(sqlite_store._SELECT_EVENTS, everything),
            lite.cursor().execute(sqlite_store._SELECT_LINKS, everything),
            strict=True,
        )
    )
    seconds = time.perf_counter() - started
    lite.close()
    return seconds, count


def _pages(cursor: Any) -> Any:
    return chain.from_iterable(
        iter(lambda: cursor.fetchmany(postgres_store.FETCH_SIZE), [])
    )


def measure_verify(backend: Backend, events: int) -> None:
    """Fill a ledger directly and print verification figures at two sizes."""
    app: Application[Any] = Application(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo", **_transcoder_env()}
    )
    template = [
        (s.originator_version, s.topic, s.state)
        for s in (
            app.mapper.to_stored_event(e)
            for a in _aggregates(1_000)
            for e in a.collect_events()
        )
    ]
    url = backend.url("verify")
    writer = DirectWriter(url)
    for size in sorted({min(100_000, events), events}):
        _fill(writer, template, size)
        child = _verify_in_child(url)
        hash_ceiling, scan_ceiling = _ceilings(url)
        print(
            f"[{backend.name}] verify {child['checked']:,} events: "
            f"{child['rate']:,.0f} ev/s (ok={child['ok']}, "
            f"{child['workers']} process(es)) | ceilings in one process: SHA-256 "
            f"chain in memory {hash_ceiling:,.0f} ev/s, bare scan "
            f"{scan_ceiling:,.0f} rows/s | peak RSS {child['rss_mib']:,.1f} MiB"
            + (
                f", largest worker {child['worker_rss_mib']:,.1f} MiB"
                if child["workers"] > 1
                else ""
            ),
            flush=True,
        )
    writer.close()


def _transcoder_env() -> dict[str, str]:
    env = persistence_env("bench.db")
    return {"TRANSCODER_TOPIC": env["TRANSCODER_TOPIC"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Ledger append and verify figures.")
    parser.add_argument(
        "--events",
        type=int,
        default=1_000_000,
        help="size of the ledger to verify (default 1,000,000)",
    )
    parser.add_argument(
        "--append",
        type=int,
        default=50_000,
        help="events each writer appends (default 50,000)",
    )
    parser.add_argument(
        "--backend", choices=["sqlite", "postgres", "both"], default="both"
    )
    parser.add_argument("--verify-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.verify_child:
        _verify_child(args.verify_child)
        return 0
    append = max(BATCH, args.append // BATCH * BATCH)
    print(
        f"python {sys.version.split()[0]}, started {time.strftime('%H:%M:%S')}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="ledger-bench-") as tmp:
        backends = []
        if args.backend in ("sqlite", "both"):
            backends.append(Backend("sqlite", tmp=Path(tmp)))
        if args.backend in ("postgres", "both"):
            backends.append(Backend("postgres"))
        for backend in backends:
            try:
                measure_append(backend, append)
                measure_verify(backend, args.events)
            finally:
                backend.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
