"""Indicator pages: the list per plan with status against target, and one indicator with its history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from civsam.core.exports import FORMATS, tabular_response
from civsam.core.selectors import history_for

from .. import charts, computations, forms, indicator_status, permissions, selectors, services
from ..exports import INDICATOR_VALUE_COLUMNS


@login_not_required
def indicator_list(request, slug: str):
    plan = selectors.plan_with_tree(slug)
    series = selectors.plan_indicators(plan)
    context = {
        "plan": plan,
        "series": series,
        "rule": indicator_status.RULE_TEXT,
        "formats": FORMATS,
        "can_manage": permissions.can_manage_indicators(request.user),
    }
    return render(request, "plan/indicator_list.html", context)


@login_not_required
def indicator_export(request, slug: str, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    plan = selectors.plan_with_tree(slug)
    rows = [(s, point) for s in selectors.plan_indicators(plan) for point in s.points]
    return tabular_response(fmt, INDICATOR_VALUE_COLUMNS, rows, f"indikatorer-{plan.slug}")


def chart_for(series: selectors.IndicatorSeries, chart_id: str):
    ind = series.indicator
    return charts.indicator_chart(
        chart_id=chart_id,
        title=ind.name,
        years=[p.year for p in series.points],
        actual=[p.actual for p in series.points],
        target=[p.target for p in series.points],
        decimals=ind.decimals,
        unit=ind.unit,
    )


@login_not_required
def indicator_detail(request, code: str):
    indicator = selectors.indicator_by_code(code)
    if indicator is None:
        raise Http404
    can_manage = permissions.can_manage_indicators(request.user, indicator)
    value_form = forms.IndicatorValueForm(prefix="value")
    target_form = forms.IndicatorTargetForm(prefix="target")
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        which = request.POST.get("form")
        form = (
            forms.IndicatorValueForm(request.POST, prefix="value")
            if which == "value"
            else forms.IndicatorTargetForm(request.POST, prefix="target")
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                if which == "value":
                    services.indicator_value_set(actor=request.user, indicator=indicator, **data)
                else:
                    services.indicator_target_set(
                        actor=request.user, indicator=indicator, year=data["year"], value=data["value"]
                    )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("Indikatorn är uppdaterad."))
                return redirect(indicator.get_absolute_url())
        if which == "value":
            value_form = form
        else:
            target_form = form
    series = selectors.series_for(indicator)
    computation = computations.COMPUTATIONS.get(indicator.computation) if indicator.computation else None
    context = {
        "indicator": indicator,
        "series": series,
        "chart": chart_for(series, f"ind-{indicator.pk}") if series.points else None,
        "rule": indicator_status.RULE_TEXT,
        "history": history_for(indicator)[:100],
        "can_manage": can_manage and indicator.kind == indicator.Kind.MANUAL,
        "can_set_targets": can_manage,
        "value_form": value_form,
        "target_form": target_form,
        "computation": computation,
    }
    return render(request, "plan/indicator_detail.html", context)
