"""Other publishers' figures arranged to stand beside Civsam's (ADR 0129). Pure: no database; the
rows are whatever has `source`, `indicator`, `title`, `unit`, `area`, `year`, `value`, `citation`,
`url`, `published_on` and `imported_at` (models.ExternalFigure)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

KOLADA = "kolada"
NATIONAL = "scb-civil-society"
SWEDEN = "00"
# The national figures in the order the county page shows them.
NATIONAL_ORDER = ("organisations", "ideella-foreningar", "production", "value-added", "gdp-share")


def _by_indicator(rows: Iterable[Any], source: str) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for row in rows:
        if row.source == source:
            out.setdefault(row.indicator, []).append(row)
    return out


def _about(rows: Sequence[Any]) -> dict[str, Any]:
    newest = max(rows, key=lambda r: (r.year, r.imported_at))
    return {
        "indicator": newest.indicator,
        "title": newest.title,
        "unit": newest.unit,
        "citation": newest.citation,
        "url": newest.url,
        "published_on": newest.published_on,
        "imported_at": max(r.imported_at for r in rows),
    }


def median(values: Iterable[Decimal | None]) -> Decimal | None:
    known = [v for v in values if v is not None]
    return Decimal(statistics.median(known)) if known else None


def kolada_for_county(rows: Iterable[Any], year: int | None, names: Mapping[str, str]) -> list[dict[str, Any]]:
    """Per key figure: the municipalities' values in the year asked for (or the newest year the
    figure has, said so), highest first, and their median."""
    out = []
    for _indicator, found in sorted(_by_indicator(rows, KOLADA).items()):
        years = sorted({r.year for r in found})
        shown = year if year in years else years[-1]
        values = [r for r in found if r.year == shown and r.area in names]
        values.sort(key=lambda r: (-r.value, names[r.area]))
        out.append(
            _about(found)
            | {
                "year": shown,
                "other_year": shown != year,
                "rows": [{"code": r.area, "name": names[r.area], "value": r.value} for r in values],
                "median": median(r.value for r in values),
            }
        )
    return out


def kolada_for_municipality(rows: Iterable[Any], code: str, names: Mapping[str, str]) -> list[dict[str, Any]]:
    """Per key figure: the municipality's value year by year beside the median of the county's
    municipalities the same year."""
    out = []
    for _indicator, found in sorted(_by_indicator(rows, KOLADA).items()):
        series = []
        for year in sorted({r.year for r in found}):
            same_year = [r for r in found if r.year == year and r.area in names]
            own = next((r.value for r in same_year if r.area == code), None)
            series.append({"year": year, "value": own, "median": median(r.value for r in same_year)})
        out.append(_about(found) | {"series": series})
    return out


def national(rows: Iterable[Any], county_counts: Mapping[int, int | None]) -> dict[str, Any] | None:
    """Statistics Sweden's national figures year by year, with the county's count in Civsam for the
    same years where it is computed; None without national figures."""
    found = _by_indicator((r for r in rows if r.area == SWEDEN), NATIONAL)
    if not found:
        return None
    years = sorted({r.year for rs in found.values() for r in rs})
    indicators = []
    for indicator in sorted(found, key=lambda i: (NATIONAL_ORDER.index(i) if i in NATIONAL_ORDER else 99, i)):
        values = {r.year: r.value for r in found[indicator]}
        indicators.append(_about(found[indicator]) | {"values": [values.get(y) for y in years]})
    sources: dict[str, dict[str, Any]] = {}
    for rs in found.values():
        for r in rs:
            about = {"citation": r.citation.split(":")[0], "url": r.url, "year": r.year}
            sources.setdefault(r.url or r.citation, about)
    return {
        "years": years,
        "indicators": indicators,
        "county": [county_counts.get(y) for y in years],
        "sources": sorted(sources.values(), key=lambda s: -s["year"]),
    }
