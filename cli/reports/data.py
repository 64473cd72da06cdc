"""What the audit report shows, read from the ledger, the views and the flags.

One call, ``gather``, catches the views up, reads money by month, programme
and township from the books (``projections.balances``), the flags and their
evidence (``cli.flags``), the rule catalogue, and the chain's own verification
(with the newest signed checkpoint, when one is given or found).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from cli.bootstrap import caught_up_views
from cli.flags import flags
from domain.errors import DomainError
from projections.balances import cells_table
from projections.risk.catalogue import catalogue

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy import Column
    from sqlalchemy.engine import Connection

    from cli.flags import FlagRow
    from cli.services import Services, Verification
    from domain.service import ReliefFund
    from projections.risk.catalogue import Entry

TOWNSHIP_DIGITS = 9
TOP_CASES = 15


@dataclass(frozen=True)
class AuditData:
    """Everything the audit report renders, already summed."""

    generated_at: str
    database: str
    chain: Verification
    by_month: list[tuple[str, int]]
    by_programme: list[tuple[str, int]]
    by_township: list[tuple[str, int]]
    flags: list[FlagRow]
    villages: dict[str, str]
    rules: dict[str, Entry]
    top_cases: list[tuple[str, int]]


def newest_checkpoint(folder: Path) -> Path | None:
    """Return the newest ``checkpoint-*.json`` in ``folder`` (by position), if any."""
    found = sorted(folder.glob("checkpoint-*.json"))
    return found[-1] if found else None


def gather(services: Services, fund: ReliefFund, checkpoint: Path | None) -> AuditData:
    """Read everything the audit report needs, catching the views up first."""
    with caught_up_views(services, fund) as engine, engine.connect() as conn:
        by_month = _sums(conn, cells_table.c.period)
        by_programme = _sums(conn, cells_table.c.programme)
        by_region = _sums(conn, cells_table.c.region)
    raised = flags(fund)
    return AuditData(
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        database=services.db,
        chain=services.verify(checkpoint),
        by_month=by_month,
        by_programme=sorted(by_programme, key=lambda p: -p[1]),
        by_township=_townships(fund, by_region),
        flags=raised,
        villages=_villages(fund, raised),
        rules={entry.rule_id: entry for entry in catalogue()},
        top_cases=Counter(_bare(f.subject) for f in raised).most_common(TOP_CASES),
    )


def _sums(conn: Connection, key: Column[str]) -> list[tuple[str, int]]:
    """Return the money disbursed, summed by one key of the books' cells."""
    disbursed = func.sum(cells_table.c.disbursed)
    query = select(key, disbursed).group_by(key).order_by(key)
    return [(str(k), int(v or 0)) for k, v in conn.execute(query)]


def _townships(
    fund: ReliefFund, by_region: list[tuple[str, int]]
) -> list[tuple[str, int]]:
    totals: Counter[str] = Counter()
    for region, fen in by_region:
        totals[region[:TOWNSHIP_DIGITS]] += fen
    return [(_region_name(fund, code), fen) for code, fen in totals.most_common()]


def _region_name(fund: ReliefFund, code: str) -> str:
    try:
        return f"{fund.region(code).name} {code}"
    except DomainError:
        return code


def _villages(fund: ReliefFund, raised: list[FlagRow]) -> dict[str, str]:
    """Return the region of each flag's subject: a case's village, or the code named.

    Subjects are a case number (bare or as ``case NO``), or name a region
    (``430121002201``, ``township 430121001``, ``低保/430121001``); anything
    else (an account) has no place and shows as ``—``.
    """
    villages: dict[str, str] = {}
    for subject in {f.subject for f in raised}:
        villages[subject] = _place_of(fund, subject)
    return villages


def _place_of(fund: ReliefFund, subject: str) -> str:
    code = re.search(r"\d{12}|\d{9}", subject)
    if code is not None and not _CASE_NO.fullmatch(_bare(subject)):
        return code.group()
    try:
        return fund.case(_bare(subject)).region_code
    except DomainError:
        return "—"


_CASE_NO = re.compile(r"[A-Z]{1,4}\d+[-\w]*")


def _bare(subject: str) -> str:
    return subject.removeprefix("case ").strip()
