"""The enrolment rule RF-26 (特定群体整体纳入), and the enrolment registry.

A pure function over ``EnrolmentFacts`` (``projections.risk.enrolment_facts``)
returning findings with the evidence that makes them: every approval of the
cluster, by ledger position and chain hash. ``enrolment_facts_at`` builds the
facts from the fact log for the scan.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, NamedTuple

from projections.risk.enrolment_facts import ENROLMENT_KINDS, enrolment_facts
from projections.risk.fact_views import read_facts
from projections.risk.findings import RiskFinding, rule

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import date

    from sqlalchemy.engine import Connection

    from projections.risk.enrolment_facts import EnrolmentFacts, NewApproval
    from projections.risk.findings import Rule


@rule("RF-26", "特定群体整体纳入", "Whole group enrolled at once", "medium")
def bulk_enrolment(facts: EnrolmentFacts) -> Iterator[RiskFinding]:
    """At least ``threshold`` new cases of one village (the case's region
    code) approved by one approver on one business day: the policy's
    ``bulk_approvals`` (5), or ``bulk_share_percent`` (2%) of the village's
    households on the ledger if more. The rulebook's pattern (RF-26: bulk
    approvals with identical timestamps and approver; the Gansu 2018 notice
    on 整体纳入 of petitioners, households moved for demolition or land
    requisition) against 审核审批办法 2012 §26 and 审核确认办法 2021 §16: no
    group is approved without each household's own investigation. Only a
    case's first approval counts (a periodic review or a re-decision enrols
    no one); 临时救助 is left out (one-off aid, which a disaster rightly
    brings to a whole village at once). Imported approvals count on their
    own business day, as the legacy format carries it; one imported with its
    business day equal to the day it was recorded is taken as stamped with
    the import day rather than decided then, and left out. The ledger keeps
    business days, not the second of each decision, so the day stands for
    the rulebook's identical timestamp. The summary says how many of the
    cluster had no economic check or no township home visit before approval
    (each such case is also RF-12's). Cites every approval of the cluster.
    """
    clusters: dict[tuple[str, date, str], list[NewApproval]] = defaultdict(list)
    for approval in facts.approvals:
        key = (approval.village, approval.day, approval.approver)
        clusters[key].append(approval)
    for (village, day, approver), approvals in sorted(clusters.items()):
        households = len(facts.households.get(village, ()))
        threshold = facts.policy.threshold(households)
        if len(approvals) < threshold:
            continue
        bare = sum(not a.investigated for a in approvals)
        programmes = "、".join(sorted({a.programme for a in approvals}))
        yield RiskFinding(
            "RF-26",
            "medium",
            village,
            f"{len(approvals)} new cases ({programmes}) approved on {day} by "
            f"{approver}, threshold {threshold} for {households} households; "
            f"{bare} without an economic check and a township home visit first",
            tuple(sorted(a.evidence for a in approvals)),
        )


class EnrolmentRules(NamedTuple):
    """The enrolment rules: how cases came onto the rolls together."""

    rf26: Rule[EnrolmentFacts]


ENROLMENT_RULES = EnrolmentRules(rf26=bulk_enrolment)


def enrolment_facts_at(conn: Connection, as_of: date | None) -> EnrolmentFacts:
    """Build the enrolment facts from the fact log, as of a day (None: the latest)."""
    return enrolment_facts(read_facts(conn, ENROLMENT_KINDS), as_of)
