"""Kinship: the eight 近亲属 relations, recorded both ways with their source."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import pytest
from foundation_support import CLERK, ID_A, ID_B, ID_C, recorded, seeded_fund
from hypothesis import given, settings
from hypothesis import strategies as st

from domain import roles
from domain.base import Act
from domain.errors import InvalidDataError, RoleError
from domain.kinship import INVERSE, KinRecord, kin_record_id

if TYPE_CHECKING:
    from domain.reference_service import ReferenceCommands


@pytest.fixture
def fund() -> ReferenceCommands:
    return seeded_fund()


def _kin(fund: ReferenceCommands, person_ref: str) -> KinRecord:
    kin: object = fund.repository.get(kin_record_id(person_ref))
    assert isinstance(kin, KinRecord)
    return kin


def test_the_inverse_of_the_inverse_is_the_relation() -> None:
    assert set(INVERSE) == roles.RELATIONS
    assert all(INVERSE[INVERSE[r]] == r for r in roles.RELATIONS)


@settings(deadline=None)
@given(
    st.sampled_from(sorted(roles.RELATIONS)), st.sampled_from(["户籍", "自报", "调查"])
)
def test_kinship_is_recorded_on_both_persons_with_the_inverse(
    relation: str, source: str
) -> None:
    fund = seeded_fund()
    parent, child = fund.person_ref(ID_A), fund.person_ref(ID_B)
    before = recorded(fund)
    fund.record_kinship(CLERK, parent, child, relation, source)
    assert recorded(fund) == before + 4  # two kin records opened, two relations
    assert _kin(fund, parent).relations_to(child) == {(relation, source)}
    assert _kin(fund, child).relations_to(parent) == {(INVERSE[relation], source)}
    assert fund.kin_of(parent) == {child}
    assert fund.kin_of(child) == {parent}


def test_parents_and_children_are_each_others_inverse(fund: ReferenceCommands) -> None:
    a, b = fund.person_ref(ID_A), fund.person_ref(ID_B)
    fund.record_kinship(CLERK, a, b, roles.CHILD, "户籍")  # b is a's child
    assert _kin(fund, b).relations_to(a) == {(roles.PARENT, "户籍")}


def test_kin_accumulate_and_sources_are_kept_apart(fund: ReferenceCommands) -> None:
    a, b, c = (fund.person_ref(n) for n in (ID_A, ID_B, ID_C))
    fund.record_kinship(CLERK, a, b, roles.SPOUSE, "自报")
    fund.record_kinship(CLERK, a, b, roles.SPOUSE, "户籍")
    fund.record_kinship(CLERK, c, a, roles.GRANDPARENT, "调查")
    assert fund.kin_of(a) == {b, c}
    assert _kin(fund, a).relations_to(b) == {
        (roles.SPOUSE, "自报"),
        (roles.SPOUSE, "户籍"),
    }
    assert _kin(fund, a).relations_to(c) == {(roles.GRANDCHILD, "调查")}


def test_a_person_without_kin_has_none(fund: ReferenceCommands) -> None:
    assert fund.kin_of(fund.person_ref(ID_C)) == frozenset()


def test_the_same_kinship_twice_is_refused(fund: ReferenceCommands) -> None:
    a, b = fund.person_ref(ID_A), fund.person_ref(ID_B)
    fund.record_kinship(CLERK, a, b, roles.SIBLING, "户籍")
    before = recorded(fund)
    with pytest.raises(InvalidDataError, match="kinship-once"):
        fund.record_kinship(CLERK, a, b, roles.SIBLING, "户籍")
    assert recorded(fund) == before


@pytest.mark.parametrize(
    ("other", "relation", "source", "rule"),
    [
        (ID_A, roles.SIBLING, "户籍", "kinship-persons"),
        (ID_B, "表兄弟", "户籍", "kinship-relation"),
        (ID_B, roles.SIBLING, "传闻", "kinship-source"),
        ("x" * 64, roles.SIBLING, "户籍", "person-ref"),
    ],
)
def test_malformed_kinship_is_refused(
    fund: ReferenceCommands, other: str, relation: str, source: str, rule: str
) -> None:
    a = fund.person_ref(ID_A)
    other_ref = fund.person_ref(other) if other[0].isdigit() else other
    before = recorded(fund)
    with pytest.raises(InvalidDataError, match=rule):
        fund.record_kinship(CLERK, a, other_ref, relation, source)
    assert recorded(fund) == before


def test_kinship_is_recorded_only_by_household_roles(fund: ReferenceCommands) -> None:
    a, b = fund.person_ref(ID_A), fund.person_ref(ID_B)
    before = recorded(fund)
    with pytest.raises(RoleError, match="role-required"):
        fund.record_kinship(
            Act("S1", roles.AUDIT, datetime(2024, 3, 1)), a, b, roles.SPOUSE, "户籍"
        )
    assert recorded(fund) == before
