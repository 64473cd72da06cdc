"""Benchmark: rebuild every view, replay one household as of a date: the demo county.

Builds the demo county's ledger (``cli.demo.run.build_county_ledger``, five
years of ``--households`` households; at its default 8,000, the county of
ADR 0002's figures held 184,050 events on SQLite and 176,258 on PostgreSQL)
or reuses one given with ``--db`` / ``--pg-schema`` (the rebuild replaces the
views in it; work on a copy), then prints, per backend:

* rebuilding every view of the catalogue from scratch (``ViewRunner.rebuild``,
  one transaction per page of ``--page-size`` events, the runner's default
  unless given), in forked workers (``projections.parallel_views``, as many as
  the cores unless ``--workers`` says; 1 is the one-process path): events per
  second of wall time and per client CPU-second, this process's and its
  workers' summed (targets 50,000 on SQLite, 30,000 on PostgreSQL);
* replaying one household as of a business date (``projections.asof``), over
  a sample of households and dates: median and worst milliseconds of the
  sample (target under 100 ms), after one first query timed apart (a cold
  start: the first replay imports, compiles and caches what every later one
  reuses), checked against the replay from the whole stream for a few;
* the floors under the rebuild (``bench/floors.py``): reading and decoding
  every event with no view code, and writing the rows the rebuild left with
  SQL alone, no Python, each with the rate it alone would cap a rebuild at.

    .venv/bin/python bench/views_bench.py --backend sqlite --db /tmp/county.db
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import psycopg
from sqlalchemy import select

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from floors import Floor, postgres_write_floor, read_floor, sqlite_write_floor

from cli.bootstrap import fund_reader
from cli.demo.generate import DEFAULT_HOUSEHOLDS
from cli.demo.run import build_county_ledger
from domain.errors import DomainError
from domain.service import ReliefFund
from ledger.store import create_ledger, persistence_env
from projections.asof import household_as_of
from projections.audit import originators_table
from projections.catalogue import all_views, catalogue_runner
from projections.engine import views_engine
from projections.parallel_views import Workers
from projections.runner import DEFAULT_PAGE_SIZE

PG = "postgresql://postgres@127.0.0.1:5432/test"


def build(url: str, households: int) -> float:
    """Create and fill the ledger at ``url``; return the seconds it took."""
    began = time.perf_counter()
    create_ledger(url)
    try:
        build_county_ledger(url, seed=2026, households=households)
    except DomainError as error:  # the live month is optional here: history is in
        print(f"  (the demo's live month stopped: {error})")
    return time.perf_counter() - began


@dataclass(frozen=True)
class Rebuilt:
    """One rebuild as timed: events, worker processes, wall and CPU seconds."""

    events: int
    workers: int
    wall: float
    cpu: float


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def rebuild(url: str, page_size: int, workers: int | None) -> Rebuilt:
    """Rebuild every view in ``workers`` processes (None: one per core).

    The client CPU is this process's and the workers' (as they report it;
    ``getrusage`` of the waited-for children is printed beside it).
    """
    fund = ReliefFund(env=persistence_env(url))
    engine = views_engine(url)
    try:
        runner = catalogue_runner(
            engine,
            fund.recorder,
            fund.mapper,
            fund.name,
            page_size=page_size,
        )
        runner.workers = Workers(fund_reader(url), workers)
        began, cpu = time.perf_counter(), time.process_time()
        children = _children_cpu()
        report = runner.rebuild()
        wall = time.perf_counter() - began
        here = time.process_time() - cpu
        waited = _children_cpu() - children
    finally:
        engine.dispose()
        fund.close()
    print(
        f"  {report.workers} process(es); client CPU: this process {here:.1f} s, "
        f"workers {report.worker_cpu:.1f} s as they report "
        f"({waited:.1f} s by getrusage)"
    )
    return Rebuilt(report.events, report.workers, wall, here + report.worker_cpu)


def replays(url: str, samples: int) -> list[float]:
    """Time ``household_as_of`` for sampled households and dates, in ms."""
    fund = ReliefFund(env=persistence_env(url))
    engine = views_engine(url)
    rng = random.Random(7)  # benchmark sampling only
    timings: list[float] = []
    try:
        with engine.connect() as conn:
            labels = (
                conn.execute(
                    select(originators_table.c.label).where(
                        originators_table.c.kind == "Household"
                    )
                )
                .scalars()
                .all()
            )
            for household_no in rng.sample(list(labels), min(samples, len(labels))):
                day = date(2021, 1, 1) + timedelta(days=rng.randrange(5 * 365))
                began = time.perf_counter()
                state = household_as_of(
                    conn, fund.recorder, fund.mapper, household_no, as_of=day
                )
                timings.append((time.perf_counter() - began) * 1000)
                assert state.household_no == household_no
    finally:
        engine.dispose()
        fund.close()
    return timings


def floors(url: str, schema: str | None) -> tuple[Floor, Floor]:
    """Time reading and decoding every event, and writing the views' rows."""
    fund = ReliefFund(env=persistence_env(url))
    engine = views_engine(url)
    try:
        read = read_floor(fund.recorder, fund.mapper)
        tables = [table.name for view in all_views(engine) for table in view.tables]
    finally:
        engine.dispose()
        fund.close()
    if schema is None:
        write = sqlite_write_floor(url, tables)
    else:
        write = postgres_write_floor(PG, schema, tables)
    return read, write


def print_floors(events: int, read: Floor, write: Floor, target: int) -> None:
    """Print both floors and the rate each alone would cap a rebuild at."""
    print(
        f"  floor, reading and decoding every event (no views): {read.wall:.1f} s "
        f"({read.cpu:.1f} CPU-s) for {read.items:,}: alone caps one process at "
        f"{read.items / read.wall:,.0f} events/s\n"
        f"  floor, writing the rebuilt views' {write.items:,} rows with SQL alone "
        f"(no Python): {write.wall:.1f} s: alone caps one writer at "
        f"{events / write.wall:,.0f} events/s (target {target:,})"
    )


def report(
    backend: str,
    url: str,
    args: argparse.Namespace,
    target: int,
    schema: str | None = None,
) -> None:
    print(f"{backend}: load average {os.getloadavg()[0]:.1f} before the rebuild")
    done = rebuild(url, args.page_size, args.workers)
    rate = done.events / done.wall
    print(
        f"  {done.events:,} events, pages of {args.page_size:,}, "
        f"{done.workers} worker(s), load average {os.getloadavg()[0]:.1f}\n"
        f"  rebuild all views {rate:>9,.0f} events/s wall ({done.wall:.1f} s), "
        f"{done.events / done.cpu:,.0f} per client CPU-s ({done.cpu:.1f} s); "
        f"target {target:,}: {'met' if rate >= target else 'NOT met'}"
    )
    read, write = floors(url, schema)
    print_floors(done.events, read, write, target)
    first, *timings = replays(url, args.samples + 1)
    worst = max(timings)
    print(
        f"  household as of a date: first query (cold) {first:.1f} ms; then "
        f"{len(timings)} households, median {statistics.median(timings):.1f} ms, "
        f"worst {worst:.1f} ms (sample {timings.index(worst) + 2}); target 100 ms: "
        f"{'met' if worst < 100 else 'NOT met'} warm, "
        f"{'met' if first < 100 else 'NOT met'} cold"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=DEFAULT_HOUSEHOLDS)
    parser.add_argument("--db", help="Reuse (or build once into) this SQLite file.")
    parser.add_argument("--pg-schema", help="Reuse (or build once into) this schema.")
    parser.add_argument("--page-size", type=int, default=DEFAULT_PAGE_SIZE)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument(
        "--workers",
        type=int,
        help="Worker processes for the rebuild (default: one per core; 1: none).",
    )
    parser.add_argument(
        "--build-only", action="store_true", help="Build the ledger(s), time nothing."
    )
    parser.add_argument(
        "--backend", choices=["sqlite", "postgres", "both"], default="both"
    )
    args = parser.parse_args()
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as directory:
            url = args.db or os.path.join(directory, "county.db")
            if not os.path.exists(url):
                print(
                    f"sqlite: built the county in {build(url, args.households):.0f} s"
                )
            report("sqlite", url, args, 50_000)
    if args.backend in ("postgres", "both"):
        schema = args.pg_schema or f"bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(PG, autocommit=True) as c:
            exists = c.execute(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = %s "
                "AND table_name = 'stored_events'",
                (schema,),
            ).fetchone()
            c.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        url = f"{PG}?schema={schema}"
        try:
            if not exists:
                seconds = build(url, args.households)
                print(f"postgresql: built the county in {seconds:.0f} s")
            if not args.build_only:
                report("postgresql", url, args, 30_000, schema)
        finally:
            if not args.pg_schema:
                with psycopg.connect(PG, autocommit=True) as c:
                    c.execute(f"DROP SCHEMA {schema} CASCADE")


if __name__ == "__main__":
    main()
