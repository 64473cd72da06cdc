"""RF-21, RF-22, RF-23, RF-24 on imported history: each pattern, and a near miss."""

from __future__ import annotations

from datetime import date, timedelta

from test_risk_money_support import STANDARD, TOWNSHIP, id_number
from test_risk_procedure_support import START, Trail, findings, subjects

from domain import roles
from projections.risk.procedure_facts import ProcedurePolicy

APPROVED = START + timedelta(14)
"""The approval day of ``Trail.full_case`` on START: 2024-03-15."""


# RF-21 -------------------------------------------------------------------


def exit_of(trail: Trail, case_no: str, start: str, end: str) -> None:
    trail.step(
        case_no,
        "GradualExitStarted",
        date(2024, 6, 20),
        start_month=start,
        end_month=end,
        amount=20_000,
        reason="就业收入超过标准",
    )


def test_a_six_month_gradual_exit_passes_and_seven_is_flagged() -> None:
    trail = Trail()
    trail.full_case("C1", "H1", (1, 2))
    exit_of(trail, "C1", "2024-07", "2024-12")
    trail.full_case("C2", "H2", (3,))
    exit_of(trail, "C2", "2024-07", "2025-01")
    found = findings("RF-21", trail.facts(as_of=date(2024, 8, 1)))
    assert [f.subject for f in found] == ["C2"]
    assert "7 months" in found[0].summary
    assert [e.topic for e in found[0].evidence] == ["ReliefCase.GradualExitStarted"]


def test_income_above_the_standard_with_no_exit_is_flagged() -> None:
    trail = Trail()
    reviewed = date(2025, 3, 1)
    for case_no, household, people, income in (
        ("C1", "H1", (1, 2), STANDARD + 1),
        ("C2", "H2", (3,), STANDARD),
    ):
        trail.full_case(case_no, household, people)
        trail.reviewed(case_no, reviewed, income=income)
    found = findings("RF-21", trail.facts(as_of=reviewed + timedelta(31)))
    assert [f.subject for f in found] == ["C1"]
    topics = sorted(e.topic for e in found[0].evidence)
    assert topics == ["Region.StandardSet", "ReliefCase.ReviewCompleted"]


def test_an_exit_within_the_grace_period_or_a_fresh_review_is_not_flagged() -> None:
    trail = Trail()
    reviewed = date(2025, 3, 1)
    trail.full_case("C1", "H1", (1, 2))
    trail.reviewed("C1", reviewed, income=STANDARD + 5_000)
    trail.step(
        "C1",
        "Terminated",
        reviewed + timedelta(30),
        effective_month="2025-04",
        reason="income-or-assets",
        written_reasons="收入超过标准",
    )
    trail.full_case("C2", "H2", (3,))
    trail.reviewed("C2", reviewed, income=STANDARD + 5_000)
    assert subjects("RF-21", trail.facts(as_of=reviewed + timedelta(30))) == []
    assert subjects("RF-21", trail.facts(as_of=reviewed + timedelta(31))) == ["C2"]


# RF-22 -------------------------------------------------------------------


def test_a_review_at_11_months_30_days_is_in_time() -> None:
    trail = Trail()
    trail.full_case("C1")
    trail.reviewed("C1", date(2025, 3, 14))
    assert subjects("RF-22", trail.facts(as_of=date(2025, 12, 1))) == []


def test_a_review_a_day_past_twelve_months_is_flagged_citing_the_approval() -> None:
    trail = Trail()
    trail.full_case("C1")
    trail.reviewed("C1", date(2025, 3, 16))
    (finding,) = findings("RF-22", trail.facts(as_of=date(2025, 12, 1)))
    assert "review on 2025-03-16" in finding.summary
    assert [e.topic for e in finding.evidence] == ["ReliefCase.Approved"]


def test_no_review_is_overdue_only_after_the_due_day() -> None:
    trail = Trail()
    trail.full_case("C1")
    assert findings("RF-22", trail.facts(as_of=date(2025, 3, 15))) == []
    (finding,) = findings("RF-22", trail.facts(as_of=date(2025, 3, 16)))
    assert "no review up to 2025-03-16" in finding.summary


def test_a_semi_annual_review_brings_the_next_one_to_six_months() -> None:
    trail = Trail()
    trail.full_case("C1", "H1", (1, 2))
    trail.reviewed("C1", date(2024, 9, 1), review_class="semi-annual")
    trail.reviewed("C1", date(2025, 3, 1))
    trail.full_case("C2", "H2", (3,))
    trail.reviewed("C2", date(2024, 9, 1), review_class="semi-annual")
    trail.reviewed("C2", date(2025, 3, 2))
    found = findings("RF-22", trail.facts(as_of=date(2025, 6, 1)))
    assert [f.subject for f in found] == ["C2"]
    assert "due by 2025-03-01" in found[0].summary


def test_a_case_terminated_before_its_review_fell_due_is_not_flagged() -> None:
    trail = Trail()
    trail.full_case("C1")
    trail.step(
        "C1",
        "Terminated",
        date(2025, 1, 10),
        effective_month="2025-02",
        reason="voluntary",
        written_reasons="本人申请退出",
    )
    assert findings("RF-22", trail.facts(as_of=date(2026, 1, 1))) == []


def test_the_reviewed_programmes_are_a_policy_setting() -> None:
    trail = Trail()
    trail.full_case("C1", programme=roles.CANJI, category="生活补贴")
    as_of = date(2025, 6, 1)
    assert findings("RF-22", trail.facts(as_of=as_of)) == []
    policy = ProcedurePolicy(review_programmes=frozenset({roles.CANJI}))
    assert subjects("RF-22", trail.facts(as_of=as_of, policy=policy)) == ["C1"]


# RF-23 -------------------------------------------------------------------


def died(trail: Trail, person: int, day: date) -> None:
    trail.add(
        "household.member_deceased",
        "H1",
        day.isoformat(),
        person=id_number(person),
        date_of_death=day.isoformat(),
        source="公安",
    )


def adjusted(trail: Trail, case_no: str, day: date) -> None:
    trail.step(
        case_no,
        "Adjusted",
        day,
        old_amount=50_000,
        new_amount=30_000,
        effective_month="2024-10",
        reason="家庭成员死亡",
    )


DEATH = date(2024, 6, 1)


def test_an_adjustment_on_day_90_after_a_death_is_in_time() -> None:
    trail = Trail()
    trail.full_case("C1")
    died(trail, 2, DEATH)
    adjusted(trail, "C1", DEATH + timedelta(90))
    assert findings("RF-23", trail.facts(as_of=date(2025, 1, 1))) == []


def test_a_death_followed_up_on_day_91_or_never_is_flagged() -> None:
    trail = Trail()
    trail.full_case("C1")
    died(trail, 2, DEATH)
    assert findings("RF-23", trail.facts(as_of=DEATH + timedelta(90))) == []
    (finding,) = findings("RF-23", trail.facts(as_of=DEATH + timedelta(91)))
    assert finding.subject == "C1"
    topics = sorted(e.topic for e in finding.evidence)
    assert topics == ["Household.MemberDeceased", "ReliefCase.Approved"]
    adjusted(trail, "C1", DEATH + timedelta(91))
    assert subjects("RF-23", trail.facts(as_of=date(2025, 1, 1))) == ["C1"]


def test_a_death_recorded_on_the_case_counts_too() -> None:
    trail = Trail()
    trail.full_case("C1")
    trail.step(
        "C1",
        "MemberDeceased",
        DEATH,
        person_ref=trail.ref(1),
        date_of_death=DEATH.isoformat(),
        source="殡葬",
    )
    (finding,) = findings("RF-23", trail.facts(as_of=date(2025, 1, 1)))
    assert [e.topic for e in finding.evidence] == [
        "ReliefCase.Approved",
        "ReliefCase.MemberDeceased",
    ]


# RF-24 -------------------------------------------------------------------


def granted(
    trail: Trail,
    case_no: str,
    household: str,
    person: int,
    day: date,
    *,
    fen: int = 50_000,
) -> None:
    trail.applied(
        case_no,
        household,
        (person,),
        day=day,
        programme=roles.LINSHI,
        category="急难型",
    )
    trail.step(
        case_no, "EmergencyAidGranted", day, stage_no=1, amount=fen, reason="火灾"
    )


def regularised(trail: Trail, case_no: str, day: date) -> None:
    trail.step(
        case_no, "EmergencyAidRegularised", day, stage_no=1, signatures_ref="补签"
    )


def test_three_grants_to_one_household_within_a_year_are_flagged() -> None:
    trail = Trail()
    for n, offset in enumerate((0, 100, 364)):
        day = START + timedelta(offset)
        granted(trail, f"E{n}", "H1", 1, day)
        regularised(trail, f"E{n}", day + timedelta(3))
    for n, offset in enumerate((0, 100, 365)):
        day = START + timedelta(offset)
        granted(trail, f"F{n}", "H2", 3, day)
        regularised(trail, f"F{n}", day + timedelta(3))
    found = findings("RF-24", trail.facts(as_of=date(2025, 6, 1)))
    assert [f.subject for f in found] == ["household H1"]
    assert len(found[0].evidence) == 3


def test_grants_bunched_just_under_the_township_limit_are_flagged() -> None:
    trail = Trail()
    amounts = (99_900, 98_000, 95_000)  # the default township limit is 100,000
    for n, fen in enumerate(amounts):
        day = START + timedelta(20 * n)
        granted(trail, f"E{n}", f"H{n + 1}", (1, 3, 4)[n], day, fen=fen)
        regularised(trail, f"E{n}", day)
    found = findings("RF-24", trail.facts(as_of=date(2024, 6, 1)))
    assert [f.subject for f in found] == [f"township {TOWNSHIP}"]
    assert len(found[0].evidence) == 3


def test_a_bunch_within_the_window_is_one_finding_citing_every_grant() -> None:
    trail = Trail()
    for n, person in enumerate((1, 3, 4, 5)):
        day = START + timedelta(25 * n)  # four grants within 75 days
        granted(trail, f"E{n}", f"H{n + 1}", person, day, fen=97_000)
        regularised(trail, f"E{n}", day)
    (finding,) = findings("RF-24", trail.facts(as_of=date(2024, 9, 1)))
    assert len(finding.evidence) == 4
    assert "4 grants just under" in finding.summary


def test_grants_at_the_limit_or_under_a_higher_limit_are_not_bunched() -> None:
    trail = Trail()
    for n, fen in enumerate((99_900, 98_000, 100_000)):
        day = START + timedelta(20 * n)
        granted(trail, f"E{n}", f"H{n + 1}", (1, 3, 4)[n], day, fen=fen)
        regularised(trail, f"E{n}", day)
    assert findings("RF-24", trail.facts(as_of=date(2024, 6, 1))) == []
    granted(trail, "E3", "H4", 5, START + timedelta(60), fen=94_999)
    regularised(trail, "E3", START + timedelta(60))
    assert findings("RF-24", trail.facts(as_of=date(2024, 6, 1))) == []
    trail.add(
        "region.approval_limit_set",
        "110101",
        "2024-01-01",
        programme=roles.LINSHI,
        level="township",
        amount_fen=300_000,
        effective_from="2024-01-01",
        document="东民发〔2024〕2号",
    )
    granted(trail, "E4", "H4", 5, START + timedelta(61), fen=99_000)
    regularised(trail, "E4", START + timedelta(61))
    assert findings("RF-24", trail.facts(as_of=date(2024, 6, 1))) == []


def test_aid_regularised_on_day_30_passes_and_late_or_never_is_flagged() -> None:
    trail = Trail()
    granted(trail, "E1", "H1", 1, START)
    regularised(trail, "E1", START + timedelta(30))
    granted(trail, "E2", "H2", 3, START)
    regularised(trail, "E2", START + timedelta(31))
    granted(trail, "E3", "H3", 4, START)
    assert subjects("RF-24", trail.facts(as_of=START + timedelta(30))) == ["E2"]
    found = findings("RF-24", trail.facts(as_of=START + timedelta(31)))
    assert [f.subject for f in found] == ["E2", "E3"]
    assert "never" in found[1].summary
    assert [e.topic for e in found[1].evidence] == ["ReliefCase.EmergencyAidGranted"]
