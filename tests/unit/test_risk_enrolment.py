"""RF-26: many new cases of one village approved by one approver on one day."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import TYPE_CHECKING

from test_risk_money_support import OTHER_VILLAGE, VILLAGE, County, stand_in_hash

from domain import roles
from projections.replay import read_events
from projections.risk.catalogue import ENROLMENT_GROUP, GROUPS
from projections.risk.enrolment import ENROLMENT_RULES, bulk_enrolment
from projections.risk.enrolment_facts import (
    ENROLMENT_KINDS,
    EnrolmentPolicy,
    enrolment_facts,
)
from projections.risk.fact_views import FactRow, rows_of_events

if TYPE_CHECKING:
    from projections.risk.findings import RiskFinding

APPLIED = date(2024, 3, 1)
DAY = date(2024, 3, 20)
"""The day the approver decides, unless a test says otherwise."""


class Village(County):
    """A village of ``homes`` single-person households, each applying once."""

    def __init__(self, homes: int = 8) -> None:
        super().__init__()
        for n in range(1, homes + 1):
            self.household(f"H{n}", [n])

    def enrol(
        self,
        n: int,
        day: date = DAY,
        *,
        approver: str = "S7",
        programme: str = roles.DIBAO,
        village: str = VILLAGE,
        investigated: bool = True,
    ) -> None:
        """Household ``n`` applies on ``APPLIED`` and is approved on ``day``."""
        case_no, ref = f"C{n}", self.ref(n)
        category = "支出型" if programme == roles.LINSHI else "补差"
        self.add(
            "case.Applied",
            case_no,
            APPLIED.isoformat(),
            programme=programme,
            category=category,
            household_no=f"H{n}",
            region_code=village,
            area="urban",
            applicant_ref=ref,
            member_refs=[ref],
            channel="窗口",
            authorisation_ref="AUTH",
            commitment_ref="COMMIT",
        )
        if investigated:
            checked = (APPLIED + timedelta(3)).isoformat()
            self.add(
                "case.CheckCompleted",
                case_no,
                checked,
                per_capita_income=30_000,
                report_ref="R",
            )
            self.add(
                "case.HomeVisited",
                case_no,
                checked,
                level="township",
                investigators=["T1", "T2"],
            )
        self.approve(case_no, day, approver)

    def approve(self, case_no: str, day: date, approver: str) -> None:
        first = f"{day.year}-{day.month + 1:02d}"
        self.add(
            "case.Approved",
            case_no,
            day.isoformat(),
            method="补差",
            monthly_amount=50_000,
            standard_fen=80_000,
            first_pay_month=first,
            schedule={first: 50_000},
        )
        line = json.loads(self.lines[-1])
        line["actor"], line["role"] = approver, roles.APPROVER
        self.lines[-1] = json.dumps(line, ensure_ascii=False)

    def enrolment_rows(self) -> list[FactRow]:
        self.imported()
        events = read_events(self.fund.recorder, self.fund.mapper)
        return list(rows_of_events(events, stand_in_hash, ENROLMENT_KINDS))

    def found(self, policy: EnrolmentPolicy | None = None) -> list[RiskFinding]:
        return list(
            bulk_enrolment(enrolment_facts(self.enrolment_rows(), None, policy))
        )


def test_five_new_cases_of_a_village_approved_together_are_found() -> None:
    village = Village()
    for n in range(1, 6):
        village.enrol(n)
    (finding,) = village.found()
    assert (finding.rule_id, finding.severity, finding.subject) == (
        "RF-26",
        "medium",
        VILLAGE,
    )
    assert finding.summary == (
        "5 new cases (低保) approved on 2024-03-20 by S7, threshold 5 for 8 "
        "households; 0 without an economic check and a township home visit first"
    )
    assert [e.topic for e in finding.evidence] == ["ReliefCase.Approved"] * 5


def test_the_summary_counts_cases_approved_without_their_own_investigation() -> None:
    village = Village()
    for n in range(1, 6):
        village.enrol(n, investigated=n > 3)
    (finding,) = village.found()
    assert "; 3 without an economic check" in finding.summary


def test_four_approvals_are_below_the_threshold() -> None:
    village = Village()
    for n in range(1, 5):
        village.enrol(n)
    assert village.found() == []


def test_five_approvals_by_two_approvers_are_not_one_group() -> None:
    village = Village()
    for n in range(1, 6):
        village.enrol(n, approver="S7" if n < 5 else "S8")
    assert village.found() == []


def test_five_approvals_on_two_days_are_not_one_group() -> None:
    village = Village()
    for n in range(1, 6):
        village.enrol(n, DAY if n < 5 else DAY + timedelta(1))
    assert village.found() == []


def test_five_approvals_in_two_villages_are_not_one_group() -> None:
    village = Village()
    for n in range(1, 6):
        village.enrol(n, village=VILLAGE if n < 5 else OTHER_VILLAGE)
    assert village.found() == []


def test_emergency_aid_for_a_whole_village_is_no_enrolment() -> None:
    village = Village()
    for n in range(1, 6):
        village.enrol(n, programme=roles.LINSHI)
    assert village.found() == []


def test_a_second_approval_of_an_old_case_is_no_new_case() -> None:
    village = Village()
    village.enrol(1, DAY - timedelta(200))
    for n in range(2, 6):
        village.enrol(n)
    village.approve("C1", DAY, "S7")
    assert village.found() == []


def test_imported_approvals_stamped_with_the_import_day_are_left_out() -> None:
    village = Village()
    for n in range(1, 6):
        village.enrol(n)
    rows = village.enrolment_rows()
    stamped = [r._replace(recorded=r.day) if r.kind == "approved" else r for r in rows]
    assert list(bulk_enrolment(enrolment_facts(stamped))) == []
    assert len(bulk_enrolment(enrolment_facts(rows))) == 1


def test_a_larger_village_needs_a_larger_group() -> None:
    policy = EnrolmentPolicy(bulk_approvals=3, bulk_share_percent=50)
    assert policy.threshold(8) == 4
    assert policy.threshold(3) == 3
    village = Village()
    for n in range(1, 4):
        village.enrol(n)
    assert village.found(policy) == []
    village.enrol(4)
    (finding,) = village.found(policy)
    assert "threshold 4 for 8 households" in finding.summary


def test_rf26_is_in_the_catalogue_the_scan_runs() -> None:
    assert ENROLMENT_GROUP in GROUPS
    assert [r.rule_id for r in ENROLMENT_RULES] == ["RF-26"]
    assert "§26" in bulk_enrolment.doc
