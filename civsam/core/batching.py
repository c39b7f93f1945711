"""Work in bounded pieces: any iterable in lists of at most `size` items, for executemany and
bulk_create (imports, demo data), so that memory stays flat however many rows there are."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Any iterable (a generator too) in lists of at most `size` items."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """A sequence in slices of at most `size` items, without copying it into lists first."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
