"""The legacy import: facts recorded as imported, malformed lines refused by number,
a second import records nothing, batches and progress."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING

import pytest
from legacy_support import (
    ID_CHILD,
    ID_HEAD,
    ID_STAFF,
    OPERATOR,
    case_and_payment_lines,
    line,
    memory_fund,
    reference_lines,
)

from domain import roles
from domain.base import ReliefCreated, ReliefEvent
from domain.batches import batch_id
from domain.legacy import ImportReport, LegacyImportError, import_lines

if TYPE_CHECKING:
    from collections.abc import Callable

    from domain.service import ReliefFund


def recorded(fund: ReliefFund) -> int:
    return fund.recorder.max_notification_id() or 0


def run(
    fund: ReliefFund,
    lines: list[str],
    batch_size: int = 2_000,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    return import_lines(
        fund, lambda: lines, by=OPERATOR, batch_size=batch_size, progress=progress
    )


@pytest.fixture
def fund() -> ReliefFund:
    return memory_fund()


def test_reference_facts_are_recorded_as_imported(fund: ReliefFund) -> None:
    run(fund, reference_lines())
    assert fund.region("110101001001").parent_code == "110101001"
    assert fund.standard_on("110101001001", "urban", roles.DIBAO, date(2023, 5, 1)) == (
        124_500
    )
    assert fund.approval_limit(
        roles.LINSHI, "township", "110101001", date(2023, 5, 1)
    ) == (150_000)
    assert not fund.calendar().is_working_day(date(2031, 1, 1))
    staff = fund.staff("S1")
    assert staff.person_ref == fund.person_ref(ID_STAFF)
    assert staff.holds(roles.TOWNSHIP_CLERK, date(2023, 6, 30), "110101001001")
    assert not staff.holds(roles.TOWNSHIP_CLERK, date(2023, 7, 1))
    household = fund.household("H1")
    assert household.member_refs() == {
        fund.person_ref(ID_HEAD),
        fund.person_ref(ID_CHILD),
    }
    assert household.members[0].disability_grade == 2
    assert fund.kin_of(fund.person_ref(ID_CHILD)) == {fund.person_ref(ID_STAFF)}


def test_every_imported_event_is_marked_and_keeps_its_business_time(
    fund: ReliefFund,
) -> None:
    run(fund, reference_lines())
    events = [
        e
        for n in fund.recorder.select_notifications(1, 1000)
        for e in [fund.mapper.to_domain_event(n)]
    ]
    facts = [
        e
        for e in events
        if isinstance(e, ReliefEvent | ReliefCreated)
        and not type(e).__qualname__.startswith("LegacyImportLog")
    ]
    assert facts
    assert all(e.imported for e in facts)
    assert {e.occurred_at.isoformat() for e in facts} == {"2023-01-05T09:00:00+08:00"}
    assert {e.actor_id for e in facts} == {"S0"}


def test_no_id_number_reaches_the_ledger(fund: ReliefFund) -> None:
    run(fund, reference_lines())
    stored = b"".join(n.state for n in fund.recorder.select_notifications(1, 1000))
    for number in (ID_HEAD, ID_CHILD, ID_STAFF):
        assert number.encode() not in stored


def test_case_and_payment_events_go_through_their_import_paths(
    fund: ReliefFund,
) -> None:
    run(fund, reference_lines() + case_and_payment_lines(fund))
    case = fund.case("DB-1")
    assert case.status == "active"
    assert case.payable_amount("2023-03") == 80_000
    batch = fund.payment_batch(batch_id(roles.DIBAO, "110101001", "2023-03"))
    assert batch.line_count == 1


def test_importing_the_same_file_twice_records_nothing_new(fund: ReliefFund) -> None:
    lines = reference_lines() + case_and_payment_lines(fund)
    first = run(fund, lines)
    after_first = recorded(fund)
    second = run(fund, lines)
    assert recorded(fund) == after_first
    assert (first.recorded, second.recorded) == (len(lines), 0)


def test_another_file_restating_recorded_facts_adds_nothing(fund: ReliefFund) -> None:
    lines = reference_lines()
    run(fund, lines)
    before = recorded(fund)
    restated = [
        json.dumps({**json.loads(raw), "id": f"again-{i}"}, ensure_ascii=False)
        for i, raw in enumerate(lines)
    ]
    report = run(fund, restated)
    assert report.recorded == 0
    assert recorded(fund) == before + 2  # only the new file's log: start and one batch


def _with(raw: str, **changes: object) -> str:
    data = json.loads(raw)
    data.update(changes)
    return json.dumps(
        {k: v for k, v in data.items() if v is not None}, ensure_ascii=False
    )


STANDARD = 5  # the index of the standard line in reference_lines()


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"amount_fen": -5}, "legacy-money"),
        ({"amount_fen": 12.5}, "legacy-money"),
        ({"amount_fen": "124500"}, "legacy-money"),
        ({"effective_from": "2023-13-01"}, "legacy-field"),
        ({"area": "city"}, "legacy-field"),
        ({"bonus": 1}, "legacy-field"),
        ({"document": None}, "legacy-field"),
        ({"type": "region.standard_changed"}, "legacy-type"),
        ({"role": "局长"}, "legacy-envelope"),
        ({"occurred_at": "2023-01-05T09:00:00"}, "legacy-envelope"),
        ({"actor": ""}, "legacy-envelope"),
        ({"id": None}, "legacy-envelope"),
        ({"id": "R0"}, "legacy-id"),
    ],
)
def test_a_malformed_line_is_refused_by_number_and_nothing_is_recorded(
    fund: ReliefFund, change: dict[str, object], rule: str
) -> None:
    lines = reference_lines()
    lines[STANDARD] = _with(lines[STANDARD], **change)
    with pytest.raises(LegacyImportError, match=rule) as refused:
        run(fund, lines)
    assert refused.value.line_no == STANDARD + 1
    assert str(refused.value).startswith(f"Refused by rule {rule} for line 6")
    assert recorded(fund) == 0


def test_lines_that_are_not_json_objects_are_refused(fund: ReliefFund) -> None:
    for bad in ("{not json", "[1, 2]"):
        with pytest.raises(LegacyImportError, match="line 2"):
            run(fund, [reference_lines()[0], bad])
    assert recorded(fund) == 0


def test_a_bad_id_number_is_refused_by_line(fund: ReliefFund) -> None:
    lines = reference_lines()
    staff = next(i for i, raw in enumerate(lines) if '"SF1"' in raw)
    lines[staff] = _with(lines[staff], person="110105194912310021")
    with pytest.raises(LegacyImportError, match=f"line {staff + 1} .*身份证号"):
        run(fund, lines)
    assert recorded(fund) == 0


def test_an_unknown_reference_stops_the_import_at_its_line(fund: ReliefFund) -> None:
    lines = reference_lines()
    orphan = line(
        "HH9",
        "household.registered",
        "H9",
        region_code="110101001002",
        area="rural",
        members=[
            {
                "person": ID_HEAD,
                "name": "张三",
                "relation": "户主",
                "birth_date": "1949-12-31",
            }
        ],
    )
    lines.append(orphan)
    with pytest.raises(
        LegacyImportError, match=f"unknown-record for line {len(lines)} "
    ):
        run(fund, lines, batch_size=4)
    # Batches of four: lines 1-12 are recorded, the batch of lines 13-14 is not.
    assert fund.household("H1").size == 2
    assert fund.kin_of(fund.person_ref(ID_CHILD)) == frozenset()
    # Fix the reference and import again: the rest is recorded, nothing twice.
    before = recorded(fund)
    lines.insert(-1, line("R9", "region.registered", "110101001002", name="新社区"))
    report = run(fund, lines, batch_size=4)
    assert fund.household("H9").area == "rural"
    assert report.recorded == 3  # KN1, R9, HH9
    assert fund.kin_of(fund.person_ref(ID_CHILD)) == {fund.person_ref(ID_STAFF)}
    assert recorded(fund) > before


def test_progress_is_reported_after_each_batch(fund: ReliefFund) -> None:
    lines = reference_lines()
    seen: list[tuple[int, int]] = []
    run(
        fund,
        lines,
        batch_size=5,
        progress=lambda done, total: seen.append((done, total)),
    )
    total = len(lines)
    assert seen == [(n, total) for n in range(5, total, 5)] + [(total, total)]


def test_many_facts_are_saved_in_few_transactions(fund: ReliefFund) -> None:
    saves: list[int] = []
    original = fund.events.put

    def counting_put(events, **kwargs):  # type: ignore[no-untyped-def]
        saves.append(len(events))
        return original(events, **kwargs)

    fund.events.put = counting_put  # type: ignore[method-assign, assignment]
    lines = reference_lines()
    run(fund, lines, batch_size=len(lines))
    assert len(saves) == 1
    assert saves[0] == recorded(fund)


def test_a_batch_that_fails_records_nothing_of_itself(fund: ReliefFund) -> None:
    lines = reference_lines()
    lines.append(
        line(
            "X1",
            "household.member_added",
            "H404",
            person=ID_HEAD,
            name="张三",
            relation="户主",
            birth_date="1949-12-31",
        )
    )
    with pytest.raises(LegacyImportError, match="household H404"):
        run(fund, lines, batch_size=len(lines))
    assert recorded(fund) == 0
