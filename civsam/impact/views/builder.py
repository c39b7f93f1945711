"""Building an analysis's impact map on its page: stakeholders, inputs and outcomes added, changed
and removed a row at a time, with the proxy library at hand and the figures recomputed after every
change; and the blank workbook to fill in instead, downloadable before anything is uploaded."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import mapedit, selectors, services
from ..engine.xlsx import write_template
from ..mapforms import FORMS, OutcomeForm, StartForm
from ..models import FinancialProxy, SocialValueAnalysis
from .common import editable_analysis

# The kinds of row as the addresses name them.
SLUGS = {"intressent": "stakeholder", "insats": "input", "utfall": "outcome"}
KIND_SLUGS = {kind: slug for slug, kind in SLUGS.items()}
PROXY_RESULTS = 10
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _kind(slug: str) -> str:
    if slug not in SLUGS:
        raise Http404
    return SLUGS[slug]


def _stakeholders(analysis: SocialValueAnalysis) -> list[tuple[str, str]]:
    return [(s["id"], s["name"]) for s in (analysis.impact_map or {}).get("stakeholders", [])]


def _picked_proxy(request, form) -> None:
    """?proxy=<id> fills the outcome form with that proxy from the library."""
    pk = request.GET.get("proxy", "")
    if pk.isdigit() and form is not None and hasattr(form, "use_proxy"):
        proxy = selectors.proxy_search(user=request.user).filter(pk=int(pk)).first()
        if proxy is not None:
            form.use_proxy(proxy)


def _proxy_context(request) -> dict:
    q = (request.GET.get("proxy_q") or "").strip()[:200]
    found: list[FinancialProxy] = list(selectors.proxy_search(user=request.user, q=q)[:PROXY_RESULTS]) if q else []
    return {"proxy_q": q, "proxies_found": found}


def _rows(analysis: SocialValueAnalysis) -> dict:
    document = analysis.impact_map or {}
    names = dict(_stakeholders(analysis))
    return {
        "stakeholders": document.get("stakeholders", []),
        "inputs": [
            {**row, "stakeholder_name": names.get(row["stakeholder"], "")} for row in document.get("inputs", [])
        ],
        "outcomes": [
            {**row, "stakeholder_name": names.get(row["stakeholder"], "")} for row in document.get("outcomes", [])
        ],
    }


def _build_page(request, analysis: SocialValueAnalysis, *, bound: dict | None = None, status: int = 200):
    stakeholders = _stakeholders(analysis)
    forms = {}
    if analysis.impact_map is None:
        forms["start"] = (bound or {}).get("start") or StartForm(prefix="start")
        _picked_proxy(request, forms["start"] if "start" not in (bound or {}) else None)
    else:
        for kind, form_class in FORMS.items():
            forms[kind] = (bound or {}).get(kind) or form_class(prefix=kind, stakeholders=stakeholders)
        if "outcome" not in (bound or {}):
            _picked_proxy(request, forms["outcome"])
    context = {
        "analysis": analysis,
        "forms": forms,
        "figures": selectors.analysis_results(analysis),
        "slugs": KIND_SLUGS,
        **_rows(analysis),
        **_proxy_context(request),
    }
    return render(request, "impact/analysis_build.html", context, status=status)


def _errors_to(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def analysis_build(request, pk: int):
    analysis = editable_analysis(request, pk)
    return _build_page(request, analysis)


@require_POST
def analysis_build_start(request, pk: int):
    analysis = editable_analysis(request, pk)
    form = StartForm(request.POST, prefix="start")
    if form.is_valid():
        values = form.values()
        stakeholder = values.pop("stakeholder")
        try:
            services.analysis_map_start(actor=request.user, analysis=analysis, stakeholder=stakeholder, outcome=values)
        except ValidationError as exc:
            _errors_to(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Effektkartan är påbörjad. Lägg till fler intressenter, insatser och utfall."))
            return redirect("impact:analysis-build", pk=analysis.pk)
    return _build_page(request, analysis, bound={"start": form}, status=400)


@require_POST
def analysis_build_add(request, pk: int, slug: str):
    kind = _kind(slug)
    analysis = editable_analysis(request, pk)
    if analysis.impact_map is None:
        return redirect("impact:analysis-build", pk=analysis.pk)
    form = FORMS[kind](request.POST, prefix=kind, stakeholders=_stakeholders(analysis))
    if form.is_valid():
        try:
            services.analysis_map_item_save(actor=request.user, analysis=analysis, kind=kind, values=form.values())
        except ValidationError as exc:
            _errors_to(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Raden är tillagd och analysen omräknad."))
            return redirect(reverse("impact:analysis-build", args=[analysis.pk]) + f"#h-{slug}")
    return _build_page(request, analysis, bound={kind: form}, status=400)


def analysis_build_item(request, pk: int, slug: str, item_id: str):
    """One row on a page of its own, to change it."""
    kind = _kind(slug)
    analysis = editable_analysis(request, pk)
    try:
        _index, row = mapedit.find(analysis.impact_map, kind, item_id)
    except mapedit.MapEditError:
        raise Http404 from None
    stakeholders = _stakeholders(analysis)
    if request.method == "POST":
        form = FORMS[kind](request.POST, prefix=kind, stakeholders=stakeholders)
        if form.is_valid():
            try:
                services.analysis_map_item_save(
                    actor=request.user,
                    analysis=analysis,
                    kind=kind,
                    values=form.values(),
                    item_id=item_id,
                    managed=form.managed(),
                )
            except ValidationError as exc:
                _errors_to(form, exc)
            else:
                messages.success(request, _("Ändringen är sparad och analysen omräknad."))
                return redirect(reverse("impact:analysis-build", args=[analysis.pk]) + f"#h-{slug}")
    else:
        form = FORMS[kind](prefix=kind, stakeholders=stakeholders, row=row)
        if isinstance(form, OutcomeForm):
            _picked_proxy(request, form)
    context = {
        "analysis": analysis,
        "form": form,
        "kind": kind,
        "slug": slug,
        "item_id": item_id,
        **_proxy_context(request),
    }
    return render(request, "impact/analysis_build_item.html", context, status=400 if form.errors else 200)


@require_POST
def analysis_build_remove(request, pk: int, slug: str, item_id: str):
    kind = _kind(slug)
    analysis = editable_analysis(request, pk)
    try:
        services.analysis_map_item_remove(actor=request.user, analysis=analysis, kind=kind, item_id=item_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Raden är borttagen och analysen omräknad."))
    return redirect(reverse("impact:analysis-build", args=[analysis.pk]) + f"#h-{slug}")


@login_not_required
def map_template(request):
    """The blank workbook in the importer's own layout, with a sheet of instructions."""
    buffer = io.BytesIO()
    write_template(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="effektkarta-mall.xlsx"'
    return response
