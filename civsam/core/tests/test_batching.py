"""core/batching.py: bounded pieces of any iterable, in order, none empty, none lost."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civsam.core.batching import batches, chunks


@pytest.mark.parametrize(
    ("items", "size", "expected"),
    [
        ([], 3, []),
        ([1, 2], 3, [[1, 2]]),
        ([1, 2, 3], 3, [[1, 2, 3]]),
        ([1, 2, 3, 4], 3, [[1, 2, 3], [4]]),
        ([1, 2, 3, 4, 5], 2, [[1, 2], [3, 4], [5]]),
    ],
)
def test_batches_and_chunks(items, size, expected):
    assert list(batches(iter(items), size)) == expected  # a generator is read once, lazily
    assert list(chunks(items, size)) == expected


@given(items=st.lists(st.integers(), max_size=50), size=st.integers(1, 7))
def test_pieces_keep_every_item_in_order(items, size):
    pieces = list(batches(items, size))
    assert [item for piece in pieces for item in piece] == items
    assert all(0 < len(piece) <= size for piece in pieces)
    assert list(chunks(items, size)) == pieces
