"""What the demo prints: a progress bar per phase, then what it built and found.

``DemoProgress`` draws one rich progress bar per phase on stderr (nothing
when stderr is not a terminal). ``built_tables`` and ``found_table`` are
the summary: cases and money by programme, events on the ledger, the phases'
times, and the risk findings by rule beside the planted subjects (what a
finding names: a case, an account, a township...) and how many were caught.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from cli.demo.payments import PREFIXES
from projections.risk.catalogue import catalogue

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from types import TracebackType

    from cli.demo.run import Built, Phases

PHASE_NAMES = {
    "import": "导入历史 import",
    "live": "当月业务 live month",
    "verify": "校验哈希链 verify",
    "views": "投影 projections",
    "scan": "风险扫描 risk scan",
}


class DemoProgress:
    """One progress bar per phase, on stderr when it is a terminal."""

    def __init__(self) -> None:
        self.console = Console(stderr=True)
        self.progress: Progress | None = None
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> DemoProgress:
        if self.console.is_terminal:
            columns = (
                TextColumn("{task.description:<24}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
            )
            self.progress = Progress(*columns, console=self.console)
            self.progress.__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.progress is not None:
            self.progress.__exit__(kind, error, trace)

    def __call__(self, phase: str, done: int, total: int) -> None:
        """Advance ``phase`` to ``done`` of ``total``."""
        if self.progress is None:
            return
        task = self.tasks.get(phase)
        if task is None:
            task = self.progress.add_task(PHASE_NAMES.get(phase, phase), total=total)
            self.tasks[phase] = task
        self.progress.update(task, completed=done, total=total)


def yuan(fen: int) -> str:
    """Return fen as yuan with thousands separators and two decimals."""
    return f"{fen // 100:,}.{fen % 100:02d}"


def built_tables(built: Built, head: int, phases: Phases) -> list[Table]:
    """Return the tables of what the demo built."""
    generated = built.generated
    programmes = Table(title="建成 What was built: cases by programme 按项目")
    for column in ("项目 programme", "案件 cases", "户 households", "发放 paid (yuan)"):
        programmes.add_column(column, justify="left" if "项目" in column else "right")
    cases = Counter(c.programme for c in generated.cases)
    homes: dict[str, set[str]] = {}
    for case in generated.cases:
        homes.setdefault(case.programme, set()).add(case.home.number)
    for programme in PREFIXES:
        programmes.add_row(
            programme,
            f"{cases[programme]:,}",
            f"{len(homes.get(programme, ())):,}",
            yuan(generated.paid.get(programme, 0)),
        )
    county = generated.county
    facts = Table(title="账本 The ledger")
    facts.add_column("项目 item", justify="left")
    facts.add_column("数 value", justify="right")
    rows = (
        (
            "乡镇 townships / 村社区 villages",
            f"{len(county.townships)} / {len(county.villages)}",
        ),
        (
            "户 households / 人 persons",
            f"{len(county.homes):,} / {generated.persons:,}",
        ),
        ("工作人员 staff", f"{len(county.posts):,}"),
        ("导入行 legacy lines imported", f"{built.imported.lines:,}"),
        ("实时命令 live commands (2026-01)", f"{built.live_commands:,}"),
        ("事件 events on the ledger", f"{head:,}"),
        *(
            (f"耗时 {name} (s)", f"{seconds:.1f}")
            for name, seconds in phases.seconds.items()
        ),
    )
    for label, value in rows:
        facts.add_row(label, value)
    return [programmes, facts]


UNITS = {
    "RF-15": "village",
    "RF-16": "account",
    "RF-19": "line/batch",
    "RF-20": "statement",
    "RF-24": "township",
    "RF-25": "village",
    "RF-26": "village",
}
"""What a rule's finding names, where it is not a case (案件)."""


def found_table(
    findings: Iterable[tuple[str, str]], planted: Iterable[Mapping[str, str]]
) -> Table:
    """Return the findings by rule beside the planted instances, like with like.

    ``findings`` are (rule, subject) pairs, ``planted`` the manifest's entries.
    A rule may raise several findings on one subject (RF-08: one per
    undeclared member of a case) and several planted entries may share one
    (RF-24: six grants, one cluster), so subjects are compared: those
    flagged, those planted, and how many planted ones were flagged. A rule
    the scan does not have yet shows "—" for what it found.
    """
    names = {entry.rule_id: entry.name_zh for entry in catalogue()}
    raised: Counter[str] = Counter()
    flagged: dict[str, set[str]] = {}
    for rule, subject in findings:
        raised[rule] += 1
        flagged.setdefault(rule, set()).add(subject)
    expected: dict[str, set[str]] = {}
    for entry in planted:
        expected.setdefault(entry["rule"], set()).add(entry["subject"])
    table = Table(
        title="发现 What the risk scan found: findings by rule 按规则",
        caption="found: findings raised. flagged, planted: distinct subjects (of "
        "the unit) the scan flagged, the demo planted; caught: planted ones flagged",
    )
    for column in (
        "规则 rule",
        "名称 name",
        "单位 unit",
        "发现 found",
        "标记 flagged",
        "埋设 planted",
        "命中 caught",
    ):
        left = len(table.columns) < 3
        table.add_column(column, justify="left" if left else "right", no_wrap=True)
    for rule in sorted((set(expected) | set(raised)) - {"—"}):
        known = rule in names
        mine = flagged.get(rule, set())
        wanted = expected.get(rule, set())
        table.add_row(
            rule,
            names.get(rule, ""),
            UNITS.get(rule, "case"),
            f"{raised[rule]:,}" if known else "—",
            f"{len(mine):,}" if known else "—",
            f"{len(wanted):,}",
            f"{len(wanted & mine):,}" if known else "—",
        )
    return table
