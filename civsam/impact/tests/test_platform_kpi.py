"""KPI indexing: the shipped table and the pure function that moves an amount between price years."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civsam.impact.kpi import KPI_FILE, KpiYearMissing, index_factor, index_value, kpi_table, read_kpi_table

TABLE = {1980: Decimal("100.00"), 2015: Decimal("313.35"), 2020: Decimal("335.92"), 2023: Decimal("403.70")}


@pytest.mark.parametrize(
    ("value", "from_year", "to_year", "expected"),
    [
        # Same year: unchanged, rounded to öre.
        ("1000", 2020, 2020, "1000.00"),
        ("99.995", 2023, 2023, "100.00"),
        # 1 000 × 403.70 / 335.92 = 1 201.774...
        ("1000", 2020, 2023, "1201.77"),
        # and back: 1 000 × 335.92 / 403.70 = 832.103...
        ("1000", 2023, 2020, "832.10"),
        # 1980 is the base: the index itself.
        ("100", 1980, 2015, "313.35"),
        ("313.35", 2015, 1980, "100.00"),
        # Prisbasbelopp 2020 (47 300) in 2023 prices: 47 300 × 403.70 / 335.92 = 56 843.921...
        ("47300", 2020, 2023, "56843.92"),
        ("0", 2015, 2023, "0.00"),
        # A negative amount (a cost) indexes the same way.
        ("-250", 2015, 2023, "-322.08"),
    ],
)
def test_index_value(value, from_year, to_year, expected):
    assert index_value(Decimal(value), from_year=from_year, to_year=to_year, table=TABLE) == Decimal(expected)


@pytest.mark.parametrize(("from_year", "to_year", "missing"), [(2019, 2023, 2019), (2020, 2024, 2024)])
def test_a_year_outside_the_table_is_refused_in_swedish(from_year, to_year, missing):
    with pytest.raises(KpiYearMissing) as info:
        index_value(Decimal("1"), from_year=from_year, to_year=to_year, table=TABLE)
    assert info.value.year == missing
    assert str(info.value) == f"KPI-tabellen saknar årsmedeltal för {missing}."


def test_the_shipped_table_names_its_source_and_has_only_checked_years():
    table = read_kpi_table(KPI_FILE)
    assert table.publisher == "Statistiska centralbyrån (SCB)"
    assert "1980=100" in table.name and table.url.startswith("https://www.scb.se/")
    assert table.base_year == 1980 and table.values[1980] == Decimal("100.00")
    # The years that were checked against SCB's table; a year added later must be checked too.
    assert table.years == [1980, *range(2006, 2024)]
    assert table.values[2023] == Decimal("403.70") and table.values[2006] == Decimal("284.22")
    assert all(value.as_tuple().exponent == -2 for value in table.values.values())
    assert kpi_table() is kpi_table()


def test_factor_is_the_ratio_of_the_annual_averages():
    assert index_factor(2015, 2023, TABLE) == Decimal("403.70") / Decimal("313.35")
    with pytest.raises(KpiYearMissing):
        index_factor(1979, 2023, TABLE)


years = st.sampled_from(sorted(TABLE))
amounts = st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2, allow_nan=False)


@given(amounts, years, years)
def test_there_and_back_is_within_rounding(value, from_year, to_year):
    there = index_value(value, from_year=from_year, to_year=to_year, table=TABLE)
    back = index_value(there, from_year=to_year, to_year=from_year, table=TABLE)
    # Each step rounds to half an öre; the way back scales the first error by at most 4.1.
    assert abs(back - value) <= Decimal("0.03")


@given(amounts, years, years, years)
def test_indexing_in_two_steps_matches_one_step_within_rounding(value, first, middle, last):
    direct = index_value(value, from_year=first, to_year=last, table=TABLE)
    via = index_value(
        index_value(value, from_year=first, to_year=middle, table=TABLE), from_year=middle, to_year=last, table=TABLE
    )
    assert abs(direct - via) <= Decimal("0.03")
