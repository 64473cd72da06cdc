"""Regions by 行政区划代码, with their standards and approval limits over time.

A region code is kept in its significant form: 2 digits for a province, 4 for
a prefecture, 6 for a county, 9 for a township and 12 for a village, so that a
region contains exactly the codes it is a prefix of. Padded forms such as
``110000`` or ``110101001000`` are accepted and shortened.

Standards and limits are set, never overwritten: each is a new event with an
effective date, and the one in force on a day is the latest that started by
then (社会救助暂行办法 §10: standards are set locally and published).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Final, Literal

from eventsourcing.domain import Aggregate, event

from domain import roles
from domain.base import ReliefCreated, ReliefEvent
from domain.errors import AmountError, InvalidDataError
from domain.ids import record_id

if TYPE_CHECKING:
    from datetime import date
    from uuid import UUID

    from domain.base import Act

Level = Literal["province", "prefecture", "county", "township", "village"]
Area = Literal["urban", "rural"]
LimitLevel = Literal["township", "county"]

LEVELS: Final[dict[int, Level]] = {
    2: "province",
    4: "prefecture",
    6: "county",
    9: "township",
    12: "village",
}
AREAS: Final = frozenset({"urban", "rural"})
LIMIT_LEVELS: Final = frozenset({"township", "county"})


@lru_cache(maxsize=65_536)
def region_code(code: str) -> str:
    """Return ``code`` in significant form (trailing zero groups removed).

    Raises:
        InvalidDataError: ``code`` is not 2, 4, 6, 9 or 12 digits.
    """
    if not code.isascii() or not code.isdigit() or len(code) not in LEVELS:
        raise InvalidDataError(
            "region-code", f"region {code!r}", "expected 2, 4, 6, 9 or 12 digits"
        )
    bounds = [n for n in LEVELS if n <= len(code)]
    while len(bounds) > 1 and set(code[bounds[-2] : bounds[-1]]) == {"0"}:
        bounds.pop()
    return code[: bounds[-1]]


@lru_cache(maxsize=65_536)
def region_id(code: str) -> UUID:
    """Return the aggregate id of the region with significant ``code``."""
    return record_id("region", code)


def level_of(code: str) -> Level:
    """Return the level of a region code in significant form."""
    return LEVELS[len(code)]


def parent_of(code: str) -> str | None:
    """Return the code of the region directly containing ``code``."""
    shorter = [n for n in LEVELS if n < len(code)]
    return code[: shorter[-1]] if shorter else None


def lineage(code: str) -> list[str]:
    """Return ``code`` and its ancestors, most specific first."""
    return [code[:n] for n in sorted(LEVELS, reverse=True) if n <= len(code)]


def money_fen(value: object, rule: str, record: str) -> int:
    """Return ``value`` as whole fen > 0, or refuse it as broken money."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise AmountError(rule, record, "the amount must be a whole number of fen > 0")
    return value


@dataclass(frozen=True)
class Rate:
    """One amount set for a key from a date, with the document that set it."""

    key: tuple[str, str]
    amount_fen: int
    effective_from: date
    document: str


def rate_on(rates: list[Rate], key: tuple[str, str], day: date) -> int | None:
    """Return the amount for ``key`` in force on ``day``: the latest started.

    Among rates with the same start date the one recorded last wins.
    """
    best: Rate | None = None
    for rate in rates:
        if (
            rate.key == key
            and rate.effective_from <= day
            and (best is None or rate.effective_from >= best.effective_from)
        ):
            best = rate
    return None if best is None else best.amount_fen


class Region(Aggregate):
    """An administrative region, with its standards and approval limits."""

    class Registered(ReliefCreated):
        code: str
        name: str
        level: str
        parent_code: str | None

    class StandardSet(ReliefEvent):
        programme: str
        area: str
        amount_fen: int
        effective_from: date
        document: str

    class ApprovalLimitSet(ReliefEvent):
        programme: str
        level: str
        amount_fen: int
        effective_from: date
        document: str

    @classmethod
    def register(cls, act: Act, code: str, name: str) -> Region:
        """Register a region by its 行政区划代码 (level and parent follow from it).

        Rule: codes follow GB/T 2260 and the 统计用区划代码 (2+2+2+3+3 digits);
        the service checks that the parent region is registered.
        """
        code = region_code(code)
        if not name.strip():
            raise InvalidDataError("region-name", f"region {code}", "no name given")
        return cls._create(
            cls.Registered,
            id=region_id(code),
            code=code,
            name=name,
            level=level_of(code),
            parent_code=parent_of(code),
            **act.fields(),
        )

    @event(Registered)
    def __init__(
        self,
        code: str,
        name: str,
        level: str,
        parent_code: str | None,
    ) -> None:
        self.code = code
        self.name = name
        self.level = level
        self.parent_code = parent_code
        self.standards: list[Rate] = []
        self.limits: list[Rate] = []

    def set_standard(
        self,
        act: Act,
        programme: str,
        area: str,
        amount_fen: int,
        effective_from: date,
        *,
        document: str,
    ) -> None:
        """Set the monthly standard (fen per person) of a programme from a date.

        Rule: 社会救助暂行办法 §10 (standards are set and published locally);
        审核确认办法 2021 §23 (the standard is the base of the 补差 amount).
        A standard is never overwritten: a new one starts on a later date.
        """
        record = f"region {self.code}"
        _check_programme(programme, record)
        if area not in AREAS:
            raise InvalidDataError("standard-area", record, "area is urban or rural")
        money_fen(amount_fen, "standard-amount", record)
        _check_document(document, record)
        self.trigger_event(
            self.StandardSet,
            programme=programme,
            area=area,
            amount_fen=amount_fen,
            effective_from=effective_from,
            document=document,
            **act.fields(),
        )

    def set_approval_limit(
        self,
        act: Act,
        programme: str,
        level: str,
        amount_fen: int,
        effective_from: date,
        *,
        document: str,
    ) -> None:
        """Set the most a township or county may approve alone, from a date.

        Rule: 2018 临时救助意见 (三) (the county delegates an approval limit to
        the township; above the county's, 一事一议); 社会救助暂行办法 §48.
        """
        record = f"region {self.code}"
        _check_programme(programme, record)
        if level not in LIMIT_LEVELS:
            raise InvalidDataError("limit-level", record, "level is township or county")
        money_fen(amount_fen, "approval-limit-amount", record)
        _check_document(document, record)
        self.trigger_event(
            self.ApprovalLimitSet,
            programme=programme,
            level=level,
            amount_fen=amount_fen,
            effective_from=effective_from,
            document=document,
            **act.fields(),
        )

    def standard_on(self, area: str, programme: str, day: date) -> int | None:
        """Return the standard in force on ``day`` set at this region, if any."""
        return rate_on(self.standards, (programme, area), day)

    def limit_on(self, programme: str, level: str, day: date) -> int | None:
        """Return the approval limit in force on ``day`` set at this region."""
        return rate_on(self.limits, (programme, level), day)

    @event(StandardSet)
    def _standard_set(
        self,
        programme: str,
        area: str,
        amount_fen: int,
        effective_from: date,
        document: str,
    ) -> None:
        rate = Rate((programme, area), amount_fen, effective_from, document)
        self.standards = [*self.standards, rate]

    @event(ApprovalLimitSet)
    def _approval_limit_set(
        self,
        programme: str,
        level: str,
        amount_fen: int,
        effective_from: date,
        document: str,
    ) -> None:
        rate = Rate((programme, level), amount_fen, effective_from, document)
        self.limits = [*self.limits, rate]


def _check_programme(programme: str, record: str) -> None:
    if programme not in roles.PROGRAMMES:
        raise InvalidDataError("programme", record, f"{programme!r} is no programme")


def _check_document(document: str, record: str) -> None:
    if not document.strip():
        raise InvalidDataError("policy-document", record, "the document is not named")
