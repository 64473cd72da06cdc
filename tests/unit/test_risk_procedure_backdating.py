"""RF-27: live approvals and notices recorded long after their business time.

The library's clock gives every event its recorded time; these tests set it,
so a live approval stated for one day can be recorded a chosen time later.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import eventsourcing.domain as es_domain
import pytest
from case_support import DECIDED, POSTED, act, ready_dibao, seeded_fund
from test_risk_money_support import stand_in_hash
from test_risk_procedure_support import Trail, findings

from domain import roles
from domain.base import Act
from domain.corrections import Correction
from projections.replay import read_events
from projections.risk.fact_views import CHINA, rows_of_events
from projections.risk.procedure_fold import PROCEDURE_KINDS, fold_procedure_facts

if TYPE_CHECKING:
    from case_support import CaseFund

    from projections.risk.procedure_facts import ProcedureFacts


class Clock:
    """A settable clock that ticks a microsecond per reading."""

    def __init__(self) -> None:
        self.now = datetime(2024, 1, 2, tzinfo=UTC)

    def set(self, moment: datetime) -> None:
        self.now = moment.astimezone(UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(microseconds=1)
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    the_clock = Clock()
    monkeypatch.setattr(es_domain, "datetime_now_with_tzinfo", the_clock)
    return the_clock


def local(moment: datetime) -> datetime:
    """A naive business time as the ledger reads it: China Standard Time."""
    return moment.replace(tzinfo=CHINA)


def facts_of(fund: CaseFund) -> ProcedureFacts:
    events = read_events(fund.recorder, fund.mapper)
    return fold_procedure_facts(rows_of_events(events, stand_in_hash, PROCEDURE_KINDS))


def approved_after(clock: Clock, lag: timedelta) -> ProcedureFacts:
    """A live 低保 case, its 公示 recorded on time, its approval ``lag`` late."""
    fund = seeded_fund()
    clock.set(local(act("T1", POSTED).occurred_at) + timedelta(hours=1))
    ready_dibao(fund)
    decision = act("A1", DECIDED)
    clock.set(local(decision.occurred_at) + lag)
    fund.approve(decision, "C1", 150_000)
    return facts_of(fund)


def test_an_approval_recorded_under_seven_days_late_is_not_flagged(
    clock: Clock,
) -> None:
    facts = approved_after(clock, timedelta(days=6, hours=23))
    assert findings("RF-27", facts) == []


def test_an_approval_recorded_over_seven_days_late_is_flagged(clock: Clock) -> None:
    facts = approved_after(clock, timedelta(days=7, hours=1))
    (finding,) = findings("RF-27", facts)
    assert finding.subject == "C1"
    assert f"approval dated {DECIDED} recorded 7 days later" == finding.summary
    assert [e.topic for e in finding.evidence] == ["ReliefCase.Approved"]


def test_a_notice_recorded_late_is_flagged_and_the_threshold_is_configurable(
    clock: Clock,
) -> None:
    fund = seeded_fund()
    clock.set(local(act("T1", POSTED).occurred_at) + timedelta(days=8))
    ready_dibao(fund)
    facts = facts_of(fund)
    (finding,) = findings("RF-27", facts)
    assert finding.summary.startswith(f"公示 dated {POSTED}")
    looser = fold_procedure_facts(
        rows_of_events(
            read_events(fund.recorder, fund.mapper), stand_in_hash, PROCEDURE_KINDS
        ),
        policy=type(facts.policy)(backdate_days=8),
    )
    assert findings("RF-27", looser) == []


def test_imported_history_is_recorded_late_by_nature_and_not_flagged() -> None:
    trail = Trail()
    trail.full_case("C1")
    facts = trail.facts()
    assert {s.kind for s in facts.stamps} == {"approved", "notice"}
    assert all(s.imported and s.lag > 86_400 * 365 for s in facts.stamps)
    assert findings("RF-27", facts) == []


def corrected_late(clock: Clock, approval_lag: timedelta) -> ProcedureFacts:
    """An approval recorded ``approval_lag`` late, then a correction of its
    amount stated for the decision day and recorded two months later."""
    fund = seeded_fund()
    clock.set(local(act("T1", POSTED).occurred_at) + timedelta(hours=1))
    ready_dibao(fund)
    decision = act("A1", DECIDED)
    clock.set(local(decision.occurred_at) + approval_lag)
    fund.approve(decision, "C1", 150_000)
    case = fund.case("C1")
    approval = list(read_events(fund.recorder, fund.mapper))[-1][1].position
    clock.set(local(decision.occurred_at) + timedelta(days=60))
    correction = Correction.record(
        Act("C1", roles.COUNTY_CLERK, decision.occurred_at),
        correction_no="CR-1",
        target_id=case.id,
        target_version=None,
        ledger_position=approval,
        corrected_fields={"monthly_amount": "140000"},
        reason="审批表金额笔误, 以审批表原件为准",
    )
    fund.save(correction)
    return facts_of(fund)


def test_a_correction_stating_its_reason_is_not_back_dating(clock: Clock) -> None:
    facts = corrected_late(clock, timedelta(hours=1))
    (stamp,) = [s for s in facts.stamps if s.kind == "correction"]
    assert stamp.lag > 59 * 86_400
    assert stamp.reason
    assert findings("RF-27", facts) == []


def test_a_correction_does_not_excuse_a_back_dated_approval(clock: Clock) -> None:
    facts = corrected_late(clock, timedelta(days=9))
    (finding,) = findings("RF-27", facts)
    assert finding.summary == f"approval dated {DECIDED} recorded 9 days later"
