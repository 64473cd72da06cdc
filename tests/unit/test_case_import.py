"""The legacy-import path of cases: past facts recorded as imported, without rules."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from case_support import VILLAGE, CaseFund, recorded, ref, seeded_fund

from domain import roles
from domain.base import Act
from domain.case_import_service import ImportedEvent
from domain.errors import InvalidDataError, NotFoundError
from domain.rolls import Roll, roll_id

OLD = Act("legacy-7", roles.TOWNSHIP_CLERK, datetime(2019, 5, 6, 10))
MEMBERS = (ref("h1-head"), ref("h1-wife"))


def applied_fields(case_no: str = "OLD-1") -> dict[str, Any]:
    return {
        "case_no": case_no,
        "programme": roles.DIBAO,
        "category": "补差",
        "household_no": "H1",
        "region_code": VILLAGE,
        "area": "urban",
        "applicant_ref": MEMBERS[0],
        "member_refs": list(MEMBERS),
        "channel": "窗口",
        "authorisation_ref": "",
        "commitment_ref": "",
    }


def history(case_no: str = "OLD-1") -> list[ImportedEvent]:
    """A past case approved with no check, no visit and no notice: a breach."""
    return [
        ImportedEvent(OLD, case_no, "Applied", applied_fields(case_no)),
        ImportedEvent(
            OLD,
            case_no,
            "Approved",
            {
                "method": "补差",
                "monthly_amount": 999_999,
                "standard_fen": 60_000,
                "first_pay_month": "2019-06",
                "schedule": {"2019-06": 999_999},
            },
        ),
    ]


@pytest.fixture
def fund() -> CaseFund:
    return seeded_fund()


def test_a_past_case_is_recorded_as_it_happened(fund: CaseFund) -> None:
    assert fund.import_case_events(history()) == 2
    case = fund.case("OLD-1")
    assert (case.status, case.monthly_amount, case.per_capita_income) == (
        "active",
        999_999,
        None,
    )


def test_imported_events_are_marked_and_keep_their_business_time(
    fund: CaseFund,
) -> None:
    fund.import_case_events(history())
    events = list(fund.repository.event_store.get(fund.case("OLD-1").id))
    assert [e.imported for e in events] == [True, True]
    assert {e.occurred_at for e in events} == {OLD.occurred_at}
    assert {e.actor_id for e in events} == {"legacy-7"}


def test_an_imported_approval_reaches_the_roll(fund: CaseFund) -> None:
    fund.import_case_events(history())
    roll = fund.repository.get(roll_id(roles.DIBAO, VILLAGE))
    assert isinstance(roll, Roll)
    assert [(e.case_no, e.amount_fen) for e in roll.entitlements("2024-01")] == [
        ("OLD-1", 999_999)
    ]


def test_an_imported_approval_enrols_and_termination_releases(fund: CaseFund) -> None:
    fund.import_case_events(history())
    assert fund.enrolment(OLD, MEMBERS[0]).cases() == frozenset({"OLD-1"})
    fund.import_case_event(
        OLD,
        "OLD-1",
        "Terminated",
        {"effective_month": "2020-01", "reason": "voluntary", "written_reasons": "x"},
    )
    assert fund.enrolment(OLD, MEMBERS[0]).cases() == frozenset()


def test_a_batch_with_one_malformed_line_records_nothing(fund: CaseFund) -> None:
    events = history()
    bad = dict(events[1].fields, monthly_amount=999.99)
    events[1] = ImportedEvent(OLD, "OLD-1", "Approved", bad)
    before = recorded(fund)
    with pytest.raises(InvalidDataError, match="import-value"):
        fund.import_case_events(events)
    assert recorded(fund) == before


@pytest.mark.parametrize(
    ("name", "fields", "rule"),
    [
        ("Vanished", {}, "import-event"),
        ("_approved", {}, "import-event"),
        ("Suspended", {"from_month": "2020-01"}, "import-fields"),
        (
            "Suspended",
            {"from_month": "2020-01", "reason": "x", "x": 1},
            "import-fields",
        ),
        ("Suspended", {"from_month": "2020-13", "reason": "x"}, "period-format"),
        ("Suspended", {"from_month": 202001, "reason": "x"}, "import-value"),
        (
            "Adjusted",
            {
                "old_amount": 1,
                "new_amount": -5,
                "effective_month": "2020-01",
                "reason": "",
            },
            "import-value",
        ),
        (
            "ChangeReported",
            {"change_type": "income", "effective_date": "2020-01-01", "source": "self"},
            "import-value",
        ),
    ],
)
def test_malformed_events_are_refused_and_record_nothing(
    fund: CaseFund, name: str, fields: dict[str, Any], rule: str
) -> None:
    fund.import_case_events(history())
    before = recorded(fund)
    with pytest.raises(InvalidDataError, match=rule):
        fund.import_case_event(OLD, "OLD-1", name, fields)
    assert recorded(fund) == before


def test_a_later_event_of_an_unknown_case_is_refused(fund: CaseFund) -> None:
    with pytest.raises(NotFoundError):
        fund.import_case_event(
            OLD, "OLD-404", "Suspended", {"from_month": "2020-01", "reason": "x"}
        )


def test_a_case_is_imported_once(fund: CaseFund) -> None:
    fund.import_case_events(history())
    before = recorded(fund)
    with pytest.raises(InvalidDataError, match="record-unique"):
        fund.import_case_events(history())
    assert recorded(fund) == before


def test_the_case_number_of_the_line_matches_its_event(fund: CaseFund) -> None:
    with pytest.raises(InvalidDataError, match="import-number"):
        fund.import_case_event(OLD, "OLD-2", "Applied", applied_fields("OLD-3"))


def test_dates_are_imported_as_dates(fund: CaseFund) -> None:
    fund.import_case_events(history())
    fund.import_case_event(
        OLD,
        "OLD-1",
        "MemberDeceased",
        {"person_ref": MEMBERS[1], "date_of_death": date(2019, 9, 1), "source": "公安"},
    )
    assert fund.case("OLD-1").deaths == {MEMBERS[1]: date(2019, 9, 1)}


def test_a_past_recovery_is_imported(fund: CaseFund) -> None:
    fund.import_case_events(history())
    fund.import_recovery_event(
        OLD,
        "R-OLD",
        "OverpaymentIdentified",
        {
            "recovery_no": "R-OLD",
            "case_no": "OLD-1",
            "periods": ["2019-06"],
            "amount": 999_999,
            "cause": "fraud",
        },
    )
    fund.import_recovery_event(
        OLD,
        "R-OLD",
        "RecoveryOrdered",
        {"amount": 999_999, "fine_multiple": 5, "fine_amount": 0, "decision_ref": ""},
    )
    recovery = fund.recovery("R-OLD")
    assert (recovery.ordered, recovery.cause) == (999_999, "fraud")


def test_an_imported_application_alone_touches_no_roll(fund: CaseFund) -> None:
    fund.import_case_events(history()[:1])
    assert not fund.exists(roll_id(roles.DIBAO, VILLAGE))
