"""Indexing amounts between price years with the consumer price index (KPI, 1980=100). Pure: the
table is read from the data file shipped with the app and passed in; no database.

    index_value(Decimal("1000"), from_year=2015, to_year=2023, table=kpi_table().values)
    == Decimal("1000") × 403.70 / 313.35, rounded to öre
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.utils.translation import gettext as _

KPI_FILE = Path(__file__).parent / "data" / "kpi_1980_100.json"
ORE = Decimal("0.01")


class KpiYearMissing(ValueError):
    """The table has no annual average for a year that was asked for."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(_("KPI-tabellen saknar årsmedeltal för %(year)s.") % {"year": year})


@dataclass(frozen=True)
class KpiTable:
    name: str
    base_year: int
    publisher: str
    title: str
    url: str
    note: str
    values: Mapping[int, Decimal]

    @property
    def years(self) -> list[int]:
        return sorted(self.values)


def read_kpi_table(path: Path = KPI_FILE) -> KpiTable:
    data = json.loads(path.read_text(encoding="utf-8"))
    source = data["source"]
    return KpiTable(
        name=data["name"],
        base_year=int(data["baseYear"]),
        publisher=source["publisher"],
        title=source["title"],
        url=source["url"],
        note=data.get("note", ""),
        values={int(year): Decimal(value) for year, value in data["values"].items()},
    )


@functools.cache
def kpi_table() -> KpiTable:
    """The shipped table, read once per process."""
    return read_kpi_table()


def index_factor(from_year: int, to_year: int, table: Mapping[int, Decimal]) -> Decimal:
    """KPI(to_year) / KPI(from_year), unrounded."""
    for year in (from_year, to_year):
        if year not in table:
            raise KpiYearMissing(year)
    return table[to_year] / table[from_year]


def index_value(value: Decimal, *, from_year: int, to_year: int, table: Mapping[int, Decimal]) -> Decimal:
    """An amount in from_year's prices expressed in to_year's prices, rounded to öre (half up).

    Multiplying before dividing keeps the result exact to the öre for every amount below 10^20.
    """
    value = Decimal(value)
    if from_year == to_year:
        return value.quantize(ORE, rounding=ROUND_HALF_UP)
    for year in (from_year, to_year):
        if year not in table:
            raise KpiYearMissing(year)
    return (value * table[to_year] / table[from_year]).quantize(ORE, rounding=ROUND_HALF_UP)
