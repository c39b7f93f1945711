"""Proxies indexed to the analysis's price year with the consumer price index (KPI) shipped with
the app (civsam/impact/data/kpi_1980_100.json, SCB's annual averages, 1980 = 100; source in the
file). Years the table lacks are reported, never guessed: such a proxy stays unindexed and the
guards say so.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

KPI_FILE = Path(__file__).resolve().parent.parent / "data" / "kpi_1980_100.json"


@functools.cache
def kpi_values() -> dict[int, float]:
    data = json.loads(KPI_FILE.read_text(encoding="utf-8"))
    return {int(year): float(value) for year, value in data["values"].items()}


def index_factor(from_year: int | None, to_year: int | None) -> float | None:
    """KPI(to_year) / KPI(from_year); 1 when either year is not given; None when the table lacks one."""
    if from_year is None or to_year is None or from_year == to_year:
        return 1.0
    table = kpi_values()
    if from_year not in table or to_year not in table:
        return None
    return table[to_year] / table[from_year]
