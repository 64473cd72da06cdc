"""Benchmark: import a legacy file of 1,000,000 events into a chained SQLite ledger.

Generates one county's history (regions, standards, staff, households,
kinship, 低保 cases applied for and approved, monthly batches approved and
their lines disbursed) as legacy JSON lines, then imports it through
``domain.legacy.import_file`` with a progress bar, and prints events/s against
the issue's floor of 20,000 events/s. A second import of the same file must
record nothing; its time is printed too.

Run: ``.venv/bin/python bench/domain_import_bench.py [--events N]
[--keep DIR [--reuse]]``
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from domain import roles
from domain.base import Act
from domain.legacy import import_file
from domain.service import ReliefFund
from ledger.store import create_ledger, open_store, persistence_env

if TYPE_CHECKING:
    from collections.abc import Iterator

FLOOR = 20_000
KEY = "bench-deployment-key"
TOWNSHIPS = 8
VILLAGES = 10
HOUSEHOLDS_PER_VILLAGE = 100
COUNTY = "110101"
_encode = msgspec.json.Encoder().encode


class Lines:
    """Numbers legacy lines and stops at the requested total."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.count = 0

    def make(self, type_: str, record: str, when: str, **fields: Any) -> bytes | None:
        if self.count >= self.limit:
            return None
        self.count += 1
        envelope = {
            "id": f"L{self.count}",
            "type": type_,
            "record": record,
            "actor": "S0",
            "role": roles.COUNTY_CLERK,
            "occurred_at": when,
        }
        return _encode({**envelope, **fields}) + b"\n"


def _ref(*parts: object) -> str:
    return hashlib.sha256("/".join(map(str, parts)).encode()).hexdigest()


def _reference(lines: Lines) -> Iterator[bytes | None]:
    when = "2019-12-01T09:00:00+08:00"
    yield lines.make("region.registered", "11", when, name="北京市")
    yield lines.make("region.registered", "1101", when, name="市辖区")
    yield lines.make("region.registered", COUNTY, when, name="东城区")
    for t in range(1, TOWNSHIPS + 1):
        township = f"{COUNTY}{t:03d}"
        yield lines.make("region.registered", township, when, name=f"街道{t}")
        for v in range(1, VILLAGES + 1):
            yield lines.make("region.registered", f"{township}{v:03d}", when, name="村")
    yield lines.make(
        "region.standard_set",
        "1101",
        when,
        programme=roles.DIBAO,
        area="rural",
        amount_fen=100_000,
        effective_from="2020-01-01",
        document="京民发〔2019〕1号",
    )
    yield lines.make(
        "staff.registered", "S1", when, person=_ref("staff", 1), name="李四"
    )
    yield lines.make(
        "staff.role_assigned",
        "S1",
        when,
        staff_role=roles.TOWNSHIP_CLERK,
        org_code=COUNTY,
        from_date="2019-01-01",
    )


def _households(lines: Lines) -> Iterator[bytes | None]:
    when = "2020-01-02T09:00:00+08:00"
    for t, v, h in _homes():
        head, spouse = _ref("p", t, v, h, 1), _ref("p", t, v, h, 2)
        members = [
            {
                "person": head,
                "name": "户主",
                "relation": "户主",
                "birth_date": "1960-01-01",
            },
            {
                "person": spouse,
                "name": "配偶",
                "relation": roles.SPOUSE,
                "birth_date": "1962-01-01",
            },
        ]
        household = f"H{t:02d}{v:03d}{h:03d}"
        village = f"{COUNTY}{t:03d}{v:03d}"
        yield lines.make(
            "household.registered",
            household,
            when,
            region_code=village,
            area="rural",
            members=members,
        )
        if h % 10 == 0:
            yield lines.make(
                "kinship.recorded",
                head,
                when,
                other=spouse,
                relation=roles.SPOUSE,
                source="户籍",
            )


def _homes() -> Iterator[tuple[int, int, int]]:
    for t in range(1, TOWNSHIPS + 1):
        for v in range(1, VILLAGES + 1):
            for h in range(1, HOUSEHOLDS_PER_VILLAGE + 1):
                yield t, v, h


def _cases(lines: Lines) -> Iterator[bytes | None]:
    applied, approved = "2020-01-06T09:00:00+08:00", "2020-01-20T09:00:00+08:00"
    for t, v, h in _homes():
        case, household = f"DB{t:02d}{v:03d}{h:03d}", f"H{t:02d}{v:03d}{h:03d}"
        head, spouse = _ref("p", t, v, h, 1), _ref("p", t, v, h, 2)
        yield lines.make(
            "case.Applied",
            case,
            applied,
            programme=roles.DIBAO,
            category="补差",
            household_no=household,
            region_code=f"{COUNTY}{t:03d}{v:03d}",
            area="rural",
            applicant_ref=head,
            member_refs=[head, spouse],
            channel="窗口",
            authorisation_ref="A",
            commitment_ref="C",
        )
        yield lines.make(
            "case.Approved",
            case,
            approved,
            method="补差",
            monthly_amount=60_000,
            standard_fen=100_000,
            first_pay_month="2020-02",
            schedule={"2020-02": 60_000},
        )


def _payments(lines: Lines) -> Iterator[bytes | None]:
    year, month = 2020, 2
    while lines.count < lines.limit:
        period = f"{year}-{month:02d}"
        when = f"{period}-05T09:00:00+08:00"
        for t in range(1, TOWNSHIPS + 1):
            yield from _batch(lines, t, period, when)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _batch(lines: Lines, t: int, period: str, when: str) -> Iterator[bytes | None]:
    record = f"{roles.DIBAO}/{COUNTY}{t:03d}/{period}"
    homes = [
        (v, h)
        for v in range(1, VILLAGES + 1)
        for h in range(1, HOUSEHOLDS_PER_VILLAGE + 1)
    ]
    rows = [
        {
            "case_no": f"DB{t:02d}{v:03d}{h:03d}",
            "household_no": f"H{t:02d}{v:03d}{h:03d}",
            "amount_fen": 60_000,
        }
        for v, h in homes
    ]
    yield lines.make("payment.batch_created", record, when, lines=rows)
    yield lines.make("payment.batch_approved", record, when)
    paid = f"{period}-10"
    for line_no, _ in enumerate(rows, start=1):
        yield lines.make(
            "payment.disbursed",
            record,
            f"{paid}T12:00:00+08:00",
            line_no=line_no,
            bank_txn_ref=f"T{period}{t:02d}{line_no:05d}",
            value_date=paid,
            amount_fen=60_000,
            account_token=_ref("acct", t, line_no),
        )


def write_file(path: Path, events: int) -> int:
    """Write a legacy file of exactly ``events`` lines; return the count."""
    lines = Lines(events)
    with path.open("wb") as file:
        for part in (_reference, _households, _cases, _payments):
            for raw in part(lines):
                if raw is None:
                    return lines.count
                file.write(raw)
    return lines.count


def run(events: int, workdir: Path, *, reuse: bool = False) -> None:
    source = workdir / "legacy.jsonl"
    started = time.perf_counter()
    if reuse and source.exists():
        with source.open("rb") as file:
            written = sum(1 for _ in file)
        print(f"reusing {written:,} legacy events in {source}")
    else:
        written = write_file(source, events)
        print(
            f"wrote {written:,} legacy events in {time.perf_counter() - started:.1f} s"
        )
    db = str(workdir / "ledger.db")
    for stale in workdir.glob("ledger.db*"):
        stale.unlink()
    create_ledger(db)
    fund = ReliefFund(env={**persistence_env(db), "RELIEF_PERSON_KEY": KEY})
    by = Act("IMP1", roles.COUNTY_CLERK, datetime(2026, 1, 1, 8, 0))
    columns = (
        "{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    cpu = time.process_time()
    with Progress(*columns) as bar:
        task = bar.add_task("importing", total=written)
        report = import_file(
            fund,
            source,
            by=by,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    cpu = time.process_time() - cpu
    rate = report.lines / report.seconds
    print(
        f"first import: {report.lines:,} events, {report.recorded:,} recorded, "
        f"{report.seconds:.1f} s, {rate:,.0f} events/s (floor {FLOOR:,}: "
        f"{'met' if rate >= FLOOR else 'NOT met'})"
    )
    load = os.getloadavg()[0]
    print(
        f"  cpu time {cpu:.1f} s ({report.lines / cpu:,.0f} events per cpu-second); "
        f"load average {load:.1f} on {os.cpu_count()} cores: the machine is shared"
    )
    again = import_file(fund, source, by=by)
    print(f"second import: {again.recorded:,} recorded, {again.seconds:.1f} s")
    store = open_store(db)
    try:
        chain = store.verify()
        print(f"chain: {'ok' if chain.ok else 'BROKEN'}, {chain.checked:,} links")
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="work in DIR and keep the files")
    parser.add_argument(
        "--reuse", action="store_true", help="with --keep, reuse DIR's legacy file"
    )
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        run(args.events, args.keep, reuse=args.reuse)
        return
    with tempfile.TemporaryDirectory() as workdir:
        run(args.events, Path(workdir))


if __name__ == "__main__":
    main()
