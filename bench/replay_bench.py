"""Benchmark: replay as of a date, one household and the whole county's totals.

On an existing ledger (``--db``: a SQLite path or a postgresql:// URL), prints:

* the ledger's size (events, and the file's size for SQLite);
* one household as of a business date (``projections.asof.household_as_of``,
  its own events found through the audit indexes), over ``--samples``
  households and dates drawn at random (seeded): median and worst ms, wall
  and CPU (target: under 100 ms);
* ``relief replay --as-of`` (``cli.inspection.money_totals``: the books view's
  stored legs summed within the bound) for a few dates: CPU and wall ms;
* with ``--fold``, the same totals by folding every event
  (``projections.asof.books_as_of``), the way ``replay`` answered before, and
  whether both answers agree.

The views are caught up first (that time is printed apart), which writes view
tables into the store: run it on a copy of a ledger you must not change.

    .venv/bin/python bench/replay_bench.py --db /tmp/copy-of-county.db
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import func, select

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from cli.inspection import catch_up_audit, money_totals
from domain.service import ReliefFund
from ledger.store import persistence_env
from projections.asof import books_as_of, household_as_of, programme_totals
from projections.audit import events_table, originators_table
from projections.engine import views_engine
from projections.replay import read_events

if TYPE_CHECKING:
    from collections.abc import Callable

T = TypeVar("T")


def _timed(call: Callable[[], T]) -> tuple[T, float, float]:
    """Run ``call()``; return its result, wall ms and CPU ms."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return (
        result,
        (time.perf_counter() - wall) * 1000,
        (time.process_time() - cpu) * 1000,
    )


def _days(conn: Any, rng: random.Random, count: int) -> list[date]:
    """``count`` business days drawn between the ledger's first and last."""
    e = events_table.c
    first, last = conn.execute(
        select(func.min(e.occurred_on), func.max(e.occurred_on))
    ).one()
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    span = (end - start).days
    return [start + timedelta(days=rng.randrange(span + 1)) for _ in range(count)]


def _spread(conn: Any, count: int) -> list[date]:
    """``count`` business days evenly spread over the ledger's history."""
    e = events_table.c
    first, last = conn.execute(
        select(func.min(e.occurred_on), func.max(e.occurred_on))
    ).one()
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    step = (end - start) / (count + 1)
    return [start + step * (k + 1) for k in range(count)]


def households(fund: ReliefFund, db: str, samples: int) -> list[tuple[float, float]]:
    """Time ``household_as_of`` for sampled households and days: (wall, CPU) ms."""
    engine = views_engine(db)
    rng = random.Random(7)  # benchmark sampling only
    timings = []
    try:
        with engine.connect() as conn:
            o = originators_table.c
            labels = conn.execute(
                select(o.label).where(o.kind == "Household")
            ).scalars()
            chosen = rng.sample(sorted(labels), samples)
            for household_no, day in zip(
                chosen, _days(conn, rng, samples), strict=True
            ):
                state, wall, cpu = _timed(
                    partial(
                        household_as_of,
                        conn,
                        fund.recorder,
                        fund.mapper,
                        household_no,
                        as_of=day,
                    )
                )
                assert state.household_no == household_no
                timings.append((wall, cpu))
    finally:
        engine.dispose()
    return timings


def _summary(
    label: str, timings: list[tuple[float, float]], target: float | None = None
) -> None:
    walls = [w for w, _ in timings]
    cpus = [c for _, c in timings]
    verdict = ""
    if target is not None:
        met = "met" if max(walls) < target else "NOT met"
        verdict = f"; target {target:.0f} ms (worst wall): {met}"
    print(
        f"{label}: {len(timings)} samples; wall median {statistics.median(walls):.1f}"
        f" ms, worst {max(walls):.1f} ms; CPU median {statistics.median(cpus):.1f}"
        f" ms, worst {max(cpus):.1f} ms{verdict}"
    )


def totals(fund: ReliefFund, db: str, days: list[date], fold: bool) -> None:
    """Time ``relief replay --as-of`` for each day; with ``fold``, the full fold."""
    timings = []
    answers = {}
    for day in days:
        (sums, _last), wall, cpu = _timed(partial(money_totals, fund, db, as_of=day))
        answers[day] = sums
        timings.append((wall, cpu))
    _summary("replay --as-of (stored legs)", timings)
    if not fold:
        return
    for day in days:
        folded, wall, cpu = _timed(partial(_folded_totals, fund, day))
        same = "same answer" if folded == answers[day] else "DIFFERENT answer"
        print(f"  full fold as of {day}: wall {wall:.0f} ms, CPU {cpu:.0f} ms, {same}")


def _folded_totals(fund: ReliefFund, day: date) -> dict[str, dict[str, int]]:
    events = read_events(fund.recorder, fund.mapper)
    return programme_totals(books_as_of(events, as_of=day))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="SQLite path or postgresql:// URL.")
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--dates", type=int, default=5)
    parser.add_argument("--fold", action="store_true", help="Also fold every event.")
    args = parser.parse_args()
    fund = ReliefFund(env=persistence_env(args.db))
    try:
        size = fund.recorder.max_notification_id() or 0
        on_disk = (
            f", {os.path.getsize(args.db) / 2**20:,.0f} MiB on disk"
            if os.path.exists(args.db)
            else ""
        )
        print(f"ledger: {size:,} events{on_disk}; load {os.getloadavg()[0]:.1f}")
        engine = views_engine(args.db)
        try:
            _, wall, cpu = _timed(lambda: catch_up_audit(fund, engine))
            print(f"audit indexes caught up: wall {wall:.0f} ms, CPU {cpu:.0f} ms")
            with engine.connect() as conn:
                days = _spread(conn, args.dates)
        finally:
            engine.dispose()
        _summary("household as of a date", households(fund, args.db, args.samples), 100)
        totals(fund, args.db, days, args.fold)
    finally:
        fund.close()


if __name__ == "__main__":
    main()
