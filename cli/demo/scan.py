"""After the demo writes: bring the projections up to date and run the risk scan.

``update_views`` runs the catalogue of views (``projections.catalogue``) over
the whole ledger, one transaction per page (in forked workers, as a rebuild,
when the views stand far behind). ``scan_ledger`` is the demo's one
call into the risk rules (``projections.risk.scan.scan``): it catches the
fact views up, runs every rule and raises each new finding as a flag, by the
county's first 审计 officer, on the last day of the live month.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cli.bootstrap import fund_reader, views_runner
from projections.engine import views_engine
from projections.risk.scan import scan

if TYPE_CHECKING:
    from collections.abc import Callable

    from domain.base import Act
    from domain.service import ReliefFund
    from projections.risk.scan import ScanReport
    from projections.run_report import RunReport


def update_views(
    fund: ReliefFund, db: str, progress: Callable[[int], None] | None = None
) -> RunReport:
    """Catch every view of the catalogue up with the ledger at ``db``."""
    engine = views_engine(db)
    try:
        runner = views_runner(fund, engine, db)
        report = runner.run()
        if progress is not None:
            progress(report.position)
        return report
    finally:
        engine.dispose()


def scan_ledger(fund: ReliefFund, db: str, act: Act) -> ScanReport:
    """Run the risk scan over the ledger at ``db``, raising flags as ``act``."""
    engine = views_engine(db)
    try:
        return scan(fund, engine, act, reader=fund_reader(db))
    finally:
        engine.dispose()
