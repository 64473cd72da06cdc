"""Replay as of a position or a business date, with the views' own folds.

``replay_state`` folds one subject's state from events, stopping at a ledger
position or leaving out events whose business date is after a given day. It
runs the very ``Fold.apply`` that the stored view runs, so replaying to
position N equals the incremental view stopped at N (a property test says so).
``replay_log`` does the same for append-only views. ``read_events`` streams
decoded events in position order straight from an application recorder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from projections.folds import At, at_of, within

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence
    from datetime import date

    from eventsourcing.persistence import ApplicationRecorder, Mapper

    from projections.folds import Fold, Log, Row

K = TypeVar("K")
S = TypeVar("S")

Pair = tuple[Any, At]


def read_events(
    recorder: ApplicationRecorder,
    mapper: Mapper[Any],
    *,
    stop: int | None = None,
    topics: Sequence[str] = (),
    page_size: int = 5_000,
) -> Iterator[Pair]:
    """Yield ``(event, at)`` for every stored event up to ``stop``, in order.

    Args:
        recorder: the application recorder to read notifications from.
        mapper: the application's mapper, to decode them.
        stop: the last position to read (inclusive); None reads to the end.
        topics: only events of these topics; empty reads every event.
        page_size: notifications fetched per query.
    """
    after = 0
    while True:
        page = recorder.select_notifications(
            after, page_size, stop=stop, topics=topics, inclusive_of_start=False
        )
        for notification in page:
            event = mapper.to_domain_event(notification)
            yield event, at_of(event, notification.id)
        if len(page) < page_size:
            return
        after = page[-1].id


def replay_state(
    fold: Fold[K, S],
    key: K,
    events: Iterable[Pair],
    *,
    position: int | None = None,
    as_of: date | None = None,
) -> S | None:
    """Return ``key``'s state as of ``position`` and/or business date ``as_of``.

    Events are applied in position order. With ``as_of``, an event counts if
    its business date is on or before that day, even when it was recorded
    later (a late-recorded fact still changes what stood on that day).

    Returns:
        The state, or None if no included event touched ``key``.
    """
    state: S | None = None
    for event, at in events:
        if position is not None and at.position > position:
            break
        if not within(at, position, as_of) or key not in fold.keys(event):
            continue
        state = fold.apply(
            key, fold.initial(key) if state is None else state, event, at
        )
    return state


def replay_states(
    fold: Fold[K, S],
    events: Iterable[Pair],
    *,
    position: int | None = None,
    as_of: date | None = None,
) -> dict[K, S]:
    """Return every subject's state as of ``position`` and/or ``as_of``."""
    states: dict[K, S] = {}
    for event, at in events:
        if position is not None and at.position > position:
            break
        if not within(at, position, as_of):
            continue
        for key in fold.keys(event):
            state = states.get(key)
            states[key] = fold.apply(
                key, fold.initial(key) if state is None else state, event, at
            )
    return states


def replay_log(
    log: Log,
    events: Iterable[Pair],
    *,
    position: int | None = None,
    as_of: date | None = None,
) -> list[Row]:
    """Return the rows an append-only view holds as of ``position``/``as_of``."""
    rows: list[Row] = []
    for event, at in events:
        if position is not None and at.position > position:
            break
        if within(at, position, as_of):
            rows.extend(log.rows(event, at))
    return rows
