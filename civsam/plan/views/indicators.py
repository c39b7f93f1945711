"""Indicator pages: the list per plan with status against target, one indicator with its targets, values
and history, and (for the coordinator) defining and editing indicators."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from civsam.core.exports import FORMATS, tabular_response
from civsam.core.history import readable_changes
from civsam.core.loading import require
from civsam.core.selectors import history_for

from .. import charts, computations, forms, indicator_status, loaders, permissions, selectors, services
from ..exports import INDICATOR_VALUE_COLUMNS
from ..forms import IndicatorForm
from ..models import Indicator


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
        require(can_manage)
        which = request.POST.get("form")
        if which == "value-clear":
            return _value_clear(request, indicator)
        # A target row's "remove" button posts the target form with the year and an empty value.
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
                    done = _("Utfallet för %(year)s är sparat.") % {"year": data["year"]}
                else:
                    services.indicator_target_set(
                        actor=request.user, indicator=indicator, year=data["year"], value=data["value"]
                    )
                    done = (
                        _("Målvärdet för %(year)s är sparat.")
                        if data["value"] is not None
                        else _("Målvärdet för %(year)s är borttaget.")
                    ) % {"year": data["year"]}
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, done)
                return redirect(indicator.get_absolute_url())
        if which == "value":
            value_form = form
        else:
            target_form = form
    series = selectors.series_for(indicator)
    computation = computations.get(indicator.computation) if indicator.computation else None
    latest = series.latest
    context = {
        "indicator": indicator,
        "series": series,
        "latest": latest,
        "latest_percent": latest.covered_percent(indicator) if latest else None,
        "chart": chart_for(series, f"ind-{indicator.pk}") if series.points else None,
        "rule": indicator_status.RULE_TEXT,
        "history": indicator_timeline(history_for(indicator)[:100]),
        "value_history": selectors.value_history(indicator),
        "can_manage": can_manage and indicator.kind == indicator.Kind.MANUAL,
        "can_set_targets": can_manage,
        "can_edit": can_manage,
        "value_form": value_form,
        "target_form": target_form,
        "computation": computation,
        # A computation that is no longer registered (its app removed): the page says so.
        "computation_missing": computations.unknown_reason(indicator.computation)
        if indicator.computation and computation is None
        else "",
    }
    return render(request, "plan/indicator_detail.html", context)


def indicator_delete(request, code: str):
    """Confirm, then remove an indicator; its history stays in the audit log."""
    indicator = loaders.managed_indicator(request.user, code)
    if request.method == "POST":
        plan_slug, name = indicator.plan.slug, indicator.name
        services.indicator_delete(actor=request.user, indicator=indicator)
        messages.success(request, _("Indikatorn ”%(name)s” är borttagen.") % {"name": name})
        return redirect("plan:indicator-list", plan_slug)
    context = {"indicator": indicator, "values": indicator.values.count(), "targets": indicator.targets.count()}
    return render(request, "plan/indicator_delete.html", context)


def _value_clear(request, indicator):
    """A value row's "remove" button: the year comes from the row, the removed value stays in the history."""
    try:
        year = int(request.POST.get("year", ""))
        removed = services.indicator_value_clear(actor=request.user, indicator=indicator, year=year)
    except (ValueError, ValidationError):
        messages.error(request, _("Utfallet kunde inte tas bort: året är ogiltigt eller indikatorn är beräknad."))
    else:
        if removed:
            messages.success(request, _("Utfallet för %(year)s är borttaget.") % {"year": year})
        else:
            messages.info(request, _("Det fanns inget utfall för %(year)s att ta bort.") % {"year": year})
    return redirect(indicator.get_absolute_url())


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def indicator_create(request, slug: str):
    plan = selectors.plan_with_tree(slug)
    require(permissions.can_manage_indicators(request.user))
    form = IndicatorForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_create(actor=request.user, plan=plan, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_errors(exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Indikatorn är skapad. Sätt målvärden och för in utfall nedan."))
            return redirect(indicator.get_absolute_url())
    return render(request, "plan/indicator_form.html", {"form": form, "plan": plan, "indicator": None})


def indicator_edit(request, code: str):
    indicator = loaders.managed_indicator(request.user, code)
    plan = selectors.plan_with_tree(indicator.plan.slug)
    form = IndicatorForm(
        request.POST or None, plan=plan, indicator=indicator, initial=IndicatorForm.initial_for(indicator)
    )
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.indicator_update(actor=request.user, indicator=indicator, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_errors(exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Ändringarna är sparade.") if updated.changes else _("Inget ändrades."))
            return redirect(indicator.get_absolute_url())
    return render(request, "plan/indicator_form.html", {"form": form, "plan": plan, "indicator": indicator})


_YEAR_VALUE = re.compile(r"^(\d{4}) value$")
_YEAR_TARGET = re.compile(r"^target (\d{4})$")


def indicator_timeline(entries) -> list[dict]:
    """The indicator's audit entries in words: "Utfall 2023: 7 → 9", not "2023 value: 7.0000 → 9"."""
    labels = {"values": _("utfall"), "targets": _("mål")}
    rows = []
    for entry in entries:
        names = dict(labels)
        for key in entry.changes or {}:
            if match := _YEAR_VALUE.match(key):
                names[key] = _("Utfall %(year)s") % {"year": match.group(1)}
            elif match := _YEAR_TARGET.match(key):
                names[key] = _("Mål %(year)s") % {"year": match.group(1)}
        changes = readable_changes(Indicator, entry.changes, labels=names)
        rows.append({"at": entry.at, "action": entry.get_action_display(), "changes": changes})
    return rows
