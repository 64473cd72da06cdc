"""Kinship between persons: the eight 近亲属 relations, recorded both ways.

近亲属 = 配偶、父母、子女、兄弟姐妹、祖父母、外祖父母、孙子女、外孙子女
(审核审批办法 2012 §14). Each record carries its source (户籍, 自报 or 调查) and
is kept on both persons' kin records with the inverse relation, so the kin of
a person are found from that person alone (RF-08, RF-10, RF-25).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from eventsourcing.domain import Aggregate, event

from domain import roles
from domain.base import ReliefCreated, ReliefEvent
from domain.ids import record_id

if TYPE_CHECKING:
    from uuid import UUID

    from domain.base import Act

SOURCES: Final = frozenset({"户籍", "自报", "调查"})

INVERSE: Final[dict[str, str]] = {
    roles.PARENT: roles.CHILD,
    roles.CHILD: roles.PARENT,
    roles.GRANDPARENT: roles.GRANDCHILD,
    roles.GRANDCHILD: roles.GRANDPARENT,
    roles.MATERNAL_GRANDPARENT: roles.MATERNAL_GRANDCHILD,
    roles.MATERNAL_GRANDCHILD: roles.MATERNAL_GRANDPARENT,
    roles.SPOUSE: roles.SPOUSE,
    roles.SIBLING: roles.SIBLING,
}


def kin_record_id(person_ref: str) -> UUID:
    """Return the id of a person's kin record."""
    return record_id("kin", person_ref)


class KinRecord(Aggregate):
    """One person's recorded 近亲属: ``relation`` is what the other is to them."""

    class Opened(ReliefCreated):
        person_ref: str

    class KinshipRecorded(ReliefEvent):
        other_ref: str
        relation: str
        source: str

    @classmethod
    def open(cls, act: Act, person_ref: str) -> KinRecord:
        """Open a person's kin record (on their first recorded relation)."""
        return cls._create(
            cls.Opened,
            id=kin_record_id(person_ref),
            person_ref=person_ref,
            **act.fields(),
        )

    @event(Opened)
    def __init__(
        self,
        person_ref: str,
    ) -> None:
        self.person_ref = person_ref
        self.kin: dict[str, frozenset[tuple[str, str]]] = {}

    def kin_refs(self) -> frozenset[str]:
        """Return the person refs of every recorded 近亲属."""
        return frozenset(self.kin)

    def relations_to(self, other_ref: str) -> frozenset[tuple[str, str]]:
        """Return the (relation, source) pairs recorded towards ``other_ref``."""
        return self.kin.get(other_ref, frozenset())

    def has(self, other_ref: str, relation: str, source: str) -> bool:
        """Return whether exactly this relation and source is already recorded."""
        return (relation, source) in self.relations_to(other_ref)

    def record(self, act: Act, other_ref: str, relation: str, source: str) -> None:
        """Record that ``other_ref`` is this person's ``relation`` (checked by the
        service, which records the inverse on the other person in the same save).
        """
        self.trigger_event(
            self.KinshipRecorded,
            other_ref=other_ref,
            relation=relation,
            source=source,
            **act.fields(),
        )

    @event(KinshipRecorded)
    def _kinship_recorded(
        self,
        other_ref: str,
        relation: str,
        source: str,
    ) -> None:
        pairs = self.kin.get(other_ref, frozenset())
        self.kin = {**self.kin, other_ref: pairs | {(relation, source)}}
