"""Views and evidence over a real chained ledger (``ledger.store``), both backends."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from test_projection_support import BalanceFold, Purses, TimelineLog

from ledger.store import create_ledger, open_store, persistence_env
from projections.engine import views_engine
from projections.evidence import MissingLinkError, chain_hashes, cite
from projections.replay import read_events, replay_states
from projections.runner import ViewRunner
from projections.views import FoldView, LogView

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest) -> str:
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def purses(store_url: str) -> Iterator[Purses]:
    create_ledger(store_url)
    app = Purses(env=persistence_env(store_url))
    ids = [app.open(f"p{n}", day=n) for n in range(3)]
    for n in range(12):
        app.move(ids[n % 3], 10 * n - 40 or 1, day=n)
    yield app
    app.close()


def test_evidence_quotes_the_ledgers_own_chain_links(
    store_url: str, purses: Purses
) -> None:
    engine = views_engine(store_url)
    with open_store(store_url) as store, engine.connect() as conn:
        cited = cite(conn, [(4, "t4"), (1, "t1"), (15, "t15")])
        expected = [store.link_at(p) for p in (1, 4, 15)]
    engine.dispose()

    assert [e.position for e in cited] == [1, 4, 15]
    assert [e.hash_hex for e in cited] == [link.hex() for link in expected if link]
    assert [e.topic for e in cited] == ["t1", "t4", "t15"]


def test_a_position_beyond_the_chain_cannot_be_cited(
    store_url: str, purses: Purses
) -> None:
    engine = views_engine(store_url)
    with engine.connect() as conn:
        assert set(chain_hashes(conn, [2, 99])) == {2}
        with pytest.raises(MissingLinkError, match="position"):
            cite(conn, [(2, "a"), (99, "b")])
    engine.dispose()


def test_views_follow_a_chained_ledger_and_rebuild_identically(
    store_url: str, purses: Purses
) -> None:
    engine = views_engine(store_url)
    fold = FoldView(engine, BalanceFold())
    views = [fold, LogView(engine, TimelineLog())]
    runner = ViewRunner(
        engine, purses.recorder, purses.mapper, purses.name, views, page_size=4
    )
    runner.run(stop=6)
    runner.run()
    before = fold.states()

    runner.rebuild()

    events = read_events(purses.recorder, purses.mapper)
    assert fold.states() == before == replay_states(BalanceFold(), events)
    engine.dispose()
