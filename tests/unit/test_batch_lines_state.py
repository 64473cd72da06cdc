"""Properties of batches: totals add up, the digest binds the lines, and
whatever the order of bank reports, a line closes once."""

from __future__ import annotations

from datetime import date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from domain import roles
from domain.base import Act
from domain.batch_rules import Disbursement, Line, lines_digest
from domain.batches import PaymentBatch
from domain.errors import DomainError

MAKER = Act("F1", roles.FINANCE, datetime(2024, 5, 6, 9, 0))
CHECKER = Act("F2", roles.FINANCE, datetime(2024, 5, 6, 10, 0))
LINES = 4
AMOUNT = 12_345
TOKEN = "ab" * 32

# What each report may do to a line, and the state it leaves.
MOVES = {
    "disburse": ("scheduled", "disbursed"),
    "fail": ("scheduled", "failed"),
    "reissue": ("failed", "reissued"),
    "return": ("failed", "returned"),
}


class LineMachine(RuleBasedStateMachine):
    """Random bank reports against one sent batch and a plain model of it."""

    def __init__(self) -> None:
        super().__init__()
        lines = [Line(f"C{n}", f"H{n}", AMOUNT) for n in range(1, LINES + 1)]
        self.batch = PaymentBatch.create(
            MAKER,
            programme=roles.DIBAO,
            region_code="110101001",
            period="2024-05",
            lines=lines,
        )
        self.batch.approve(CHECKER)
        self.batch.send_instruction(
            MAKER,
            file_sha256="cd" * 32,
            line_count=LINES,
            total_fen=AMOUNT * LINES,
            bank_code="RCC",
        )
        self.model = dict.fromkeys(range(1, LINES + 1), "scheduled")
        self.refs = 0

    def _report(self, move: str, line_no: int) -> None:
        self.refs += 1
        item = Disbursement(line_no, f"T{self.refs}", date(2024, 5, 10), AMOUNT, TOKEN)
        if move == "disburse":
            self.batch.record_disbursements(MAKER, [item])
        elif move == "fail":
            self.batch.fail_line(MAKER, line_no, "frozen", f"B{self.refs}")
        elif move == "reissue":
            self.batch.reissue_line(MAKER, item)
        else:
            self.batch.return_line(MAKER, line_no, f"R{self.refs}")

    @rule(move=st.sampled_from(sorted(MOVES)), line_no=st.integers(1, LINES))
    def report(self, move: str, line_no: int) -> None:
        before = len(self.batch.pending_events)
        allowed_from, after = MOVES[move]
        try:
            self._report(move, line_no)
        except DomainError:
            assert self.model[line_no] != allowed_from
            assert len(self.batch.pending_events) == before
        else:
            assert self.model[line_no] == allowed_from
            self.model[line_no] = after

    @invariant()
    def states_follow_the_model(self) -> None:
        assert self.batch.state == self.model

    @invariant()
    def each_paid_ref_pays_one_open_line_once(self) -> None:
        paid = sorted(self.batch.paid_refs.values())
        assert paid == sorted(
            n for n, s in self.model.items() if s in {"disbursed", "reissued"}
        )


LineMachine.TestCase.settings = settings(
    max_examples=40, stateful_step_count=20, deadline=None
)
TestLines = LineMachine.TestCase


amounts = st.lists(st.integers(1, 10**9), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(amounts, st.integers(1, 7))
def test_the_approved_total_is_the_sum_of_the_lines(
    fen: list[int], per_event: int
) -> None:
    lines = [Line(f"C{n}", f"H{n}", a) for n, a in enumerate(fen)]
    batch = PaymentBatch.create(
        MAKER,
        programme=roles.DIBAO,
        region_code="110101001",
        period="2024-05",
        lines=lines,
        lines_per_event=per_event,
    )
    assert batch.approve(CHECKER)
    approved = batch.collect_events()[-1]
    assert isinstance(approved, PaymentBatch.Approved)
    assert approved.total_fen == sum(fen) == batch.total_fen
    assert approved.line_count == len(fen) == len(batch.lines)


@given(amounts, st.data())
def test_the_digest_changes_with_any_line(fen: list[int], data: st.DataObject) -> None:
    rows = [(n, (f"C{n}", f"H{n}", a)) for n, a in enumerate(fen, 1)]
    at = data.draw(st.integers(0, len(rows) - 1))
    no, (case_no, household_no, amount) = rows[at]
    changed = [*rows[:at], (no, (case_no, household_no, amount + 1)), *rows[at + 1 :]]
    assert lines_digest(rows) != lines_digest(changed)
    assert lines_digest(rows) == lines_digest(list(rows))
