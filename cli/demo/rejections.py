"""Rejected 低保 applications in the demo county, and the notice of each.

A few households with no case apply for 低保: the township checks, visits and
proposes a small amount, the 公示 runs, and the county, reviewing the file,
finds the income above the standard and rejects it with written reasons three
days after the 公示 ends. The township serves the reasons on the next working
day (审核确认办法 2021 §21: within 3 working days), except for one notice,
planted six working days late (``rejection-notice-late``, RF-13).

The pass runs after every other case is written and draws no random numbers,
so the rest of the history, and its case numbers, are as they were without it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Final

from cli.demo import standards
from cli.demo.cases import Case, CaseWriter, Procedure
from domain import roles
from domain.calendar import WorkingCalendar

if TYPE_CHECKING:
    from cli.demo.county import Home
    from cli.demo.history import History

HOMES_PER_REJECTION: Final = 200
"""One rejected application per this many households (at least two)."""
LATE_WORKING_DAYS: Final = 6
"""How late the planted notice is served (the limit is 3)."""
REASON: Final = "县级抽查入户核实，家庭人均收入高于当地低保标准"
CALENDAR: Final = WorkingCalendar()


def write_rejections(history: History) -> set[str]:
    """Write the rejected applications; plant the one late notice. Return the
    numbers of the households that applied."""
    homes = _applicants(history)
    count = max(2, len(history.county.homes) // HOMES_PER_REJECTION)
    stride = max(1, len(homes) // count)
    chosen = homes[::stride][:count]
    for index, home in enumerate(chosen):
        _rejected(history, home, index, late=index == 0)
    return {home.number for home in chosen}


def _applicants(history: History) -> list[Home]:
    """Family households with no case, no planted pattern and no cadre kin."""
    with_case = {c.home.number for c in history.cases}
    plan, county = history.plan, history.county
    return [
        h
        for h in county.homes
        if h.kind == "family"
        and h.number not in with_case
        and h.number not in county.cadre_kin
        and not plan.special(h.number)
    ]


def _rejected(history: History, home: Home, index: int, *, late: bool) -> None:
    applied = date(2021, 3, 1) + timedelta(days=(index * 97) % 1500)
    covered = [p for p in home.members if p.died is None or p.died > applied]
    if not covered:
        return
    case_no = history.case_no(roles.DIBAO, applied.year)
    case = Case(case_no, roles.DIBAO, "补差", home, covered)
    standard = standards.dibao(home.area, int(home.township[-3:]), applied.year)
    income = standard * 9 // 10 // 100 * 100
    case.monthly = (standard - income) * len(covered)
    writer = CaseWriter(history.out, case)
    staffing = history.staffing
    clerks = staffing.clerks[home.township]
    staff = (
        clerks[index % len(clerks)],
        clerks[(index + 1) % len(clerks)],
        staffing.county_clerks[index % len(staffing.county_clerks)],
        staffing.approvers[index % len(staffing.approvers)],
    )
    writer.apply(staff[0], applied)
    decided = writer.procedure(applied, staff, income, Procedure())
    writer.event("Rejected", staff[3], decided, 15, reasons=[REASON])
    served = CALENDAR.add_working_days(decided, LATE_WORKING_DAYS if late else 1)
    writer.event(
        "RejectionNotified",
        staff[0],
        served,
        16,
        notified_on=served.isoformat(),
        channel="直接送达",
    )
    if late:
        history.plan.note(
            "rejection-notice-late",
            "RF-13",
            home,
            case_no,
            f"rejected on {decided}, its written reasons served on {served}, "
            f"{LATE_WORKING_DAYS} working days later (limit 3)",
        )
