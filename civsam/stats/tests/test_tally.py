"""Counting every year at once from grouped spans (pure): the table, and the same as asking year by year."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civsam.stats import tally

YEARS = [2019, 2020, 2021, 2022]


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        # (start, end, key, n): existing from start until before end.
        ([(2020, None, "a", 2)], {2019: {}, 2020: {"a": 2}, 2021: {"a": 2}, 2022: {"a": 2}}),
        ([(2019, 2021, "a", 1)], {2019: {"a": 1}, 2020: {"a": 1}, 2021: {}, 2022: {}}),
        ([(2020, 2020, "a", 1)], {2019: {}, 2020: {}, 2021: {}, 2022: {}}),  # ceased the year it began
        ([(None, None, "a", 5), (2019, None, None, 5)], {y: {} for y in YEARS}),  # nothing guessed
        (
            [(1990, None, "a", 1), (2022, None, "b", 3)],
            {2019: {"a": 1}, 2020: {"a": 1}, 2021: {"a": 1}, 2022: {"a": 1, "b": 3}},
        ),
    ],
)
def test_alive(groups, expected):
    assert {year: dict(counts) for year, counts in tally.alive(groups, YEARS).items()} == expected


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        ([(2020, "a", 2), (2020, "a", 1), (2021, "b", 1)], {2019: {}, 2020: {"a": 3}, 2021: {"b": 1}, 2022: {}}),
        ([(2018, "a", 2), (None, "a", 1), (2020, None, 4)], {y: {} for y in YEARS}),
    ],
)
def test_dated(groups, expected):
    assert {year: dict(counts) for year, counts in tally.dated(groups, YEARS).items()} == expected


@pytest.mark.parametrize(
    ("sectors", "expected"),
    [
        (["public", "civil_society"], True),
        (["civil_society", "civil_society", None], False),
        ([None, "private", "social_economy"], True),
        ([], False),
    ],
)
def test_cross_sector(sectors, expected):
    assert tally.cross_sector(sectors) is expected


spans = st.lists(
    st.tuples(
        st.one_of(st.none(), st.integers(2010, 2030)),
        st.one_of(st.none(), st.integers(2010, 2030)),
        st.sampled_from(["a", "b", None]),
        st.integers(0, 5),
    ),
    max_size=30,
)


@given(spans, st.lists(st.integers(2015, 2028), min_size=1, max_size=6, unique=True))
def test_alive_is_asking_each_year_on_its_own(groups, years):
    counted = tally.alive(groups, years)
    for year in years:
        for key in ("a", "b"):
            expected = sum(
                n
                for start, end, k, n in groups
                if k == key and start is not None and start <= year and (end is None or year < end)
            )
            assert counted[year][key] == expected
