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

from projections.risk.fact_views import judged_day, read_facts

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from sqlalchemy.engine import Connection

    from projections.risk.fact_views import FactRow

F_co = TypeVar("F_co", covariant=True)
T = TypeVar("T")


class Fold(Protocol[F_co]):
    """A group's facts built row by row: the kinds it reads, each row, the end."""

    @property
    def kinds(self) -> tuple[str, ...]: ...

    def take(self, row: FactRow) -> None: ...

    def result(self, as_of: date) -> F_co: ...


def fold_rows(rows: Iterable[FactRow], fold: Fold[T], as_of: date | None) -> T:
    """Feed ``rows`` (in ledger order) to ``fold`` and return its facts."""
    (facts,) = _feed(rows, [fold], as_of)
    result: T = facts
    return result


def fold_once(
    conn: Connection, folds: Sequence[Fold[Any]], as_of: date | None
) -> list[Any]:
    """Read the log once for all ``folds`` and return each one's facts."""
    kinds = sorted({kind for fold in folds for kind in fold.kinds})
    return _feed(read_facts(conn, kinds), folds, as_of)


def _feed(
    rows: Iterable[FactRow], folds: Sequence[Fold[Any]], as_of: date | None
) -> list[Any]:
    routes: dict[str, list[int]] = {}
    for index, fold in enumerate(folds):
        for kind in fold.kinds:
            routes.setdefault(kind, []).append(index)
    takes = [fold.take for fold in folds]
    business = [date.min] * len(folds)
    recorded = [date.min] * len(folds)
    for row in rows:
        for index in routes.get(row.kind, ()):
            takes[index](row)
            business[index] = max(business[index], row.day)
            recorded[index] = max(recorded[index], row.recorded)
    return [
        fold.result(as_of or judged_day(business[index], recorded[index]))
        for index, fold in enumerate(folds)
    ]
