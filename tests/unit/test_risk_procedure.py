"""RF-11, RF-12, RF-13 on imported history: each pattern planted, and a near miss."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
from test_risk_money_support import stand_in_hash
from test_risk_procedure_support import START, Trail, findings, subjects

from domain import roles
from domain.calendar import WorkingCalendar, YearSchedule
from projections.risk.procedure import PROCEDURE_RULES

DEFAULT_CALENDAR = WorkingCalendar()


def working_day(n: int, start: date = START) -> date:
    return DEFAULT_CALENDAR.add_working_days(start, n)


# RF-11 -------------------------------------------------------------------


def test_a_seven_day_notice_ended_before_approval_is_not_flagged() -> None:
    trail = Trail()
    trail.full_case("C1", notice_days=7, approve_after=1)
    assert subjects("RF-11", trail.facts()) == []


def test_an_approval_with_no_notice_is_flagged_citing_the_approval() -> None:
    trail = Trail()
    trail.applied("C1")
    trail.accepted("C1")
    trail.checked("C1", START + timedelta(3))
    trail.visited("C1", START + timedelta(4))
    trail.approved("C1", START + timedelta(20))
    (finding,) = findings("RF-11", trail.facts())
    assert finding.subject == "C1"
    assert "no 公示" in finding.summary
    (evidence,) = finding.evidence
    assert evidence.topic == "ReliefCase.Approved"
    assert evidence.hash_hex == stand_in_hash(evidence.position)


def test_a_six_day_notice_is_flagged_with_the_notice_as_evidence() -> None:
    trail = Trail()
    trail.full_case("C1", notice_days=6, approve_after=2)
    (finding,) = findings("RF-11", trail.facts())
    assert "6 days" in finding.summary
    topics = [e.topic for e in finding.evidence]
    assert sorted(topics) == ["ReliefCase.Approved", "ReliefCase.NoticePosted"]


def test_an_approval_on_the_notices_last_day_is_flagged() -> None:
    trail = Trail()
    trail.full_case("C1", notice_days=7, approve_after=0)
    (finding,) = findings("RF-11", trail.facts())
    assert "before the 公示 ended" in finding.summary


def test_an_objection_open_at_approval_is_flagged() -> None:
    trail = Trail()
    trail.applied("C1")
    trail.accepted("C1")
    trail.checked("C1", START + timedelta(3))
    trail.visited("C1", START + timedelta(4))
    ends = trail.noticed("C1", START + timedelta(6))
    trail.step("C1", "ObjectionReceived", ends, objection_id="O1", channel="12349")
    trail.approved("C1", ends + timedelta(1))
    (finding,) = findings("RF-11", trail.facts())
    assert "1 objection(s) open" in finding.summary
    assert "ReliefCase.ObjectionReceived" in {e.topic for e in finding.evidence}


def test_a_resolved_objection_needs_a_new_notice_before_approval() -> None:
    trail = Trail()
    for case_no, household, renoticed in (("C1", "H1", True), ("C2", "H2", False)):
        people = (1, 2) if household == "H1" else (3,)
        trail.applied(case_no, household, people)
        trail.accepted(case_no)
        trail.checked(case_no, START + timedelta(3))
        trail.visited(case_no, START + timedelta(4))
        ends = trail.noticed(case_no, START + timedelta(6))
        trail.step(case_no, "ObjectionReceived", ends, objection_id="O", channel="当面")
        resolved = ends + timedelta(2)
        trail.step(
            case_no,
            "ObjectionResolved",
            resolved,
            objection_id="O",
            resolution="重新调查",
            finding="异议不成立",
        )
        if renoticed:
            ends = trail.noticed(case_no, resolved + timedelta(1))
        trail.approved(case_no, ends + timedelta(3))
    assert subjects("RF-11", trail.facts()) == ["C2"]


# RF-12 -------------------------------------------------------------------


def test_a_checked_and_visited_case_is_not_flagged() -> None:
    trail = Trail()
    trail.full_case("C1")
    assert findings("RF-12", trail.facts()) == []


def test_an_approval_before_any_check_or_visit_is_flagged_twice() -> None:
    trail = Trail()
    trail.applied("C1")
    trail.accepted("C1")
    ends = trail.noticed("C1", START + timedelta(6))
    trail.approved("C1", ends + timedelta(1))
    # A check and a visit recorded after the approval do not mend it.
    trail.checked("C1", ends + timedelta(2))
    trail.visited("C1", ends + timedelta(2))
    summaries = sorted(f.summary for f in findings("RF-12", trail.facts()))
    assert summaries == [
        "approved with no economic check",
        "approved with no township home visit",
    ]


def test_a_visit_by_one_investigator_is_flagged_even_if_named_twice() -> None:
    trail = Trail()
    for case_no, household, people, staff in (
        ("C1", "H1", (1, 2), ("T1",)),
        ("C2", "H2", (3,), ("T1", "T1")),
        ("C3", "H3", (4,), ("T1", "T2")),
    ):
        trail.applied(case_no, household, people)
        trail.accepted(case_no)
        trail.checked(case_no, START + timedelta(3))
        trail.visited(case_no, START + timedelta(4), staff)
        trail.approved(
            case_no, trail.noticed(case_no, START + timedelta(6)) + timedelta(1)
        )
    found = findings("RF-12", trail.facts())
    assert [f.subject for f in found] == ["C1", "C2"]
    assert all("by 1 investigator" in f.summary for f in found)
    assert all(
        {e.topic for e in f.evidence}
        == {"ReliefCase.Approved", "ReliefCase.HomeVisited"}
        for f in found
    )


# RF-13 -------------------------------------------------------------------


def prepared(
    trail: Trail,
    case_no: str,
    household: str,
    people: tuple[int, ...],
    decided: date | None = None,
    *,
    extended: bool = False,
) -> None:
    """A case accepted on START, checked and visited within days, extended on
    START + 10 if asked, and, when it is to be ``decided``, its 7-day 公示
    over two days before (so the county stage stays short)."""
    trail.applied(case_no, household, people)
    trail.accepted(case_no)
    trail.checked(case_no, START + timedelta(3))
    trail.visited(case_no, START + timedelta(4))
    if extended:
        trail.step(
            case_no,
            "Extended",
            START + timedelta(10),
            reason="公示异议",
            deadline=working_day(45).isoformat(),
        )
    if decided is not None:
        trail.noticed(case_no, decided - timedelta(9))


def test_approval_on_working_day_30_passes_and_on_31_is_flagged() -> None:
    trail = Trail()
    prepared(trail, "C1", "H1", (1, 2), working_day(30))
    trail.approved("C1", working_day(30))
    prepared(trail, "C2", "H2", (3,), working_day(31))
    trail.approved("C2", working_day(31))
    found = findings("RF-13", trail.facts())
    assert [f.subject for f in found] == ["C2"]
    assert "31 working days" in found[0].summary
    # Holidays count: Mon–Fri alone would put day 31 elsewhere (清明 2024).
    weekdays = sum(
        (START + timedelta(n)).weekday() < 5
        for n in range(1, (working_day(31) - START).days + 1)
    )
    assert weekdays != 31


def test_an_extension_allows_45_working_days() -> None:
    trail = Trail()
    for case_no, household, people, n in (
        ("C1", "H1", (1, 2), 45),
        ("C2", "H2", (3,), 46),
    ):
        prepared(trail, case_no, household, people, working_day(n), extended=True)
        trail.approved(case_no, working_day(n))
    found = findings("RF-13", trail.facts())
    assert [f.subject for f in found] == ["C2"]
    assert "ReliefCase.Extended" in {e.topic for e in found[0].evidence}


def test_a_case_left_undecided_is_flagged_once_its_limit_passes() -> None:
    trail = Trail()
    prepared(trail, "C1", "H1", (1, 2))
    assert findings("RF-13", trail.facts(as_of=working_day(30))) == []
    (finding,) = findings("RF-13", trail.facts(as_of=working_day(31)))
    assert "undecided" in finding.summary
    assert [e.topic for e in finding.evidence] == ["ReliefCase.Accepted"]


def test_a_recorded_year_schedule_supersedes_the_library_calendar() -> None:
    trail = Trail()
    prepared(trail, "C1", "H1", (1, 2), working_day(30))
    trail.approved("C1", working_day(30))
    assert findings("RF-13", trail.facts()) == []
    # The recorded 2024 schedule makes one more Saturday a working day.
    saturday = START + timedelta(1)
    official = {d for d in chinese_calendar.holidays if d.year == 2024}
    extra = {d for d in chinese_calendar.workdays if d.year == 2024} | {saturday}
    trail.add(
        "calendar.year_recorded",
        "2024",
        "2023-12-01",
        holidays=sorted(d.isoformat() for d in official if d.weekday() < 5),
        workdays=sorted(d.isoformat() for d in extra),
        source="国办发明电〔2023〕7号 (amended)",
    )
    facts = trail.facts()
    recorded = WorkingCalendar({2024: facts.schedules[2024]})
    assert isinstance(facts.schedules[2024], YearSchedule)
    assert recorded.working_days_between(START, working_day(30)) == 31
    (finding,) = findings("RF-13", facts)
    assert "31 working days" in finding.summary


def test_an_approval_14_days_after_acceptance_is_not_too_fast_but_13_is() -> None:
    trail = Trail()
    trail.full_case("C1", "H1", (1, 2))  # accepted START, approved START + 14
    trail.applied("C2", "H2", (3,))
    trail.accepted("C2", START + timedelta(1))
    trail.checked("C2", START + timedelta(3))
    trail.visited("C2", START + timedelta(4))
    trail.approved("C2", trail.noticed("C2", START + timedelta(6)) + timedelta(1))
    found = findings("RF-13", trail.facts())
    assert [f.subject for f in found] == ["C2"]
    assert "13 days after acceptance, under 14" in found[0].summary


def test_emergency_aid_paid_first_is_left_to_rf24() -> None:
    trail = Trail()
    trail.applied("E1", day=START, programme=roles.LINSHI, category="急难型")
    trail.accepted("E1")
    trail.step(
        "E1", "EmergencyAidGranted", START, stage_no=1, amount=50_000, reason="火灾"
    )
    trail.approved("E1", START + timedelta(2))
    facts = trail.facts(as_of=START + timedelta(200))
    for rule_id in ("RF-11", "RF-12", "RF-13"):
        assert findings(rule_id, facts) == []


def test_every_procedure_rule_has_an_id_names_and_a_documented_article() -> None:
    ids = [r.rule_id for r in PROCEDURE_RULES]
    assert ids == [
        "RF-11",
        "RF-12",
        "RF-13",
        "RF-21",
        "RF-22",
        "RF-23",
        "RF-24",
        "RF-27",
    ]
    for each in PROCEDURE_RULES:
        assert each.name_zh
        assert each.name_en
        assert "§" in each.doc or "意见" in each.doc
