"""Deaths in the demo county: on the register, on the case, and what follows.

A death is recorded on the household register (公安) a few days after it
happens. The case that covers the person learns of it in days (the case of
its last living member stops from the next month; otherwise the household's
amount drops), or, now and
then, three months late: the months paid after the death are then identified
as an overpayment, ordered and recovered. The planted ``paid-after-death``
households are never told at all.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from cli.demo.lines import CASES, REGISTER, moment
from cli.demo.reference import REGISTRAR
from domain.case_rules import add_months, next_month

if TYPE_CHECKING:
    from cli.demo.cases import Case, CaseWriter
    from cli.demo.county import Home, Person, Post
    from cli.demo.history import History
    from cli.demo.lines import LegacyFile


def covered_death(case: Case, year: int) -> tuple[Person, date] | None:
    for person in case.covered:
        if person.died is not None and person.died.year == year:
            return person, person.died
    return None


def case_death(
    history: History, writer: CaseWriter, clerk: Post, death: tuple[Person, date]
) -> bool:
    """Write how the case learns of a death; return whether it ended the case."""
    case, (person, died) = writer.case, death
    if case.home.number in history.plan.death_paid:
        history.plan.note(
            "paid-after-death",
            "RF-01",
            case.home,
            case.case_no,
            f"died {died}; the case was never stopped",
        )
        return True
    late = history.rng.random() < 0.05
    reported = died + timedelta(days=95 if late else history.rng.randrange(1, 4))
    if reported > date(2025, 12, 20):
        return True
    writer.death(clerk, person, died, reported)
    living = len([p for p in case.covered if p is not person and p.died is None])
    if living:
        new = case.monthly // len(case.covered) * living
        writer.adjust(clerk, reported, new, next_month(reported), "家庭成员死亡")
        return False
    # The last covered person died: the case ends, as a one-person case does.
    stop = next_month(died)
    writer.terminate(clerk, reported, next_month(reported) if late else stop, "death")
    if late:
        _recovery(history, case, clerk, (stop, next_month(reported)), reported)
    return True


def _recovery(
    history: History, case: Case, clerk: Post, months: tuple[str, str], day: date
) -> None:
    """Write the overpayment of months paid after a late-reported death."""
    first, end = months
    periods = []
    month = first
    while month < end:
        periods.append(month)
        month = add_months(month, 1)
    amount = sum(case.payable(m) for m in periods) or case.monthly
    number = f"ZH{case.case_no[2:]}"
    actor = (clerk.staff_id, clerk.role)
    out = history.out
    out.add(
        CASES,
        "recovery.OverpaymentIdentified",
        number,
        actor,
        moment(day, 16),
        case_no=case.case_no,
        periods=periods,
        amount=amount,
        cause="late-death-report",
    )
    out.add(
        CASES,
        "recovery.RecoveryOrdered",
        number,
        actor,
        moment(day + timedelta(days=10)),
        amount=amount,
        fine_multiple=0,
        fine_amount=0,
        decision_ref=f"追缴〔{day.year}〕{number[-4:]}号",
    )
    out.add(
        CASES,
        "recovery.OverpaymentRecovered",
        number,
        actor,
        moment(day + timedelta(days=40)),
        amount=amount,
        receipt_ref=f"R-{number}",
    )


def register_death(out: LegacyFile, home: Home, person: Person) -> None:
    """Write the 公安 death record on the household register."""
    died = person.died
    assert died is not None
    out.add(
        REGISTER,
        "household.member_deceased",
        home.number,
        REGISTRAR,
        moment(died + timedelta(days=3)),
        person=person.ref,
        date_of_death=died.isoformat(),
        source="公安",
    )
