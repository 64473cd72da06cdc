"""RF-13's rejection notice on imported history: a rejection's written reasons
served through the township ≤3 working days after the decision (审核确认办法
2021 §21), counted on the working-day calendar, or flagged as of the scan day
when no notice was served that long after."""

from __future__ import annotations

from datetime import date, timedelta

from test_risk_procedure_stages import cited, investigated, opened, rf13, working_day
from test_risk_procedure_support import START, Trail, findings

from domain import roles
from projections.risk.procedure_facts import ProcedurePolicy


def rejected(
    trail: Trail,
    case_no: str,
    household: str,
    people: tuple[int, ...],
    day: date,
    **opening: str,
) -> None:
    """A case accepted 14 days before ``day``, investigated and noticed in
    time, rejected on ``day``, the day after its 公示 ends."""
    accepted = day - timedelta(14)
    opened(trail, case_no, household, people, accepted=accepted, **opening)
    investigated(trail, case_no, accepted + timedelta(3))
    trail.noticed(case_no, accepted + timedelta(6))
    trail.step(case_no, "Rejected", day, reasons=["收入超标"])


def notified(trail: Trail, case_no: str, served: date, entered: date) -> None:
    """The township's notice, served on ``served``, entered on ``entered``."""
    trail.step(
        case_no,
        "RejectionNotified",
        entered,
        notified_on=served.isoformat(),
        channel="直接送达",
    )


DECIDED = START + timedelta(14)
"""A Friday (15 March 2024), the day after the 公示 ends."""


def test_a_notice_on_working_day_3_passes_on_day_4_is_flagged() -> None:
    trail = Trail()
    for case_no, household, people, n in (
        ("C1", "H1", (1, 2), 3),
        ("C2", "H2", (3,), 4),
    ):
        rejected(trail, case_no, household, people, DECIDED)
        # Entered a week later: the day served counts, not the day entered.
        served = working_day(n, DECIDED)
        notified(trail, case_no, served, served + timedelta(7))
    (finding,) = findings("RF-13", trail.facts())
    assert finding.subject == "C2"
    assert finding.summary == (
        f"rejection notified 4 working days after the decision on {DECIDED}, limit 3"
    )
    assert finding.evidence == cited(trail, "C2", "rejected", "rejection-notified")
    # The weekend after the Friday decision does not count.
    assert (working_day(4, DECIDED) - DECIDED).days == 6


def test_a_long_late_notice_is_flagged_citing_both_events() -> None:
    trail = Trail()
    rejected(trail, "C1", "H1", (1, 2), DECIDED)
    notified(trail, "C1", DECIDED + timedelta(30), DECIDED + timedelta(30))
    (finding,) = findings("RF-13", trail.facts())
    # 30 days, less the weekends and 清明 (4–6 April), plus Sunday 7 April.
    assert finding.summary.startswith("rejection notified 19 working days after")
    assert finding.evidence == cited(trail, "C1", "rejected", "rejection-notified")


def test_a_rejection_never_notified_is_flagged_once_its_limit_passes() -> None:
    trail = Trail()
    rejected(trail, "C1", "H1", (1, 2), DECIDED)
    assert rf13(trail.facts(as_of=working_day(3, DECIDED))) == []
    (finding,) = findings("RF-13", trail.facts(as_of=working_day(4, DECIDED)))
    assert finding.summary == (
        f"rejection not notified 4 working days after the decision on {DECIDED}, "
        "limit 3"
    )
    assert finding.evidence == cited(trail, "C1", "rejected")


def test_a_holiday_in_the_window_is_skipped() -> None:
    # 2024: 清明 4–6 April off, Sunday 7 April worked. From Wednesday 3 April
    # the 3rd working day is Tuesday 9 April, the 4th Wednesday 10 April.
    trail = Trail()
    decided = date(2024, 4, 3)
    for case_no, household, people, served in (
        ("C1", "H1", (1, 2), date(2024, 4, 9)),
        ("C2", "H2", (3,), date(2024, 4, 10)),
    ):
        rejected(trail, case_no, household, people, decided)
        notified(trail, case_no, served, served)
    assert [s for s, _ in rf13(trail.facts())] == ["C2"]
    # Monday to Friday alone would have flagged C1 (4 weekdays).
    weekdays = sum((decided + timedelta(n)).weekday() < 5 for n in range(1, 7))
    assert weekdays == 4


def test_the_limit_comes_from_the_policy() -> None:
    trail = Trail()
    rejected(trail, "C1", "H1", (1, 2), DECIDED)
    notified(trail, "C1", working_day(4, DECIDED), working_day(4, DECIDED))
    four = ProcedurePolicy(rejection_notice_working_days=4)
    assert rf13(trail.facts(policy=four)) == []
    assert rf13(trail.facts()) != []
    assert ProcedurePolicy().rejection_notice_working_days == 3


def test_an_emergency_aid_case_stays_out_of_rf13() -> None:
    trail = Trail()
    opened(trail, "L1", "H1", (1, 2), programme=roles.LINSHI, category="急难型")
    trail.step("L1", "Rejected", DECIDED, reasons=["不符合条件"])
    assert rf13(trail.facts(as_of=DECIDED + timedelta(60))) == []
