"""Builders of legacy JSON lines for import tests."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from domain import roles
from domain.base import Act
from domain.service import ReliefFund

KEY = "test-deployment-key"
WHEN = "2023-01-05T09:00:00+08:00"
OPERATOR = Act("IMP1", roles.COUNTY_CLERK, datetime(2026, 1, 1, 8, 0))
ID_HEAD = "11010519491231002X"
ID_CHILD = "110101199003074477"
ID_STAFF = "110101200001011232"


def memory_fund() -> ReliefFund:
    return ReliefFund(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo", "RELIEF_PERSON_KEY": KEY}
    )


def line(line_id: str, type_: str, record: str, when: str = WHEN, **fields: Any) -> str:
    """One legacy line, by the county clerk S0 at ``when``."""
    envelope = {
        "id": line_id,
        "type": type_,
        "record": record,
        "actor": "S0",
        "role": roles.COUNTY_CLERK,
        "occurred_at": when,
    }
    return json.dumps({**envelope, **fields}, ensure_ascii=False)


def reference_lines() -> list[str]:
    """Regions, a standard and a limit, a calendar year, staff and a household."""
    regions = [
        ("11", "北京市"),
        ("1101", "市辖区"),
        ("110101", "东城区"),
        ("110101001", "东华门街道"),
        ("110101001001", "多福巷社区"),
    ]
    lines = [
        line(f"R{i}", "region.registered", c, name=n)
        for i, (c, n) in enumerate(regions)
    ]
    rate = {"effective_from": "2023-01-01", "document": "京民发〔2022〕9号"}
    lines += [
        line(
            "ST1",
            "region.standard_set",
            "1101",
            programme=roles.DIBAO,
            area="urban",
            amount_fen=124_500,
            **rate,
        ),
        line(
            "AL1",
            "region.approval_limit_set",
            "110101",
            programme=roles.LINSHI,
            level="township",
            amount_fen=150_000,
            **rate,
        ),
        line(
            "CY1",
            "calendar.year_recorded",
            "2031",
            holidays=["2031-01-01"],
            workdays=[],
            source="国办发明电〔2030〕1号",
        ),
        line("SF1", "staff.registered", "S1", person=ID_STAFF, name="李四"),
        line(
            "SF2",
            "staff.role_assigned",
            "S1",
            staff_role=roles.TOWNSHIP_CLERK,
            org_code="110101001",
            from_date="2022-01-01",
        ),
        line(
            "SF3",
            "staff.role_ended",
            "S1",
            staff_role=roles.TOWNSHIP_CLERK,
            org_code="110101001",
            last_day="2023-06-30",
        ),
        line(
            "HH1",
            "household.registered",
            "H1",
            region_code="110101001001",
            area="urban",
            members=[
                {
                    "person": ID_HEAD,
                    "name": "张三",
                    "relation": "户主",
                    "birth_date": "1949-12-31",
                    "disability_grade": 2,
                },
                {
                    "person": ID_CHILD,
                    "name": "张小",
                    "relation": roles.CHILD,
                    "birth_date": "1990-03-07",
                    "in_school": False,
                },
            ],
        ),
        line(
            "KN1",
            "kinship.recorded",
            ID_STAFF,
            other=ID_CHILD,
            relation=roles.SIBLING,
            source="调查",
        ),
    ]
    return lines


def case_and_payment_lines(fund: ReliefFund) -> list[str]:
    """A 低保 case applied for and approved, then one month paid."""
    head, child = fund.person_ref(ID_HEAD), fund.person_ref(ID_CHILD)
    return [
        line(
            "C1",
            "case.Applied",
            "DB-1",
            programme=roles.DIBAO,
            category="补差",
            household_no="H1",
            region_code="110101001001",
            area="urban",
            applicant_ref=head,
            member_refs=[head, child],
            channel="窗口",
            authorisation_ref="AUTH-1",
            commitment_ref="COMMIT-1",
        ),
        line(
            "C2",
            "case.Approved",
            "DB-1",
            method="补差",
            monthly_amount=80_000,
            standard_fen=124_500,
            first_pay_month="2023-02",
            schedule={"2023-02": 80_000},
        ),
        line(
            "P1",
            "payment.batch_created",
            f"{roles.DIBAO}/110101001/2023-03",
            lines=[{"case_no": "DB-1", "household_no": "H1", "amount_fen": 80_000}],
        ),
        line("P2", "payment.batch_approved", f"{roles.DIBAO}/110101001/2023-03"),
    ]
