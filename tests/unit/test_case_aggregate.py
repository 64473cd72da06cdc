"""ReliefCase alone, without service or store: given events, when, then events."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from domain import roles
from domain.base import Act
from domain.cases import ReliefCase
from domain.errors import (
    AmountError,
    DeadlineError,
    InvalidDataError,
    OrderingError,
    SeparationOfDutiesError,
)

CLERK = Act("T1", roles.TOWNSHIP_CLERK, datetime(2024, 3, 1, 9))
APPROVER = Act("A1", roles.APPROVER, datetime(2024, 3, 15, 9))
MEMBERS = ("p-head", "p-wife")


def on(day: date, who: Act = CLERK) -> Act:
    return Act(who.actor_id, who.actor_role, datetime.combine(day, datetime.min.time()))


def submitted(programme: str = roles.DIBAO, category: str = "补差") -> ReliefCase:
    return ReliefCase.submit(
        CLERK,
        "C1",
        programme,
        category,
        household=("H1", "110101001001", "urban"),
        people=("p-head", MEMBERS),
        consent=("授权书", "承诺书"),
        channel="窗口",
    )


def noticed() -> ReliefCase:
    case = submitted()
    case.accept(CLERK, date(2024, 4, 15))
    case.request_check(CLERK, ("户籍",))
    case.complete_check(CLERK, 30_000, "核对报告")
    case.record_visit(CLERK, "township", ("T1", "T2"))
    case.issue_opinion(CLERK, "approve", 100_000, frozenset())
    case.post_notice(
        CLERK,
        date(2024, 3, 7),
        date(2024, 3, 14),
        shown=("王大", 2),
        notice_days=7,
        need_filing=frozenset(),
    )
    return case


def names(case: ReliefCase) -> list[str]:
    return [type(e).__name__ for e in case.collect_events()]


def test_submission_records_one_applied_event() -> None:
    case = submitted()
    assert names(case) == ["Applied"]
    assert (case.status, case.member_refs) == ("applied", MEMBERS)


def test_an_unknown_category_is_refused() -> None:
    with pytest.raises(InvalidDataError, match="programme-category"):
        submitted(roles.DIBAO, "集中供养")


def test_the_path_to_approval_records_one_event_per_step() -> None:
    case = noticed()
    case.approve(APPROVER, (100_000,), cap=100_000, standard=80_000)
    assert names(case) == [
        "Applied",
        "Accepted",
        "CheckRequested",
        "CheckCompleted",
        "HomeVisited",
        "OpinionIssued",
        "NoticePosted",
        "Approved",
    ]
    assert case.schedule == {"2024-04": 100_000}


def test_a_refused_command_adds_no_event() -> None:
    case = noticed()
    case.collect_events()
    with pytest.raises(AmountError):
        case.approve(APPROVER, (100_001,), cap=100_000, standard=80_000)
    with pytest.raises(SeparationOfDutiesError):
        case.approve(on(date(2024, 3, 15)), (1,), cap=100_000, standard=80_000)
    assert case.collect_events() == []
    assert case.status == "accepted"


def test_the_events_replay_to_the_same_case() -> None:
    case = noticed()
    case.approve(APPROVER, (100_000,), cap=100_000, standard=80_000)
    case.suspend(on(date(2024, 6, 3), APPROVER), "2024-06", "失联")
    events = case.collect_events()
    copy = None
    for event in events:
        copy = event.mutate(copy)
    assert isinstance(copy, ReliefCase)
    assert (copy.status, copy.schedule, copy.approver) == (
        case.status,
        case.schedule,
        case.approver,
    )


def test_an_approval_is_not_given_twice() -> None:
    case = noticed()
    case.approve(APPROVER, (100_000,), cap=100_000, standard=80_000)
    with pytest.raises(OrderingError, match="status-active"):
        case.approve(APPROVER, (100_000,), cap=100_000, standard=80_000)


def test_a_zero_amount_is_not_approved() -> None:
    case = noticed()
    with pytest.raises(AmountError, match="amount-positive"):
        case.approve(APPROVER, (0,), cap=100_000, standard=80_000)


def test_money_is_whole_fen_never_a_float() -> None:
    case = submitted()
    case.accept(CLERK, date(2024, 4, 15))
    case.request_check(CLERK, ("户籍",))
    with pytest.raises(AmountError, match="money-fen"):
        case.complete_check(CLERK, 300.5, "核对报告")  # type: ignore[arg-type]


def test_an_extension_is_granted_once() -> None:
    case = submitted()
    case.accept(CLERK, date(2024, 4, 15))
    case.extend(CLERK, "人户分离", date(2024, 5, 8))
    with pytest.raises(OrderingError, match="extension-once"):
        case.extend(CLERK, "调查困难", date(2024, 5, 8))


def test_a_notice_shorter_than_the_policy_is_refused() -> None:
    case = noticed()
    with pytest.raises(DeadlineError, match="notice-days"):
        case.post_notice(
            CLERK,
            date(2024, 3, 7),
            date(2024, 3, 12),
            shown=("王大", 2),
            notice_days=5 + 2,
            need_filing=frozenset(),
        )


def test_the_opinion_names_missing_filings_without_naming_people() -> None:
    case = submitted()
    case.accept(CLERK, date(2024, 4, 15))
    case.request_check(CLERK, ("户籍",))
    case.complete_check(CLERK, 30_000, "核对报告")
    case.record_visit(CLERK, "township", ("T1", "T2"))
    with pytest.raises(OrderingError) as caught:
        case.issue_opinion(CLERK, "approve", 1, frozenset({"p-wife"}))
    assert "p-wife" not in str(caught.value)
    assert "case C1" in str(caught.value)


def test_a_resumption_follows_its_suspension() -> None:
    case = noticed()
    case.approve(APPROVER, (100_000,), cap=100_000, standard=80_000)
    case.suspend(on(date(2024, 6, 3), APPROVER), "2024-07", "失联")
    with pytest.raises(DeadlineError, match="resume-month"):
        case.resume(on(date(2024, 6, 3), APPROVER), "2024-07", "已联系")


def test_only_dibao_exits_gradually() -> None:
    case = submitted(roles.CANJI, "护理补贴")
    with pytest.raises(OrderingError, match="programme"):
        case.start_gradual_exit(CLERK, ("2024-04", "2024-05"), 1, "就业", 6)


def test_a_monthly_programme_is_approved_one_amount() -> None:
    case = noticed()
    with pytest.raises(InvalidDataError, match="stages"):
        case.approve(APPROVER, (50_000, 50_000), cap=100_000, standard=80_000)


def test_every_stage_pays_something() -> None:
    case = ReliefCase.submit(
        CLERK,
        "L1",
        roles.LINSHI,
        "支出型",
        household=("H1", "110101001001", "urban"),
        people=("p-head", MEMBERS),
        consent=("授权书", "承诺书"),
        channel="窗口",
    )
    case.accept(CLERK, date(2024, 4, 15))
    case.request_check(CLERK, ("户籍",))
    case.complete_check(CLERK, 30_000, "核对报告")
    case.record_visit(CLERK, "township", ("T1", "T2"))
    case.issue_opinion(CLERK, "approve", 100_000, frozenset())
    case.post_notice(
        CLERK,
        date(2024, 3, 7),
        date(2024, 3, 14),
        shown=("王大", 2),
        notice_days=7,
        need_filing=frozenset(),
    )
    with pytest.raises(AmountError, match="amount-positive"):
        case.approve(APPROVER, (50_000, 0, 50_000), cap=100_000, standard=100_000)
    case.approve(APPROVER, (50_000, 50_000), cap=100_000, standard=100_000)
    assert case.schedule == {"2024-04": 50_000, "2024-05": 50_000, "2024-06": 0}
