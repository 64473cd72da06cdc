"""Builders for risk tests: a small county planted through the legacy import path.

``County`` collects legacy lines (regions, a 低保 standard, staff, households,
cases, batches and the bank's reports), imports them into an in-memory
``ReliefFund`` and folds the recorded events into the rules' facts, with a
stand-in chain hash per position (the real chain is exercised by the
integration tests).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from domain import roles
from domain.base import Act
from domain.legacy import import_lines
from domain.service import ReliefFund
from projections.replay import read_events
from projections.risk.fact_views import FactRow, rows_of_events
from projections.risk.money_fold import MONEY_KINDS, money_facts
from projections.risk.relation_facts import RELATIONSHIP_KINDS, relationship_facts

if TYPE_CHECKING:
    from projections.risk.money_facts import MoneyFacts

KEY = "test-deployment-key"
OPERATOR = Act("IMP1", roles.COUNTY_CLERK, datetime(2026, 1, 1, 8, 0))
COUNTY = "110101"
TOWNSHIP = "110101001"
VILLAGE = "110101001001"
OTHER_TOWNSHIP = "110101002"
OTHER_VILLAGE = "110101002001"
REGIONS = (
    ("11", "北京市"),
    ("1101", "市辖区"),
    (COUNTY, "东城区"),
    (TOWNSHIP, "东华门街道"),
    (VILLAGE, "多福巷社区"),
    (OTHER_TOWNSHIP, "景山街道"),
    (OTHER_VILLAGE, "吉祥社区"),
)
STANDARD = 80_000
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(n: int, born: str = "19600101") -> str:
    """A valid made-up 18-digit 身份证号 (GB 11643 check digit)."""
    body = f"{COUNTY}{born}{n:03d}"
    total = sum(int(c) * w for c, w in zip(body, _WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def token(label: str) -> str:
    """An account token (a SHA-256 hex digest)."""
    return hashlib.sha256(f"account:{label}".encode()).hexdigest()


def stand_in_hash(position: int) -> str:
    return hashlib.sha256(f"link:{position}".encode()).hexdigest()


def moment(day: str) -> str:
    return f"{day}T09:00:00+08:00"


class County:
    """Legacy lines for a planted county, imported into an in-memory fund."""

    def __init__(self, fund: ReliefFund | None = None) -> None:
        self.lines: list[str] = []
        self.done = 0
        self.fund = fund or ReliefFund(
            env={"PERSISTENCE_MODULE": "eventsourcing.popo", "RELIEF_PERSON_KEY": KEY}
        )
        for code, name in REGIONS:
            self.add("region.registered", code, "2022-12-01", name=name)
        self.add(
            "region.standard_set",
            COUNTY,
            "2022-12-01",
            programme=roles.DIBAO,
            area="urban",
            amount_fen=STANDARD,
            effective_from="2023-01-01",
            document="东民发〔2022〕9号",
        )

    def add(self, type_: str, record: str, day: str, **fields: Any) -> None:
        envelope = {
            "id": f"L{len(self.lines) + 1}",
            "type": type_,
            "record": record,
            "actor": "S0",
            "role": roles.COUNTY_CLERK,
            "occurred_at": moment(day),
        }
        self.lines.append(json.dumps({**envelope, **fields}, ensure_ascii=False))

    def ref(self, n: int) -> str:
        return self.fund.person_ref(id_number(n))

    def household(self, number: str, people: list[int], village: str = VILLAGE) -> None:
        members = [
            {
                "person": id_number(n),
                "name": f"成员{n}",
                "relation": "户主" if i == 0 else roles.CHILD,
                "birth_date": "1960-01-01",
            }
            for i, n in enumerate(people)
        ]
        self.add(
            "household.registered",
            number,
            "2022-12-05",
            region_code=village,
            area="urban",
            members=members,
        )

    def staff(self, staff_id: str, n: int, role: str = roles.TOWNSHIP_CLERK) -> None:
        self.add(
            "staff.registered", staff_id, "2022-12-01", person=id_number(n), name="职员"
        )
        self.add(
            "staff.role_assigned",
            staff_id,
            "2022-12-01",
            staff_role=role,
            org_code=TOWNSHIP,
            from_date="2022-12-01",
        )

    def account(self, label: str, household: str, holder: int) -> str:
        the_token = token(label)
        self.add(
            "payment.bank_account_registered",
            the_token,
            "2023-01-10",
            household_no=household,
            holder=id_number(holder),
            bank_code="RCC",
            card_type="社保卡",
        )
        return the_token

    def case(
        self,
        case_no: str,
        household: str,
        people: list[int],
        *,
        programme: str = roles.DIBAO,
        village: str = VILLAGE,
        fen: int = 50_000,
        first: str = "2023-02",
        income: int = 30_000,
    ) -> None:
        refs = [self.ref(n) for n in people]
        category = "补差" if programme == roles.DIBAO else "一般"
        self.add(
            "case.Applied",
            case_no,
            "2023-01-05",
            programme=programme,
            category=category,
            household_no=household,
            region_code=village,
            area="urban",
            applicant_ref=refs[0],
            member_refs=refs,
            channel="窗口",
            authorisation_ref="AUTH",
            commitment_ref="COMMIT",
        )
        self.add(
            "case.CheckCompleted",
            case_no,
            "2023-01-10",
            per_capita_income=income,
            report_ref="REPORT",
        )
        self.add(
            "case.Approved",
            case_no,
            "2023-01-20",
            method=category,
            monthly_amount=fen,
            standard_fen=STANDARD,
            first_pay_month=first,
            schedule={first: fen},
        )

    def batch(
        self,
        period: str,
        lines: list[tuple[str, str, int]],
        *,
        region: str = TOWNSHIP,
        programme: str = roles.DIBAO,
    ) -> str:
        """A batch of (case, household, fen) lines, approved and instructed."""
        record = f"{programme}/{region}/{period}"
        day = f"{period}-03"
        rows = [{"case_no": c, "household_no": h, "amount_fen": f} for c, h, f in lines]
        self.add("payment.batch_created", record, day, lines=rows)
        self.add("payment.batch_approved", record, day)
        self.add(
            "payment.instruction_sent",
            record,
            day,
            file_sha256=hashlib.sha256(record.encode()).hexdigest(),
            line_count=len(lines),
            total_fen=sum(f for _, _, f in lines),
            bank_code="RCC",
        )
        return record

    def paid(
        self, record: str, line_no: int, fen: int, account: str, day: str = ""
    ) -> None:
        value_date = day or f"{record[-7:]}-08"
        self.add(
            "payment.disbursed",
            record,
            value_date,
            line_no=line_no,
            bank_txn_ref=f"T{record}-{line_no}",
            value_date=value_date,
            amount_fen=fen,
            account_token=account,
        )

    def imported(self) -> ReliefFund:
        """Import the lines added since the last import."""
        fresh = self.lines[self.done :]
        if fresh:
            import_lines(self.fund, lambda: fresh, by=OPERATOR)
        self.done = len(self.lines)
        return self.fund

    def rows(self, kinds: tuple[str, ...] = ()) -> list[FactRow]:
        self.imported()
        events = read_events(self.fund.recorder, self.fund.mapper)
        return list(rows_of_events(events, stand_in_hash, kinds))

    def money(self, as_of: date | None = None) -> MoneyFacts:
        return money_facts(self.rows(MONEY_KINDS), as_of)

    def relationships(self, as_of: date | None = None) -> Any:
        return relationship_facts(self.rows(RELATIONSHIP_KINDS), as_of)


def paid_month(
    county: County, period: str, lines: list[tuple[str, str, int, str]]
) -> str:
    """A batch of ``(case, household, fen, account)`` lines, every line paid."""
    record = county.batch(period, [(c, h, f) for c, h, f, _ in lines])
    for line_no, (_, _, fen, account) in enumerate(lines, start=1):
        county.paid(record, line_no, fen, account)
    return record
