"""Recording findings as red flags: once each, never again once cleared."""

from __future__ import annotations

from datetime import datetime

import pytest
from test_risk_money_support import County, paid_month

from domain import roles
from domain.base import Act
from domain.errors import InvalidDataError, RoleError, SeparationOfDutiesError
from domain.oversight import RedFlag
from projections.evidence import Evidence, MissingLinkError
from projections.risk.findings import RiskFinding, run_rules
from projections.risk.money import account_misuse
from projections.risk.scan import evidence_pairs, record_findings

AUDITOR = Act("A1", roles.AUDIT, datetime(2024, 6, 1, 9, 0))
AUDITOR_2 = Act("A2", roles.AUDIT, datetime(2024, 6, 2, 9, 0))


def shared_account_county() -> County:
    """H2's and H3's lines paid into H1's account; two auditors on the staff."""
    county = County()
    county.staff("A1", 20, roles.AUDIT)
    county.staff("A2", 21, roles.AUDIT)
    for number, people in (("H1", [1, 2]), ("H2", [3]), ("H3", [4])):
        county.household(number, people)
        county.case(f"DB-{number}", number, people)
    shared = county.account("a1", "H1", holder=1)
    paid_month(
        county,
        "2023-02",
        [("DB-H1", "H1", 50_000, shared), ("DB-H2", "H2", 50_000, shared)],
    )
    return county


def findings_of(county: County) -> tuple[RiskFinding, ...]:
    return run_rules([account_misuse], county.money())


def recorded(county: County) -> int:
    return county.fund.recorder.max_notification_id() or 0


def flags(county: County) -> list[RedFlag.Raised]:
    events = county.fund.recorder.select_notifications(0, 10_000)
    return [
        e
        for e in map(county.fund.mapper.to_domain_event, events)
        if isinstance(e, RedFlag.Raised)
    ]


def test_each_finding_becomes_one_flag_citing_its_evidence() -> None:
    county = shared_account_county()
    findings = findings_of(county)
    assert len(findings) == 1

    raised, known = record_findings(county.fund, AUDITOR, findings)

    assert (len(raised), known) == (1, 0)
    (flag,) = flags(county)
    assert flag.rule_id == "RF-16"
    assert flag.subject == findings[0].subject
    assert flag.actor_id == "A1"
    assert [tuple(pair) for pair in flag.evidence] == [
        (e.position, e.hash_hex) for e in sorted(findings[0].evidence)
    ]


def test_a_second_run_raises_nothing_new() -> None:
    county = shared_account_county()
    record_findings(county.fund, AUDITOR, findings_of(county))
    before = recorded(county)

    raised, known = record_findings(county.fund, AUDITOR, findings_of(county))

    assert (raised, known) == ((), 1)
    assert recorded(county) == before


def test_a_cleared_flag_is_not_raised_again_for_the_same_evidence() -> None:
    county = shared_account_county()
    (the_id,), _ = record_findings(county.fund, AUDITOR, findings_of(county))
    county.fund.clear_flag(AUDITOR_2, the_id, "核实为代收，已改为本人账户")
    before = recorded(county)

    raised, known = record_findings(county.fund, AUDITOR_2, findings_of(county))

    assert (raised, known) == ((), 1)
    assert recorded(county) == before


def test_new_evidence_on_a_cleared_subject_raises_a_new_flag() -> None:
    county = shared_account_county()
    (the_id,), _ = record_findings(county.fund, AUDITOR, findings_of(county))
    county.fund.clear_flag(AUDITOR_2, the_id, "核实为代收")
    flag: object = county.fund.repository.get(the_id)
    assert isinstance(flag, RedFlag)
    shared = flag.subject.removeprefix("account ")
    paid_month(county, "2023-03", [("DB-H3", "H3", 50_000, shared)])

    raised, known = record_findings(county.fund, AUDITOR, findings_of(county))

    assert (len(raised), known) == (1, 0)
    assert raised[0] != the_id


def test_the_raiser_may_not_clear_a_flag_and_nothing_is_recorded() -> None:
    county = shared_account_county()
    (the_id,), _ = record_findings(county.fund, AUDITOR, findings_of(county))
    before = recorded(county)
    with pytest.raises(SeparationOfDutiesError, match="raiser may not clear"):
        county.fund.clear_flag(AUDITOR, the_id, "自行核销")
    assert recorded(county) == before


def test_clearing_needs_a_written_reason_and_nothing_is_recorded() -> None:
    county = shared_account_county()
    (the_id,), _ = record_findings(county.fund, AUDITOR, findings_of(county))
    before = recorded(county)
    with pytest.raises(InvalidDataError, match="reason"):
        county.fund.clear_flag(AUDITOR_2, the_id, "  ")
    assert recorded(county) == before


def test_a_finding_without_a_chain_hash_stops_before_any_flag() -> None:
    county = shared_account_county()
    good = findings_of(county)[0]
    bad = RiskFinding(
        "RF-20", "high", "account x", "no link", (Evidence(99_999, "", "Batch"),)
    )
    before = recorded(county)
    with pytest.raises(MissingLinkError, match="99999"):
        record_findings(county.fund, AUDITOR, [good, bad])
    assert recorded(county) == before


def test_evidence_pairs_are_in_position_order() -> None:
    finding = RiskFinding(
        "RF-01",
        "high",
        "DB-1",
        "s",
        (Evidence(9, "b" * 64, "T"), Evidence(3, "a" * 64, "T")),
    )
    assert evidence_pairs(finding) == ((3, "a" * 64), (9, "b" * 64))


def test_a_flag_needs_an_oversight_role_held_on_the_day() -> None:
    county = shared_account_county()
    findings = findings_of(county)
    county.imported()
    before = recorded(county)
    clerk = Act("A1", roles.TOWNSHIP_CLERK, datetime(2024, 6, 1, 9, 0))
    with pytest.raises(RoleError, match="may not do this"):
        record_findings(county.fund, clerk, findings)
    early = Act("A1", roles.AUDIT, datetime(2022, 1, 1, 9, 0))
    with pytest.raises(RoleError, match="not held"):
        record_findings(county.fund, early, findings)
    assert recorded(county) == before
