"""How a relief case opens: on application, or from an imported ``Applied``.

A mixin of ``domain.cases.ReliefCase``, which nests the ``Applied`` event and
holds its mutator (``__init__``). ``submit`` checks the application's rules
(审核确认办法 2021 §4–9); ``imported`` records an older system's application
as a fact, refusing only malformed data (``domain.case_import``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar, Self

from domain.case_import import checked_fields
from domain.case_rules import application_fields
from domain.case_state import CaseState
from domain.ids import record_id

if TYPE_CHECKING:
    from collections.abc import Mapping
    from uuid import UUID

    from domain import case_events as ev
    from domain.base import Act


class OpeningCommands(CaseState):
    """The two ways a case is created: ``submit`` and ``imported``."""

    if TYPE_CHECKING:
        Applied: ClassVar[type[ev.Applied]]

        @classmethod
        def _create(
            cls,
            event_class: type[Any],
            *,
            id: UUID | None = None,
            **kwargs: Any,
        ) -> Self: ...

    @classmethod
    def submit(
        cls,
        act: Act,
        case_no: str,
        programme: str,
        category: str,
        *,
        household: tuple[str, str, str],
        people: tuple[str, tuple[str, ...]],
        consent: tuple[str, str],
        channel: str,
    ) -> Self:
        """Open a case on application, for a household or the persons it covers.

        ``household`` is (household no., region code, area); ``people`` is the
        applicant and the members covered; ``consent`` is the signed 授权核对
        and 承诺 documents. Rule: 审核确认办法 2021 §4–9 (the applicant is a
        member, the check is authorised and the commitment signed).
        """
        payload = application_fields(
            (case_no, programme, category),
            household=household,
            people=people,
            consent=consent,
            channel=channel,
        )
        return cls._create(
            cls.Applied, id=record_id("case", case_no), **act.fields(), **payload
        )

    @classmethod
    def imported(cls, act: Act, fields: Mapping[str, Any]) -> Self:
        """Open a case from an imported ``Applied`` event (no business rules)."""
        record = f"case {fields.get('case_no')!r}"
        checked_fields(cls, "Applied", fields, record)
        return cls._create(
            cls.Applied,
            id=record_id("case", fields["case_no"]),
            **replace(act, imported=True).fields(),
            **fields,
        )
