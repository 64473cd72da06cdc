"""Oversight, given → when → then: complaints, flags, referrals, corrections."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest
from payment_support import (
    APPROVER,
    AUDITOR,
    AUDITOR_2,
    CLERK,
    COUNTY_CLERK,
    INSPECTOR,
    MAKER,
    Fund,
    digest,
    recorded,
    seeded_fund,
)

from domain.errors import (
    DomainError,
    InvalidDataError,
    NotFoundError,
    OrderingError,
    RoleError,
    SeparationOfDutiesError,
)
from domain.ids import record_id
from domain.oversight import Appeal, Complaint, RedFlag, flag_id

if TYPE_CHECKING:
    from uuid import UUID

    from domain.base import Act

EVIDENCE = ((12, digest("link-12")), (40, digest("link-40")))


def complaint(fund: Fund, real_name: bool, number: str = "TS-1") -> None:
    fund.receive_complaint(
        CLERK,
        complaint_no=number,
        channel="12349",
        real_name=real_name,
        content_hash=digest("the letter"),
    )


def get_complaint(fund: Fund, number: str = "TS-1") -> Complaint:
    found: object = fund.repository.get(record_id("complaint", number))
    assert isinstance(found, Complaint)
    return found


def raise_flag(fund: Fund, act: Act = AUDITOR, subject: str = "H1") -> UUID:
    return fund.raise_flag(
        act,
        rule_id="RF-16",
        subject=subject,
        evidence=EVIDENCE,
        summary="one account serves two households",
    )


# Complaints.


def test_a_real_name_complaint_closes_after_feedback() -> None:
    fund = seeded_fund()
    complaint(fund, real_name=True)
    fund.resolve_complaint(CLERK, "TS-1", "checked: the household is eligible")
    fund.give_complaint_feedback(CLERK, "TS-1", "told by phone", date(2024, 5, 8))
    fund.close_complaint(CLERK, "TS-1")
    found = get_complaint(fund)
    assert (found.closed, found.feedback_given) == (True, True)


def test_a_real_name_complaint_may_not_close_without_feedback() -> None:
    fund = seeded_fund()
    complaint(fund, real_name=True)
    fund.resolve_complaint(CLERK, "TS-1", "checked")
    before = recorded(fund)
    with pytest.raises(OrderingError, match=r"complaint\.feedback-required"):
        fund.close_complaint(CLERK, "TS-1")
    assert recorded(fund) == before


def test_an_anonymous_complaint_closes_without_feedback_and_gets_none() -> None:
    fund = seeded_fund()
    complaint(fund, real_name=False)
    fund.resolve_complaint(CLERK, "TS-1", "checked")
    before = recorded(fund)
    with pytest.raises(OrderingError, match=r"feedback-real-name"):
        fund.give_complaint_feedback(CLERK, "TS-1", "to whom?", date(2024, 5, 8))
    assert recorded(fund) == before
    fund.close_complaint(CLERK, "TS-1")
    assert get_complaint(fund).closed


def test_no_feedback_or_closing_before_a_finding() -> None:
    fund = seeded_fund()
    complaint(fund, real_name=True)
    before = recorded(fund)
    with pytest.raises(OrderingError):
        fund.give_complaint_feedback(CLERK, "TS-1", "soon", date(2024, 5, 8))
    with pytest.raises(OrderingError):
        fund.close_complaint(CLERK, "TS-1")
    assert recorded(fund) == before


@pytest.mark.parametrize(
    ("act", "channel", "case_no", "error"),
    [
        (AUDITOR, "12349", "", RoleError),
        (MAKER, "12349", "", RoleError),
        (CLERK, "wechat", "", InvalidDataError),
        (CLERK, "12349", "NO-SUCH-CASE", NotFoundError),
    ],
)
def test_refused_complaints_record_nothing(
    act: Act, channel: str, case_no: str, error: type[DomainError]
) -> None:
    fund = seeded_fund()
    before = recorded(fund)
    with pytest.raises(error):
        fund.receive_complaint(
            act,
            complaint_no="TS-2",
            channel=channel,
            real_name=True,
            content_hash=digest("x"),
            target_case_no=case_no,
        )
    assert recorded(fund) == before


# Appeals.


def test_an_appeal_needs_a_known_case() -> None:
    fund = seeded_fund()
    before = recorded(fund)
    with pytest.raises(NotFoundError):
        fund.file_appeal(
            COUNTY_CLERK,
            appeal_no="FY-1",
            case_no="C404",
            kind="复议",
            filed_on=date(2024, 5, 1),
        )
    assert recorded(fund) == before


# Red flags.


def test_a_flag_is_keyed_by_rule_subject_and_evidence() -> None:
    fund = seeded_fund()
    the_id = raise_flag(fund)
    assert the_id == flag_id("RF-16", "H1", EVIDENCE)
    assert the_id != flag_id("RF-16", "H2", EVIDENCE)
    assert the_id != flag_id("RF-16", "H1", EVIDENCE[:1])
    flag: object = fund.repository.get(the_id)
    assert isinstance(flag, RedFlag)
    assert (flag.raiser_id, flag.cleared_by) == ("A1", None)


def test_another_person_clears_a_flag_with_a_reason() -> None:
    fund = seeded_fund()
    the_id = raise_flag(fund)
    fund.clear_flag(INSPECTOR, the_id, "the second household is the same family")
    flag: object = fund.repository.get(the_id)
    assert isinstance(flag, RedFlag)
    assert flag.cleared_by == "D1"


def test_the_raiser_may_not_clear_their_own_flag() -> None:
    fund = seeded_fund()
    the_id = raise_flag(fund)
    before = recorded(fund)
    with pytest.raises(SeparationOfDutiesError, match=r"clearer-not-raiser"):
        fund.clear_flag(AUDITOR, the_id, "it is fine")
    assert recorded(fund) == before


def test_a_flag_is_not_cleared_without_a_reason_or_twice() -> None:
    fund = seeded_fund()
    the_id = raise_flag(fund)
    before = recorded(fund)
    with pytest.raises(InvalidDataError, match=r"text\.required"):
        fund.clear_flag(AUDITOR_2, the_id, "  ")
    assert recorded(fund) == before
    fund.clear_flag(AUDITOR_2, the_id, "checked with the bank")
    before = recorded(fund)
    with pytest.raises(OrderingError, match=r"clear-once"):
        fund.clear_flag(INSPECTOR, the_id, "again")
    assert recorded(fund) == before


def test_a_cleared_flag_is_not_raised_again_on_the_same_grounds() -> None:
    fund = seeded_fund()
    the_id = raise_flag(fund)
    fund.clear_flag(AUDITOR_2, the_id, "checked with the bank")
    before = recorded(fund)
    with pytest.raises(InvalidDataError, match=r"flag\.raised-once"):
        raise_flag(fund, act=INSPECTOR)
    assert recorded(fund) == before
    assert fund.flag_known("RF-16", "H1", EVIDENCE)
    raise_flag(fund, subject="H2")  # other grounds: a new flag
    assert recorded(fund) == before + 1


@pytest.mark.parametrize("act", [CLERK, MAKER, APPROVER, COUNTY_CLERK])
def test_only_audit_and_discipline_raise_flags(act: Act) -> None:
    fund = seeded_fund()
    before = recorded(fund)
    with pytest.raises(RoleError):
        raise_flag(fund, act=act)
    assert recorded(fund) == before


@pytest.mark.parametrize(
    "evidence",
    [(), ((0, digest("x")),), ((5, "not-a-hash"),), (("5", digest("x")),)],
)
def test_a_flag_must_cite_ledger_evidence(
    evidence: tuple[tuple[int, str], ...],
) -> None:
    fund = seeded_fund()
    before = recorded(fund)
    with pytest.raises(InvalidDataError):
        fund.raise_flag(
            AUDITOR, rule_id="RF-01", subject="H1", evidence=evidence, summary="s"
        )
    assert recorded(fund) == before


def test_audit_and_discipline_never_record_money() -> None:
    fund = seeded_fund()
    before = recorded(fund)
    for act in (AUDITOR, INSPECTOR):
        with pytest.raises(RoleError):
            fund.receive_funds(
                act,
                programme="低保",
                org_code="110101",
                source="县",
                amount_fen=100,
                treasury_ref="T",
                received_on=date(2024, 5, 1),
            )
    assert recorded(fund) == before


# Referrals.


def test_flags_are_referred_to_discipline_inspection() -> None:
    fund = seeded_fund()
    the_id = raise_flag(fund)
    fund.refer_to_discipline(
        AUDITOR, referral_no="YS-1", case_nos=[], flag_ids=[the_id], clue="see flag"
    )
    assert fund.exists(record_id("referral", "YS-1"))


def test_a_referral_names_known_flags_and_something() -> None:
    fund = seeded_fund()
    before = recorded(fund)
    with pytest.raises(NotFoundError):
        fund.refer_to_discipline(
            AUDITOR,
            referral_no="YS-1",
            case_nos=[],
            flag_ids=[flag_id("RF-1", "x", EVIDENCE)],
            clue="c",
        )
    with pytest.raises(InvalidDataError, match=r"referral\.subject"):
        fund.refer_to_discipline(
            AUDITOR, referral_no="YS-1", case_nos=[], flag_ids=[], clue="c"
        )
    assert recorded(fund) == before


# Corrections.


def correct(fund: Fund, act: Act = MAKER, version: int | None = 1) -> UUID:
    target = record_id("household", "H1")
    return fund.record_correction(
        act,
        correction_no="GZ-1",
        target_id=target,
        target_version=version,
        corrected_fields={"area": "urban"},
        reason="the village is urban",
    )


def test_a_correction_points_at_its_target_and_is_approved_by_another() -> None:
    fund = seeded_fund()
    the_id = correct(fund)
    fund.approve_correction(APPROVER, "GZ-1")
    correction: object = fund.repository.get(the_id)
    assert getattr(correction, "approver_id", None) == "P1"
    assert getattr(correction, "target_id", None) == record_id("household", "H1")


def test_the_recorder_may_not_approve_their_correction() -> None:
    fund = seeded_fund()
    correct(fund, act=APPROVER)
    before = recorded(fund)
    with pytest.raises(SeparationOfDutiesError, match=r"approver-not-recorder"):
        fund.approve_correction(APPROVER, "GZ-1")
    assert recorded(fund) == before


@pytest.mark.parametrize(
    ("act", "version", "error"),
    [
        (AUDITOR, 1, RoleError),
        (INSPECTOR, 1, RoleError),
        (MAKER, 99, NotFoundError),
        (MAKER, 0, DomainError),
    ],
)
def test_refused_corrections_record_nothing(
    act: Act, version: int, error: type[DomainError]
) -> None:
    fund = seeded_fund()
    before = recorded(fund)
    with pytest.raises(error):
        correct(fund, act=act, version=version)
    assert recorded(fund) == before


def test_a_correction_needs_a_version_or_a_ledger_position() -> None:
    fund = seeded_fund()
    before = recorded(fund)
    with pytest.raises(InvalidDataError, match=r"points-at-target"):
        correct(fund, version=None)
    assert recorded(fund) == before


def test_an_appeal_is_decided_once() -> None:
    appeal = Appeal.file(
        COUNTY_CLERK,
        appeal_no="FY-2",
        case_no="C1",
        kind="复议",
        filed_on=date(2024, 5, 1),
    )
    appeal.decide(COUNTY_CLERK, "撤销", "县民复〔2024〕3号")
    assert appeal.outcome == "撤销"
    with pytest.raises(OrderingError, match=r"appeal\.decide-once"):
        appeal.decide(COUNTY_CLERK, "维持", "again")
    names = [type(e).__name__ for e in appeal.collect_events()]
    assert names == ["Filed", "Decided"]


def test_an_appeal_has_a_known_kind_and_outcome() -> None:
    with pytest.raises(InvalidDataError, match=r"appeal\.kind"):
        Appeal.file(
            COUNTY_CLERK,
            appeal_no="FY-3",
            case_no="C1",
            kind="仲裁",
            filed_on=date(2024, 5, 1),
        )
    appeal = Appeal.file(
        COUNTY_CLERK,
        appeal_no="FY-3",
        case_no="C1",
        kind="诉讼",
        filed_on=date(2024, 5, 1),
    )
    with pytest.raises(InvalidDataError, match=r"appeal\.outcome"):
        appeal.decide(COUNTY_CLERK, "和解", "ref")
    assert len(appeal.collect_events()) == 1


def test_a_referral_names_known_cases() -> None:
    fund = seeded_fund()
    before = recorded(fund)
    with pytest.raises(NotFoundError):
        fund.refer_to_discipline(
            INSPECTOR, referral_no="YS-2", case_nos=["C404"], flag_ids=[], clue="c"
        )
    assert recorded(fund) == before
