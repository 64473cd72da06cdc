"""身份证号 validation, keyed person refs, households, members and deaths."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from foundation_support import (
    BUREAU,
    CLERK,
    ID_A,
    ID_B,
    ID_C,
    KEY,
    VILLAGE,
    expected_ref,
    memory_fund,
    recorded,
    seeded_fund,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from domain import roles
from domain.base import Act
from domain.errors import InvalidDataError, RoleError
from domain.people import Member, person_ref_of, valid_id_number
from domain.reference_service import ReferenceCommands


@pytest.fixture
def fund() -> ReferenceCommands:
    return seeded_fund()


def test_a_valid_id_number_passes_in_compact_form() -> None:
    assert valid_id_number(" 11010519491231002x ") == ID_A


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310021",  # wrong check digit
        "11010519491331002X",  # month 13
        "1101051949123100",  # too short
        "110105491231002",  # the old 15-digit form
        "11010519491231002Y",
    ],
)
def test_invalid_id_numbers_are_refused(number: str) -> None:
    with pytest.raises(InvalidDataError, match="id-number"):
        valid_id_number(number)


def _passes(number: str) -> bool:
    try:
        valid_id_number(number)
    except InvalidDataError:
        return False
    return True


@settings(deadline=None)
@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_at_most_one_check_digit_makes_seventeen_digits_valid(body: str) -> None:
    passing = [c for c in "0123456789X" if _passes(body + c)]
    assert len(passing) <= 1  # none when the birth date or place is impossible


@settings(deadline=None)
@given(st.sampled_from([ID_A, ID_B, ID_C]), st.integers(0, 16), st.integers(1, 9))
def test_changing_one_digit_breaks_the_check(number: str, at: int, delta: int) -> None:
    digit = str((int(number[at]) + delta) % 10)
    assert not _passes(number[:at] + digit + number[at + 1 :])


def test_person_ref_is_the_keyed_hmac_of_the_number() -> None:
    fund = memory_fund()
    assert fund.person_ref(ID_A) == expected_ref(ID_A)
    assert fund.person_ref(ID_A.lower()) == fund.person_ref(ID_A)
    assert ID_A not in fund.person_ref(ID_A)


def test_person_refs_link_one_person_and_separate_two() -> None:
    fund = memory_fund()
    assert fund.person_ref(ID_A) == fund.person_ref(f" {ID_A} ")
    assert fund.person_ref(ID_A) != fund.person_ref(ID_B)


def test_another_deployment_key_gives_unlinkable_refs() -> None:
    assert person_ref_of(ID_A, KEY.encode()) != person_ref_of(ID_A, b"other-key")


def test_no_person_ref_without_a_deployment_key() -> None:
    fund = ReferenceCommands(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo", "RELIEF_PERSON_KEY": ""}
    )
    with pytest.raises(InvalidDataError, match="person-key"):
        fund.person_ref(ID_A)


def test_a_household_lists_its_members(fund: ReferenceCommands) -> None:
    household = fund.household("H1")
    assert household.region_code == VILLAGE
    assert household.area == "urban"
    assert household.size == 2
    assert household.member_refs() == {fund.person_ref(ID_A), fund.person_ref(ID_B)}
    assert household.members[0].birth_date == date(1949, 12, 31)


def _member(fund: ReferenceCommands, id_number: str, relation: str) -> Member:
    return Member(fund.person_ref(id_number), "某人", relation, date(2000, 1, 1))


def test_a_household_is_registered_by_a_clerk_over_its_village(
    fund: ReferenceCommands,
) -> None:
    elsewhere = Act("S1", roles.TOWNSHIP_CLERK, datetime(2024, 2, 1))
    fund.register_region(BUREAU, "110101002001", "景山社区")
    before = recorded(fund)
    with pytest.raises(RoleError, match="over 110101002001"):
        fund.register_household(
            elsewhere, "H2", "110101002001", "urban", [_member(fund, ID_C, "户主")]
        )
    assert recorded(fund) == before


@pytest.mark.parametrize(
    "act",
    [
        Act("S1", roles.TOWNSHIP_CLERK, datetime(2023, 12, 31)),  # before the role
        Act("S1", roles.APPROVER, datetime(2024, 2, 1)),  # a role not held
        Act("S1", roles.AUDIT, datetime(2024, 2, 1)),  # an oversight role
        Act("S7", roles.TOWNSHIP_CLERK, datetime(2024, 2, 1)),  # no such staff
    ],
)
def test_a_household_is_refused_to_others(fund: ReferenceCommands, act: Act) -> None:
    before = recorded(fund)
    with pytest.raises(RoleError, match="role-required"):
        fund.register_household(
            act, "H2", VILLAGE, "urban", [_member(fund, ID_C, "户主")]
        )
    assert recorded(fund) == before


@pytest.mark.parametrize(
    ("number", "region", "rule"),
    [
        ("H1", VILLAGE, "record-unique"),
        ("H2", "110101001", "household-region"),
    ],
)
def test_a_household_needs_a_new_number_and_a_village(
    fund: ReferenceCommands, number: str, region: str, rule: str
) -> None:
    before = recorded(fund)
    with pytest.raises(InvalidDataError, match=rule):
        fund.register_household(
            CLERK, number, region, "urban", [_member(fund, ID_C, "户主")]
        )
    assert recorded(fund) == before


def test_malformed_members_are_refused(fund: ReferenceCommands) -> None:
    before = recorded(fund)
    twice = [_member(fund, ID_C, "户主"), _member(fund, ID_C, roles.SPOUSE)]
    with pytest.raises(InvalidDataError, match="member-unique"):
        fund.register_household(CLERK, "H2", VILLAGE, "rural", twice)
    bad = [Member("not-a-ref", "某人", "户主", date(2000, 1, 1))]
    with pytest.raises(InvalidDataError, match="person-ref"):
        fund.register_household(CLERK, "H2", VILLAGE, "rural", bad)
    strange = [_member(fund, ID_C, "表哥")]
    with pytest.raises(InvalidDataError, match="member-relation"):
        fund.register_household(CLERK, "H2", VILLAGE, "rural", strange)
    with pytest.raises(InvalidDataError, match="household-members"):
        fund.register_household(CLERK, "H2", VILLAGE, "rural", [])
    assert recorded(fund) == before


def test_members_are_added_and_removed(fund: ReferenceCommands) -> None:
    fund.add_member(CLERK, "H1", _member(fund, ID_C, roles.GRANDCHILD))
    assert fund.household("H1").size == 3
    fund.remove_member(CLERK, "H1", fund.person_ref(ID_B), "迁出")
    assert fund.household("H1").member_refs() == {
        fund.person_ref(ID_A),
        fund.person_ref(ID_C),
    }
    before = recorded(fund)
    with pytest.raises(InvalidDataError, match="member-unique"):
        fund.add_member(CLERK, "H1", _member(fund, ID_C, roles.GRANDCHILD))
    with pytest.raises(InvalidDataError, match="member-known"):
        fund.remove_member(CLERK, "H1", fund.person_ref(ID_B), "迁出")
    assert recorded(fund) == before


def test_a_death_is_recorded_once(fund: ReferenceCommands) -> None:
    household = fund.household("H1")
    dead = fund.person_ref(ID_A)
    household.record_death(CLERK, dead, date(2024, 1, 20), "公安")
    fund.save(household)
    household = fund.household("H1")
    assert household.size == 1
    assert household.member(dead) is not None
    assert household.deaths == {dead: date(2024, 1, 20)}
    with pytest.raises(InvalidDataError, match="death-once"):
        household.record_death(CLERK, dead, date(2024, 1, 20), "公安")
    assert household.collect_events() == []


@pytest.mark.parametrize(
    ("day", "source", "rule"),
    [
        (date(2024, 3, 1), "公安", "death-date"),  # after the act
        (date(1940, 1, 1), "公安", "death-date"),  # before birth
        (date(2024, 1, 1), "传闻", "death-source"),
    ],
)
def test_an_impossible_death_is_refused(
    fund: ReferenceCommands, day: date, source: str, rule: str
) -> None:
    household = fund.household("H1")
    with pytest.raises(InvalidDataError, match=rule):
        household.record_death(CLERK, fund.person_ref(ID_A), day, source)
    assert household.collect_events() == []
