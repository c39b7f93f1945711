"""The arithmetic done on read and the charts: pure, table-driven."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civsam.stats import charts, figures


@pytest.mark.parametrize(
    ("value", "population", "expected"),
    [
        (308, 308_116, Decimal("1.00")),
        (1000, 159_348, Decimal("6.28")),
        (0, 5497, Decimal("0.00")),
        (5, None, None),
        (5, 0, None),
        (None, 1000, None),
    ],
)
def test_per_1000(value, population, expected):
    assert figures.per_1000(value, population) == expected


@pytest.mark.parametrize(
    ("value", "person_based", "expected"),
    [
        (0, True, (0, False)),
        (1, True, (None, True)),
        (4, True, (None, True)),
        (5, True, (5, False)),
        (3, False, (3, False)),
    ],
)
def test_person_based_cells_under_five_are_hidden(value, person_based, expected):
    assert figures.suppress(value, person_based=person_based) == expected


@given(st.integers(min_value=0, max_value=10**6))
def test_a_published_person_count_is_zero_or_at_least_five(value):
    shown, hidden = figures.suppress(value, person_based=True)
    assert hidden == (shown is None)
    assert shown is None or shown == 0 or shown >= figures.SUPPRESS_BELOW


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [(110, 100, Decimal("10.0")), (90, 100, Decimal("-10.0")), (5, 0, None), (None, 3, None), (1, 3, Decimal("-66.7"))],
)
def test_change_from_the_year_before(current, previous, expected):
    assert figures.change(current, previous) == expected


def test_every_figure_has_the_total_and_known_dimensions():
    for definition in figures.FIGURES.values():
        assert definition.dimensions[0] == figures.TOTAL
        assert set(definition.dimensions) <= set(figures.DIMENSIONS)


def test_charts_write_every_value_and_mark_the_highlight_without_colour():
    svg = charts.bars(
        chart_id="c",
        title="T",
        rows=[("Kumla", Decimal("9.5")), ("Örebro", Decimal("7.25"))],
        unit="u",
        decimals=2,
        highlight="Örebro",
    )
    assert "▶ Örebro" in svg and "9,50" in svg and "7,25" in svg and 'role="img"' in svg
    trend = charts.columns(chart_id="t", title="T", rows=[("2024", 10), ("2025", None)], unit="antal")
    assert "2024" in trend and "–" in trend and "<title" in trend
