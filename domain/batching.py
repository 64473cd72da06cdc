"""Saving many commands in one transaction: a repository overlay for batches.

The legacy import records thousands of facts per ``save()``. While a batch is
open the service's ``save`` only collects aggregates, and its repository
returns the collected (or already loaded) aggregate object itself, so a later
fact in the batch sees the earlier ones before anything is written. Over a
store known to be empty (a first import), existence is answered from memory. Closing
the batch saves every collected aggregate at once; an error discards it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Repository

if TYPE_CHECKING:
    from eventsourcing.domain import Aggregate


class OverlayRepository(Repository[UUID]):
    """A repository that answers from aggregates held in memory first.

    It does not call ``Repository.__init__``: everything it does not override
    is delegated to the wrapped repository.
    """

    def __init__(self, inner: Repository[UUID], *, empty_store: bool = False) -> None:
        self.inner = inner
        self.held: dict[UUID, Aggregate] = {}
        self.pending: dict[UUID, Aggregate] = {}
        self.created: set[UUID] = set()
        self.empty_store = empty_store

    def get(self, aggregate_id: UUID, **kwargs: Any) -> Any:
        """Return the held aggregate, else load it from the store and hold it.

        Over a store that was empty when the overlay began, an aggregate not
        saved through the overlay does not exist, and the store is not asked.
        """
        held = self.held.get(aggregate_id)
        if held is not None and not kwargs.get("version"):
            return held
        if self.absent(aggregate_id):
            raise AggregateNotFoundError(aggregate_id)
        aggregate = self.inner.get(aggregate_id, **kwargs)
        if not kwargs.get("version"):
            self.held[aggregate_id] = aggregate
        return aggregate

    def __contains__(self, item: UUID) -> bool:
        return item in self.held or item in self.inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def collect(self, aggregate: Aggregate) -> None:
        """Hold ``aggregate`` and mark it to be saved when the batch closes."""
        self.held[aggregate.id] = aggregate
        self.pending[aggregate.id] = aggregate
        self.created.add(aggregate.id)

    def take_pending(self) -> list[Aggregate]:
        """Return the aggregates to save, and forget that they are pending."""
        pending = list(self.pending.values())
        self.pending = {}
        return pending

    def knows(self, aggregate_id: UUID) -> bool:
        """Return whether ``aggregate_id`` is held or was saved through the overlay."""
        return aggregate_id in self.held or aggregate_id in self.created

    def absent(self, aggregate_id: UUID) -> bool:
        """Return whether ``aggregate_id`` surely does not exist: the store was
        empty when the overlay began and it was not saved through the overlay."""
        return self.empty_store and aggregate_id not in self.created

    def trim(self, keep: int) -> None:
        """Forget held aggregates when more than ``keep`` are held."""
        if len(self.held) > keep:
            self.held = {}
