"""The optimised verifier agrees with a naive reference, and survives a workload."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from test_chain_support import (
    Event,
    Records,
    Verdict,
    build_chain,
    event_lists,
    events_strategy,
    reference_verify,
)
from test_chain_tamper import positions_with_gaps, random_tamper

from ledger.chain import GENESIS, ChainRecord, chain_links
from ledger.verify import ChainReport, verify_chain


def verdict(report: ChainReport) -> Verdict:
    """The optimised report in the reference's terms."""
    damage = report.first_break
    return Verdict(
        report.ok,
        None if damage is None else damage.position,
        None if damage is None else damage.kind,
        report.head_position,
        report.head_hash,
    )


@settings(max_examples=200, deadline=None)
@given(
    event_lists(),
    st.lists(st.integers(0, 2), max_size=12),
    st.integers(1, 3),
    st.data(),
)
def test_the_verifier_agrees_with_the_reference_on_random_tamperings(
    events: list[Event], gaps: list[int], rounds: int, data: st.DataObject
) -> None:
    records: Records = build_chain(events, positions_with_gaps(len(events), gaps))
    checkpoint = None
    if data.draw(st.booleans(), label="with a checkpoint"):
        trusted = records[data.draw(st.integers(0, len(records) - 1))]
        checkpoint = (trusted.position, trusted.hash or GENESIS)
    for _ in range(rounds):
        records = random_tamper(data, records)
    want = reference_verify(records, checkpoint=checkpoint)
    got = verdict(verify_chain(records, checkpoint=checkpoint))
    assert got == want


def test_the_reference_itself_finds_a_flipped_state_byte() -> None:
    records = build_chain([(bytes(16), 1, "t", b"\x00"), (bytes(16), 2, "t", b"\x01")])
    records[1] = records[1]._replace(state=b"\x03")
    assert reference_verify(records)[:3] == (False, 2, "content modified")


class LedgerMachine(RuleBasedStateMachine):
    """Append, checkpoint, cut the tail back and verify, in any order."""

    @initialize()
    def start(self) -> None:
        self.records: list[ChainRecord] = []
        self.checkpoint: tuple[int, bytes] | None = None

    @property
    def head(self) -> tuple[int, bytes]:
        last = self.records[-1] if self.records else None
        return (last.position, last.hash or GENESIS) if last else (0, GENESIS)

    @rule(events=st.lists(events_strategy, min_size=1, max_size=5))
    def append(self, events: list[Event]) -> None:
        position, head = self.head
        rows = [(position + k, *e) for k, e in enumerate(events, start=1)]
        links = chain_links(head, rows)
        self.records += [
            ChainRecord(*row, prev, link)
            for row, (_, prev, link) in zip(rows, links, strict=True)
        ]

    @rule()
    def take_checkpoint(self) -> None:
        self.checkpoint = self.head

    @precondition(lambda self: bool(self.records))
    @rule(data=st.data())
    def cut_tail(self, data: st.DataObject) -> None:
        keep = data.draw(st.integers(0, len(self.records) - 1), label="kept")
        del self.records[keep:]

    @invariant()
    def verifies_against_the_model(self) -> None:
        report = verify_chain(self.records, checkpoint=self.checkpoint)
        position = self.head[0]
        if self.checkpoint is None:
            assert report.ok
            assert (report.head_position, report.head_hash) == self.head
            return
        signed_position, signed = self.checkpoint
        damage = report.first_break
        if signed_position > position:
            assert damage is not None
            assert (damage.position, damage.kind) == (position + 1, "tail truncated")
            assert (report.head_position, report.head_hash) == self.head
        elif self._link_at(signed_position) == signed:
            assert report.ok
            assert (report.head_position, report.head_hash) == self.head
        else:
            assert damage is not None
            assert (damage.position, damage.kind) == (
                signed_position,
                "checkpoint mismatch",
            )
            assert report.head_position == signed_position - 1

    @invariant()
    def verifies_from_the_checkpoint_as_from_genesis(self) -> None:
        if self.checkpoint is None or self._link_at(self.checkpoint[0]) is None:
            return
        position, head = self.checkpoint
        if self._link_at(position) != head:
            return
        rest = [r for r in self.records if r.position > position]
        part = verify_chain(rest, start_hash=head, start_position=position)
        full = verify_chain(self.records)
        assert (part.ok, part.head_hash) == (full.ok, full.head_hash)
        assert part.checked == len(rest)

    def _link_at(self, position: int) -> bytes | None:
        if position == 0:
            return GENESIS
        return next((r.hash for r in self.records if r.position == position), None)


LedgerMachine.TestCase.settings = settings(
    max_examples=40, stateful_step_count=20, deadline=None
)
TestLedgerMachine = LedgerMachine.TestCase
