"""Batched saves: many commands, one transaction; an error discards the batch."""

from __future__ import annotations

from datetime import date

import pytest
from foundation_support import BUREAU, memory_fund, recorded

from domain import roles
from domain.errors import InvalidDataError


def test_commands_inside_a_batch_are_saved_together_at_its_end() -> None:
    fund = memory_fund()
    puts: list[int] = []
    original = fund.events.put

    def counting_put(events, **kwargs):  # type: ignore[no-untyped-def]
        puts.append(len(events))
        return original(events, **kwargs)

    fund.events.put = counting_put  # type: ignore[method-assign, assignment]
    with fund.batched():
        fund.register_region(BUREAU, "11", "北京市")
        fund.register_region(BUREAU, "1101", "市辖区")  # sees its unsaved parent
        fund.set_standard(
            BUREAU,
            "1101",
            roles.DIBAO,
            "urban",
            100_000,
            effective_from=date(2024, 1, 1),
            document="京民发",
        )
        assert recorded(fund) == 0
    assert puts == [3]
    assert fund.standard_on("1101", "urban", roles.DIBAO, date(2024, 2, 1)) == 100_000


def test_an_error_inside_a_batch_saves_none_of_it() -> None:
    fund = memory_fund()

    def region_then_orphan() -> None:
        with fund.batched():
            fund.register_region(BUREAU, "11", "北京市")
            fund.register_region(BUREAU, "110101", "东城区")  # 1101 is unknown

    with pytest.raises(InvalidDataError, match="region-parent"):
        region_then_orphan()
    assert recorded(fund) == 0
    fund.register_region(BUREAU, "11", "北京市")  # the service saves normally again
    assert recorded(fund) == 1


def test_an_overlay_on_an_empty_store_knows_what_exists_without_asking() -> None:
    fund = memory_fund()
    with fund.batched(empty_store=True) as overlay:
        fund.register_region(BUREAU, "11", "北京市")
        assert overlay.absent(fund.region("11").id) is False
        assert fund.exists(fund.region("11").id)
        with pytest.raises(InvalidDataError, match="region-parent"):
            fund.register_region(BUREAU, "110101", "东城区")
    assert recorded(fund) == 1
