"""The grant statistics page: stored figures as charts with their table beneath, and exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civsam.core.exports import FORMATS, tabular_response
from civsam.core.loading import require

from .. import charts, permissions, selectors, services, statistics
from ..exports import FIGURE_COLUMNS, figures_for_export
from ..forms import FiguresForm
from ..models import GrantFigure, GrantForm


def _row(figure: GrantFigure) -> dict:
    return {
        "figure": figure,
        "per_inhabitant": statistics.per_inhabitant(figure.amount_granted, figure.population),
        "multi_year_share": statistics.share(figure.multi_year_amount, figure.amount_granted),
        "retained_share": statistics.share(figure.recipients_retained, figure.recipients_previous),
    }


FIGURES_CACHE_SECONDS = 24 * 3600
FIGURES_QUERY = {"dimension", "year"}


def _figures_cache_key(request, form, computed_at) -> str | None:
    """The rendered figures depend only on the stored figures (their computing time), the language
    and the chosen dimension and year; other queries (or a form in error) are not cached, so that
    the cache holds at most one page per dimension, year and language each time the job runs."""
    if computed_at is None or not set(request.GET) <= FIGURES_QUERY or (form.is_bound and form.errors):
        return None
    chosen = urlencode(sorted((k, request.GET[k]) for k in request.GET))
    return f"grant-statistics:{get_language()}:{computed_at.timestamp()}:{chosen}"


def _figures_context(form, years: list[int]) -> dict:
    data = getattr(form, "cleaned_data", {})
    dimension = data.get("dimension") or GrantFigure.Dimension.MUNICIPALITY
    year = data.get("year") or (years[-1] if years else None)
    dimension_label = GrantFigure.Dimension(dimension).label
    totals = [_row(f) for f in selectors.figures(dimension=GrantFigure.Dimension.TOTAL)]
    by_key = sorted(
        (_row(f) for f in selectors.figures(dimension=dimension, year=year)),
        key=lambda r: (-r["figure"].amount_granted, r["figure"].label),
    )
    forms_split = sorted(
        (_row(f) for f in selectors.figures(dimension=GrantFigure.Dimension.TOTAL, year=year, grant_form=None)),
        key=lambda r: -r["figure"].amount_granted,
    )
    year_total = next((r["figure"].amount_granted for r in totals if r["figure"].year == year), None)
    form_labels = dict(GrantForm.choices)
    return {
        "form": form,
        "year": year,
        "dimension": dimension,
        "dimension_label": dimension_label,
        "totals": totals,
        "by_key": by_key,
        "forms_split": [
            {
                **r,
                "label": form_labels.get(r["figure"].grant_form, r["figure"].grant_form),
                "share": statistics.share(r["figure"].amount_granted, year_total or 0),
            }
            for r in forms_split
        ],
        "chart_years": charts.bar_chart(
            chart_id="grants-per-year",
            title=_("Beviljade bidrag per år, hela länet"),
            rows=[(str(r["figure"].year), r["figure"].amount_granted) for r in totals],
            unit=_("kronor"),
        )
        if totals
        else None,
        "chart_key": charts.bar_chart(
            chart_id="grants-per-key",
            title=_("Beviljade bidrag %(year)s per %(dimension)s")
            % {"year": year, "dimension": str(dimension_label).lower()},
            rows=[(r["figure"].label, r["figure"].amount_granted) for r in by_key[:30]],
            unit=_("kronor"),
        )
        if by_key
        else None,
        "chart_forms": charts.bar_chart(
            chart_id="grants-per-form",
            title=_("Bidragsformer %(year)s, andel av beloppet") % {"year": year},
            rows=[
                (
                    form_labels.get(r["figure"].grant_form, ""),
                    statistics.share(r["figure"].amount_granted, year_total or 0),
                )
                for r in forms_split
            ],
            unit=_("procent"),
            decimals=1,
        )
        if forms_split
        else None,
    }


@login_not_required
def grant_statistics(request):
    """The figures are stored by the statistics job (ADR 0067) and change only when it runs, so
    their rendered tables and charts are cached per dimension, year and language until it runs
    again; a request then reads two small queries."""
    years = selectors.figure_years()
    form = FiguresForm(request.GET or None, years=years)
    form.is_valid()
    computed_at = selectors.figures_computed_at()
    key = _figures_cache_key(request, form, computed_at)
    figures_html = cache.get(key) if key else None
    if figures_html is None:
        figures_html = render_to_string("funding/_statistics_figures.html", _figures_context(form, years), request)
        if key:
            cache.set(key, figures_html, FIGURES_CACHE_SECONDS)
    context = {
        "computed_at": computed_at,
        "formats": FORMATS,
        "can_compute": permissions.can_compute_grant_figures(request.user),
        "figures_html": mark_safe(figures_html),  # noqa: S308 - our own template's output
    }
    return render(request, "funding/statistics.html", context)


@login_not_required
def grant_statistics_export(request, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    return tabular_response(fmt, FIGURE_COLUMNS, figures_for_export(), "bidragsstatistik")


@require_POST
def grant_statistics_compute(request):
    require(permissions.can_compute_grant_figures(request.user))
    count = services.grant_figures_compute()
    messages.success(request, _("Statistiken är beräknad på nytt (%(count)s rader).") % {"count": count})
    return redirect("funding:statistics")
