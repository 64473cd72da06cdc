"""How the views are split among worker processes: balanced, each view once."""

from __future__ import annotations

from dataclasses import dataclass

from projections.parallel_views import VIEW_COSTS, balanced


@dataclass(frozen=True)
class Named:
    """Just what the split reads of a view: its name and topics."""

    name: str
    topics: tuple[str, ...] = ()


CATALOGUE = [
    Named("books"),
    Named("case-schedules", ("a", "b", "c")),
    Named("audit-events"),
    Named("audit-subjects"),
    Named("audit-originators"),
    Named("public-notices", ("d",)),
    Named("risk-facts", ("e", "f")),
]


def _names(groups: list[list[Named]]) -> list[set[str]]:
    return [{view.name for view in group} for group in groups]


def test_every_view_lands_in_exactly_one_group() -> None:
    for count in (2, 3, 4, 7):
        groups = _names(balanced(CATALOGUE, count))  # type: ignore[arg-type]
        assert len(groups) == count
        assert sorted(n for g in groups for n in g) == sorted(v.name for v in CATALOGUE)


def test_the_two_heaviest_views_go_to_different_workers() -> None:
    heaviest = sorted(VIEW_COSTS, key=lambda name: -VIEW_COSTS[name])[:2]
    groups = _names(balanced(CATALOGUE, 2))  # type: ignore[arg-type]
    assert not any(set(heaviest) <= group for group in groups)


def test_two_groups_are_within_the_lightest_views_cost_of_each_other() -> None:
    groups = balanced(CATALOGUE, 2)  # type: ignore[arg-type]
    costs = [sum(VIEW_COSTS[v.name] for v in group) for group in groups]
    assert abs(costs[0] - costs[1]) <= VIEW_COSTS["audit-originators"]
