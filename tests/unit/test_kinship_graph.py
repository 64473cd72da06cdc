"""The kinship graph: direct, derived, in-law and ignored paths, with near misses."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain import roles
from projections.kinship_graph import (
    KinLink,
    KinshipGraph,
    are_near_kin,
    direct_kin,
    in_law_kin,
    kin_paths,
    near_kin,
    relations_between,
    second_degree,
)


def graph(*links: tuple[str, str, str]) -> KinshipGraph:
    return KinshipGraph.from_links(KinLink(a, b, r, "户籍") for a, b, r in links)


def test_a_record_counts_both_ways_with_the_inverse_relation() -> None:
    g = graph(
        ("staff", "mother", roles.PARENT), ("staff", "gran", roles.MATERNAL_GRANDPARENT)
    )
    assert relations_between(g, "staff", "mother") == {roles.PARENT}
    assert relations_between(g, "mother", "staff") == {roles.CHILD}
    assert relations_between(g, "gran", "staff") == {roles.MATERNAL_GRANDCHILD}
    assert direct_kin(g, "mother") == {"staff"}


def test_a_spouses_parent_is_kin_of_the_spouse_not_of_the_staff_member() -> None:
    g = graph(("staff", "wife", roles.SPOUSE), ("wife", "father-in-law", roles.PARENT))

    assert are_near_kin(g, "wife", "father-in-law")
    assert not are_near_kin(g, "staff", "father-in-law")
    assert in_law_kin(g, "staff") == {"father-in-law"}
    (path,) = [p for p in second_degree(g, "staff") if p.end == "father-in-law"]
    assert path.kind == "in-law"
    assert path.chain == (roles.SPOUSE, roles.PARENT)


def test_a_parents_parent_is_a_derived_grandparent_even_if_never_recorded() -> None:
    g = graph(("staff", "father", roles.PARENT), ("father", "grandad", roles.PARENT))

    assert "grandad" not in direct_kin(g, "staff")
    assert are_near_kin(g, "staff", "grandad")
    assert are_near_kin(g, "grandad", "staff")
    (path,) = [p for p in kin_paths(g, "staff", "grandad")]
    assert path.derived == f"{roles.GRANDPARENT}/{roles.MATERNAL_GRANDPARENT}"  # type: ignore[union-attr]


def test_children_of_one_parent_are_derived_siblings() -> None:
    g = graph(("staff", "mother", roles.PARENT), ("brother", "mother", roles.PARENT))
    assert are_near_kin(g, "staff", "brother")
    assert are_near_kin(g, "brother", "staff")


def test_a_childs_child_is_a_derived_grandchild() -> None:
    g = graph(("staff", "son", roles.CHILD), ("son", "grandson", roles.CHILD))
    assert "grandson" in near_kin(g, "staff")


def test_near_miss_a_siblings_parent_may_be_a_step_parent_and_does_not_count() -> None:
    g = graph(
        ("staff", "half-sister", roles.SIBLING),
        ("half-sister", "her-father", roles.PARENT),
    )
    assert not are_near_kin(g, "staff", "her-father")
    kinds = {p.end: p.kind for p in second_degree(g, "staff")}
    assert kinds == {"her-father": "other"}


def test_near_miss_an_uncle_a_nephew_and_a_childs_spouse_are_not_near_kin() -> None:
    g = graph(
        ("staff", "father", roles.PARENT),
        ("father", "uncle", roles.SIBLING),
        ("staff", "sister", roles.SIBLING),
        ("sister", "nephew", roles.CHILD),
        ("staff", "son", roles.CHILD),
        ("son", "daughter-in-law", roles.SPOUSE),
    )
    assert near_kin(g, "staff") == {"father", "sister", "son"}
    assert in_law_kin(g, "staff") == frozenset()


def test_nothing_longer_than_two_steps_is_followed() -> None:
    g = graph(
        ("staff", "father", roles.PARENT),
        ("father", "grandad", roles.PARENT),
        ("grandad", "great-grandad", roles.PARENT),
    )
    assert "great-grandad" not in near_kin(g, "staff")


def test_a_relation_recorded_on_both_persons_is_one_step_each_way() -> None:
    g = graph(
        ("staff", "father", roles.PARENT),
        ("father", "staff", roles.CHILD),  # the inverse, as the domain records it
        ("father", "grandad", roles.PARENT),
        ("grandad", "father", roles.CHILD),
    )
    assert len(g.of("staff")) == 1
    assert len(g.of("father")) == 2
    (path,) = second_degree(g, "staff")
    assert (path.end, path.kind) == ("grandad", "derived")


def test_unknown_relations_and_self_links_are_ignored() -> None:
    g = graph(("a", "b", "表亲"), ("a", "a", roles.SPOUSE))
    assert direct_kin(g, "a") == frozenset()


def test_in_law_kin_leaves_out_those_who_are_also_own_kin() -> None:
    g = graph(
        ("staff", "wife", roles.SPOUSE),
        ("wife", "son", roles.CHILD),
        ("staff", "son", roles.CHILD),
        ("wife", "her-mother", roles.PARENT),
    )
    assert in_law_kin(g, "staff") == {"her-mother"}


people = st.sampled_from(["p0", "p1", "p2", "p3", "p4", "p5"])
links = st.lists(
    st.tuples(people, people, st.sampled_from(sorted(roles.RELATIONS))), max_size=12
)


@given(links, people, people)
def test_being_near_kin_is_symmetric_and_never_reflexive(
    raw: list[tuple[str, str, str]], a: str, b: str
) -> None:
    g = graph(*raw)
    assert are_near_kin(g, a, b) == are_near_kin(g, b, a)
    assert not are_near_kin(g, a, a)


@given(links, people)
def test_near_kin_holds_the_direct_kin_and_no_in_law(
    raw: list[tuple[str, str, str]], a: str
) -> None:
    g = graph(*raw)
    assert direct_kin(g, a) - {a} <= near_kin(g, a)
    assert not in_law_kin(g, a) & near_kin(g, a)
