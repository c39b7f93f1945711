"""Progress roll-up over a tree of any depth. Pure: no database, no Django.

A leaf carries its own progress (0–100) or none. An inner node's progress is combined from the
children that have a value, by the node's own method:

- ``mean``: the plain mean of the children's values;
- ``weighted``: the mean weighted by each child's weight (weights are positive; if every weight
  is zero the plain mean is used, so that a node is never left without a value by its weights).

Children without a value (an area where nothing is registered yet) are left out rather than
counted as 0, so that an empty area does not drag its parent down; the node records how many
leaves its value rests on. An inner node's own value, if it has one, is ignored once it has
children with values: the children are the better evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

MEAN = "mean"
WEIGHTED = "weighted"
METHODS = (MEAN, WEIGHTED)


@dataclass(frozen=True)
class Node:
    key: str
    value: float | None = None
    weight: float = 1.0
    method: str = MEAN
    children: Sequence[Node] = ()

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"unknown roll-up method {self.method!r}")
        if self.weight < 0:
            raise ValueError("weights must not be negative")
        if self.value is not None and not 0 <= self.value <= 100:
            raise ValueError("progress must be within 0–100")


@dataclass(frozen=True)
class Rolled:
    key: str
    value: float | None
    weight: float
    leaves: int  # leaves with a value that the value rests on
    children: tuple[Rolled, ...] = field(default=())

    def find(self, key: str) -> Rolled | None:
        """The node with this key anywhere below (or at) this one."""
        stack = [self]
        while stack:
            node = stack.pop()
            if node.key == key:
                return node
            stack.extend(node.children)
        return None


def combine(values: Sequence[float], weights: Sequence[float], method: str) -> float | None:
    if not values:
        return None
    if method == WEIGHTED:
        total = sum(weights)
        if total > 0:
            result = sum(v * w for v, w in zip(values, weights, strict=True)) / total
            # Guard the bounds against floating-point drift.
            return min(max(result, min(values)), max(values))
    return sum(values) / len(values)


def roll_up(node: Node) -> Rolled:
    """Iterative post-order walk, so that depth is limited by memory, not by the call stack."""
    done: dict[int, Rolled] = {}
    stack: list[tuple[Node, bool]] = [(node, False)]
    while stack:
        current, expanded = stack.pop()
        if not current.children:
            done[id(current)] = Rolled(current.key, current.value, current.weight, int(current.value is not None))
            continue
        if not expanded:
            stack.append((current, True))
            stack.extend((child, False) for child in current.children)
            continue
        rolled_children = tuple(done[id(child)] for child in current.children)
        with_value = [child for child in rolled_children if child.value is not None]
        values = [c.value for c in rolled_children if c.value is not None]  # with_value's, typed as numbers
        value = combine(values, [c.weight for c in with_value], current.method)
        if value is None:
            value = current.value
        leaves = sum(c.leaves for c in with_value) or int(value is not None)
        done[id(current)] = Rolled(current.key, value, current.weight, leaves, rolled_children)
    return done[id(node)]
