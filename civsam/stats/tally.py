"""Counting the yearly figures from what the database grouped: pure, no database (ADR 0128).

The snapshot job asks the database once per dimension for groups of rows with the same first year,
last year and key (a municipality, a legal form, ...) and how many rows each group has; these
functions turn the groups into a count per year and key, for every year asked for at once. A
thing that exists "from `start` until before `end`" is counted in every year y with
start <= y < end (end None: still there).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence

Span = tuple[int | None, int | None, Hashable, int]  # (start, end, key, how many)
Dated = tuple[int | None, Hashable, int]  # (year, key, how many)


def alive(groups: Iterable[Span], years: Sequence[int]) -> dict[int, Counter[Hashable]]:
    """{year: {key: how many existed at the end of the year}}. A group without a start year or a
    key is not counted (nothing is guessed); a key every year has no row for is simply absent."""
    out: dict[int, Counter[Hashable]] = {year: Counter() for year in years}
    for start, end, key, n in groups:
        if start is None or key is None or not n:
            continue
        for year in years:
            if start <= year and (end is None or end > year):
                out[year][key] += n
    return out


def dated(groups: Iterable[Dated], years: Sequence[int]) -> dict[int, Counter[Hashable]]:
    """{year: {key: how many happened in the year}} for things with one date (an event, a decision)."""
    out: dict[int, Counter[Hashable]] = {year: Counter() for year in years}
    for year, key, n in groups:
        if year in out and key is not None and n:
            out[year][key] += n
    return out


def cross_sector(sectors: Iterable[str | None]) -> bool:
    """True when the lead and the partners of an initiative come from at least two sectors."""
    return len({sector for sector in sectors if sector}) >= 2
