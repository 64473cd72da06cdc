"""What every case command of the service shares: loading, saving and kin checks.

Saving a case copies its pay schedule onto the roll of its programme × township
in the same ``save()``, so ``Roll.entitlements`` is always right. Kinship
checks use the reference queries: the kin of the covered members against the
staff who act (审核确认办法 2021 §11, §16, §20; RF-08, RF-10).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.utils import get_topic

from domain.cases import ReliefCase
from domain.errors import SeparationOfDutiesError
from domain.ids import record_id
from domain.recoveries import Recovery
from domain.reference_queries import ReferenceQueries
from domain.rolls import Roll, roll_id, township_of
from domain.staff import Staff

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable
    from datetime import date

    from eventsourcing.domain import Aggregate

    from domain.base import Act

_PAGE = 1000


class CaseAccess(ReferenceQueries):
    """Loading and saving cases and rolls, and the kin checks of case commands."""

    def case(self, case_no: str) -> ReliefCase:
        """Return the case numbered ``case_no``, or refuse with NotFoundError."""
        return self.get_record("case", record_id("case", case_no), ReliefCase, case_no)

    def recovery(self, recovery_no: str) -> Recovery:
        """Return the recovery numbered ``recovery_no``, or NotFoundError."""
        return self.get_record(
            "recovery", record_id("recovery", recovery_no), Recovery, recovery_no
        )

    def roll(self, act: Act, programme: str, region_code: str) -> Roll:
        """Return the roll of ``programme`` × township, opened (unsaved) if new."""
        try:
            roll: Aggregate = self.repository.get(roll_id(programme, region_code))
        except AggregateNotFoundError:
            return Roll.open(act, programme, region_code)
        assert isinstance(roll, Roll)
        return roll

    def save_case(
        self, act: Act, case: ReliefCase, *others: Aggregate, roll: Roll | None = None
    ) -> None:
        """Save ``case`` (and ``others``), with its roll line if the schedule moved.

        Pass ``roll`` when it is already loaded, so it is not loaded twice.
        """
        loaded = {roll_key(case): roll} if roll is not None else {}
        self.save(case, *self.synced_rolls(act, [case], loaded), *others)

    def synced_rolls(
        self, act: Act, cases: Iterable[ReliefCase], rolls: dict[str, Roll]
    ) -> list[Roll]:
        """Copy each case's changed schedule onto its roll; return the rolls changed.

        ``rolls`` caches loaded rolls by key, so a batch loads each roll once.
        """
        changed: dict[str, Roll] = {}
        for case in cases:
            key = roll_key(case)
            if key not in rolls:
                rolls[key] = self.roll(act, case.programme, case.region_code)
            roll = rolls[key]
            if roll.schedule_of(case.case_no) != case.schedule:
                roll.set_schedule(act, case.case_no, case.household_no, case.schedule)
                changed[key] = roll
        return list(changed.values())

    def kin_of_members(self, case: ReliefCase) -> frozenset[str]:
        """Return the members of the case and all their recorded 近亲属."""
        kin = set(case.member_refs)
        for member in case.member_refs:
            kin |= self.kin_of(member)
        return frozenset(kin)

    def require_not_kin(
        self, case: ReliefCase, staff_ids: Collection[str], rule: str
    ) -> None:
        """Refuse if any of ``staff_ids`` is a member or a 近亲属 of one.

        Rule: 审核确认办法 2021 §16 (investigators) and the separation of duties
        behind §11 (approvers); RF-10.
        """
        kin = self.kin_of_members(case)
        for staff_id in staff_ids:
            if self.staff(staff_id).person_ref in kin:
                raise SeparationOfDutiesError(
                    rule, case.record, f"staff {staff_id} is a 近亲属 of a member"
                )

    def members_needing_filing(self, case: ReliefCase, day: date) -> frozenset[str]:
        """Return the members who are 近亲属 of staff holding a filing role on ``day``.

        Rule: 审核确认办法 2021 §11; the roles are ``Policy.relative_filing_roles``.
        """
        directory = self.staff_by_person()
        need = set()
        for member in case.member_refs:
            for kin in self.kin_of(member):
                for staff_id in directory.get(kin, ()):
                    held = self.staff(staff_id).roles_on(day)
                    if held & self.policy.relative_filing_roles:
                        need.add(member)
        return frozenset(need)

    def staff_by_person(self) -> dict[str, tuple[str, ...]]:
        """Return the staff numbers registered under each person ref.

        Reads the staff registrations from the store by topic; a deployment
        with a staff index may override it with a lookup.
        """
        topic = get_topic(Staff.Registered)
        found: dict[str, tuple[str, ...]] = {}
        start: int | None = None
        while True:
            page = self.recorder.select_notifications(
                start, _PAGE, topics=[topic], inclusive_of_start=False
            )
            for notification in page:
                registered = self.mapper.to_domain_event(notification)
                assert isinstance(registered, Staff.Registered)
                ref = registered.person_ref
                found[ref] = (*found.get(ref, ()), registered.staff_id)
            if len(page) < _PAGE:
                return found
            start = page[-1].id


def roll_key(case: ReliefCase) -> str:
    """Return the key of the case's roll: programme and township."""
    return f"{case.programme}:{township_of(case.region_code)}"
