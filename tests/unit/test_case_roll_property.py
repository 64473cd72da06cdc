"""Property: whatever the commands after approval, the roll pays what the case says."""

from __future__ import annotations

from datetime import date

from case_support import (
    VILLAGE,
    CaseFund,
    act,
    approved_dibao,
    recorded,
    seeded_fund,
)
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from domain import roles
from domain.case_rules import add_months
from domain.errors import DomainError
from domain.rolls import Roll, roll_id

MONTHS = [add_months("2024-04", n) for n in range(18)]
months = st.sampled_from(MONTHS)
days = st.sampled_from([date(2024, m, 3) for m in range(4, 13)])


class CaseAndRoll(RuleBasedStateMachine):
    """Random management commands on one approved 低保 case (refusals allowed)."""

    def __init__(self) -> None:
        super().__init__()
        self.fund: CaseFund = seeded_fund()
        approved_dibao(self.fund)

    def attempt(self, command, *args) -> None:  # type: ignore[no-untyped-def]
        before = recorded(self.fund)
        try:
            command(*args)
        except DomainError:
            assert recorded(self.fund) == before

    @rule(day=days, amount=st.integers(1, 150_000), month=months)
    def adjust(self, day: date, amount: int, month: str) -> None:
        self.attempt(self.fund.adjust, act("A1", day), "C1", amount, month, "复核")

    @rule(day=days, month=months)
    def suspend(self, day: date, month: str) -> None:
        self.attempt(self.fund.suspend, act("A1", day), "C1", month, "失联")

    @rule(day=days, month=months)
    def resume(self, day: date, month: str) -> None:
        self.attempt(self.fund.resume, act("A1", day), "C1", month, "已联系")

    @rule(day=days, start=months, length=st.integers(0, 7), amount=st.integers(1, 9))
    def exit_gradually(self, day: date, start: str, length: int, amount: int) -> None:
        end = add_months(start, length)
        self.attempt(
            self.fund.start_gradual_exit,
            act("A1", day),
            "C1",
            (start, end),
            amount,
            "就业",
        )

    @rule(day=days)
    def terminate(self, day: date) -> None:
        self.attempt(self.fund.terminate, act("A1", day), "C1", "voluntary", "本人申请")

    @invariant()
    def the_roll_pays_what_the_case_says(self) -> None:
        case = self.fund.case("C1")
        roll = self.fund.repository.get(roll_id(roles.DIBAO, VILLAGE))
        assert isinstance(roll, Roll)
        for period in MONTHS:
            lines = {e.case_no: e.amount_fen for e in roll.entitlements(period)}
            assert lines.get("C1", 0) == case.payable_amount(period)
        stopped = case.suspended_from
        if case.status == "suspended" and stopped is not None:
            assert all(case.payable_amount(p) == 0 for p in MONTHS if p >= stopped)
        if case.end_month is not None:
            assert all(
                case.payable_amount(p) == 0 for p in MONTHS if p >= case.end_month
            )


CaseAndRoll.TestCase.settings = settings(
    max_examples=12, stateful_step_count=8, deadline=None
)
TestCaseAndRoll = CaseAndRoll.TestCase
