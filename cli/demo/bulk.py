"""A group of households enrolled in 低保 at once: the planted RF-26 pattern.

The households of one village that have no case apply for 低保 on one day (a
group moved out for a land requisition, say), each goes through the
procedure on the same days, and one county approver approves them all on one
day in December 2025 (``bulk-enrolment``, RF-26: 审核审批办法 2012 §26 allows
no group to be approved whole). They are paid from the live month, into
accounts registered like every other household's.

The pass runs after every other case and the rejections, draws no random
numbers, and leaves out the households the live month will take, so the rest
of the history, its case numbers and the live applications are as they were.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Final

from cli.demo import standards
from cli.demo.cases import Case, CaseWriter, Procedure
from cli.demo.live import live_applicants
from domain import roles
from projections.risk.enrolment_facts import EnrolmentPolicy

if TYPE_CHECKING:
    from cli.demo.county import Home
    from cli.demo.history import History

APPLIED: Final = date(2025, 11, 17)
"""The group applies on this Monday; the procedure ends with approval on
2025-12-12, so the first month paid is the live month."""


def write_bulk_enrolment(history: History, rejected: set[str]) -> None:
    """Write the group's cases, approved together; plant one RF-26 entry each."""
    homes = _group(history, rejected)
    if not homes:
        return
    staffing = history.staffing
    approver = staffing.approvers[0]
    for index, home in enumerate(homes):
        case_no = history.case_no(roles.DIBAO, APPLIED.year)
        covered = [p for p in home.members if p.died is None]
        case = Case(case_no, roles.DIBAO, "补差", home, covered)
        standard = standards.dibao(home.area, int(home.township[-3:]), APPLIED.year)
        income = standard // 2 // 100 * 100
        case.monthly = (standard - income) * len(covered)
        clerks = staffing.clerks[home.township]
        staff = (
            clerks[index % len(clerks)],
            clerks[(index + 1) % len(clerks)],
            staffing.county_clerks[index % len(staffing.county_clerks)],
            approver,
        )
        writer = CaseWriter(history.out, case)
        writer.apply(staff[0], APPLIED, "委托村居")
        decided = writer.procedure(APPLIED, staff, income, Procedure())
        writer.approve(approver, decided, standard)
        history.cases.append(case)
        history.plan.note(
            "bulk-enrolment",
            "RF-26",
            home,
            case_no,
            f"one of {len(homes)} households of village {home.village} applying "
            f"on {APPLIED} and approved together on {decided} by "
            f"{approver.staff_id}",
            subject=home.village,
        )


def _group(history: History, rejected: set[str]) -> list[Home]:
    """The village with the most households free for the group, and as many of
    them as RF-26 needs there; none if no village has that many."""
    county, plan = history.county, history.plan
    taken = {c.home.number for c in history.cases} | rejected
    taken |= {h.number for h in live_applicants(county, history.cases)}
    size: dict[str, int] = {}
    free: dict[str, list[Home]] = {}
    for home in county.homes:
        size[home.village] = size.get(home.village, 0) + 1
        if (
            home.number not in taken
            and home.number not in county.cadre_kin
            and not plan.special(home.number)
            and home.village != plan.equal_village
            and all(m.died is None for m in home.members)
        ):
            free.setdefault(home.village, []).append(home)
    if not free:
        return []
    village = max(free, key=lambda v: len(free[v]))
    needed = EnrolmentPolicy().threshold(size[village])
    return free[village][:needed] if len(free[village]) >= needed else []
