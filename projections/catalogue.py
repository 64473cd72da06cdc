"""The catalogue: every view the runner keeps current and ``rebuild`` rebuilds.

One list, so ``relief projections update|rebuild|status``, the benchmark and
the tests run the very same views: the books (postings and balances), case
schedules, the audit indexes, the 公示 list and the risk rules' facts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from projections.audit import EventIndexLog, OriginatorLog, SubjectLog
from projections.balances import BooksView
from projections.case_views import CaseScheduleFold
from projections.parallel_views import Workers
from projections.reports import NoticeLog
from projections.risk.fact_kinds import fact_views
from projections.runner import DEFAULT_PAGE_SIZE, ViewRunner
from projections.views import FoldView, LogView

if TYPE_CHECKING:
    from collections.abc import Callable

    from eventsourcing.persistence import ApplicationRecorder, Mapper
    from sqlalchemy.engine import Engine

    from projections.forking import LedgerReader
    from projections.views import View


def all_views(engine: Engine) -> list[View]:
    """Return a fresh instance of every view, on ``engine``."""
    return [
        BooksView(engine),
        FoldView(engine, CaseScheduleFold()),
        LogView(engine, EventIndexLog()),
        LogView(engine, SubjectLog()),
        LogView(engine, OriginatorLog()),
        LogView(engine, NoticeLog()),
        *fact_views(engine),
    ]


def catalogue_runner(
    engine: Engine,
    recorder: ApplicationRecorder,
    mapper: Mapper[Any],
    application_name: str,
    *,
    page_size: int = DEFAULT_PAGE_SIZE,
    reader: Callable[[], LedgerReader] | None = None,
) -> ViewRunner:
    """Return a runner over every view of the catalogue.

    Given ``reader`` (a factory of fresh ledger readers), a rebuild, and a
    catch-up of views far behind, run the views in forked workers
    (``projections.parallel_views``); without it, all in this process.
    """
    return ViewRunner(
        engine,
        recorder,
        mapper,
        application_name,
        all_views(engine),
        page_size=page_size,
        workers=None if reader is None else Workers(reader),
    )
