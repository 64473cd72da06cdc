"""The demo county's standards and limits, in fen, rising year by year.

Figures follow the domain notes §1.8: urban 低保 about 700 yuan a month and
rural 5,400 yuan a year in 2021, rising to about 795 and 7,090 by 2025;
特困 at least 1.3× 低保; 两项补贴 50–100 yuan; 孤儿 1,140 yuan (2021) to
1,440 yuan (2025). Each township differs by a few per cent; amounts are
rounded to whole yuan.
"""

from __future__ import annotations

from typing import Final

from domain import roles

FIRST_YEAR: Final = 2021
LAST_YEAR: Final = 2026
DIBAO_BASE: Final = {"urban": 70_000, "rural": 45_000}
DIBAO_GROWTH: Final = {"urban": 0.037, "rural": 0.055}
ORPHAN: Final = (114_000, 121_000, 128_000, 136_000, 144_000, 150_000)
LIVING_SUBSIDY: Final = (7_000, 7_500, 8_000, 8_500, 9_000, 9_500)
NURSING_SUBSIDY: Final = (8_000, 8_500, 9_000, 9_500, 10_000, 10_000)
TOWNSHIP_LIMIT_FEN: Final = 300_000
COUNTY_LIMIT_FEN: Final = 1_000_000


def _yuan(fen: float) -> int:
    return round(fen / 100) * 100


def dibao(area: str, township: int, year: int) -> int:
    """Return the 低保 standard (fen per person per month)."""
    factor = 1 + ((township % 5) - 2) * 0.012
    growth = (1 + DIBAO_GROWTH[area]) ** (year - FIRST_YEAR)
    return _yuan(DIBAO_BASE[area] * factor * growth)


def tekun(area: str, township: int, year: int) -> int:
    """Return the 特困 basic-living standard: 1.3× 低保, rounded up to a yuan."""
    fen = dibao(area, township, year) * 13
    return -(-fen // 1000) * 100


def subsidy(category: str, year: int) -> int:
    """Return the 两项补贴 amount of ``category`` (生活补贴 or 护理补贴)."""
    table = NURSING_SUBSIDY if category == "护理补贴" else LIVING_SUBSIDY
    return table[min(year, LAST_YEAR) - FIRST_YEAR]


def orphan(year: int) -> int:
    """Return the monthly allowance of a dispersed orphan."""
    return ORPHAN[min(year, LAST_YEAR) - FIRST_YEAR]


def standard(programme: str, area: str, township: int, year: int) -> int:
    """Return the standard a township records for ``programme`` in ``year``."""
    if programme == roles.DIBAO:
        return dibao(area, township, year)
    if programme == roles.TEKUN:
        return tekun(area, township, year)
    if programme == roles.CANJI:
        return subsidy("护理补贴", year)
    return orphan(year)


STANDARD_PROGRAMMES: Final = (roles.DIBAO, roles.TEKUN, roles.CANJI, roles.GUER)
