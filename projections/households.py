"""One household as it stood: its members, its cases and the money it received.

``HouseholdFolder`` applies a household's own events (the household, the
cases that name it, its bank accounts) and ``result`` adds the money from the
household's account in the books. ``projections.asof`` feeds it either every
event of the ledger or only the household's own, found through the indexes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from eventsourcing.dispatch import singledispatchmethod

from domain import case_events as ev  # noqa: TC001 (dispatch reads annotations)
from domain.accounts import BankAccount  # noqa: TC001 (dispatch reads annotations)
from domain.cases import ReliefCase
from domain.ids import record_id
from domain.people import Household  # noqa: TC001 (dispatch reads annotations)

if TYPE_CHECKING:
    from uuid import UUID

    from projections.folds import At


@dataclass(frozen=True)
class CaseLine:
    """A household's case as it stood: programme, status, monthly amount."""

    case_no: str
    programme: str
    status: str
    monthly: int


@dataclass(frozen=True)
class HouseholdState:
    """One household as it stood at a date or position."""

    household_no: str
    region_code: str = ""
    members: tuple[str, ...] = ()
    deceased: tuple[str, ...] = ()
    cases: tuple[CaseLine, ...] = ()
    accounts: int = 0
    paid: int = 0
    recovered: int = 0
    balance: int = 0
    last_position: int = 0


@dataclass
class _Household:
    """The mutable working copy the fold below fills, event by event."""

    household_no: str
    region_code: str = ""
    members: list[str] = field(default_factory=list)
    deceased: list[str] = field(default_factory=list)
    cases: dict[str, CaseLine] = field(default_factory=dict)
    case_ids: dict[UUID, str] = field(default_factory=dict)
    accounts: int = 0
    last_position: int = 0


_CASE_STATUS: dict[type, str] = {
    ReliefCase.Rejected: "rejected",
    ReliefCase.Suspended: "suspended",
    ReliefCase.Resumed: "approved",
    ReliefCase.Terminated: "terminated",
}


class HouseholdFolder:
    """Applies a household's own events (household, its cases, its accounts)."""

    def __init__(self, household_no: str) -> None:
        self.state = _Household(household_no)
        self.household_id = record_id("household", household_no)

    def take(self, event: Any, at: At) -> None:
        if self.handle(event):
            self.state.last_position = max(self.state.last_position, at.position)

    @singledispatchmethod
    def handle(self, event: Any) -> bool:
        """Apply ``event`` if it is the household's; return whether it was."""
        case_no = self.state.case_ids.get(getattr(event, "originator_id", None))  # type: ignore[arg-type]
        if case_no is None or not isinstance(event, ReliefCase.Event):
            return False
        line = self.state.cases[case_no]
        status = _CASE_STATUS.get(type(event))
        monthly = getattr(event, "new_amount", None)
        if isinstance(event, ReliefCase.Approved):
            status, monthly = "approved", event.monthly_amount
        self.state.cases[case_no] = replace(
            line,
            status=status or line.status,
            monthly=line.monthly if monthly is None else monthly,
        )
        return True

    @handle.register
    def _(self, event: Household.Registered) -> bool:
        if event.household_no != self.state.household_no:
            return False
        self.state.region_code = event.region_code
        self.state.members = [str(m["person_ref"]) for m in event.members]
        return True

    @handle.register
    def _(self, event: Household.MemberAdded) -> bool:
        if event.originator_id != self.household_id:
            return False
        self.state.members.append(str(event.member["person_ref"]))
        return True

    @handle.register
    def _(self, event: Household.MemberRemoved) -> bool:
        if event.originator_id != self.household_id:
            return False
        self.state.members.remove(event.person_ref)
        return True

    @handle.register
    def _(self, event: Household.MemberDeceased) -> bool:
        if event.originator_id != self.household_id:
            return False
        self.state.deceased.append(event.person_ref)
        return True

    @handle.register
    def _(self, event: ev.Applied) -> bool:
        if event.household_no != self.state.household_no:
            return False
        self.state.case_ids[event.originator_id] = event.case_no
        self.state.cases[event.case_no] = CaseLine(
            event.case_no, event.programme, "applied", 0
        )
        return True

    @handle.register
    def _(self, event: BankAccount.Registered) -> bool:
        if event.household_no != self.state.household_no:
            return False
        self.state.accounts += 1
        return True

    def result(self, money: dict[str, int], last_money: int) -> HouseholdState:
        s = self.state
        return HouseholdState(
            s.household_no,
            s.region_code,
            tuple(s.members),
            tuple(s.deceased),
            tuple(s.cases[c] for c in sorted(s.cases)),
            s.accounts,
            money.get("disbursed", 0),
            money.get("recovered", 0),
            money.get("balance", 0),
            max(s.last_position, last_money),
        )
