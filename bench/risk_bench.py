"""Benchmark: a full risk scan over the demo county's five years, on SQLite.

Builds the demo county (``cli.demo.run.build_county_ledger``: the generated
legacy history imported through the domain, the live month, the views and
the demo's own risk scan, which raises the flags) in a child process, so that
this process's peak memory is the scan's own. Then, from empty risk views, it
runs ``projections.risk.scan.scan`` again as one of the county's auditors:
the fact views catch up over the whole ledger, every rule group runs, and
each finding is checked against the flags already raised. It prints the
ledger's size (events, MiB), its households and staff, the scan's wall and
CPU time and each phase beside the issue's ceiling of 60 s, the findings per
rule, the flags raised, the peak resident memory, and, as a baseline measured
in the same run, the time to read every stored event without decoding it. A
second scan must raise nothing new; its time is printed too.

Run: ``.venv/bin/python bench/risk_bench.py [--households N] [--ledger PATH]``.
``--ledger`` scans a county built earlier (by ``--keep PATH`` or ``relief
demo``): a copy of it, made with SQLite's backup in a temporary folder
(``--tmp DIR``), so the ledger itself is never written; ``--in-place`` scans
the ledger itself. Without ``--auditor`` the scan is run by the first
auditor (审计) posted on the ledger.
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
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cli.bootstrap import fund_reader
from cli.demo.generate import DEFAULT_HOUSEHOLDS, DEMO_PERSON_KEY
from cli.demo.run import Phases, build_county_ledger
from domain import roles
from domain.base import Act
from domain.reference_queries import PERSON_KEY
from domain.service import ReliefFund
from ledger.store import create_ledger, persistence_env
from projections.engine import views_engine
from projections.parallel_views import Workers
from projections.risk import parallel
from projections.risk.catalogue import GROUPS
from projections.risk.fact_views import read_facts, risk_facts
from projections.risk.scan import scan, views_of
from projections.runner import ViewRunner

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

CEILING_SECONDS = 60.0
SCAN_DAY = datetime(2026, 2, 2, 9, 0)


def build(path: str, households: int, seed: int) -> None:
    """Child process: build the county at ``path``; print one JSON line."""
    started = time.perf_counter()
    create_ledger(path)
    phases = Phases()
    built = build_county_ledger(path, seed=seed, households=households, phases=phases)
    auditors = sorted(
        p.staff_id for p in built.generated.county.posts if p.role == roles.AUDIT
    )
    summary = {
        "auditor": auditors[0],
        "lines": len(built.generated.lines),
        "seconds": time.perf_counter() - started,
        "demo_scan_seconds": phases.seconds.get("risk scan", 0.0),
        "demo_scan_findings": len(built.scan.findings),
        "demo_scan_raised": len(built.scan.raised),
    }
    print(json.dumps(summary))


def build_in_child(path: str, households: int, seed: int) -> dict[str, object]:
    command = [
        sys.executable,
        __file__,
        "--build",
        path,
        "--households",
        str(households),
        "--seed",
        str(seed),
    ]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    summary: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return summary


def children_cpu() -> float:
    """CPU seconds of this process's ended children (the forked workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def baseline(fund: ReliefFund) -> tuple[int, float]:
    """Read every stored event's row, undecoded: the floor under any scan."""
    started = time.perf_counter()
    after, count = 0, 0
    while True:
        page = fund.recorder.select_notifications(
            after, 5_000, inclusive_of_start=False
        )
        count += len(page)
        if len(page) < 5_000:
            return count, time.perf_counter() - started
        after = page[-1].id


def copy_ledger(source: str, target: str) -> float:
    """Copy a SQLite ledger (with its write-ahead log) by SQLite's backup."""
    started = time.perf_counter()
    with (
        closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
        closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst, pages=65_536)
    return time.perf_counter() - started


def county_counts(engine: Engine) -> dict[str, int]:
    """Households and staff registered on the ledger, from the risk-fact log."""
    statement = (
        f"SELECT kind, COUNT(DISTINCT subject) FROM {risk_facts.name} "
        "WHERE kind IN ('household', 'staff') GROUP BY kind"
    )
    with engine.connect() as conn:
        return {kind: int(n) for kind, n in conn.exec_driver_sql(statement)}


def an_auditor(engine: Engine) -> str:
    """The first staff member (by id) ever posted as an auditor (审计)."""
    with engine.connect() as conn:
        rows = list(read_facts(conn, ("staff", "post")))
    staff_of = {r.data["id"]: r.subject for r in rows if r.kind == "staff"}
    posted = [
        staff_of[r.subject]
        for r in rows
        if r.kind == "post" and r.data["role"] == roles.AUDIT and r.subject in staff_of
    ]
    if not posted:
        raise SystemExit("No auditor (审计) is posted on this ledger; pass --auditor.")
    return min(posted)


def scan_county(path: str, auditor: str) -> None:
    fund = ReliefFund(env={**persistence_env(path), PERSON_KEY: DEMO_PERSON_KEY})
    engine = views_engine(path)
    views = views_of(engine, GROUPS)
    ViewRunner(engine, fund.recorder, fund.mapper, fund.name, views).create_tables()
    with engine.begin() as conn:  # the scan starts from empty risk views
        for view in views:
            view.drop_tables(conn)
    events, floor = baseline(fund)
    size = Path(path).stat().st_size / 2**20
    print(
        f"ledger: {events:,} events, {size:,.0f} MiB; reading them undecoded "
        f"took {floor:.1f} s"
    )
    reader = fund_reader(path, DEMO_PERSON_KEY)
    started, cpu = time.perf_counter(), time.process_time()
    children = children_cpu()
    caught_up, caught_up_cpu, read = 0.0, 0.0, 0
    if not auditor:  # catch the fact log up first, within the timed scan
        workers = Workers(reader)
        runner = ViewRunner(
            engine, fund.recorder, fund.mapper, fund.name, views, workers=workers
        )
        read = runner.run().events
        caught_up = time.perf_counter() - started
        caught_up_cpu = time.process_time() - cpu
        auditor = an_auditor(engine)
    act = Act(auditor, roles.AUDIT, SCAN_DAY)
    report = scan(fund, engine, act, reader=reader)
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    workers_cpu = children_cpu() - children
    seconds = {**report.seconds, "views": report.seconds["views"] + caught_up}
    cpu_seconds = {
        **report.cpu_seconds,
        "views": report.cpu_seconds["views"] + caught_up_cpu,
    }
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    counts = county_counts(engine)
    print(
        f"county: {counts.get('household', 0):,} households, "
        f"{counts.get('staff', 0):,} staff"
    )
    phases = ", ".join(
        f"{k} {v:.1f} s ({cpu_seconds[k]:.1f} s CPU)" for k, v in seconds.items()
    )
    verdict = "under" if took < CEILING_SECONDS else "OVER"
    print(
        f"full scan: {took:.1f} s wall, {cpu:.1f} s CPU here ({phases}) and "
        f"{workers_cpu:.1f} s in forked workers; {verdict} the "
        f"{CEILING_SECONDS:.0f} s ceiling; {read + report.events_read:,} events "
        "read by the fact views"
    )
    worker = parallel.worker_peak_kib / 1024
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"peak memory (max RSS): {peak:,.0f} MiB in the scanning process"
        + (f", {worker:,.0f} MiB in its forked rule worker" if worker else "")
        + (
            f"; the largest child of this run (the forked fact-log or rule "
            f"worker, or the county's builder if it ran here): {largest:,.0f} MiB"
        )
    )
    counts_by_rule = ", ".join(f"{rule} {n}" for rule, n in report.counts().items())
    print(f"findings: {len(report.findings)} ({counts_by_rule})")
    print(f"flags raised by {auditor}: {len(report.raised)}; already: {report.known}")
    started = time.perf_counter()
    again = scan(fund, engine, act)
    print(
        f"second scan: {time.perf_counter() - started:.1f} s, "
        f"{len(again.raised)} new flags, {again.known} already flagged"
    )
    fund.close()
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=DEFAULT_HOUSEHOLDS)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--ledger", help="scan a copy of this SQLite ledger (a county built earlier)"
    )
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="with --ledger: scan the ledger itself, not a copy (it is written to)",
    )
    parser.add_argument("--tmp", help="with --ledger: where to put the copy")
    parser.add_argument(
        "--auditor", default="", help="with --ledger: who scans (default: found)"
    )
    parser.add_argument("--keep", help="build the county at this path and keep it")
    parser.add_argument("--build", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build(args.build, args.households, args.seed)
        return
    if args.ledger:
        if args.in_place:
            scan_county(args.ledger, args.auditor)
            return
        with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
            copy = str(Path(tmp) / "county.db")
            took = copy_ledger(args.ledger, copy)
            print(f"copied {args.ledger} to {copy} in {took:.0f} s (not timed below)")
            scan_county(copy, args.auditor)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or str(Path(tmp) / "county.db")
        summary = build_in_child(path, args.households, args.seed)
        print(
            f"built the demo county ({args.households:,} households, "
            f"{summary['lines']:,} legacy lines) in {summary['seconds']:.0f} s; "
            f"its own scan (views already current): "
            f"{summary['demo_scan_seconds']:.1f} s, "
            f"{summary['demo_scan_findings']} findings, "
            f"{summary['demo_scan_raised']} flags raised by the auditor "
            f"{summary['auditor']}"
        )
        scan_county(path, str(summary["auditor"]))


if __name__ == "__main__":
    main()
