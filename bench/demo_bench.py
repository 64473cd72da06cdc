"""Benchmark: the whole `relief demo` on SQLite (or PostgreSQL), phase by phase.

Builds the demo county at the given scale in a temporary directory and prints
the seconds of each phase (generate, import, live month, verify + checkpoint,
projections + scan), the events recorded, the import's rate in legacy lines
per second, and the total against the issue's ceiling of 180 s for the
default 8,000 households on SQLite. Wall and CPU seconds are both printed:
on a shared machine the wall time moves with the load.

Run: ``.venv/bin/python bench/demo_bench.py [--scale N] [--seed S] [--db URL]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cli.bootstrap import build_services
from cli.demo.run import run_demo

CEILING_SECONDS = 180.0


def run(scale: int, seed: int, db: str | None, workdir: Path) -> None:
    services = build_services(db or str(workdir / "demo.db"), workdir / "keys")
    wall, cpu = time.perf_counter(), time.process_time()
    outcome = run_demo(
        services, seed=seed, households=scale, out=workdir / "checkpoint.json"
    )
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    for phase, seconds in outcome.phases.seconds.items():
        print(f"{phase:<22} {seconds:8.1f} s")
    imported = outcome.built.imported
    print(
        f"legacy lines           {imported.lines:8,} "
        f"({imported.lines / max(imported.seconds, 1e-9):,.0f} lines/s)"
    )
    print(f"events on the ledger   {outcome.head:8,}")
    print(
        f"chain                  {'ok' if outcome.verification.report.ok else 'BROKEN'}"
    )
    verdict = "met" if wall < CEILING_SECONDS else "NOT met"
    print(
        f"total                  {wall:8.1f} s wall, {cpu:.1f} s CPU "
        f"(ceiling {CEILING_SECONDS:.0f} s at 8,000 households: {verdict})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=8_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db", help="a postgresql:// URL (default: SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        run(args.scale, args.seed, args.db, Path(workdir))


if __name__ == "__main__":
    main()
