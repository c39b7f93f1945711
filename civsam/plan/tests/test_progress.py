"""The pure roll-up: table-driven cases and properties over generated trees of any depth."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civsam.plan.progress import MEAN, WEIGHTED, Node, Rolled, combine, roll_up


def leaf(key, value, weight=1.0):
    return Node(key, value, weight)


CASES = [
    # (description, tree, expected value at the root, expected leaves)
    ("single leaf", leaf("a", 40), 40, 1),
    ("leaf without value", leaf("a", None), None, 0),
    ("mean of two", Node("r", children=(leaf("a", 20), leaf("b", 60))), 40, 2),
    ("weighted 3:1", Node("r", method=WEIGHTED, children=(leaf("a", 100, 3), leaf("b", 0, 1))), 75, 2),
    ("mean ignores weights", Node("r", method=MEAN, children=(leaf("a", 100, 3), leaf("b", 0, 1))), 50, 2),
    ("empty child left out", Node("r", children=(leaf("a", 80), Node("empty"))), 80, 1),
    ("all children empty", Node("r", children=(Node("x"), Node("y"))), None, 0),
    (
        "zero weights fall back to mean",
        Node("r", method=WEIGHTED, children=(leaf("a", 10, 0), leaf("b", 30, 0))),
        20,
        2,
    ),
    (
        "three levels: mean of means, not of leaves",
        Node("r", children=(Node("p", children=(leaf("a", 0), leaf("b", 0), leaf("c", 90))), leaf("d", 90))),
        60,
        4,
    ),
    (
        "weights at an inner level",
        Node(
            "r",
            method=WEIGHTED,
            children=(Node("p", weight=2, children=(leaf("a", 30),)), Node("q", weight=1, children=(leaf("b", 90),))),
        ),
        50,
        2,
    ),
    ("inner own value replaced by children", Node("r", value=10, children=(leaf("a", 70),)), 70, 1),
    ("inner own value kept without children values", Node("r", value=10, children=(leaf("a", None),)), 10, 1),
]


@pytest.mark.parametrize(("description", "tree", "expected", "leaves"), CASES, ids=[c[0] for c in CASES])
def test_roll_up_cases(description, tree, expected, leaves):
    rolled = roll_up(tree)
    if expected is None:
        assert rolled.value is None
    else:
        assert rolled.value == pytest.approx(expected)
    assert rolled.leaves == leaves


def test_deep_chain_does_not_hit_the_recursion_limit():
    node = leaf("bottom", 37)
    for depth in range(5000):
        node = Node(f"n{depth}", children=(node,))
    assert roll_up(node).value == pytest.approx(37)


def test_find_returns_nested_nodes():
    rolled = roll_up(Node("r", children=(Node("p", children=(leaf("a", 20), leaf("b", 40))),)))
    assert rolled.find("p").value == pytest.approx(30)
    assert rolled.find("b").value == 40
    assert rolled.find("missing") is None


@pytest.mark.parametrize(
    ("values", "weights", "method", "expected"),
    [([], [], MEAN, None), ([50], [2], WEIGHTED, 50), ([0, 100], [1, 1], MEAN, 50), ([0, 100], [1, 9], WEIGHTED, 90)],
)
def test_combine(values, weights, method, expected):
    result = combine(values, weights, method)
    assert result == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize(
    "bad",
    [
        lambda: Node("x", value=101),
        lambda: Node("x", value=-1),
        lambda: Node("x", weight=-1),
        lambda: Node("x", method="median"),
    ],
)
def test_invalid_nodes_are_refused(bad):
    with pytest.raises(ValueError):
        bad()


values = st.one_of(st.none(), st.floats(min_value=0, max_value=100, allow_nan=False))
weights = st.floats(min_value=0, max_value=1000, allow_nan=False)
methods = st.sampled_from([MEAN, WEIGHTED])


def trees():
    counter = iter(range(10**9))
    return st.recursive(
        st.builds(lambda v, w: Node(f"k{next(counter)}", v, w), values, weights),
        lambda children: st.builds(
            lambda kids, w, m, v: Node(f"k{next(counter)}", v, w, m, tuple(kids)),
            st.lists(children, min_size=1, max_size=5),
            weights,
            methods,
            values,
        ),
        max_leaves=40,
    )


def _walk(rolled: Rolled):
    yield rolled
    for child in rolled.children:
        yield from _walk(child)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(trees())
def test_every_value_is_within_0_and_100_and_within_its_childrens_range(tree):
    rolled = roll_up(tree)
    for node in _walk(rolled):
        if node.value is not None:
            assert 0 <= node.value <= 100
        child_values = [c.value for c in node.children if c.value is not None]
        if child_values:
            assert min(child_values) - 1e-9 <= node.value <= max(child_values) + 1e-9
            assert node.leaves == sum(c.leaves for c in node.children if c.value is not None)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(trees())
def test_a_node_has_a_value_exactly_when_some_leaf_below_has_one_or_it_has_its_own(tree):
    def has_value(node: Node) -> bool:
        if not node.children:
            return node.value is not None
        return any(has_value(c) for c in node.children) or node.value is not None

    assert (roll_up(tree).value is not None) == has_value(tree)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=100, allow_nan=False), min_size=1, max_size=10), st.floats(0.1, 10))
def test_equal_weights_give_the_plain_mean(leaf_values, weight):
    children = tuple(leaf(f"l{i}", v, weight) for i, v in enumerate(leaf_values))
    weighted = roll_up(Node("r", method=WEIGHTED, children=children)).value
    plain = roll_up(Node("r", method=MEAN, children=children)).value
    assert weighted == pytest.approx(plain)
    assert plain == pytest.approx(sum(leaf_values) / len(leaf_values))
