"""The procedure-fact log: one row per event the procedure-and-time rules read.

``ProcedureFactLog`` is a ``projections.folds.Log`` kept current by the batched
runner like the risk-fact log (``projections.risk.fact_views``), in a table of
its own: each case step, review, death, exit, emergency grant, standard,
approval limit and calendar year adds one row with its ledger position, its
business day, the ``lag`` between its recorded and business times in seconds
(the back-dating rule RF-27 reads it), a short ``kind``, its ``subject`` and
the fields that matter as compact JSON. ``read_procedure_rows`` reads the rows
back in position order with each position's chain hash.

A business time without a zone is read as China Standard Time (UTC+8), the
zone in which people state when things happened here.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

import msgspec
from eventsourcing.utils import get_topic
from sqlalchemy import BigInteger, Column, Date, String, Table, Text

from domain.calendar import CalendarBook
from domain.cases import ReliefCase
from domain.people import Household
from domain.reference import Region
from projections.folds import Log
from projections.schema import POSITION, ledger_chain, metadata
from projections.views import LogView

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from sqlalchemy.engine import Connection, Engine

    from projections.folds import At, Row
    from projections.views import View

CHINA = timezone(timedelta(hours=8), "CST")

procedure_facts = Table(
    "procedure_facts",
    metadata,
    Column("position", POSITION, primary_key=True),
    Column("day", Date, nullable=False),
    Column("lag", BigInteger, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("data", Text, nullable=False),
)
"""One row per event a procedure-and-time rule reads."""

_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder().decode


class ProcRow(NamedTuple):
    """A row of ``procedure_facts`` as the fact builder reads it."""

    position: int
    hash_hex: str
    day: date
    lag: int
    kind: str
    topic: str
    subject: str
    data: dict[str, Any]


def _iso(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _id(event: Any) -> str:
    return str(event.originator_id)


Extract = tuple[str, "Callable[[Any], str]", "Callable[[Any], dict[str, Any]]"]

EXTRACTS: dict[type[Any], Extract] = {
    ReliefCase.Applied: (
        "case",
        lambda e: e.case_no,
        lambda e: {
            "id": _id(e),
            "programme": e.programme,
            "category": e.category,
            "household": e.household_no,
            "region": e.region_code,
            "area": e.area,
            "members": list(e.member_refs),
        },
    ),
    ReliefCase.Accepted: ("accepted", _id, lambda e: {"deadline": _iso(e.deadline)}),
    ReliefCase.Extended: ("extended", _id, lambda e: {"deadline": _iso(e.deadline)}),
    ReliefCase.CheckCompleted: ("checked", _id, lambda e: {"pci": e.per_capita_income}),
    ReliefCase.HomeVisited: (
        "visit",
        _id,
        lambda e: {"level": e.level, "staff": list(e.investigators)},
    ),
    ReliefCase.NoticePosted: (
        "notice",
        _id,
        lambda e: {
            "kind": e.kind,
            "posted": _iso(e.posted_on),
            "ends": _iso(e.ends_on),
            "imported": e.imported,
        },
    ),
    ReliefCase.ObjectionReceived: ("objection", _id, lambda e: {"id": e.objection_id}),
    ReliefCase.ObjectionResolved: ("resolved", _id, lambda e: {"id": e.objection_id}),
    ReliefCase.Approved: (
        "approved",
        _id,
        lambda e: {"fen": e.monthly_amount, "imported": e.imported},
    ),
    ReliefCase.Rejected: ("rejected", _id, lambda _e: {}),
    ReliefCase.EmergencyAidGranted: (
        "aid",
        _id,
        lambda e: {"stage": e.stage_no, "fen": e.amount},
    ),
    ReliefCase.EmergencyAidRegularised: (
        "regularised",
        _id,
        lambda e: {"stage": e.stage_no},
    ),
    ReliefCase.ReviewCompleted: (
        "review",
        _id,
        lambda e: {"class": e.review_class, "pci": e.per_capita_income},
    ),
    ReliefCase.MemberDeceased: (
        "case-death",
        _id,
        lambda e: {"person": e.person_ref, "died": _iso(e.date_of_death)},
    ),
    ReliefCase.Adjusted: ("adjusted", _id, lambda e: {"month": e.effective_month}),
    ReliefCase.GradualExitStarted: (
        "exit",
        _id,
        lambda e: {"start": e.start_month, "end": e.end_month},
    ),
    ReliefCase.Terminated: ("terminated", _id, lambda e: {"month": e.effective_month}),
    Household.MemberDeceased: (
        "death",
        lambda e: e.person_ref,
        lambda e: {"died": _iso(e.date_of_death)},
    ),
    Region.StandardSet: (
        "standard",
        _id,
        lambda e: {
            "programme": e.programme,
            "area": e.area,
            "fen": e.amount_fen,
            "from": _iso(e.effective_from),
        },
    ),
    Region.ApprovalLimitSet: (
        "limit",
        _id,
        lambda e: {
            "programme": e.programme,
            "level": e.level,
            "fen": e.amount_fen,
            "from": _iso(e.effective_from),
        },
    ),
    CalendarBook.YearScheduleRecorded: (
        "calendar",
        _id,
        lambda e: {
            "year": e.year,
            "holidays": [_iso(d) for d in e.holidays],
            "workdays": [_iso(d) for d in e.workdays],
            "source": e.source,
        },
    ),
}
"""Per event class: its row kind, its subject, and the fields the rules read."""


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=CHINA)


def lag_seconds(at: At) -> int:
    """Return how long after its business time an event was recorded, in seconds."""
    if at.recorded_at == datetime.min:  # no recorded time: nothing to compare
        return 0
    return int((_aware(at.recorded_at) - _aware(at.occurred_at)).total_seconds())


class ProcedureFactLog(Log):
    """Every event a procedure-and-time rule reads, one row each, in ledger order."""

    name: ClassVar[str] = "procedure-facts"
    topics: ClassVar[tuple[str, ...]] = tuple(sorted(get_topic(c) for c in EXTRACTS))
    table: ClassVar[Table] = procedure_facts

    def rows(self, event: Any, at: At) -> Iterable[Row]:
        extract = EXTRACTS.get(type(event))
        if extract is None:
            return ()
        kind, subject, fields = extract
        return (
            {
                "position": at.position,
                "day": at.occurred_at.date(),
                "lag": lag_seconds(at),
                "kind": kind,
                "subject": subject(event),
                "data": _encode(fields(event)).decode(),
            },
        )


_TOPICS = {kind: cls.__qualname__ for cls, (kind, _, _) in EXTRACTS.items()}


def read_procedure_rows(conn: Connection) -> Iterator[ProcRow]:
    """Yield the procedure-fact rows in position order, with their chain hashes.

    A position with no link in ``ledger_chain`` gets an empty hash; the scan
    refuses to cite such evidence (``projections.evidence.MissingLinkError``).
    """
    statement = (
        "SELECT f.position, f.day, f.lag, f.kind, f.subject, f.data, c.hash "
        f"FROM {procedure_facts.name} f LEFT OUTER JOIN {ledger_chain.name} c "
        "ON c.notification_id = f.position ORDER BY f.position"
    )
    for position, day, lag, kind, subject, data, link in conn.exec_driver_sql(
        statement
    ):
        yield ProcRow(
            int(position),
            bytes(link).hex() if link is not None else "",
            _date(day) if isinstance(day, str) else day,
            int(lag),
            kind,
            _TOPICS.get(kind, kind),
            subject,
            _decode(data),
        )


@lru_cache(maxsize=8192)
def _date(text: str) -> date:
    return date.fromisoformat(text)


def procedure_rows_of_events(
    pairs: Iterable[tuple[Any, At]], hash_of: Callable[[int], str]
) -> Iterator[ProcRow]:
    """Yield the procedure-fact rows of decoded events, without a database.

    ``hash_of`` gives each position's chain hash (a stand-in in unit tests).
    """
    log = ProcedureFactLog()
    for event, at in pairs:
        for row in log.rows(event, at):
            yield ProcRow(
                row["position"],
                hash_of(row["position"]),
                row["day"],
                row["lag"],
                row["kind"],
                _TOPICS[row["kind"]],
                row["subject"],
                _decode(row["data"]),
            )


def procedure_views(engine: Engine) -> list[View]:
    """Return the views the procedure-and-time rules need kept current."""
    return [LogView(engine, ProcedureFactLog())]
