"""Regions, standards, approval limits and policy: commands, queries, refusals."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from foundation_support import BUREAU, REGIONS, VILLAGE, memory_fund, recorded

from domain import roles
from domain.base import Act
from domain.errors import AmountError, InvalidDataError, NotFoundError, RoleError
from domain.policy import Policy
from domain.reference import lineage, region_code
from domain.reference_service import ReferenceCommands


@pytest.fixture
def fund() -> ReferenceCommands:
    fund = memory_fund()
    for code, name in REGIONS:
        fund.register_region(BUREAU, code, name)
    return fund


@pytest.mark.parametrize(
    ("code", "significant"),
    [
        ("110000", "11"),
        ("110100", "1101"),
        ("110101", "110101"),
        ("110101001000", "110101001"),
        ("110101001001", "110101001001"),
        ("110000000000", "11"),
    ],
)
def test_padded_codes_are_shortened_to_their_significant_form(
    code: str, significant: str
) -> None:
    assert region_code(code) == significant


@pytest.mark.parametrize("code", ["", "123", "11010a", "1101010010011", "１１"])
def test_malformed_region_codes_are_refused(code: str) -> None:
    with pytest.raises(InvalidDataError, match="region-code"):
        region_code(code)


def test_a_region_knows_its_level_and_parent(fund: ReferenceCommands) -> None:
    village = fund.region(VILLAGE)
    assert (village.level, village.parent_code) == ("village", "110101001")
    assert fund.region("110000").level == "province"
    assert lineage(VILLAGE) == [VILLAGE, "110101001", "110101", "1101", "11"]


def test_a_region_needs_its_parent_registered_first() -> None:
    fund = memory_fund()
    with pytest.raises(InvalidDataError, match="region-parent"):
        fund.register_region(BUREAU, "1101", "市辖区")
    assert recorded(fund) == 0


def test_a_region_is_registered_once(fund: ReferenceCommands) -> None:
    before = recorded(fund)
    with pytest.raises(InvalidDataError, match="record-unique"):
        fund.register_region(BUREAU, "110000", "北京")
    assert recorded(fund) == before


@pytest.mark.parametrize("role", [roles.DISCIPLINE, roles.AUDIT, roles.FINANCE])
def test_reference_data_is_not_recorded_by_other_roles(role: str) -> None:
    fund = memory_fund()
    with pytest.raises(RoleError, match="reference-role"):
        fund.register_region(Act("S9", role, datetime(2024, 1, 1)), "11", "北京市")
    assert recorded(fund) == 0


def test_the_most_specific_standard_in_force_applies(fund: ReferenceCommands) -> None:
    fund.set_standard(
        BUREAU,
        "1101",
        roles.DIBAO,
        "urban",
        139_500,
        effective_from=date(2024, 1, 1),
        document="京民发〔2023〕1号",
    )
    fund.set_standard(
        BUREAU,
        "110101",
        roles.DIBAO,
        "urban",
        142_000,
        effective_from=date(2024, 7, 1),
        document="东民发〔2024〕2号",
    )
    assert fund.standard_on(VILLAGE, "urban", roles.DIBAO, date(2024, 3, 1)) == 139_500
    assert fund.standard_on(VILLAGE, "urban", roles.DIBAO, date(2024, 7, 1)) == 142_000
    assert fund.standard_on("110101002", "urban", roles.DIBAO, date(2024, 8, 1)) == (
        142_000
    )
    assert fund.standard_on(VILLAGE, "rural", roles.DIBAO, date(2024, 8, 1)) is None
    assert fund.standard_on(VILLAGE, "urban", roles.DIBAO, date(2023, 12, 31)) is None


def test_a_new_standard_never_overwrites_the_old_one(fund: ReferenceCommands) -> None:
    for amount, start in [(100_000, date(2024, 1, 1)), (110_000, date(2025, 1, 1))]:
        fund.set_standard(
            BUREAU,
            "11",
            roles.DIBAO,
            "rural",
            amount,
            effective_from=start,
            document="京民发",
        )
    assert fund.standard_on(VILLAGE, "rural", roles.DIBAO, date(2024, 12, 31)) == (
        100_000
    )
    assert len(fund.region("11").standards) == 2


@pytest.mark.parametrize("amount", [0, -1, 1.5, True, "100"])
def test_broken_money_in_a_standard_is_refused(
    fund: ReferenceCommands, amount: object
) -> None:
    before = recorded(fund)
    with pytest.raises(AmountError, match="standard-amount"):
        fund.set_standard(
            BUREAU,
            "11",
            roles.DIBAO,
            "urban",
            amount,  # type: ignore[arg-type]
            effective_from=date(2024, 1, 1),
            document="京民发",
        )
    assert recorded(fund) == before


@pytest.mark.parametrize(
    ("programme", "area", "document", "rule"),
    [
        ("低保金", "urban", "doc", "programme"),
        (roles.DIBAO, "city", "doc", "standard-area"),
        (roles.DIBAO, "urban", " ", "policy-document"),
    ],
)
def test_malformed_standards_are_refused(
    fund: ReferenceCommands, programme: str, area: str, document: str, rule: str
) -> None:
    before = recorded(fund)
    with pytest.raises(InvalidDataError, match=rule):
        fund.set_standard(
            BUREAU,
            "11",
            programme,
            area,
            100,
            effective_from=date(2024, 1, 1),
            document=document,
        )
    assert recorded(fund) == before


def test_a_standard_for_an_unknown_region_is_refused(fund: ReferenceCommands) -> None:
    before = recorded(fund)
    with pytest.raises(NotFoundError, match="region 12"):
        fund.set_standard(
            BUREAU,
            "12",
            roles.DIBAO,
            "urban",
            100,
            effective_from=date(2024, 1, 1),
            document="doc",
        )
    assert recorded(fund) == before


def test_approval_limits_default_to_the_policy(fund: ReferenceCommands) -> None:
    day = date(2024, 5, 1)
    default = Policy().default_township_emergency_limit_fen
    assert fund.approval_limit(roles.LINSHI, "township", VILLAGE, day) == default
    fund.set_approval_limit(
        BUREAU,
        "110101",
        roles.LINSHI,
        "township",
        200_000,
        effective_from=date(2024, 4, 1),
        document="东民发〔2024〕3号",
    )
    assert fund.approval_limit(roles.LINSHI, "township", VILLAGE, day) == 200_000
    assert fund.approval_limit(roles.LINSHI, "township", "110102", day) == default
    assert fund.approval_limit(roles.LINSHI, "county", VILLAGE, day) == (
        Policy().default_county_emergency_limit_fen
    )


def test_an_approval_limit_level_is_township_or_county(fund: ReferenceCommands) -> None:
    before = recorded(fund)
    with pytest.raises(InvalidDataError, match="limit-level"):
        fund.set_approval_limit(
            BUREAU,
            "110101",
            roles.LINSHI,
            "village",
            1,
            effective_from=date(2024, 4, 1),
            document="doc",
        )
    assert recorded(fund) == before


def test_policy_loads_from_a_dict_over_the_defaults() -> None:
    policy = Policy.from_dict(
        {"pay_day": 15, "relative_filing_roles": [roles.TOWNSHIP_CLERK]}
    )
    assert policy.pay_day == 15
    assert policy.relative_filing_roles == frozenset({roles.TOWNSHIP_CLERK})
    assert policy.notice_days == Policy().notice_days == 7


@pytest.mark.parametrize(
    ("data", "rule"),
    [
        ({"payday": 15}, "policy-setting"),
        ({"pay_day": "15"}, "policy-setting"),
        ({"pay_day": -1}, "policy-setting"),
        ({"relative_filing_roles": ["校长"]}, "policy-setting"),
    ],
)
def test_malformed_policy_is_refused(data: dict[str, object], rule: str) -> None:
    with pytest.raises(InvalidDataError, match=rule):
        Policy.from_dict(data)


def test_the_service_keeps_the_policy_it_is_given() -> None:
    policy = Policy(default_township_emergency_limit_fen=50_000)
    fund = ReferenceCommands(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, policy=policy
    )
    for code, name in REGIONS:
        fund.register_region(BUREAU, code, name)
    assert fund.policy is policy
    assert fund.approval_limit(roles.LINSHI, "township", VILLAGE, date(2024, 1, 1)) == (
        50_000
    )
