"""After the demo writes: bring the projections up to date and run the risk scan.

``update_views`` runs the catalogue of views (``projections.catalogue``) over
the whole ledger, one transaction per page. ``risk_scan`` is the demo's one
call into the risk rules; it returns the findings counted by rule, or None
when the rules cannot run yet.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from projections.catalogue import catalogue_runner
from projections.engine import views_engine

if TYPE_CHECKING:
    from collections.abc import Callable

    from domain.service import ReliefFund
    from projections.runner import RunReport


def update_views(
    fund: ReliefFund, db: str, progress: Callable[[int], None] | None = None
) -> RunReport:
    """Catch every view of the catalogue up with the ledger at ``db``."""
    engine = views_engine(db)
    try:
        runner = catalogue_runner(engine, fund.recorder, fund.mapper, fund.name)
        report = runner.run()
        if progress is not None:
            progress(report.position)
        return report
    finally:
        engine.dispose()


def risk_scan(db: str) -> Counter[str] | None:
    """Run every risk rule over the views at ``db``; count the findings by rule.

    This is the demo's single call site of the risk scan. Returns None while
    the projections offer no whole-catalogue scan to call.
    """
    del db
    return None


__all__ = ["Counter", "risk_scan", "update_views"]
