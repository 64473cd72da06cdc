"""The instruction file is made and its SHA-256 recorded by the domain, in one call."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import pytest
from payment_support import (
    CHECKER,
    MAKER,
    PERIOD,
    TOWNSHIP,
    Fund,
    recorded,
    roll_of,
    seeded_fund,
)

from domain import roles
from domain.errors import OrderingError

if TYPE_CHECKING:
    from uuid import UUID

    from domain.instruction_file import InstructionFile


def approved(fund: Fund) -> UUID:
    fund.rolls[(roles.DIBAO, TOWNSHIP)] = roll_of(3, 45_050)
    the_id = fund.create_batch(
        MAKER, programme=roles.DIBAO, region_code=TOWNSHIP, period=PERIOD
    )
    fund.approve_batch(CHECKER, the_id)
    return the_id


def test_the_recorded_digest_is_the_digest_of_the_delivered_bytes() -> None:
    fund = seeded_fund()
    the_id = approved(fund)
    delivered: list[InstructionFile] = []
    made = fund.export_instruction(MAKER, the_id, "RCC", delivered.append)
    assert delivered == [made]
    assert made.data.decode().splitlines()[-1] == "TOTAL,3,1351.50"
    batch = fund.payment_batch(the_id)
    assert batch.instruction_sha256 == hashlib.sha256(made.data).hexdigest()


def test_a_refused_export_delivers_nothing_and_records_nothing() -> None:
    fund = seeded_fund()
    the_id = approved(fund)
    fund.export_instruction(MAKER, the_id, "RCC", lambda made: None)
    before = recorded(fund)
    delivered: list[InstructionFile] = []
    with pytest.raises(OrderingError):
        fund.export_instruction(MAKER, the_id, "RCC", delivered.append)
    assert delivered == []
    assert recorded(fund) == before


def test_a_file_that_cannot_be_delivered_is_not_recorded() -> None:
    fund = seeded_fund()
    the_id = approved(fund)
    before = recorded(fund)

    def fail(made: InstructionFile) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        fund.export_instruction(MAKER, the_id, "RCC", fail)
    assert recorded(fund) == before
    assert fund.payment_batch(the_id).instruction_sha256 is None
