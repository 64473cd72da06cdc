"""Words people read: states, headings and rule names in Chinese and English.

``--lang zh`` (the default) shows the Chinese word with the English beside it,
``已申请 (applied)``; ``--lang en`` shows the English alone. ``--json`` always
gives the stable English key, never a translation.
"""

from __future__ import annotations

from typing import Final, Literal

import click

from projections.risk.catalogue import catalogue

Lang = Literal["zh", "en"]

WORDS: Final[dict[str, str]] = {
    # Case states (domain.case_rules.Status).
    "applied": "已申请",
    "accepted": "已受理",
    "active": "享受中",
    "suspended": "已暂停",
    "rejected": "不予批准",
    "terminated": "已终止",
    # Batch and line states (domain.batches).
    "created": "已生成",
    "approved": "已审核",
    "instructed": "已发送银行",
    "scheduled": "待发放",
    "disbursed": "已发放",
    "failed": "发放失败",
    "reissued": "已补发",
    "returned": "已退回",
    "open": "待处理",
    "cleared": "已排除",
    # Headings.
    "case": "案件",
    "household": "家庭",
    "staff": "工作人员",
    "members": "家庭成员",
    "timeline": "时间线",
    "flags": "风险线索",
    "evidence": "证据",
    "batch": "发放批次",
    "totals": "合计",
    "name": "姓名",
    "relation": "关系",
    "born": "出生日期",
    "alive": "在世",
    "role": "角色",
    "org": "单位",
    "from": "起",
    "to": "止",
    "who": "经办人",
    "when": "业务时间",
    "recorded": "记录时间",
    "position": "位置",
    "hash": "哈希",
    "event": "事件",
    "rule": "规则",
    "subject": "对象",
    "severity": "级别",
    "status": "状态",
    "summary": "摘要",
    "programme": "项目",
    "region": "地区",
    "period": "月份",
    "lines": "笔数",
    "amount": "金额(元)",
    "count": "数量",
    "received": "已到账",
    "recovered": "已追回",
    "fined": "罚没",
    "balance": "余额",
    "household_size": "家庭人口",
    "monthly_report": "月度发放报告",
    "public_notice": "公示",
    "ledger_chain": "账本哈希链",
    "originator": "记录",
    "version": "版本",
    "topic": "事件类型",
    "bytes": "字节",
    "view": "视图",
    "behind": "落后",
    "rules": "风险规则",
    "facts": "依据事实",
    "description": "说明",
    "rule_name": "规则名称",
    "definition": "定义",
    "current": "最新",
    "outdated": "已过时",
    "high": "高",
    "medium": "中",
    "low": "低",
}

lang_option = click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    envvar="RELIEF_LANG",
    help="Language of states and headings (zh shows English alongside).",
)


def word(key: str, lang: Lang | str) -> str:
    """Return ``key`` for people: ``中文 (english)`` in zh, ``english`` in en."""
    chinese = WORDS.get(key)
    if lang == "en" or chinese is None:
        return key
    return f"{chinese} ({key})"


def title(key: str, lang: Lang | str) -> str:
    """Return a table title: ``中文 english`` in zh, ``english`` in en."""
    english = key.replace("_", " ").capitalize()
    chinese = WORDS.get(key)
    if lang == "en" or chinese is None:
        return english
    return f"{chinese} {english}"


def heading(key: str, lang: Lang | str) -> str:
    """Return a column heading: the Chinese word alone in zh, English in en."""
    if lang == "en":
        return key
    return WORDS.get(key, key)


def rule_names(lang: Lang | str) -> dict[str, str]:
    """Each risk rule's name: ``中文 (English)`` in zh, English in en."""
    return {
        e.rule_id: e.name_en if lang == "en" else f"{e.name_zh} ({e.name_en})"
        for e in catalogue()
    }
