"""Benchmark: build, approve and disburse one monthly batch through the chained ledger.

Usage::

    .venv/bin/python bench/batch_bench.py                  # SQLite and PostgreSQL
    .venv/bin/python bench/batch_bench.py --lines 100000 --lines-per-event 1
    .venv/bin/python bench/batch_bench.py --backend sqlite

Setup (not timed): a ledger, the region tree, two 财务 staff, and a roll
(花名册) of N cases. Timed, end to end through the domain service and the
chained recorder: ``create_batch`` (one roll load, N lines), ``approve_batch``
by the second officer, ``send_instruction`` with the file's SHA-256, and
``record_disbursements`` of every line. Targets (issue 6): under 20 s on
SQLite and 30 s on PostgreSQL for 100,000 lines.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg

from domain import roles
from domain.base import Act
from domain.batch_rules import Disbursement
from domain.oversight_service import OversightCommands
from domain.payment_service import PaymentCommands
from domain.reference_service import ReferenceCommands
from domain.rolls import Roll
from ledger.store import create_ledger, persistence_env

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

PERIOD = "2024-05"
TOWNSHIP = "110101001"
REGIONS = (
    ("11", "北京市"),
    ("1101", "市辖区"),
    ("110101", "东城区"),
    ("110101001", "东华门街道"),
)
SETUP = Act("S0", roles.COUNTY_CLERK, datetime(2024, 1, 2, 9, 0))
MAKER = Act("F1", roles.FINANCE, datetime(2024, 5, 6, 9, 0))
CHECKER = Act("F2", roles.FINANCE, datetime(2024, 5, 6, 10, 0))
TARGETS = {"sqlite": 20.0, "postgres": 30.0}


class BenchFund(ReferenceCommands, PaymentCommands, OversightCommands):
    """The reference, payment and oversight commands on one service."""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _fund(url: str) -> BenchFund:
    env = {**persistence_env(url), "RELIEF_PERSON_KEY": "bench-key"}
    return BenchFund(env=env)


def _setup(fund: BenchFund, lines: int) -> None:
    for code, name in REGIONS:
        fund.register_region(SETUP, code, name)
    for staff_id in ("F1", "F2"):
        fund.register_staff(SETUP, staff_id, _digest(staff_id), f"财务{staff_id}")
        fund.assign_role(SETUP, staff_id, roles.FINANCE, "110101", date(2024, 1, 1))
    roll = Roll.open(SETUP, roles.DIBAO, TOWNSHIP)
    for n in range(lines):
        amount = 30_000 + (n % 500) * 100
        roll.set_schedule(SETUP, f"C{n:07d}", f"H{n:07d}", {"2024-01": amount})
        if n % 10_000 == 9_999:  # a roll grows over years, not in one commit
            fund.save(roll)
    fund.save(roll)


def _events(fund: BenchFund) -> int:
    return fund.recorder.max_notification_id() or 0


def _timed(label: str, fund: BenchFund, step: Callable[[], object]) -> float:
    before, start = _events(fund), time.perf_counter()
    step()
    took = time.perf_counter() - start
    events = _events(fund) - before
    print(f"  {label:<22} {took:7.2f} s  {events:>7} events")
    return took


def _run(backend: str, url: str, lines: int, per_event: int) -> bool:
    create_ledger(url)
    fund = _fund(url)
    fund.lines_per_event = per_event
    start = time.perf_counter()
    _setup(fund, lines)
    print(
        f"{backend}: setup of a roll of {lines} cases took "
        f"{time.perf_counter() - start:.1f} s (not timed)"
    )
    first = _events(fund)
    ids: list[uuid.UUID] = []

    def create() -> None:
        ids.append(
            fund.create_batch(
                MAKER, programme=roles.DIBAO, region_code=TOWNSHIP, period=PERIOD
            )
        )

    def prepare() -> None:
        # The bank's side, not timed: the instruction file and the bank's
        # report of every line paid, built from the approved batch.
        batch = fund.payment_batch(ids[0])
        rows = "".join(
            f"{n},{line[1]},{line[2]}\n" for n, line in sorted(batch.lines.items())
        )
        bank["file"] = (
            hashlib.sha256(rows.encode()).hexdigest(),
            batch.line_count,
            batch.total_fen,
        )
        bank["items"] = [
            Disbursement(n, f"T{n}", date(2024, 5, 10), line[2], _digest(f"a{n}"))
            for n, line in batch.lines.items()
        ]

    def instruct() -> None:
        file_sha256, count, total = bank["file"]
        fund.send_instruction(
            MAKER,
            ids[0],
            file_sha256=file_sha256,
            line_count=count,
            total_fen=total,
            bank_code="RCC",
        )

    bank: dict[str, Any] = {}
    start = time.perf_counter()
    fund.roll_lines(roles.DIBAO, TOWNSHIP, PERIOD)
    roll_load = time.perf_counter() - start
    print(f"  (a cold load of the roll, {lines + 1} events, alone: {roll_load:.2f} s)")
    took = _timed("create_batch", fund, create)
    took += _timed("approve_batch", fund, lambda: fund.approve_batch(CHECKER, ids[0]))
    prepare()
    took += _timed("send_instruction", fund, instruct)
    took += _timed(
        "record_disbursements",
        fund,
        lambda: fund.record_disbursements(MAKER, ids[0], bank["items"]),
    )
    events = _events(fund) - first
    target = TARGETS[backend]
    verdict = "meets" if took < target else "MISSES"
    print(
        f"  total {took:.2f} s for {lines} lines, {events} events "
        f"({events / took:,.0f} events/s, {2 * lines / took:,.0f} line-records/s); "
        f"{verdict} the {target:.0f} s target"
    )
    print(
        f"  of which replaying the roll ~{roll_load:.1f} s, the batch's own work "
        f"~{max(took - roll_load, 0):.1f} s; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    fund.close()
    return took < target


def _sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as tmp:
        yield str(Path(tmp) / "bench.db")


def _postgres_url() -> Iterator[str]:
    base = os.environ.get(
        "RELIEF_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test"
    )
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base.split("?")[0], autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{base}?schema={schema}"
    finally:
        with psycopg.connect(base.split("?")[0], autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--lines-per-event", type=int, default=1000)
    parser.add_argument(
        "--backend", choices=["sqlite", "postgres", "both"], default="both"
    )
    args = parser.parse_args()
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    print(f"{args.lines} lines, {args.lines_per_event} lines per event")
    ok = True
    for backend in backends:
        urls = _sqlite_url() if backend == "sqlite" else _postgres_url()
        for url in urls:
            ok = _run(backend, url, args.lines, args.lines_per_event) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
