"""The one risk-fact log: which events it keeps, one kind each, the lag, the groups."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from eventsourcing.utils import get_topic

from domain.cases import ReliefCase
from domain.people import Household
from projections.folds import At
from projections.risk.catalogue import GROUPS, PROCEDURE_GROUP, catalogue
from projections.risk.fact_extracts import EXTRACTS, TOPICS
from projections.risk.fact_kinds import fact_views
from projections.risk.fact_views import CHINA, RiskFactLog, lag_seconds
from projections.risk.money_fold import MONEY_KINDS, MONEY_READS, MoneyFold
from projections.risk.procedure import PROCEDURE_RULES, procedure_facts_at
from projections.risk.procedure_fold import PROCEDURE_KINDS
from projections.risk.relation_facts import RELATIONSHIP_KINDS


def test_the_log_reads_exactly_the_events_it_extracts() -> None:
    log = RiskFactLog()
    assert set(log.topics) == {get_topic(c) for c in EXTRACTS}
    assert get_topic(ReliefCase.Approved) in log.topics
    assert get_topic(Household.MemberDeceased) in log.topics
    assert get_topic(ReliefCase.OpinionIssued) in log.topics
    assert get_topic(ReliefCase.SelfCareAssessed) not in log.topics
    unknown: Any = object()
    at = At(1, datetime.now(UTC), datetime.now(UTC))
    assert list(log.rows(unknown, at)) == []


def test_a_naive_business_time_is_read_as_china_standard_time() -> None:
    business = datetime(2024, 3, 15, 9, 0)
    recorded = business.replace(tzinfo=CHINA) + timedelta(days=8, seconds=5)
    assert lag_seconds(At(1, recorded.astimezone(UTC), business)) == 8 * 86_400 + 5
    aware = datetime(2024, 3, 15, 9, 0, tzinfo=UTC)
    assert lag_seconds(At(1, aware + timedelta(hours=2), aware)) == 7_200
    assert lag_seconds(At(1, datetime.min, business)) == 0


def test_the_procedure_group_lists_its_eight_rules_in_the_catalogue() -> None:
    assert PROCEDURE_GROUP in GROUPS
    assert PROCEDURE_GROUP.facts is procedure_facts_at
    assert PROCEDURE_GROUP.views is fact_views
    entries = catalogue((PROCEDURE_GROUP,))
    assert [e.rule_id for e in entries] == [r.rule_id for r in PROCEDURE_RULES]
    assert {e.group for e in entries} == {"procedure"}
    assert all(e.doc and e.name_zh and e.name_en for e in entries)


def test_each_event_class_has_a_kind_of_its_own_and_groups_read_known_kinds() -> None:
    kinds = [kind for kind, _, _ in EXTRACTS.values()]
    assert len(kinds) == len(set(kinds)) == len(TOPICS)
    for wanted in (MONEY_KINDS, PROCEDURE_KINDS, RELATIONSHIP_KINDS):
        assert set(wanted) <= set(TOPICS)
    assert {group.views for group in GROUPS} == {fact_views}


def test_each_fold_is_handed_every_kind_it_takes_and_no_other() -> None:
    folds = [group.fold() for group in GROUPS if group.fold is not None]
    assert len(folds) == 4
    for fold in folds:
        assert set(fold.reads) <= set(fold.kinds)
    money = MoneyFold()
    assert set(money.handlers) == set(MONEY_READS) < set(MONEY_KINDS)
