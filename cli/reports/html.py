"""The audit report as one self-contained HTML page: inline CSS and SVG, no links.

Sections: chain status with the checkpoint it was held against; money by
month, programme and township; flags by rule and by village, each linking to
its evidence (ledger positions and chain hashes); the cases with most flags.
Every heading is Chinese with the English alongside. Text from the ledger is
escaped; nothing is fetched when the page opens.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import TYPE_CHECKING

from cli.reports.svg import bar_chart, column_chart, yuan_label

if TYPE_CHECKING:
    from collections.abc import Sequence

    from cli.flags import FlagRow
    from cli.reports.data import AuditData

STYLE = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Zen Hei",
"Microsoft YaHei","PingFang SC",sans-serif;margin:24px;color:#222;max-width:1000px}
h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ccc;margin-top:32px}
table{border-collapse:collapse;margin:8px 0;font-size:13px}
td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}
th{background:#f3f3f3}.ok{color:#2ca02c;font-weight:bold}
.broken{color:#d62728;font-weight:bold}code{font-size:12px}
.evidence{margin:6px 0 14px 0}
"""


def render(data: AuditData) -> str:
    """Return the whole report as one HTML document."""
    body = "".join(
        (
            "<h1>审计报告 Audit report</h1>",
            f"<p>生成 Generated {escape(data.generated_at)}"
            f" · 账本 Ledger <code>{escape(data.database)}</code></p>",
            _chain(data),
            _money(data),
            _flags(data),
            _top_cases(data),
            _evidence(data),
        )
    )
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        "<title>审计报告 Audit report</title>"
        f"<style>{STYLE}</style></head><body>{body}</body></html>"
    )


def _chain(data: AuditData) -> str:
    report, cp = data.chain.report, data.chain.checkpoint
    if report.first_break is None:
        status = '<span class="ok">完整 intact</span>'
    else:
        damage = report.first_break
        status = (
            f'<span class="broken">断裂 broken</span> at position {damage.position}:'
            f" {escape(damage.kind)}"
        )
    rows = [
        ("状态 Status", status),
        ("已核验 Events verified", f"{report.checked:,}"),
        ("链头位置 Head position", str(report.head_position)),
        ("链头哈希 Head hash", f"<code>{report.head_hash.hex()}</code>"),
    ]
    if cp is None:
        rows.append(("检查点 Checkpoint", "无 none given or found"))
    else:
        held = "符合 holds" if data.chain.prefix_holds else "不符 does not hold"
        rows.append(
            (
                "检查点 Checkpoint",
                f"position {cp.position}, signed {escape(cp.created_at)}, "
                f"signature ok, {held}",
            )
        )
    return "<h2>账本链状态 Chain status</h2>" + _table(("", ""), rows, header=False)


def _money(data: AuditData) -> str:
    total = sum(fen for _, fen in data.by_month)
    return "".join(
        (
            "<h2>资金发放 Money disbursed</h2>",
            f"<p>合计 Total {yuan_label(total)} 元</p>",
            column_chart("按月 By month (元)", data.by_month),
            bar_chart("按项目 By programme (元)", data.by_programme, money=True),
            bar_chart("按乡镇 By township (元)", data.by_township, money=True),
        )
    )


def _flags(data: AuditData) -> str:
    by_rule = Counter(f.rule_id for f in data.flags)
    by_village = Counter(data.villages.get(f.subject, "—") for f in data.flags)
    rule_rows = []
    for rule_id, count in sorted(by_rule.items()):
        entry = data.rules.get(rule_id)
        name = f"{entry.name_zh} {entry.name_en}" if entry else ""
        severity = entry.severity if entry else ""
        rule_rows.append((escape(rule_id), escape(name), escape(severity), str(count)))
    list_rows = [_flag_row(f, data) for f in data.flags]
    return "".join(
        (
            f"<h2>风险线索 Risk flags ({len(data.flags)})</h2>",
            bar_chart("按规则 By rule", sorted(by_rule.items())),
            _table(
                ("规则 Rule", "名称 Name", "级别 Severity", "数量 Flags"), rule_rows
            ),
            bar_chart("按村 By village", by_village.most_common(20)),
            _table(
                ("线索 Flag", "规则 Rule", "对象 Subject", "村 Village", "状态 Status"),
                list_rows,
            ),
        )
    )


def _flag_row(flag: FlagRow, data: AuditData) -> tuple[str, ...]:
    anchor = f'<a href="#flag-{escape(flag.flag_id)}">{escape(flag.flag_id[:8])}</a>'
    return (
        anchor,
        escape(flag.rule_id),
        escape(flag.subject),
        escape(data.villages.get(flag.subject, "—")),
        escape(flag.status),
    )


def _top_cases(data: AuditData) -> str:
    rows = [(escape(subject), str(count)) for subject, count in data.top_cases]
    return "<h2>线索最多的案件 Cases with the most flags</h2>" + _table(
        ("案件 Case", "线索数 Flags"), rows
    )


def _evidence(data: AuditData) -> str:
    parts = ["<h2>证据 Evidence</h2>"]
    for flag in data.flags:
        rows = [(str(p), f"<code>{escape(h)}</code>") for p, h in flag.evidence]
        parts.append(
            f'<div class="evidence" id="flag-{escape(flag.flag_id)}">'
            f"<h3>{escape(flag.rule_id)} · {escape(flag.subject)}</h3>"
            f"<p>{escape(flag.summary)}</p>"
            + _table(("位置 Position", "链哈希 Chain hash"), rows)
            + "</div>"
        )
    return "".join(parts)


def _table(
    headers: tuple[str, ...],
    rows: Sequence[tuple[str, ...]],
    *,
    header: bool = True,
) -> str:
    head = "".join(f"<th>{h}</th>" for h in headers) if header else ""
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table>{'<tr>' + head + '</tr>' if head else ''}{body}</table>"
