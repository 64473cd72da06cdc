"""Double-entry postings: each movement of money is a pair of legs summing to zero.

Pure: no database. ``PostingRules.postings(event, at)`` returns the legs one
event posts, and ``PostingRules.learn(event)`` keeps the little it must
remember from earlier events (which programme an account serves, a batch's
region and month, which case and household a batch line pays, a case's
region and household, a recovery's case) in a ``Context``. The SQL view
(``projections.balances``) and replay (``projections.asof``) run the same
rules, so a replay and the stored books cannot drift apart.

Accounts (debit positive, credit negative; fen):

* ``treasury:<source>``: where the money came from (中央/省/市/县);
* ``fund:<programme>:<org>``: the programme's account at an organisation
  (a batch draws on its county's, the first six digits of its region);
* ``transit:<programme>:<township>``: sent to the bank, not yet paid out;
* ``failed:<programme>:<township>``: lines the bank could not pay;
* ``household:<no>``: money paid to a household (net of recoveries);
* ``fines-due:<no>`` and ``fines:<programme>:<county>``: fines ordered.

Movements: received (treasury → fund), instructed (fund → transit),
disbursed and reissued (transit or failed → household), failed (transit →
failed), returned (failed → fund), emergency (fund → household, 先行救助),
recovered (household → fund), fined (fines → fines-due).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from eventsourcing.dispatch import singledispatchmethod

from domain import batch_events as batch_ev  # noqa: TC001 (dispatch reads annotations)
from domain import case_events as ev  # noqa: TC001 (dispatch reads annotations)
from domain.batches import PaymentBatch
from domain.cases import ReliefCase
from domain.funds import ProgrammeAccount
from domain.ids import record_id
from domain.recoveries import Recovery
from projections.folds import (
    At,
    originator_text,
)
from projections.posting_context import Context
from projections.posting_legs import (
    COUNTY_DIGITS,
    UNKNOWN,
    CaseRef,
    LegPair,
    Posting,
    case_pair,
    fund_account,
    month_of,
    posting_from,
)

if TYPE_CHECKING:
    from collections.abc import Iterable
    from uuid import UUID


MONEY_EVENTS: Final = (
    ProgrammeAccount.FundsReceived,
    PaymentBatch.InstructionSent,
    PaymentBatch.LinesDisbursed,
    PaymentBatch.LineFailed,
    PaymentBatch.LineReissued,
    PaymentBatch.LineReturned,
    ReliefCase.EmergencyAidGranted,
    Recovery.RecoveryOrdered,
    Recovery.OverpaymentRecovered,
)
"""Every event class that moves money (a test posts each and sums the legs)."""

CONTEXT_EVENTS: Final = (
    ProgrammeAccount.Opened,
    PaymentBatch.Created,
    PaymentBatch.LinesScheduled,
    ReliefCase.Applied,
    Recovery.OverpaymentIdentified,
)
"""Event classes that post nothing but tell later postings where they belong."""


class PostingRules:
    """Turns money events into balanced legs, reading context as it goes."""

    def __init__(self, context: Context | None = None) -> None:
        self.context = context if context is not None else Context()
        # Bind the dispatchers once: the library's singledispatchmethod builds
        # (and re-registers) a wrapper on every attribute access.
        self._post = self.postings
        self._learn = self.learn

    # Context.

    @singledispatchmethod
    def learn(self, event: Any) -> None:
        """Remember what ``event`` says that later postings need."""

    @learn.register
    def _(self, event: ProgrammeAccount.Opened) -> None:
        self.context.put(
            f"acct:{originator_text(event)}", f"{event.programme}|{event.org_code}"
        )

    @learn.register
    def _(self, event: batch_ev.Created) -> None:
        value = f"{event.programme}|{event.region_code}|{event.period}"
        self.context.put(f"batch:{originator_text(event)}", value)

    @learn.register
    def _(self, event: batch_ev.LinesScheduled) -> None:
        rows = zip(event.case_nos, event.household_nos, event.amounts_fen, strict=True)
        self.context.put_lines(originator_text(event), event.first_line_no, rows)

    @learn.register
    def _(self, event: ev.Applied) -> None:
        value = f"{event.case_no}|{event.programme}|{event.region_code}|"
        self.context.put(f"case:{originator_text(event)}", value + event.household_no)

    @learn.register
    def _(self, event: Recovery.OverpaymentIdentified) -> None:
        self.context.put(f"rec:{originator_text(event)}", event.case_no)

    def case(self, case_id: UUID | str) -> CaseRef:
        """Return where the case with aggregate id ``case_id`` belongs."""
        value = self.context.get(f"case:{case_id}")
        if value is None:
            return CaseRef(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN)
        case_no, programme, region, household_no = value.split("|")
        return CaseRef(case_no, programme, region, household_no)

    def batch(self, batch_id: UUID | str) -> tuple[str, str, str]:
        """Return a batch's programme, township and month."""
        value = self.context.get(f"batch:{batch_id}")
        if value is None:
            return UNKNOWN, UNKNOWN, UNKNOWN
        programme, township, period = value.split("|")
        return programme, township, period

    def line(self, batch_id: UUID | str, line_no: int) -> tuple[str, str, int]:
        """Return the case, household and fen of one batch line."""
        return self.context.line(str(batch_id), line_no) or (UNKNOWN, UNKNOWN, 0)

    # Postings.

    @singledispatchmethod
    def postings(self, event: Any, at: At) -> list[Posting]:  # noqa: ARG002
        """Return the legs ``event`` posts (none for events that move no money)."""
        return []

    @postings.register
    def _(self, event: ProgrammeAccount.FundsReceived, at: At) -> list[Posting]:
        value = self.context.get(f"acct:{originator_text(event)}") or "?|?"
        programme, org = value.split("|")
        pair = LegPair(at, programme, org, month_of(at))
        return pair.move(
            f"fund:{programme}:{org}",
            f"treasury:{event.source}",
            event.amount_fen,
            "received",
        )

    @postings.register
    def _(self, event: batch_ev.InstructionSent, at: At) -> list[Posting]:
        programme, township, period = self.batch(originator_text(event))
        pair = LegPair(at, programme, township, period)
        return pair.move(
            f"transit:{programme}:{township}",
            fund_account(programme, township),
            event.total_fen,
            "instructed",
        )

    @postings.register
    def _(self, event: batch_ev.LinesDisbursed, at: At) -> list[Posting]:
        # A chunk of up to 1,000 lines: the pair of legs per line is built
        # here in one step each (what ``LegPair.move`` builds, household debited
        # and transit credited), as these are most of a county's legs.
        batch = originator_text(event)
        programme, township, period = self.batch(batch)
        transit = f"transit:{programme}:{township}"
        position, day = at.position, at.occurred_at.date().isoformat()
        legs: list[Posting] = []
        add, line, leg = legs.append, self.context.line, 0
        for line_no, amount in zip(event.line_nos, event.amounts_fen, strict=True):
            case_no, household_no, _ = line(batch, line_no) or _NO_LINE
            common = ("disbursed", programme, township, period, case_no, household_no)
            add(
                posting_from(
                    Posting,
                    (position, leg, f"household:{household_no}", amount, *common, day),
                )
            )
            add(
                posting_from(
                    Posting, (position, leg + 1, transit, -amount, *common, day)
                )
            )
            leg += 2
        return legs

    @postings.register
    def _(self, event: batch_ev.LineFailed, at: At) -> list[Posting]:
        programme, township, period = self.batch(originator_text(event))
        case_no, household_no, amount = self.line(originator_text(event), event.line_no)
        pair = LegPair(at, programme, township, period).about(case_no, household_no)
        return pair.move(
            f"failed:{programme}:{township}",
            f"transit:{programme}:{township}",
            amount,
            "failed",
        )

    @postings.register
    def _(self, event: batch_ev.LineReissued, at: At) -> list[Posting]:
        programme, township, period = self.batch(originator_text(event))
        case_no, household_no, _ = self.line(originator_text(event), event.line_no)
        pair = LegPair(at, programme, township, period).about(case_no, household_no)
        return pair.move(
            f"household:{household_no}",
            f"failed:{programme}:{township}",
            event.amount_fen,
            "reissued",
        )

    @postings.register
    def _(self, event: batch_ev.LineReturned, at: At) -> list[Posting]:
        programme, township, period = self.batch(originator_text(event))
        case_no, household_no, _ = self.line(originator_text(event), event.line_no)
        pair = LegPair(at, programme, township, period).about(case_no, household_no)
        return pair.move(
            fund_account(programme, township),
            f"failed:{programme}:{township}",
            event.amount_fen,
            "returned",
        )

    @postings.register
    def _(self, event: ev.EmergencyAidGranted, at: At) -> list[Posting]:
        case = self.case(originator_text(event))
        return case_pair(case, at).move(
            f"household:{case.household_no}",
            fund_account(case.programme, case.region),
            event.amount,
            "emergency",
        )

    @postings.register
    def _(self, event: Recovery.RecoveryOrdered, at: At) -> list[Posting]:
        if not event.fine_amount:
            return []
        case = self.recovered_case(originator_text(event))
        return case_pair(case, at).move(
            f"fines-due:{case.household_no}",
            f"fines:{case.programme}:{case.region[:COUNTY_DIGITS]}",
            event.fine_amount,
            "fined",
        )

    @postings.register
    def _(self, event: Recovery.OverpaymentRecovered, at: At) -> list[Posting]:
        case = self.recovered_case(originator_text(event))
        return case_pair(case, at).move(
            fund_account(case.programme, case.region),
            f"household:{case.household_no}",
            event.amount,
            "recovered",
        )

    def recovered_case(self, recovery_id: UUID | str) -> CaseRef:
        """Return the case a recovery concerns."""
        case_no = self.context.get(f"rec:{recovery_id}")
        if case_no is None:
            return CaseRef(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN)
        case = self.case(record_id("case", case_no))
        return case if case.case_no != UNKNOWN else case._replace(case_no=case_no)

    def take(self, event: Any, at: At) -> list[Posting]:
        """Post ``event`` and then learn from it (the order replay relies on)."""
        cls = type(event)
        legs = self._post(event, at) if cls in _MOVING else []
        if cls in _TEACHING:
            self._learn(event)
        return legs


_MOVING: Final = frozenset(MONEY_EVENTS)
_TEACHING: Final = frozenset(CONTEXT_EVENTS)
_NO_LINE: Final = (UNKNOWN, UNKNOWN, 0)


def postings_of(events: Iterable[tuple[Any, At]]) -> list[Posting]:
    """Return every leg the events post, in order, from a fresh context."""
    rules = PostingRules()
    return [leg for event, at in events for leg in rules.take(event, at)]
