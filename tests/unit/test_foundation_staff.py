"""Staff, roles over time and organisations, and the service's role check."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import pytest
from foundation_support import BUREAU, ID_C, TOWNSHIP, VILLAGE, recorded, seeded_fund

from domain import roles
from domain.base import Act
from domain.errors import DeadlineError, InvalidDataError, NotFoundError, RoleError

if TYPE_CHECKING:
    from domain.reference_service import ReferenceCommands


@pytest.fixture
def fund() -> ReferenceCommands:
    return seeded_fund()


def test_a_role_is_held_from_its_start_within_its_organisation(
    fund: ReferenceCommands,
) -> None:
    staff = fund.staff("S1")
    assert staff.person_ref == fund.person_ref(ID_C)
    assert staff.name == "李四"
    assert staff.holds(roles.TOWNSHIP_CLERK, date(2024, 1, 1), VILLAGE)
    assert staff.holds(roles.TOWNSHIP_CLERK, date(2024, 1, 1))
    assert not staff.holds(roles.TOWNSHIP_CLERK, date(2023, 12, 31))
    assert not staff.holds(roles.TOWNSHIP_CLERK, date(2024, 1, 1), "110101002")
    assert not staff.holds(roles.APPROVER, date(2024, 6, 1))


def test_an_ended_role_is_held_up_to_its_last_day(fund: ReferenceCommands) -> None:
    fund.end_role(BUREAU, "S1", roles.TOWNSHIP_CLERK, TOWNSHIP, date(2024, 6, 30))
    fund.assign_role(BUREAU, "S1", roles.REVIEWER, "110101", date(2024, 7, 1))
    staff = fund.staff("S1")
    assert staff.roles_on(date(2024, 6, 30)) == {roles.TOWNSHIP_CLERK}
    assert staff.roles_on(date(2024, 7, 1)) == {roles.REVIEWER}
    assert staff.holds(roles.REVIEWER, date(2024, 7, 1), VILLAGE)


def test_role_changes_are_refused_when_malformed(fund: ReferenceCommands) -> None:
    before = recorded(fund)
    with pytest.raises(InvalidDataError, match="staff-role"):
        fund.assign_role(BUREAU, "S1", "局长", TOWNSHIP, date(2024, 1, 1))
    with pytest.raises(InvalidDataError, match="staff-role-open"):
        fund.assign_role(BUREAU, "S1", roles.TOWNSHIP_CLERK, TOWNSHIP, date(2024, 3, 1))
    with pytest.raises(InvalidDataError, match="staff-role-open"):
        fund.end_role(BUREAU, "S1", roles.APPROVER, TOWNSHIP, date(2024, 3, 1))
    with pytest.raises(DeadlineError, match="staff-role-end"):
        fund.end_role(BUREAU, "S1", roles.TOWNSHIP_CLERK, TOWNSHIP, date(2023, 3, 1))
    with pytest.raises(NotFoundError, match="region 12"):
        fund.assign_role(BUREAU, "S1", roles.APPROVER, "12", date(2024, 3, 1))
    with pytest.raises(NotFoundError, match="staff S9"):
        fund.assign_role(BUREAU, "S9", roles.APPROVER, TOWNSHIP, date(2024, 3, 1))
    assert recorded(fund) == before


def test_staff_are_registered_once_with_a_person_ref(fund: ReferenceCommands) -> None:
    before = recorded(fund)
    with pytest.raises(InvalidDataError, match="record-unique"):
        fund.register_staff(BUREAU, "S1", fund.person_ref(ID_C), "李四")
    with pytest.raises(InvalidDataError, match="person-ref"):
        fund.register_staff(BUREAU, "S2", "110101200001011232", "王五")
    assert recorded(fund) == before


def test_require_role_returns_the_staff_who_hold_it(fund: ReferenceCommands) -> None:
    act = Act("S1", roles.TOWNSHIP_CLERK, datetime(2024, 3, 1, 10))
    staff = fund.require_role(act, {roles.TOWNSHIP_CLERK, roles.COUNTY_CLERK}, VILLAGE)
    assert staff.staff_id == "S1"


@pytest.mark.parametrize(
    ("act", "org_code", "reason"),
    [
        (Act("S1", roles.APPROVER, datetime(2024, 3, 1)), None, "may not do this"),
        (Act("S1", roles.TOWNSHIP_CLERK, datetime(2023, 3, 1)), None, "not held"),
        (Act("S1", roles.TOWNSHIP_CLERK, datetime(2024, 3, 1)), "110102", "not held"),
        (Act("S8", roles.TOWNSHIP_CLERK, datetime(2024, 3, 1)), None, "no such staff"),
    ],
)
def test_require_role_refuses_in_one_sentence(
    fund: ReferenceCommands, act: Act, org_code: str | None, reason: str
) -> None:
    with pytest.raises(RoleError, match=reason) as refused:
        fund.require_role(act, {roles.TOWNSHIP_CLERK}, org_code)
    message = str(refused.value)
    assert message.startswith("Refused by rule role-required for staff ")
    assert message.count(".") == 1


def test_oversight_roles_never_pass_a_role_check(fund: ReferenceCommands) -> None:
    fund.assign_role(BUREAU, "S1", roles.DISCIPLINE, "110101", date(2024, 1, 1))
    act = Act("S1", roles.DISCIPLINE, datetime(2024, 3, 1))
    with pytest.raises(RoleError, match="role-required"):
        fund.require_role(act, {roles.DISCIPLINE, roles.TOWNSHIP_CLERK}, VILLAGE)
