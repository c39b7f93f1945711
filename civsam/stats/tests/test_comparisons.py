"""Other publishers' figures arranged beside Civsam's (pure)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from civsam.stats import comparisons

AT = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
NAMES = {"1880": "Örebro", "1881": "Kumla", "1814": "Lekeberg"}


def row(area, year, value, indicator="N09022", source="kolada"):
    return SimpleNamespace(
        source=source,
        indicator=indicator,
        title=f"Titel {indicator}",
        unit="kr/inv",
        area=area,
        year=year,
        value=None if value is None else Decimal(value),
        citation=f"Källa: {source}: mer",
        url=f"https://example.se/{indicator}",
        published_on=None,
        imported_at=AT,
    )


ROWS = [
    row("1880", 2022, 1000),
    row("1881", 2022, 3000),
    row("1814", 2022, 2000),
    row("1880", 2023, 1100),
    row("1881", 2023, 900),
    row("00", 2023, 5, indicator="gdp-share", source="scb-civil-society"),
]


@pytest.mark.parametrize(
    ("year", "shown", "other", "order", "median"),
    [
        (2022, 2022, False, ["Kumla", "Lekeberg", "Örebro"], Decimal(2000)),
        (2023, 2023, False, ["Örebro", "Kumla"], Decimal(1000)),
        (2025, 2023, True, ["Örebro", "Kumla"], Decimal(1000)),  # no values that year: the newest, said so
    ],
)
def test_the_county_sees_every_municipality_in_a_year(year, shown, other, order, median):
    (table,) = comparisons.kolada_for_county(ROWS, year, NAMES)
    assert (table["year"], table["other_year"], table["median"]) == (shown, other, median)
    assert [r["name"] for r in table["rows"]] == order


def test_a_municipality_sees_its_values_beside_the_county_median():
    (table,) = comparisons.kolada_for_municipality(ROWS, "1814", NAMES)
    assert table["series"] == [
        {"year": 2022, "value": Decimal(2000), "median": Decimal(2000)},
        {"year": 2023, "value": None, "median": Decimal(1000)},
    ]
    assert table["citation"].startswith("Källa: kolada") and table["imported_at"] == AT


def test_the_national_figures_with_the_county_beside_them():
    national = comparisons.national(ROWS, {2023: 40, 2022: 38})
    assert national["years"] == [2023]
    assert national["indicators"][0]["values"] == [Decimal(5)] and national["county"] == [40]
    assert national["sources"] == [{"citation": "Källa", "url": "https://example.se/gdp-share", "year": 2023}]
    assert comparisons.national(ROWS[:3], {}) is None
