"""A tracking recorder on SQLAlchemy: a view's position, written with its rows.

``SQLTrackingRecorder`` is an ``eventsourcing.persistence.TrackingRecorder``
(the library's conformance tests run against it), so a view built on it is a
library view. It keeps one row per view and upstream application in the
``projection_tracking`` table and offers ``advance``, which moves that row
inside a transaction the caller already holds, the one that writes the view's
rows (ADR 0002).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventsourcing.persistence import IntegrityError, Tracking, TrackingRecorder
from sqlalchemy import and_, insert, select, update
from sqlalchemy.exc import IntegrityError as SQLIntegrityError

from projections.schema import tracking as tracking_table

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.sql.elements import ColumnElement


class TrackingConflictError(IntegrityError):
    """Another runner moved the view's position first: this page is not kept."""

    def __init__(
        self, view_name: str, expected: int | None, tracking: Tracking
    ) -> None:
        self.view_name = view_name
        self.expected = expected
        self.tracking = tracking
        super().__init__(
            f"View {view_name} did not stand at position {expected or 0} of "
            f"{tracking.application_name} when moving to "
            f"{tracking.notification_id}: the page was processed elsewhere."
        )


class SQLTrackingRecorder(TrackingRecorder):
    """Positions of one view, one row per upstream application."""

    def __init__(self, engine: Engine, view_name: str) -> None:
        self.engine = engine
        self.view_name = view_name

    def create_table(self) -> None:
        """Create the tracking table if it does not exist."""
        tracking_table.create(self.engine, checkfirst=True)

    def insert_tracking(self, tracking: Tracking) -> None:
        """Record a position in its own transaction; it must move forward.

        Raises:
            IntegrityError: if the view already holds this position or a later one.
        """
        with self.engine.begin() as conn:
            self.record_tracking(conn, tracking)

    def record_tracking(self, conn: Connection, tracking: Tracking) -> None:
        """Move the position forward inside ``conn``'s transaction.

        Raises:
            IntegrityError: if the view already holds this position or a later one.
        """
        moved = conn.execute(
            update(tracking_table)
            .where(
                self._row(tracking.application_name),
                tracking_table.c.notification_id < tracking.notification_id,
            )
            .values(notification_id=tracking.notification_id)
        ).rowcount
        if moved == 1:
            return
        if self._position(conn, tracking.application_name) is not None:
            msg = (
                f"View {self.view_name} already holds position "
                f"{tracking.notification_id} of {tracking.application_name}."
            )
            raise IntegrityError(msg)
        self._insert(conn, tracking)

    def advance(
        self, conn: Connection, tracking: Tracking, expected: int | None
    ) -> None:
        """Move the position from ``expected`` to ``tracking`` inside ``conn``.

        A compare-and-set: if another runner committed a page of this view
        since ``expected`` was read, the move fails and the caller's whole
        transaction (its view rows too) must be rolled back, so each event is
        applied exactly once even with two runners.

        Raises:
            TrackingConflictError: if the view no longer stands at ``expected``.
        """
        if expected is None:
            try:
                self._insert(conn, tracking)
            except IntegrityError:
                raise TrackingConflictError(self.view_name, None, tracking) from None
            return
        moved = conn.execute(
            update(tracking_table)
            .where(
                self._row(tracking.application_name),
                tracking_table.c.notification_id == expected,
            )
            .values(notification_id=tracking.notification_id)
        ).rowcount
        if moved != 1:
            raise TrackingConflictError(self.view_name, expected, tracking)

    def max_tracking_id(self, application_name: str) -> int | None:
        """Return the view's position for ``application_name``, or None."""
        with self.engine.connect() as conn:
            return self._position(conn, application_name)

    def position(self, conn: Connection, application_name: str) -> int | None:
        """Return the view's position as seen inside ``conn``'s transaction."""
        return self._position(conn, application_name)

    def forget(self, conn: Connection) -> None:
        """Delete every position of this view (before a rebuild)."""
        conn.execute(
            tracking_table.delete().where(tracking_table.c.view_name == self.view_name)
        )

    def _insert(self, conn: Connection, tracking: Tracking) -> None:
        try:
            conn.execute(
                insert(tracking_table).values(
                    view_name=self.view_name,
                    application_name=tracking.application_name,
                    notification_id=tracking.notification_id,
                )
            )
        except SQLIntegrityError as error:
            msg = (
                f"View {self.view_name} already has a position for "
                f"{tracking.application_name}."
            )
            raise IntegrityError(msg) from error

    def _position(self, conn: Connection, application_name: str) -> int | None:
        value = conn.execute(
            select(tracking_table.c.notification_id).where(self._row(application_name))
        ).scalar_one_or_none()
        return None if value is None else int(value)

    def _row(self, application_name: str) -> ColumnElement[bool]:
        return and_(
            tracking_table.c.view_name == self.view_name,
            tracking_table.c.application_name == application_name,
        )
