"""Reads of the stored statistics: every page, download and API answer is served from these rows."""

from __future__ import annotations

import datetime

from django.db.models import Count, Max, QuerySet

from . import figures
from .models import ExternalFigure, Figure, Population

COUNTY = "18"


def years() -> list[int]:
    return list(Figure.objects.order_by("year").values_list("year", flat=True).distinct())


def computed_at() -> datetime.datetime | None:
    return Figure.objects.aggregate(at=Max("computed_at"))["at"]


def area_filter(area: str) -> dict[str, str]:
    """The rows that describe an area: the county's totals or one municipality's."""
    if area == COUNTY:
        return {"dimension": figures.TOTAL}
    return {"dimension": figures.MUNICIPALITY, "key": area}


def area_rows(area: str) -> dict[str, dict[int, Figure]]:
    """{figure code: {year: row}} for an area, every figure and year, in one query."""
    found: dict[str, dict[int, Figure]] = {}
    for row in Figure.objects.filter(**area_filter(area)).order_by("year"):
        found.setdefault(row.figure, {})[row.year] = row
    return found


def breakdown(figure: str, dimension: str, year: int) -> list[Figure]:
    return list(Figure.objects.filter(figure=figure, dimension=dimension, year=year).order_by("label", "key"))


def municipality_rows(figure: str, year: int) -> list[Figure]:
    return breakdown(figure, figures.MUNICIPALITY, year)


def figure_rows(
    *,
    figure: str | None = None,
    municipality: str | None = None,
    year: int | None = None,
    dimension: str | None = None,
) -> QuerySet[Figure]:
    """The rows the API and the downloads give, filtered; a municipality means its own rows."""
    qs = Figure.objects.all()
    if figure:
        qs = qs.filter(figure=figure)
    if municipality:
        qs = qs.filter(dimension=figures.MUNICIPALITY, key=municipality)
    if dimension:
        qs = qs.filter(dimension=dimension)
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("figure", "dimension", "key", "year", "id")


def external_rows() -> list[ExternalFigure]:
    """Every stored figure from other publishers (Kolada per municipality, SCB's national figures),
    in one query: a few hundred rows at most, whatever the register's size."""
    return list(ExternalFigure.objects.order_by("source", "indicator", "year", "area"))


def population_sources() -> dict[int, dict]:
    """{year: {"source": ..., "imported_at": ...}}: where each year's population came from."""
    found: dict[int, dict] = {}
    for row in Population.objects.values("year", "source").annotate(at=Max("imported_at")).order_by("year", "-at"):
        found.setdefault(row["year"], {"source": row["source"], "imported_at": row["at"]})
    return found


def external_version() -> str:
    """When the external figures or the population were last read in: part of the key under which
    a page's rendered figures are kept."""
    external = ExternalFigure.objects.aggregate(at=Max("imported_at"), n=Count("id"))
    population = Population.objects.aggregate(at=Max("imported_at"), n=Count("id"))
    return f"{external['at']}/{external['n']}|{population['at']}/{population['n']}"
