"""Reference queries of the service: regions, standards, people, staff, calendar.

The queries every command mixin may use (the domain contract), the role check,
and the service's policy and transcodings.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    ProcessingEvent,
    Repository,
)
from eventsourcing.domain import Aggregate

from domain import roles
from domain.batching import OverlayRepository
from domain.calendar import CALENDAR_NUMBER, CalendarBook, WorkingCalendar
from domain.errors import InvalidDataError, NotFoundError, RoleError
from domain.ids import record_id
from domain.kinship import KinRecord, kin_record_id
from domain.people import Household, person_ref_of
from domain.policy import Policy
from domain.reference import Region, lineage, region_code, region_id
from domain.staff import Staff
from domain.transcodings import TRANSCODINGS

if TYPE_CHECKING:
    from collections.abc import Collection, Iterator
    from datetime import date

    from eventsourcing.domain import DomainEventProtocol, MutableOrImmutableAggregate
    from eventsourcing.persistence import Recording, Transcoder
    from eventsourcing.utils import EnvType

    from domain.base import Act

A = TypeVar("A", bound="Aggregate")

PERSON_KEY = "RELIEF_PERSON_KEY"


class ReferenceQueries(Application[UUID]):
    """The service base: policy, transcodings, and the shared queries.

    Command mixins in other modules subclass this class so that their use of
    ``self.repository``, ``self.save`` and the queries type-checks; the
    service composes them after ``ReferenceCommands``.
    """

    def __init__(
        self, env: EnvType | None = None, policy: Policy | None = None
    ) -> None:
        self.policy = policy if policy is not None else Policy()
        self._overlay: OverlayRepository | None = None
        super().__init__(env)

    @property
    def repository(self) -> Repository[UUID]:
        """The repository; inside ``batched()`` it answers from the batch first."""
        return self._overlay if self._overlay is not None else self._repository

    def save(
        self,
        *objs: MutableOrImmutableAggregate[UUID] | DomainEventProtocol[UUID] | None,
        **kwargs: Any,
    ) -> list[Recording[UUID]]:
        """Save the aggregates now, or inside ``batched()`` when the batch closes."""
        if self._overlay is None:
            return super().save(*objs, **kwargs)
        if kwargs or not all(obj is None or isinstance(obj, Aggregate) for obj in objs):
            msg = "inside a batch only aggregates are saved, without options"
            raise TypeError(msg)
        for obj in objs:
            if isinstance(obj, Aggregate):
                self._overlay.collect(obj)
        return []

    @contextmanager
    def batched(
        self, overlay: OverlayRepository | None = None, *, empty_store: bool = False
    ) -> Iterator[OverlayRepository]:
        """Collect every ``save()`` inside the block and save them all at its end.

        An error inside the block discards the batch: nothing of it is saved.
        Pass the overlay yielded by one batch to the next to keep the
        aggregates it loaded (call its ``trim`` to bound them). Say
        ``empty_store`` only when the store holds no event at all.
        """
        if overlay is None:
            overlay = OverlayRepository(self._repository, empty_store=empty_store)
        self._overlay = overlay
        try:
            yield overlay
        finally:
            self._overlay = None
        pending = overlay.take_pending()
        if pending:
            self._save_aggregates(pending)

    def _save_aggregates(self, aggregates: list[Aggregate]) -> None:
        """Save collected aggregates in one transaction, as ``Application.save``.

        ``ProcessingEvent.collect_events`` tells aggregates from events with
        runtime ``Protocol`` checks, which cost more than the rest of a save
        of thousands of aggregates; these are all aggregates, so their events
        are collected directly (eventsourcing 9.5: ``_record``, ``_notify``).
        """
        processing = ProcessingEvent[UUID]()
        for aggregate in aggregates:
            processing.events.extend(aggregate.collect_events())
            processing.aggregates[aggregate.id] = aggregate
        recordings = self._record(processing)
        self._take_snapshots(processing)
        self._notify(recordings)
        self.notify(processing.events)  # the library's deprecated hook, as in save()

    def construct_transcoder(self) -> Transcoder:
        """Return the store's transcoder with ``domain.transcodings`` registered.

        The library registers its own transcodings only on its ``JSONTranscoder``;
        any transcoder with a ``register`` method gets ours (``date``) too.
        """
        transcoder = super().construct_transcoder()
        register = getattr(transcoder, "register", None)
        if callable(register):
            for transcoding in TRANSCODINGS:
                register(transcoding)
        return transcoder

    # Queries.

    def get_record(self, kind: str, aggregate_id: UUID, cls: type[A], label: str) -> A:
        """Return the aggregate ``aggregate_id`` of type ``cls``, or NotFoundError."""
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFoundError(kind, label) from None
        if not isinstance(aggregate, cls):
            raise NotFoundError(kind, label)
        return aggregate

    def exists(self, aggregate_id: UUID) -> bool:
        """Return whether any event of ``aggregate_id`` is recorded."""
        if self._overlay is not None:
            if self._overlay.knows(aggregate_id):
                return True
            if self._overlay.absent(aggregate_id):
                return False
        return bool(self.recorder.select_events(aggregate_id, limit=1))

    def region(self, code: str) -> Region:
        """Return the region with ``code`` (any padded or significant form)."""
        code = region_code(code)
        return self.get_record("region", region_id(code), Region, code)

    def staff(self, staff_id: str) -> Staff:
        """Return the staff member numbered ``staff_id``."""
        return self.get_record("staff", record_id("staff", staff_id), Staff, staff_id)

    def household(self, household_no: str) -> Household:
        """Return the household numbered ``household_no``."""
        return self.get_record(
            "household", record_id("household", household_no), Household, household_no
        )

    def kin_of(self, person_ref: str) -> frozenset[str]:
        """Return the person refs of ``person_ref``'s recorded 近亲属."""
        try:
            kin: Aggregate = self.repository.get(kin_record_id(person_ref))
        except AggregateNotFoundError:
            return frozenset()
        assert isinstance(kin, KinRecord)
        return kin.kin_refs()

    def standard_on(
        self, region_code_: str, area: str, programme: str, day: date
    ) -> int | None:
        """Return the standard (fen per person per month) in force on ``day``.

        The most specific region in the code's lineage that has one wins
        (社会救助暂行办法 §10: provinces or prefectures set standards, and a
        county may set its own).
        """
        for region in self._lineage(region_code_):
            amount = region.standard_on(area, programme, day)
            if amount is not None:
                return amount
        return None

    def approval_limit(
        self, programme: str, level: str, region_code_: str, day: date
    ) -> int:
        """Return the approval limit (fen) in force on ``day``, else the default.

        Rule: 2018 临时救助意见 (三); the defaults are ``Policy``'s.
        """
        for region in self._lineage(region_code_):
            amount = region.limit_on(programme, level, day)
            if amount is not None:
                return amount
        if level == "county":
            return self.policy.default_county_emergency_limit_fen
        return self.policy.default_township_emergency_limit_fen

    def calendar(self) -> WorkingCalendar:
        """Return the working-day calendar with every recorded year schedule."""
        try:
            book: Aggregate = self.repository.get(
                record_id("calendar", CALENDAR_NUMBER)
            )
        except AggregateNotFoundError:
            return WorkingCalendar()
        assert isinstance(book, CalendarBook)
        return book.working_calendar()

    def person_ref(self, id_number: str) -> str:
        """Return the person ref of a 身份证号: HMAC-SHA256 under the deployment key.

        Raises:
            InvalidDataError: the number is invalid, or no key is configured.
        """
        key = self.env.get(PERSON_KEY)
        if not key:
            raise InvalidDataError(
                "person-key", "this deployment", f"{PERSON_KEY} is not set"
            )
        return person_ref_of(id_number, key.encode("utf-8"))

    def require_role(
        self, act: Act, roles_: Collection[str], org_code: str | None = None
    ) -> Staff:
        """Return the acting staff member if they hold the claimed role, else refuse.

        The claimed ``act.actor_role`` must be one of ``roles_`` and held by
        ``act.actor_id`` on the act's day, in an organisation containing
        ``org_code`` (审核确认办法 2021 §11 on who handles cases; 纪检/审计 read
        and flag but never alter cases or money).
        """
        record = f"staff {act.actor_id}"
        if act.actor_role not in roles_ or act.actor_role in roles.OVERSIGHT_ROLES:
            raise RoleError(
                "role-required", record, f"the role {act.actor_role} may not do this"
            )
        try:
            staff = self.staff(act.actor_id)
        except NotFoundError:
            raise RoleError("role-required", record, "no such staff member") from None
        if not staff.holds(act.actor_role, act.occurred_at.date(), org_code):
            scope = f" over {org_code}" if org_code else ""
            raise RoleError(
                "role-required",
                record,
                f"the role {act.actor_role}{scope} is not held on "
                f"{act.occurred_at.date().isoformat()}",
            )
        return staff

    def require_reference_role(self, act: Act) -> None:
        """Refuse reference-data commands from a role not in ``reference_roles``."""
        allowed = self.policy.reference_roles - roles.OVERSIGHT_ROLES
        if act.actor_role not in allowed:
            raise RoleError(
                "reference-role",
                f"staff {act.actor_id}",
                f"the role {act.actor_role} may not record reference data",
            )

    def _lineage(self, code: str) -> list[Region]:
        regions = []
        for prefix in lineage(region_code(code)):
            try:
                aggregate: Aggregate = self.repository.get(region_id(prefix))
            except AggregateNotFoundError:
                continue
            if isinstance(aggregate, Region):
                regions.append(aggregate)
        return regions
