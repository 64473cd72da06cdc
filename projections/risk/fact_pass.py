"""One pass over the risk-fact log for every rule group's fold.

Each group's facts are a fold of the log's rows of the kinds it reads
(``projections.risk.relation_facts``, ``projections.risk.money_fold``,
``projections.risk.procedure_fold``). ``fold_once`` reads the rows of every
kind any fold wants once, in ledger order, and hands each row to the folds
that read its kind, so a row shared by several groups is read and decoded
once. Each fold judges from the latest business day among its own rows, but
never after the latest day anything was recorded (``fact_views.judged_day``),
unless the scan names the day.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from projections.risk.fact_kinds import latest_days
from projections.risk.fact_views import judged_day, read_facts

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from sqlalchemy.engine import Connection

    from projections.risk.fact_views import FactRow

F_co = TypeVar("F_co", covariant=True)
T = TypeVar("T")


class Fold(Protocol[F_co]):
    """A group's facts built row by row: the kinds it reads, each row, the end.

    ``kinds`` are the kinds whose latest day moves the day judged from;
    ``reads`` are those of them ``take`` uses, the only rows a pass over the
    log hands it (a county holds hundreds of thousands of the others).
    """

    @property
    def kinds(self) -> tuple[str, ...]: ...

    @property
    def reads(self) -> tuple[str, ...]: ...

    def take(self, row: FactRow) -> None: ...

    def result(self, as_of: date) -> F_co: ...


Days = dict[str, tuple[date, date]]
"""Per row kind: its latest business day and latest recorded day."""


def fold_rows(rows: Iterable[FactRow], fold: Fold[T], as_of: date | None) -> T:
    """Feed ``rows`` (in ledger order) to ``fold`` and return its facts."""
    days: Days = {}
    wanted = frozenset(fold.kinds)
    take = fold.take
    for row in rows:
        if row.kind in wanted:
            take(row)
            business, recorded = days.get(row.kind, (date.min, date.min))
            days[row.kind] = (max(business, row.day), max(recorded, row.recorded))
    return fold.result(as_of or _judged(days, fold.kinds))


def fold_once(
    conn: Connection, folds: Sequence[Fold[Any]], as_of: date | None
) -> list[Any]:
    """Read the log once for all ``folds`` and return each one's facts.

    Only the rows some fold ``reads`` are fetched; the day each fold judges
    from comes from the latest days of all its ``kinds``, by one query.
    """
    routes: dict[str, list[Callable[[FactRow], None]]] = {}
    for fold in folds:
        for kind in fold.reads:
            routes.setdefault(kind, []).append(fold.take)
    for row in read_facts(conn, sorted(routes)):
        for take in routes[row.kind]:
            take(row)
    days = latest_days(conn) if as_of is None else {}
    return [fold.result(as_of or _judged(days, fold.kinds)) for fold in folds]


def _judged(days: Days, kinds: Iterable[str]) -> date:
    found = [days[kind] for kind in kinds if kind in days]
    business = max((b for b, _ in found), default=date.min)
    recorded = max((r for _, r in found), default=date.min)
    return judged_day(business, recorded)
