"""Build the demo county on a ledger: generate, import, live month, then look.

``build_county_ledger`` generates the legacy file, records it through the
domain's import path (``domain.legacy.import_lines``, batched), works the
final month with live commands, all under the simulated clock, and returns
what it built. The CLI then verifies, checkpoints, runs the projections and
the risk scan (``cli.demo.scan``) and prints the summary.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Final

from cli.demo.clock import simulated_clock
from cli.demo.generate import DEMO_PERSON_KEY, Generated, generate
from cli.demo.lines import moment
from cli.demo.live import LiveMonth, run_live_month
from cli.demo.scan import scan_ledger, update_views
from cli.services import Verification
from domain import roles
from domain.base import Act
from domain.legacy import import_lines
from domain.reference_queries import PERSON_KEY
from domain.service import ReliefFund
from ledger.checkpoints import sign_checkpoint, write_checkpoint
from ledger.errors import ChainIntegrityError, LedgerError
from ledger.keys import load_private_key
from ledger.store import persistence_env

if TYPE_CHECKING:
    from cli.services import Services
    from domain.legacy import ImportReport
    from ledger.checkpoints import Checkpoint
    from ledger.verify import ChainReport
    from projections.risk.scan import ScanReport
    from projections.run_report import RunReport

IMPORT_DAY: Final = moment(date(2026, 1, 2), 8)
"""The day the old system's history is imported (the simulated recorded time)."""
IMPORTER: Final = Act("S0001", roles.COUNTY_CLERK, IMPORT_DAY)
SCAN_DAY: Final = date(2026, 1, 31)
"""The day the county's 审计 officer runs the risk scan."""


@dataclass
class Phases:
    """Seconds spent in each phase, in the order they ran."""

    seconds: dict[str, float] = field(default_factory=dict)
    _started: float = field(default_factory=time.perf_counter)

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = now - self._started
        self._started = now


@dataclass(frozen=True)
class Built:
    """What the demo built: the generated county, the import, the live month."""

    generated: Generated
    imported: ImportReport
    live_commands: int
    views: RunReport
    scan: ScanReport


Progress = Callable[[str, int, int], None]
"""``progress(phase, done, total)``: a phase's advance, for the progress bar."""


def build_county_ledger(
    db: str,
    *,
    seed: int,
    households: int,
    person_key: str | None = None,
    progress: Progress | None = None,
    phases: Phases | None = None,
) -> Built:
    """Generate the county and record it on the ledger at ``db`` (already created)."""
    phases = phases or Phases()
    report = progress or (lambda _phase, _done, _total: None)
    key = person_key or DEMO_PERSON_KEY
    generated = generate(seed, households, key)
    phases.lap("generate")
    env = {**persistence_env(db), PERSON_KEY: key}
    with simulated_clock(IMPORT_DAY) as clock:
        fund = ReliefFund(env=env)
        try:
            lines = generated.lines
            imported = import_lines(
                fund,
                lambda: lines,
                by=IMPORTER,
                progress=lambda done, total: report("import", done, total),
            )
            phases.lap("import")
            live = LiveMonth(fund, clock, generated, seed)
            commands = run_live_month(live, lambda n, t: report("live", n, t))
            phases.lap("live month")
            head = fund.recorder.max_notification_id() or 0
            views = update_views(fund, db, lambda n: report("views", n, head))
            phases.lap("projections")
            inspector = next(p for p in generated.county.posts if p.role == roles.AUDIT)
            act = live.act(inspector, SCAN_DAY)
            found = scan_ledger(fund, db, act)
            report("scan", 1, 1)
            phases.lap("risk scan")
        finally:
            fund.close()
    return Built(generated, imported, commands, views, found)


@dataclass(frozen=True)
class DemoOutcome:
    """Everything ``relief demo`` did, for the summary."""

    built: Built
    head: int
    checkpoint: Path
    signed: Checkpoint
    verification: Verification
    phases: Phases


def run_demo(
    services: Services,
    *,
    seed: int,
    households: int,
    out: Path | None = None,
    progress: Progress | None = None,
) -> DemoOutcome:
    """Build the demo county on the (empty) ledger, then verify, sign and scan.

    Raises:
        DemoLedgerNotEmptyError: the ledger already holds events.
    """
    report = progress or (lambda _phase, _done, _total: None)
    services.init_ledger()
    held = services.head()[0]
    if held:
        raise DemoLedgerNotEmptyError(services.db, held)
    phases = Phases()
    built = build_county_ledger(
        services.db,
        seed=seed,
        households=households,
        person_key=services.person_key,
        progress=report,
        phases=phases,
    )
    head = services.head()[0]
    verified = services.verify(None, lambda done: report("verify", done, head))
    path, signed = _sign(services, verified.report, out)
    phases.lap("verify + checkpoint")
    verification = Verification(verified.report, signed)
    return DemoOutcome(built, head, path, signed, verification, phases)


def _sign(
    services: Services, chain: ChainReport, out: Path | None
) -> tuple[Path, Checkpoint]:
    """Sign the head the demo has just verified (one pass over the chain, not two).

    Raises:
        ChainIntegrityError: the chain does not verify; nothing is signed.
    """
    damage = chain.first_break
    if damage is not None:
        raise ChainIntegrityError(
            damage.position, damage.kind, damage.expected, damage.calculated
        )
    key = load_private_key(services.keys)
    checkpoint, signature = sign_checkpoint(key, chain.head_position, chain.head_hash)
    path = out or Path(f"checkpoint-{chain.head_position:08d}.json")
    return write_checkpoint(path, checkpoint, signature), checkpoint


class DemoLedgerNotEmptyError(LedgerError):
    """The demo builds its county on an empty ledger only."""

    def __init__(self, db: str, events: int) -> None:
        self.db, self.events = db, events
        super().__init__(
            f"Refused by rule demo-empty-ledger for ledger {db}: the demo builds a "
            f"county on an empty ledger, and this one holds {events} events."
        )
