"""RF-13's stage deadlines on imported history: the start of a 低保 investigation
(≤3 working days after acceptance) and the county review (≤10 working days
for 低保, ≤15 for 特困, after the file reached the county), each planted, with
a near miss at the limit."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from test_risk_procedure_support import START, Trail, findings

from domain import roles
from domain.calendar import WorkingCalendar
from projections.evidence import Evidence

if TYPE_CHECKING:
    from projections.risk.procedure_facts import ProcedureFacts

CALENDAR = WorkingCalendar()


def working_day(n: int, start: date = START) -> date:
    return CALENDAR.add_working_days(start, n)


def cited(trail: Trail, case_no: str, *kinds: str) -> tuple[Evidence, ...]:
    """The evidence of the case's rows of ``kinds``: what a finding must cite."""
    rows = trail.procedure_rows()
    (case_id,) = [
        r.data["id"] for r in rows if r.kind == "case" and r.subject == case_no
    ]
    return tuple(
        sorted(
            Evidence(r.position, r.hash_hex, r.topic)
            for r in rows
            if r.subject == case_id and r.kind in kinds
        )
    )


def rf13(facts: ProcedureFacts) -> list[tuple[str, str]]:
    return [(f.subject, f.summary) for f in findings("RF-13", facts)]


def opened(
    trail: Trail,
    case_no: str,
    household: str,
    people: tuple[int, ...],
    *,
    accepted: date = START,
    programme: str = roles.DIBAO,
    category: str = "补差",
) -> None:
    trail.applied(
        case_no, household, people, day=accepted, programme=programme, category=category
    )
    trail.accepted(case_no, accepted)


def investigated(trail: Trail, case_no: str, requested: date) -> None:
    """The township asks for the check on ``requested``; check and visit follow."""
    trail.step(case_no, "CheckRequested", requested, sources=["户籍", "银行存款"])
    trail.checked(case_no, requested + timedelta(1))
    trail.visited(case_no, requested + timedelta(1))


def noticed_case(
    trail: Trail, case_no: str, household: str, people: tuple[int, ...]
) -> date:
    """A 低保 case accepted on ``START``, checked from its third day and put on
    公示 on its sixth; return the notice's last day."""
    opened(trail, case_no, household, people)
    investigated(trail, case_no, START + timedelta(3))
    return trail.noticed(case_no, START + timedelta(6))


def closed(trail: Trail, case_no: str, day: date, ends: date) -> None:
    trail.step(case_no, "NoticeClosed", day, kind="初审公示", ends_on=ends.isoformat())


# Start of investigation (2021 §15) ------------------------------------------


def test_a_dibao_investigation_started_on_working_day_4_is_flagged_not_on_3() -> None:
    trail = Trail()
    for case_no, household, people, n in (
        ("C1", "H1", (1, 2), 3),
        ("C2", "H2", (3,), 4),
    ):
        opened(trail, case_no, household, people)
        investigated(trail, case_no, working_day(n))
        ends = trail.noticed(case_no, working_day(6))
        trail.approved(case_no, ends + timedelta(1))
    (finding,) = findings("RF-13", trail.facts())
    assert finding.subject == "C2"
    assert finding.summary == (
        "investigation started 4 working days after acceptance, limit 3"
    )
    assert finding.evidence == cited(trail, "C2", "accepted", "check-requested")
    # START is a Friday: the weekend between does not count.
    assert (working_day(4) - START).days == 6


def test_a_home_visit_first_starts_the_investigation() -> None:
    trail = Trail()
    opened(trail, "C1", "H1", (1, 2))
    trail.visited("C1", working_day(5))
    trail.checked("C1", working_day(6))
    trail.approved("C1", trail.noticed("C1", working_day(7)) + timedelta(1))
    (finding,) = findings("RF-13", trail.facts())
    assert finding.summary.startswith("investigation started 5 working days")
    assert finding.evidence == cited(trail, "C1", "accepted", "visit")


def test_an_uninvestigated_case_is_flagged_once_three_working_days_pass() -> None:
    trail = Trail()
    opened(trail, "C1", "H1", (1, 2))
    assert rf13(trail.facts(as_of=working_day(3))) == []
    (finding,) = findings("RF-13", trail.facts(as_of=working_day(4)))
    assert (
        finding.summary == "not investigated 4 working days after acceptance, limit 3"
    )
    assert finding.evidence == cited(trail, "C1", "accepted")


def test_the_three_day_start_is_dibaos_alone() -> None:
    trail = Trail()
    opened(trail, "T1", "H1", (1, 2), programme=roles.TEKUN, category="分散供养")
    investigated(trail, "T1", working_day(8))
    trail.approved("T1", trail.noticed("T1", working_day(10)) + timedelta(1))
    assert rf13(trail.facts()) == []


# County review (2021 §20; 特困认定办法 §16) -----------------------------------


def test_dibao_decided_10_working_days_after_the_notice_passes_11_flagged() -> None:
    trail = Trail()
    for case_no, household, people, n in (
        ("C1", "H1", (1, 2), 10),
        ("C2", "H2", (3,), 11),
    ):
        ends = noticed_case(trail, case_no, household, people)
        trail.approved(case_no, working_day(n, ends))
    (finding,) = findings("RF-13", trail.facts())
    assert finding.subject == "C2"
    ends = START + timedelta(13)
    assert finding.summary == (
        f"county decided 11 working days after the file arrived on {ends}, limit 10"
    )
    # No take-down recorded: the 公示's last day is the arrival.
    assert finding.evidence == cited(trail, "C2", "notice", "approved")


def test_tekun_decided_15_working_days_after_the_close_passes_16_flagged() -> None:
    trail = Trail()
    for case_no, household, people, n in (
        ("T1", "H1", (1, 2), 15),
        ("T2", "H2", (3,), 16),
    ):
        opened(
            trail,
            case_no,
            household,
            people,
            programme=roles.TEKUN,
            category="分散供养",
        )
        investigated(trail, case_no, START + timedelta(3))
        ends = trail.noticed(case_no, START + timedelta(6))
        closed(trail, case_no, ends + timedelta(1), ends)
        trail.approved(case_no, working_day(n, ends + timedelta(1)))
    (finding,) = findings("RF-13", trail.facts())
    assert finding.subject == "T2"
    assert "16 working days" in finding.summary
    assert "limit 15" in finding.summary
    assert finding.evidence == cited(trail, "T2", "notice-closed", "approved")


def test_a_late_rejection_is_flagged_citing_the_rejection() -> None:
    trail = Trail()
    ends = noticed_case(trail, "C1", "H1", (1, 2))
    trail.step("C1", "Rejected", working_day(11, ends), reasons=["收入超标"])
    (finding,) = findings("RF-13", trail.facts())
    assert finding.summary.startswith("county decided 11 working days")
    assert finding.evidence == cited(trail, "C1", "notice", "rejected")


def test_a_holiday_in_the_county_window_is_skipped_and_a_swapped_sunday_counts() -> (
    None
):
    # 2024: 清明 4–6 April off, Sunday 7 April worked. From Thursday 28 March
    # the 10th working day is Friday 12 April, the 11th Monday 15 April.
    trail = Trail()
    accepted = date(2024, 3, 13)
    for case_no, household, people, decided in (
        ("C1", "H1", (1, 2), date(2024, 4, 12)),
        ("C2", "H2", (3,), date(2024, 4, 15)),
    ):
        opened(trail, case_no, household, people, accepted=accepted)
        investigated(trail, case_no, accepted + timedelta(1))
        ends = trail.noticed(case_no, date(2024, 3, 21))
        assert ends == date(2024, 3, 28)
        trail.approved(case_no, decided)
    assert [s for s, _ in rf13(trail.facts())] == ["C2"]
    # Monday to Friday alone would have flagged C1 (11 weekdays).
    weekdays = sum(
        (date(2024, 3, 28) + timedelta(n)).weekday() < 5 for n in range(1, 16)
    )
    assert weekdays == 11


def test_an_undecided_file_is_flagged_once_the_county_limit_passes() -> None:
    trail = Trail()
    ends = noticed_case(trail, "C1", "H1", (1, 2))
    assert rf13(trail.facts(as_of=working_day(10, ends))) == []
    (finding,) = findings("RF-13", trail.facts(as_of=working_day(11, ends)))
    assert finding.summary.startswith("county undecided 11 working days")
    assert finding.evidence == cited(trail, "C1", "notice")


def test_an_open_objection_holds_the_file_at_the_township() -> None:
    trail = Trail()
    ends = noticed_case(trail, "C1", "H1", (1, 2))
    trail.step("C1", "ObjectionReceived", ends, objection_id="O", channel="当面")
    assert rf13(trail.facts(as_of=working_day(15, ends))) == []


def test_the_file_arrives_on_a_later_objection_resolution() -> None:
    trail = Trail()
    for case_no, household, people, n in (
        ("C1", "H1", (1, 2), 10),
        ("C2", "H2", (3,), 11),
    ):
        ends = noticed_case(trail, case_no, household, people)
        closed(trail, case_no, ends, ends)
        trail.step(
            case_no,
            "ObjectionReceived",
            ends + timedelta(1),
            objection_id="O",
            channel="当面",
        )
        resolved = ends + timedelta(5)
        trail.step(
            case_no,
            "ObjectionResolved",
            resolved,
            objection_id="O",
            resolution="重新调查",
            finding="异议不成立",
        )
        trail.approved(case_no, working_day(n, resolved))
    (finding,) = findings("RF-13", trail.facts())
    assert finding.subject == "C2"
    assert f"arrived on {START + timedelta(18)}" in finding.summary
    assert finding.evidence == cited(trail, "C2", "resolved", "approved")


def test_allowances_and_orphan_support_have_no_county_stage_limit() -> None:
    trail = Trail()
    for case_no, household, people, programme, category in (
        ("D1", "H1", (1, 2), roles.CANJI, "生活补贴"),
        ("G1", "H2", (3,), roles.GUER, "孤儿"),
    ):
        opened(
            trail, case_no, household, people, programme=programme, category=category
        )
        investigated(trail, case_no, working_day(8))
        ends = trail.noticed(case_no, START + timedelta(13))
        trail.approved(case_no, working_day(12, ends))
    assert rf13(trail.facts()) == []
