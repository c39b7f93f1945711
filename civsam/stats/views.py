"""The public statistics pages: the county and each municipality, a page per figure, downloads.

Every number comes from the stored figures (models.Figure), never from counting the register in
the request; the page makes the same few queries whatever the register's size (ADR 0112)."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civsam.core.exports import FORMATS, Column, tabular_response
from civsam.core.loading import require
from civsam.core.models import Municipality

from . import charts, comparisons, figures, map_context, permissions, selectors, services
from .models import Figure

COUNTY = selectors.COUNTY
KEY_FIGURES = (
    "organisations",
    "founded",
    "ceased",
    "new-social-enterprises",
    "members",
    "network-memberships",
    "events",
    "participants",
    "new-collaborations",
    "initiatives",
    "cross-sector-initiatives",
    "grants",
    "grants-amount",
)
BREAKDOWNS = (figures.LEGAL_FORM, figures.ACTIVITY_CLASS, figures.ROLE, figures.SECTOR, figures.FLAG)


def _unit(definition: figures.FigureDefinition) -> str:
    return _("kronor") if definition.unit == figures.SEK else _("antal")


def _area(code: str) -> tuple[str, str]:
    """(code, name) of the county or a municipality; 404 for anything else."""
    if code == COUNTY:
        return COUNTY, _("Örebro län")
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        raise Http404
    return municipality.code, municipality.name


def _year(request, years: list[int]) -> int | None:
    """The year asked for, or the last whole year (the current one only counts so far)."""
    raw = request.GET.get("ar", "")
    if raw.isdigit() and int(raw) in years:
        return int(raw)
    whole = [y for y in years if y < timezone.localdate().year]
    return (whole or years or [None])[-1]


def _series(rows: dict[int, Figure], years: list[int], definition: figures.FigureDefinition) -> list[dict]:
    out = []
    previous = None
    current_year = timezone.localdate().year
    for year in years:
        row = rows.get(year)
        value = row.value if row else None
        out.append(
            {
                "year": year,
                "value": value,
                "suppressed": bool(row and row.suppressed),
                "population": row.population if row else None,
                "per_1000": figures.per_1000(value, row.population) if row and definition.per_1000 else None,
                # The current year is counted so far: no change against a whole year.
                "change": None if year >= current_year else figures.change(value, previous),
                "partial": year >= current_year,
            }
        )
        previous = value
    return out


# The figures counted among the organisations Civsam knows; the others count Civsam's own records.
ORGANISATION_FIGURES = frozenset({"organisations", "in-official-registers", "founded", "ceased"})


def coverage_note(figure: str) -> str:
    """What a figure covers, said beside it on every page that shows it."""
    if figure in ORGANISATION_FIGURES:
        return str(figures.COVERAGE_NOTE)
    return _("Räknat ur det som registrerats i Civsam; det som inte förs in här räknas inte.")


def _municipalities() -> list[Municipality]:
    return list(Municipality.objects.order_by("name_key"))


# The rendered figures of a page are kept until the figures or the external figures change (a new
# key then), like the grant statistics (issue #13): a day at most, in whatever cache is configured.
FRAGMENT_SECONDS = 24 * 60 * 60


@login_not_required
def statistics_area(request, area: str = COUNTY):
    """The county's or a municipality's page. The figures part is rendered once per computation,
    year and language and read from the cache after that; the page makes the same few queries
    whatever the data (ADR 0112, 0128)."""
    code, name = _area(area)
    years = selectors.years()
    year = _year(request, years)
    municipalities = _municipalities()
    computed_at = selectors.computed_at()
    context = {
        "area": code,
        "area_name": name,
        "is_county": code == COUNTY,
        "years": years,
        "year": year,
        "municipalities": municipalities,
        "computed_at": computed_at,
        "coverage_note": figures.COVERAGE_NOTE,
        "formats": FORMATS,
    }
    version = f"{computed_at.isoformat() if computed_at else '-'}|{selectors.external_version()}"
    key = "stats-area:" + hashlib.sha256(f"{code}|{year}|{version}|{get_language()}".encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "stats/_area_figures.html", context | _area_figures(code, name, years, year, municipalities)
        )
        cache.set(key, html, FRAGMENT_SECONDS)
    context["figures_html"] = mark_safe(html)  # noqa: S308 - our own template's output, rendered above or cached
    context["can_compute"] = permissions.can_compute_statistics(request.user)
    return render(request, "stats/area.html", context)


def _area_figures(code: str, name: str, years: list[int], year: int | None, municipalities: list[Municipality]) -> dict:
    """Everything the figures part of an area page shows, read from the stored rows."""
    rows = selectors.area_rows(code)
    names = {m.code: m.name for m in municipalities}
    external = selectors.external_rows()
    key_figures = []
    trends = []
    for figure_code in KEY_FIGURES:
        definition = figures.FIGURES[figure_code]
        series = _series(rows.get(figure_code, {}), years, definition)
        current = next((s for s in series if s["year"] == year), None)
        key_figures.append({"definition": definition, "current": current})
        trends.append(
            {
                "definition": definition,
                "series": series,
                "coverage": coverage_note(figure_code),
                "chart": charts.columns(
                    chart_id=f"trend-{figure_code}",
                    title=_("%(figure)s per år, %(area)s") % {"figure": definition.label, "area": name},
                    rows=[(str(s["year"]), s["value"]) for s in series],
                    unit=_unit(definition),
                )
                if series
                else None,
            }
        )
    organisations = _series(rows.get("organisations", {}), years, figures.FIGURES["organisations"])
    official = {r.year: r.value for r in rows.get("in-official-registers", {}).values()}
    for entry in organisations:
        entry["official"] = official.get(entry["year"])
        entry["official_share"] = figures.share(entry["official"], entry["value"])
    comparison = []
    if year is not None:
        for row in selectors.municipality_rows("organisations", year):
            comparison.append({"row": row, "per_1000": figures.per_1000(row.value, row.population)})
    # Per 1,000 inhabitants where the year's population is known, otherwise the counts.
    rated = any(c["per_1000"] is not None for c in comparison)
    municipality_map = (
        map_context.municipality_map(
            comparison=comparison, rated=rated, year=year, current=None if code == COUNTY else code
        )
        if year is not None
        else None
    )
    comparison.sort(key=lambda c: (-((c["per_1000"] if rated else c["row"].value) or 0), c["row"].label))
    return {
        "key_figures": key_figures,
        "trends": trends,
        "organisations": organisations,
        "per_1000_chart": charts.columns(
            chart_id="trend-per-1000",
            title=_("Organisationer per 1 000 invånare, %(area)s") % {"area": name},
            rows=[(str(s["year"]), s["per_1000"]) for s in organisations],
            unit=_("per 1 000 invånare"),
            decimals=2,
        )
        if organisations
        else None,
        "comparison": comparison,
        "comparison_rated": rated,
        "municipality_map": municipality_map,
        "county_code": COUNTY,
        "comparison_chart": charts.bars(
            chart_id="comparison",
            title=(
                _("Organisationer per 1 000 invånare %(year)s, kommunerna jämförda")
                if rated
                else _("Organisationer %(year)s, kommunerna jämförda (folkmängden för året saknas)")
            )
            % {"year": year},
            rows=[(c["row"].label, c["per_1000"] if rated else c["row"].value) for c in comparison],
            unit=_("per 1 000 invånare") if rated else _("antal"),
            decimals=2 if rated else 0,
            highlight=None if code == COUNTY else name,
        )
        if comparison
        else None,
        "breakdowns": _breakdowns(year) if code == COUNTY and year else [],
        "population_sources": selectors.population_sources(),
        "kolada": comparisons.kolada_for_county(external, year, names)
        if code == COUNTY
        else comparisons.kolada_for_municipality(external, code, names),
        "national": comparisons.national(external, {e["year"]: e["value"] for e in organisations})
        if code == COUNTY
        else None,
    }


def _breakdowns(year: int) -> list[dict]:
    out = []
    for dimension in BREAKDOWNS:
        rows = [r for r in selectors.breakdown("organisations", dimension, year) if r.value]
        rows.sort(key=lambda r: (-(r.value or 0), r.label))
        label = figures.DIMENSIONS[dimension]
        out.append(
            {
                "dimension": dimension,
                "label": label,
                "rows": rows,
                "chart": charts.bars(
                    chart_id=f"breakdown-{dimension}",
                    title=_("Organisationer %(year)s per %(dimension)s")
                    % {"year": year, "dimension": str(label).lower()},
                    rows=[(r.label, r.value) for r in rows],
                    unit=_("antal"),
                )
                if rows
                else None,
            }
        )
    return out


def _definition(code: str) -> figures.FigureDefinition:
    definition = figures.FIGURES.get(code)
    if definition is None:
        raise Http404
    return definition


@login_not_required
def statistics_figure(request, area: str, figure: str):
    """The permanent page of one figure for one area: every year, and the county's breakdowns."""
    code, name = _area(area)
    definition = _definition(figure)
    years = selectors.years()
    year = _year(request, years)
    series = _series(selectors.area_rows(code).get(figure, {}), years, definition)
    breakdowns = []
    if code == COUNTY and year is not None:
        for dimension in definition.dimensions:
            if dimension == figures.TOTAL:
                continue
            rows = selectors.breakdown(figure, dimension, year)
            breakdowns.append(
                {
                    "label": figures.DIMENSIONS[dimension],
                    "rows": [
                        {"row": r, "per_1000": figures.per_1000(r.value, r.population) if definition.per_1000 else None}
                        for r in rows
                    ],
                }
            )
    context = {
        "area": code,
        "area_name": name,
        "is_county": code == COUNTY,
        "definition": definition,
        "series": series,
        "chart": charts.columns(
            chart_id=f"figure-{figure}",
            title=_("%(figure)s per år, %(area)s") % {"figure": definition.label, "area": name},
            rows=[(str(s["year"]), s["value"]) for s in series],
            unit=_unit(definition),
        )
        if series
        else None,
        "year": year,
        "years": years,
        "breakdowns": breakdowns,
        "computed_at": selectors.computed_at(),
        "coverage_note": coverage_note(figure),
        "formats": FORMATS,
        "permalink": request.build_absolute_uri(
            reverse("stats:figure", args=[code, figure]) + (f"?ar={year}" if year else "")
        ),
    }
    return render(request, "stats/figure.html", context)


EXPORT_COLUMNS = [
    Column("figure", "uppgift", lambda f: f.figure),
    Column("dimension", "dimension", lambda f: f.dimension),
    Column("key", "nyckel", lambda f: f.key),
    Column("label", "namn", lambda f: f.label),
    Column("year", "år", lambda f: f.year),
    Column("value", "antal", lambda f: f.value),
    Column("suppressed", "dolt (under fem)", lambda f: f.suppressed),
    Column("population", "folkmängd", lambda f: f.population),
    Column("per_1000", "per 1 000 invånare", lambda f: figures.per_1000(f.value, f.population)),
    Column("computed_at", "beräknad", lambda f: timezone.localtime(f.computed_at).strftime("%Y-%m-%d %H:%M")),
]


@login_not_required
def statistics_figure_export(request, area: str, figure: str, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    code, _name = _area(area)
    _definition(figure)
    if code == COUNTY:
        rows = selectors.figure_rows(figure=figure)
    else:
        rows = selectors.figure_rows(figure=figure, municipality=code)
    return tabular_response(fmt, EXPORT_COLUMNS, rows.iterator(), f"statistik-{figure}-{code}")


@login_not_required
def statistics_all_export(request, fmt: str):
    """Every stored figure in one file: the statistics dataset of the open data catalogue."""
    if fmt not in FORMATS:
        raise Http404
    return tabular_response(fmt, EXPORT_COLUMNS, selectors.figure_rows().iterator(), "statistik-civilsamhallet")


@require_POST
def statistics_compute(request):
    require(permissions.can_compute_statistics(request.user))
    written = services.statistics_compute(actor=request.user)
    messages.success(request, _("Statistiken är beräknad på nytt (%(count)s uppgifter).") % {"count": written})
    return redirect("stats:county")
