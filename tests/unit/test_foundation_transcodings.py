"""The ``date`` transcoding: dates in events come back as dates, not strings."""

from __future__ import annotations

from datetime import date

from foundation_support import BUREAU, memory_fund
from hypothesis import given, settings
from hypothesis import strategies as st

from domain import roles
from domain.transcodings import DateAsISO


@settings(deadline=None)
@given(st.dates())
def test_a_date_round_trips_through_its_iso_text(day: date) -> None:
    transcoding = DateAsISO()
    assert transcoding.decode(transcoding.encode(day)) == day


def test_the_service_stores_dates_and_reads_them_back_as_dates() -> None:
    fund = memory_fund()
    fund.register_region(BUREAU, "11", "北京市")
    fund.set_standard(
        BUREAU,
        "11",
        roles.DIBAO,
        "urban",
        100_000,
        effective_from=date(2024, 1, 1),
        document="京民发",
    )
    stored = fund.recorder.select_notifications(1, 10)[-1].state
    assert b'"_type_":"date_iso","_data_":"2024-01-01"' in stored
    rate = fund.region("11").standards[0]
    assert type(rate.effective_from) is date
