"""Judging a large county's rule groups in two processes.

On a county of a million events and more, the facts of the heaviest rule
group (by the rows of the fact log it reads; the money group on a demo county)
are built and judged in a forked worker while this process builds and judges
the other groups, so a two-core machine spends about the money group's time
on the rules instead of the sum. The worker opens its own connections (the
parent's engine is disposed of in the child without closing the parent's) and
sends back its findings only. Smaller logs, systems without ``fork`` and
single-core machines judge every group here, one after the other.
"""

from __future__ import annotations

import multiprocessing
import resource
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

from projections.forking import cores
from projections.risk.fact_kinds import rows_by_kind
from projections.risk.fact_pass import fold_once
from projections.risk.findings import run_rules

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from datetime import date

    from sqlalchemy.engine import Connection, Engine

    from projections.risk.catalogue import RuleGroup
    from projections.risk.findings import RiskFinding

PARALLEL_FROM = 300_000
"""Fact logs with fewer rows are judged in one process: a worker costs more."""

_forked: tuple[Engine, RuleGroup[Any], date | None] | None = None
"""What the forked worker judges: set in the parent just before the fork."""

worker_peak_kib = 0
"""The peak resident memory of the last forked worker, in KiB (benchmarks)."""


def judged(
    engine: Engine,
    conn: Connection,
    groups: Sequence[RuleGroup[Any]],
    as_of: date | None,
    judge: Callable[
        [Connection, Sequence[RuleGroup[Any]], date | None], list[list[RiskFinding]]
    ],
) -> list[list[RiskFinding]]:
    """Each group's findings, in the order of ``groups``: the heaviest group
    in a forked worker when the log is large, the rest by ``judge`` here."""
    heavy = judged_apart(conn, groups)
    if heavy is None:
        return judge(conn, groups, as_of)
    global _forked  # noqa: PLW0603 (handed to the forked worker, not shared)
    _forked = (engine, groups[heavy], as_of)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            offloaded = pool.submit(_judge_forked)
            rest = [g for index, g in enumerate(groups) if index != heavy]
            here = iter(judge(conn, rest, as_of))
            there, peak = offloaded.result()
    finally:
        _forked = None
    global worker_peak_kib  # noqa: PLW0603 (a figure for benchmarks)
    worker_peak_kib = peak
    return [there if index == heavy else next(here) for index in range(len(groups))]


def judged_apart(conn: Connection, groups: Sequence[RuleGroup[Any]]) -> int | None:
    """The index of the group to fork off, or None to judge all here."""
    kinds = [_reads(group) for group in groups]
    if sum(1 for k in kinds if k is not None) < 2:
        return None
    if cores() < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    counts = rows_by_kind(conn)
    if sum(counts.values()) < PARALLEL_FROM:
        return None
    weight = [
        -1 if k is None else sum(counts.get(kind, 0) for kind in k) for k in kinds
    ]
    return weight.index(max(weight))


def _reads(group: RuleGroup[Any]) -> tuple[str, ...] | None:
    """The row kinds a group's fold is handed: what its weight counts."""
    return group.fold().reads if group.fold is not None else None


def _judge_forked() -> tuple[list[RiskFinding], int]:
    """In the worker: build and judge the one group handed over, on its own
    connections; return the findings and the worker's peak memory (KiB)."""
    engine, group, as_of = _forked or (None, None, None)
    fold = group.fold if group is not None else None
    if engine is None or group is None or fold is None:
        message = "no folded rule group was handed to the forked worker"
        raise RuntimeError(message)
    engine.dispose(close=False)
    with engine.connect() as conn:
        (facts,) = fold_once(conn, [fold()], as_of)
    found = list(run_rules(group.rules, facts))
    return found, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
