"""Corrections (compensating records) and referrals to discipline inspection.

A correction never edits what it corrects: it names the target (aggregate id
and version, or ledger position), the fields and their corrected values, and a
reason; a second person approves it (社会救助暂行办法 §66(5): no tampering).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID  # noqa: TC003 (event annotations are read at runtime)

from eventsourcing.domain import Aggregate, event

from domain.base import ReliefCreated, ReliefEvent
from domain.errors import InvalidDataError, OrderingError, SeparationOfDutiesError
from domain.funds import require_text
from domain.ids import record_id

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from domain.base import Act


class Correction(Aggregate):
    """A compensating record pointing at the event it corrects."""

    class Recorded(ReliefCreated):
        correction_no: str
        target_id: UUID
        target_version: int | None
        ledger_position: int | None
        corrected_fields: dict[str, str]
        reason: str

    class Approved(ReliefEvent):
        pass

    @event(Recorded)
    def __init__(
        self, *, actor_id: str, correction_no: str, target_id: UUID, reason: str
    ) -> None:
        self.recorder_id = actor_id
        self.correction_no = correction_no
        self.target_id = target_id
        self.reason = reason
        self.approver_id: str | None = None

    @classmethod
    def record(
        cls,
        act: Act,
        *,
        correction_no: str,
        target_id: UUID,
        target_version: int | None,
        ledger_position: int | None,
        corrected_fields: Mapping[str, str],
        reason: str,
    ) -> Correction:
        """Record a correction; the service has checked that the target exists.

        Rule (domain notes §2.5 CorrectionRecorded): compensating only, with a
        pointer (version or ledger position), the fields, and a reason.
        """
        label = f"correction {correction_no}"
        require_text(correction_no, label, "the correction number")
        pointers = [p for p in (target_version, ledger_position) if p is not None]
        if not pointers or any(type(p) is not int or p < 1 for p in pointers):
            raise InvalidDataError(
                "correction.points-at-target", label, "no version or position"
            )
        fields = {str(k): str(v) for k, v in corrected_fields.items()}
        if not fields or not all(k.strip() for k in fields):
            raise InvalidDataError("correction.fields", label, "no field corrected")
        return cls._create(
            cls.Recorded,
            id=record_id("correction", correction_no),
            **act.fields(),
            correction_no=correction_no,
            target_id=target_id,
            target_version=target_version,
            ledger_position=ledger_position,
            corrected_fields=fields,
            reason=require_text(reason, label, "the reason"),
        )

    def approve(self, act: Act) -> None:
        """Approve the correction: the approver is not the recorder."""
        label = f"correction {self.correction_no}"
        if self.approver_id is not None:
            raise OrderingError("correction.approve-once", label, "it is approved")
        if act.actor_id == self.recorder_id:
            raise SeparationOfDutiesError(
                "correction.approver-not-recorder", label, "the recorder approved it"
            )
        self.trigger_event(self.Approved, **act.fields())

    @event(Approved)
    def _approved(self, actor_id: str) -> None:
        self.approver_id = actor_id


class Referral(Aggregate):
    """Clues handed to discipline inspection (移送纪检监察; 社会救助暂行办法 §66–68)."""

    class Referred(ReliefCreated):
        referral_no: str
        case_nos: tuple[str, ...]
        flag_ids: tuple[UUID, ...]
        clue: str

    @event(Referred)
    def __init__(self, *, referral_no: str, clue: str) -> None:
        self.referral_no = referral_no
        self.clue = clue

    @classmethod
    def refer(
        cls,
        act: Act,
        *,
        referral_no: str,
        case_nos: Sequence[str],
        flag_ids: Sequence[UUID],
        clue: str,
    ) -> Referral:
        """Refer cases and flags; the service has checked that they exist."""
        label = f"referral {referral_no}"
        require_text(referral_no, label, "the referral number")
        if not case_nos and not flag_ids:
            raise InvalidDataError("referral.subject", label, "no case or flag named")
        return cls._create(
            cls.Referred,
            id=record_id("referral", referral_no),
            **act.fields(),
            referral_no=referral_no,
            case_nos=tuple(case_nos),
            flag_ids=tuple(flag_ids),
            clue=require_text(clue, label, "the clue"),
        )
