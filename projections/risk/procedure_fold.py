"""Folding the procedure-fact rows into the procedure-and-time rules' facts.

``fold_procedure_facts(rows, as_of, policy)`` reads the rows of
``fact_views`` of the ``PROCEDURE_KINDS`` in ledger order, one handler per
kind, into ``procedure_facts.ProcedureFacts``; an approval keeps what its case
held then. A resolved objection voids the 公示 before it (审核确认办法 2021
§19: a new opinion and a new 公示 follow); a 终止公示 is not an approval's
公示. RF-13's stage facts, and a rejection and its notice, come from
``projections.risk.stage_facts``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from domain import roles
from domain.calendar import YearSchedule
from domain.case_rules import TERMINATION_NOTICE
from domain.policy import Policy
from projections.risk import stage_facts
from projections.risk.fact_pass import fold_rows
from projections.risk.fact_views import evidence_of
from projections.risk.procedure_facts import (
    Approval,
    CaseTrail,
    Grant,
    Notice,
    ProcedureFacts,
    ProcedurePolicy,
    Stamp,
    Step,
    Visit,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from projections.risk.fact_views import FactRow
    from projections.risk.procedure_facts import Rates


PROCEDURE_KINDS = (
    "case",
    "accepted",
    "extended",
    "check-requested",
    "checked",
    "visit",
    "notice",
    "notice-closed",
    "objection",
    "resolved",
    "approved",
    "rejected",
    "rejection-notified",
    "aid",
    "regularised",
    "review",
    "case-death",
    "adjusted",
    "exit",
    "terminated",
    "death",
    "standard",
    "limit",
    "calendar",
    "correction",
)
"""The fact-row kinds the procedure-and-time rules read."""


def _day(text: str) -> date:
    return date.fromisoformat(text)


class _Builder:
    """Folds rows into ``ProcedureFacts``, one handler per row kind."""

    def __init__(self, facts: ProcedureFacts) -> None:
        self.facts = facts
        self.handlers: dict[str, Callable[[FactRow], None]] = {
            "case": self._case,
            "standard": self._rate(facts.standards, "area"),
            "limit": self._rate(facts.limits, "level"),
            "calendar": self._calendar,
            "death": self._death,
        }
        self.case_handlers: dict[str, Callable[[CaseTrail, FactRow], None]] = {
            "accepted": lambda c, r: _set(c, "accepted", _step(r)),
            "extended": lambda c, r: _keep_first(c, "extended", _step(r)),
            "check-requested": lambda c, r: stage_facts.investigation(c, _step(r)),
            "checked": _checked,
            "visit": _visit,
            "notice": self._notice,
            "notice-closed": lambda c, r: stage_facts.notice_closed(
                c, r.data["kind"], _step(r)
            ),
            "objection": _objection,
            "resolved": _resolved,
            "approved": self._approved,
            "rejected": lambda c, r: stage_facts.rejected(c, _step(r)),
            "rejection-notified": lambda c, r: stage_facts.rejection_notified(
                c, r.data["notified"], _step(r)
            ),
            "aid": _aid,
            "regularised": _regularised,
            "review": _review,
            "case-death": lambda c, r: c.deaths.append(
                (r.data["person"], _day(r.data["died"]), evidence_of(r))
            ),
            "adjusted": lambda c, r: c.followups.append(_step(r)),
            "exit": lambda c, r: c.exits.append(
                (r.data["start"], r.data["end"], _step(r))
            ),
            "terminated": _terminated,
            "correction": self._stamp,
        }

    def take(self, row: FactRow) -> None:
        handler = self.handlers.get(row.kind)
        if handler is not None:
            handler(row)
            return
        case = self.facts.cases.get(row.subject)
        case_handler = self.case_handlers.get(row.kind)
        if case is not None and case_handler is not None:
            case_handler(case, row)

    def _case(self, row: FactRow) -> None:
        d: dict[str, Any] = row.data
        self.facts.cases[d["id"]] = CaseTrail(
            row.subject,
            d["programme"],
            d["category"],
            d["household"],
            d["region"],
            d["area"],
            tuple(d["members"]),
            _step(row),
        )

    def _rate(self, rates: Rates, key: str) -> Callable[[FactRow], None]:
        def take(row: FactRow) -> None:
            d = row.data
            found = rates.setdefault((row.subject, d["programme"], d[key]), [])
            found.append((_day(d["from"]), int(d["fen"]), evidence_of(row)))

        return take

    def _calendar(self, row: FactRow) -> None:
        d = row.data
        self.facts.add_schedule(
            YearSchedule(
                int(d["year"]),
                frozenset(map(_day, d["holidays"])),
                frozenset(map(_day, d["workdays"])),
                d["source"],
            )
        )

    def _death(self, row: FactRow) -> None:
        died = (_day(row.data["died"]), evidence_of(row))
        self.facts.deaths.setdefault(row.subject, died)

    def _notice(self, case: CaseTrail, row: FactRow) -> None:
        self._stamp(case, row)
        if row.data["kind"] != TERMINATION_NOTICE:
            d = row.data
            case.notice = Notice(_day(d["posted"]), _day(d["ends"]), evidence_of(row))
            stage_facts.notice_posted(case)

    def _approved(self, case: CaseTrail, row: FactRow) -> None:
        self._stamp(case, row)
        step = _step(row)
        case.approvals.append(
            Approval(
                step,
                int(row.data["fen"]),
                case.accepted,
                case.extended is not None,
                case.notice,
                tuple(sorted(case.objections.values())),
                case.checked,
                tuple(case.visits),
            )
        )
        _keep_first(case, "decided", step)
        if case.programme == roles.LINSHI:
            case.aids.append(Grant(case.case_no, 0, int(row.data["fen"]), *step))

    def _stamp(self, case: CaseTrail, row: FactRow) -> None:
        d = row.data
        self.facts.stamps.append(
            Stamp(
                case.case_no,
                row.kind,
                row.day,
                row.lag,
                bool(d.get("imported", False)),
                evidence_of(row),
                str(d.get("reason", "")),
            )
        )


def _step(row: FactRow) -> Step:
    return Step(row.day, evidence_of(row))


def _set(case: CaseTrail, name: str, value: object) -> None:
    setattr(case, name, value)


def _keep_first(case: CaseTrail, name: str, value: object) -> None:
    if getattr(case, name) is None:
        setattr(case, name, value)


def _checked(case: CaseTrail, row: FactRow) -> None:
    _keep_first(case, "checked", evidence_of(row))
    stage_facts.investigation(case, _step(row))


def _visit(case: CaseTrail, row: FactRow) -> None:
    staff = tuple(row.data["staff"])
    case.visits.append(Visit(row.data["level"], staff, row.day, evidence_of(row)))
    stage_facts.investigation(case, _step(row))


def _objection(case: CaseTrail, row: FactRow) -> None:
    case.objections[row.data["id"]] = evidence_of(row)
    stage_facts.objection_received(case)


def _resolved(case: CaseTrail, row: FactRow) -> None:
    # A resolved objection needs a new opinion and a new 公示 (2021 §19).
    case.objections.pop(row.data["id"], None)
    case.notice = None
    stage_facts.objection_resolved(case, _step(row))


def _aid(case: CaseTrail, row: FactRow) -> None:
    stage, fen = int(row.data["stage"]), int(row.data["fen"])
    case.aids.append(Grant(case.case_no, stage, fen, row.day, evidence_of(row)))


def _regularised(case: CaseTrail, row: FactRow) -> None:
    case.regularised.setdefault(int(row.data["stage"]), _step(row))


def _review(case: CaseTrail, row: FactRow) -> None:
    step = _step(row)
    case.reviews.append((step, row.data["class"], int(row.data["pci"])))
    case.followups.append(step)


def _terminated(case: CaseTrail, row: FactRow) -> None:
    step = _step(row)
    case.followups.append(step)
    _keep_first(case, "ended", step)


class ProcedureFold(_Builder):
    """Folds fact rows of the ``PROCEDURE_KINDS`` into ``ProcedureFacts``."""

    kinds = reads = PROCEDURE_KINDS

    def __init__(self, policy: ProcedurePolicy | None = None) -> None:
        super().__init__(
            ProcedureFacts(date.min, policy or ProcedurePolicy.of(Policy()))
        )

    def result(self, as_of: date) -> ProcedureFacts:
        """Return the facts as of a day; the fold is spent (its handlers, bound
        to it, are dropped, so no cycle keeps the facts for the collector)."""
        self.handlers.clear()
        self.case_handlers.clear()
        self.facts.as_of = as_of
        return self.facts


def fold_procedure_facts(
    rows: Iterable[FactRow],
    as_of: date | None = None,
    policy: ProcedurePolicy | None = None,
) -> ProcedureFacts:
    """Fold procedure-fact rows (in ledger order) into the rules' facts.

    ``as_of`` is the day the rules judge from (overdue reviews, deaths, exits
    and emergency grants); by default the latest business day among the rows,
    but never after the latest day anything was recorded
    (``fact_views.judged_day``): an exit recorded now for a later month does
    not move the clock.
    """
    return fold_rows(rows, ProcedureFold(policy), as_of)
