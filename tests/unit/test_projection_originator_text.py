"""``originator_text`` gives ``str(event.originator_id)``, however it keeps it."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from projections import folds

if TYPE_CHECKING:
    import pytest


@given(st.lists(st.uuids() | st.text(max_size=12), min_size=1, max_size=30))
def test_the_text_of_each_events_id_is_its_str(ids: list[UUID | str]) -> None:
    events = [SimpleNamespace(originator_id=i) for i in ids + ids]
    assert [folds.originator_text(e) for e in events] == [str(i) for i in ids + ids]


def test_the_kept_texts_start_again_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(folds, "TEXTS_HELD", 3)
    monkeypatch.setattr(folds, "_TEXTS", {})
    ids = [UUID(int=n) for n in range(7)]
    for i in ids:
        assert folds.originator_text(SimpleNamespace(originator_id=i)) == str(i)
        assert len(folds._TEXTS) <= 3
    assert {6: str(ids[6])} == folds._TEXTS
