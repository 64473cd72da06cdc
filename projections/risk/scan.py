"""The risk scan: bring the fact views up to date, run every rule, raise new flags.

``scan`` runs, in order:

1. the batched runner over the views of every rule group (one transaction
   per page, positions tracked), so the facts cover the whole ledger;
2. every group's rules over its facts (``projections.risk.catalogue.GROUPS``),
   giving findings with their evidence (positions and chain hashes);
3. ``record_findings``: each finding not yet known becomes a ``RedFlag``
   through the domain's ``raise_flag``, so the inspectors' work is on the
   chain too. A flag's id is fixed by its rule, subject and evidence
   (``domain.oversight.flag_id``): a finding already raised, open or
   cleared, is skipped, so a rerun raises nothing new and a cleared flag is
   not raised again for the same evidence.

Clearing is the domain's ``clear_flag``: someone other than the raiser, with
a written reason.
"""

from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol

from projections.evidence import Evidence, MissingLinkError, chain_hashes
from projections.parallel_views import Workers
from projections.risk.catalogue import GROUPS
from projections.risk.fact_pass import fold_once
from projections.risk.findings import run_rules
from projections.risk.parallel import judged
from projections.runner import ViewRunner

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from datetime import date
    from uuid import UUID

    from eventsourcing.persistence import ApplicationRecorder, Mapper
    from sqlalchemy.engine import Connection, Engine

    from domain.base import Act
    from projections.forking import LedgerReader
    from projections.risk.catalogue import RuleGroup
    from projections.risk.findings import RiskFinding
    from projections.views import View


class FlagDesk(Protocol):
    """What the scan needs of the domain: ``ReliefFund``'s oversight commands."""

    @property
    def name(self) -> str: ...

    @property
    def recorder(self) -> ApplicationRecorder: ...

    @property
    def mapper(self) -> Mapper[Any]: ...

    def raise_flag(
        self,
        act: Act,
        *,
        rule_id: str,
        subject: str,
        evidence: Sequence[tuple[int, str]],
        summary: str,
    ) -> UUID: ...

    def flag_known(
        self, rule_id: str, subject: str, evidence: Sequence[tuple[int, str]]
    ) -> bool: ...


@dataclass(frozen=True)
class ScanReport:
    """What a scan found and did."""

    findings: tuple[RiskFinding, ...]
    raised: tuple[UUID, ...]
    known: int
    events_read: int
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall seconds per phase (views, rules, flags)."""
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    """CPU seconds of this process per phase (steadier on a shared machine)."""

    def counts(self) -> dict[str, int]:
        """Return the number of findings per rule id."""
        out: dict[str, int] = {}
        for finding in self.findings:
            out[finding.rule_id] = out.get(finding.rule_id, 0) + 1
        return dict(sorted(out.items()))


def views_of(engine: Engine, groups: Iterable[RuleGroup[Any]]) -> list[View]:
    """Return the views of ``groups``, each once (groups may share a view)."""
    views: dict[str, View] = {}
    for group in groups:
        for view in group.views(engine):
            views.setdefault(view.name, view)
    return list(views.values())


def evidence_pairs(finding: RiskFinding) -> tuple[tuple[int, str], ...]:
    """Return a finding's evidence as the (position, hash) pairs a flag cites.

    Raises:
        MissingLinkError: if an evidence position has no chain hash.
    """
    cited = sorted(finding.evidence)
    missing = [e.position for e in cited if not e.hash_hex]
    if missing:
        raise MissingLinkError(missing)
    return tuple((e.position, e.hash_hex) for e in cited)


def find(
    engine: Engine, groups: Iterable[RuleGroup[Any]], as_of: date | None = None
) -> tuple[RiskFinding, ...]:
    """Run every group's rules over its facts as they stand in the views.

    The groups with a fold share one read of the fact log; any other group
    builds its facts by itself. On a large county the heaviest group is
    judged in a forked worker meanwhile (``projections.risk.parallel``).
    """
    chosen = list(groups)
    with engine.connect() as conn:
        with _collector_paused():
            found = judged(engine, conn, chosen, as_of, _judged)
        return with_links(conn, (f for each in found for f in each))


def _judged(
    conn: Connection, groups: Sequence[RuleGroup[Any]], as_of: date | None
) -> list[list[RiskFinding]]:
    """Each group's findings; the facts are dropped on return, while the
    collector is still paused, so it never walks them."""
    folded = [group for group in groups if group.fold is not None]
    facts = fold_once(conn, [g.fold() for g in folded if g.fold], as_of)
    built = dict(zip(map(id, folded), facts, strict=True))
    return [
        list(run_rules(group.rules, built[id(group)]))
        if group.fold is not None
        else list(run_rules(group.rules, group.facts(conn, as_of)))
        for group in groups
    ]


def with_links(
    conn: Connection, findings: Iterable[RiskFinding]
) -> tuple[RiskFinding, ...]:
    """Return ``findings`` with each cited position's chain link from the ledger.

    Evidence already holding a hash keeps it; a position the chain does not
    hold gets none, and ``evidence_pairs`` refuses to cite it.
    """
    found = tuple(findings)
    wanted = {e.position for f in found for e in f.evidence if not e.hash_hex}
    if not wanted:
        return found
    links = chain_hashes(conn, wanted)
    return tuple(
        replace(
            finding,
            evidence=tuple(
                e
                if e.hash_hex
                else Evidence(e.position, links.get(e.position, ""), e.topic)
                for e in finding.evidence
            ),
        )
        for finding in found
    )


@contextmanager
def _timed(
    phase: str, seconds: dict[str, float], cpu: dict[str, float]
) -> Iterator[None]:
    started, used = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        seconds[phase] = time.perf_counter() - started
        cpu[phase] = time.process_time() - used


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while facts are built and judged.

    Facts are millions of small acyclic records; with the collector on, each
    generation-2 pass walks all of them again, which cost more than building
    them. Reference counting still frees them, and they are freed before the
    collector runs again (``_judged``): else its first pass after the pause
    walks every one of them (4 s on a county of 1.3 million events).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def record_findings(
    desk: FlagDesk, act: Act, findings: Iterable[RiskFinding]
) -> tuple[tuple[UUID, ...], int]:
    """Raise a flag for each finding not known yet; return the new ids and the
    count of findings already flagged (open or cleared).

    Every finding's evidence is checked first, so a finding that cannot be
    cited stops the scan before any flag is raised.
    """
    cited = [(finding, evidence_pairs(finding)) for finding in findings]
    raised: list[UUID] = []
    known = 0
    for finding, pairs in cited:
        if desk.flag_known(finding.rule_id, finding.subject, pairs):
            known += 1
            continue
        raised.append(
            desk.raise_flag(
                act,
                rule_id=finding.rule_id,
                subject=finding.subject,
                evidence=pairs,
                summary=finding.summary,
            )
        )
    return tuple(raised), known


def scan(
    desk: FlagDesk,
    engine: Engine,
    act: Act,
    *,
    as_of: date | None = None,
    groups: Sequence[RuleGroup[Any]] = GROUPS,
    reader: Callable[[], LedgerReader] | None = None,
) -> ScanReport:
    """Catch the fact views up, run every rule, and raise the new flags as ``act``.

    ``act`` is the 审计 or 纪检 officer the flags are raised by; ``as_of`` is
    the day the rules judge from (windows, idle money, posts held), by default
    the latest business day the ledger records, so that a scan of the same
    events judges the same whatever day it runs. Given ``reader`` (a factory
    of fresh ledger readers), a long catch-up of the fact log builds its later
    half in a forked worker (``projections.parallel_logs``).
    """
    seconds: dict[str, float] = {}
    cpu: dict[str, float] = {}
    with _timed("views", seconds, cpu):
        runner = ViewRunner(
            engine,
            desk.recorder,
            desk.mapper,
            desk.name,
            views_of(engine, groups),
            workers=None if reader is None else Workers(reader),
        )
        report = runner.run()
    with _timed("rules", seconds, cpu):
        findings = find(engine, groups, as_of)
    with _timed("flags", seconds, cpu):
        raised, known = record_findings(desk, act, findings)
    return ScanReport(findings, raised, known, report.events, seconds, cpu)
