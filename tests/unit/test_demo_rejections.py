"""The demo's rejected 低保 applications: each is notified, on time but one,
and the history written before them is unchanged."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING, Any

from domain.calendar import WorkingCalendar

if TYPE_CHECKING:
    from cli.demo.generate import Generated


def test_every_rejection_is_notified_in_time_but_the_planted_one(
    generated: Generated,
) -> None:
    events: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for raw in generated.lines:
        line = json.loads(raw)
        if line["type"] in {"case.Rejected", "case.RejectionNotified"}:
            events[line["record"]][line["type"]] = line
    assert len(events) >= 2
    calendar = WorkingCalendar()
    late = set()
    for case_no, found in events.items():
        decided = date.fromisoformat(found["case.Rejected"]["occurred_at"][:10])
        notice = found["case.RejectionNotified"]
        served = date.fromisoformat(notice["notified_on"])
        assert notice["role"] == "乡镇经办"
        if calendar.add_working_days(decided, 3) < served:
            late.add(case_no)
    (planted,) = [
        p for p in generated.plan.manifest() if p["pattern"] == "rejection-notice-late"
    ]
    assert planted["rule"] == "RF-13"
    assert late == {planted["subject"]}
