"""Pure folds: how a view's rows follow from events, with no database in sight.

A view is written as one of two pure shapes, and the SQL machinery
(``projections.views``) and the replay helper (``projections.replay``) both run
that same code, so "replay to position N" and "the stored view stopped at N"
cannot drift apart:

* ``Fold[K, S]``: keyed state. ``keys(event)`` names the subjects an event
  touches, ``apply(key, state, event, at)`` returns the subject's next state,
  and ``to_row``/``from_row`` map a state to one row of the fold's table (whose
  primary key is the key). Balances, case summaries, per-staff counters.
* ``Log``: append-only rows. ``rows(event, at)`` returns the rows one event
  adds. Timelines, activity logs, evidence lists.

Concrete folds dispatch on the event class with ``singledispatchmethod`` and
ignore what they do not know, so old events always replay. ``At`` carries
where the event stands: its ledger position, its recorded time (the library's
``timestamp``) and its business time (``occurred_at``, or the recorded time for
events that have none).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Generic, NamedTuple, TypeVar
from uuid import UUID

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from sqlalchemy import Table

K = TypeVar("K")
S = TypeVar("S")

Row = dict[str, Any]


class At(NamedTuple):
    """Where an event stands: ledger position, recorded time, business time.

    A named tuple rather than a frozen dataclass: one is built for every event
    a view reads, and a tuple is several times cheaper to build.
    """

    position: int
    recorded_at: datetime
    occurred_at: datetime


def at_of(event: object, position: int) -> At:
    """Return the ``At`` of a decoded event stored at ``position``."""
    attributes: dict[str, Any] = getattr(event, "__dict__", {})
    recorded = attributes.get("timestamp")
    if recorded.__class__ is not datetime and not isinstance(recorded, datetime):
        recorded = datetime.min
    occurred = attributes.get("occurred_at", recorded)
    if occurred.__class__ is not datetime and not isinstance(occurred, datetime):
        occurred = recorded
    return At(position, recorded, occurred)


class _Last:
    """The last event ``originator_text`` answered for, and its answer."""

    pair: tuple[object, str] = (None, "")


def originator_text(event: Any) -> str:
    """Return ``str(event.originator_id)``, worked out once per event.

    Several views store the id of the aggregate an event belongs to, and the
    runner hands one decoded event to each in turn: the last answer is kept
    with the event it belongs to (compared by identity; held, so its id
    cannot be reused) and swapped in one assignment. ``str`` of a ``UUID``
    costs about a microsecond; a rebuild asked for two per event.
    """
    event_and_text = _Last.pair
    if event_and_text[0] is event:
        return event_and_text[1]
    originator = event.originator_id
    if originator.__class__ is UUID:  # an aggregate's events share its text
        text = _TEXTS.get(originator.int)
        if text is None:
            if len(_TEXTS) >= TEXTS_HELD:
                _TEXTS.clear()
            text = _TEXTS[originator.int] = str(originator)
    else:
        text = str(originator)
    _Last.pair = (event, text)
    return text


TEXTS_HELD = 200_000
"""Aggregate ids whose text ``originator_text`` keeps (keyed by the id's
integer, which hashes in C where a ``UUID`` hashes in Python); then it
starts again."""
_TEXTS: dict[int, str] = {}


def within(at: At, position: int | None, as_of: date | None) -> bool:
    """Whether an event at ``at`` counts by ``position`` and business day ``as_of``."""
    if position is not None and at.position > position:
        return False
    return as_of is None or at.occurred_at.date() <= as_of


class Fold(ABC, Generic[K, S]):
    """Keyed state folded over events; one row per key in ``table``."""

    name: ClassVar[str]
    """Stable name of the view: its tracking key."""
    topics: ClassVar[tuple[str, ...]] = ()
    """Topics of the events it reads; empty means every event."""
    table: ClassVar[Table]
    """Its table; the primary-key columns hold the key, in order."""

    @abstractmethod
    def keys(self, event: Any) -> Iterable[K]:
        """Return the subjects ``event`` touches (none for events it ignores)."""

    @abstractmethod
    def initial(self, key: K) -> S:
        """Return a subject's state before its first event (never None)."""

    @abstractmethod
    def apply(self, key: K, state: S, event: Any, at: At) -> S:
        """Return the subject's state after ``event``. Must not mutate ``state``."""

    @abstractmethod
    def to_row(self, key: K, state: S) -> Row:
        """Return the table row that stores ``state``."""

    @abstractmethod
    def from_row(self, row: Mapping[Any, Any]) -> tuple[K, S]:
        """Return the key and state stored in ``row``."""


class Log(ABC):
    """Append-only rows: each event adds zero or more rows to ``table``.

    The rows depend on the event (and its place) alone, never on events
    before it: so a log's rows may be built for a later stretch of the ledger
    in another process (``projections.parallel_logs``) and written in order.
    """

    name: ClassVar[str]
    topics: ClassVar[tuple[str, ...]] = ()
    table: ClassVar[Table]

    @abstractmethod
    def rows(self, event: Any, at: At) -> Iterable[Row]:
        """Return the rows ``event`` adds (none for events it ignores)."""


class TupleLog(Log):
    """A ``Log`` that builds its rows as tuples in its table's column order.

    A view writes the tuples to the driver as they are, with no mapping built
    per row; ``rows`` returns the same rows as mappings (replay, tests).
    """

    @abstractmethod
    def tuples(self, event: Any, at: At) -> Iterable[tuple[Any, ...]]:
        """Return the rows ``event`` adds, as tuples in column order."""

    def rows(self, event: Any, at: At) -> list[Row]:
        names = self.table.columns.keys()
        return [
            dict(zip(names, values, strict=True)) for values in self.tuples(event, at)
        ]
