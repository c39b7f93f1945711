"""The analyses: the list with its download, the report, the impact map's downloads, and the forms
for writing, submitting and reviewing."""

from __future__ import annotations

import io
import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civsam.core.exports import FORMATS, Column, tabular_response
from civsam.core.loading import require
from civsam.core.privacy import personal_data

from .. import permissions, selectors, services
from ..engine import parse_impact_map
from ..engine.xlsx import write_xlsx
from ..forms import AnalysisForm, ReviewForm
from ..models import SocialValueAnalysis
from ..rendering import REPORT_TEMPLATE, report_context
from .common import editable_analysis, errors_to_form, login_when_denied, owned_analysis, visible_analysis

Status = SocialValueAnalysis.Status


@login_not_required
def analysis_list(request):
    page = Paginator(selectors.analyses_published(), 20).get_page(request.GET.get("page"))
    to_review: list[SocialValueAnalysis] = []
    mine: list[SocialValueAnalysis] = []
    if request.user.is_authenticated:
        to_review = list(selectors.analyses_to_review(user=request.user)[:100])
        waiting = {analysis.pk for analysis in to_review}
        mine = [a for a in selectors.analyses_mine(user=request.user)[:100] if a.pk not in waiting]
    context = {
        "page": page,
        "to_review": to_review,
        "mine": mine,
        "can_create": permissions.can_create_analysis(request.user),
        "formats": FORMATS,
    }
    return render(request, "impact/analysis_list.html", context)


def _owner_code(analysis: SocialValueAnalysis) -> str:
    """Organisationsnummer, kommunkod, or for the Region its county code (länskod)."""
    if analysis.owner_region:
        return settings.CIVSAM["COUNTY_CODE"]
    if analysis.owner_organisation_id:
        return analysis.owner_organisation.orgnr
    return analysis.owner_municipality.code


def _result(analysis: SocialValueAnalysis, key: str) -> Any:
    return (analysis.results or {}).get(key)


@login_not_required
def analysis_export(request, fmt: str):
    """The published analyses as on the list page, with their key figures: CSV, XLSX or JSON."""
    if fmt not in FORMATS:
        raise Http404
    columns = [
        Column("id", _("Id"), lambda a: a.pk),
        Column("titel", _("Titel"), lambda a: a.title),
        Column("agare", _("Ägare"), lambda a: str(a.owner)),
        Column(
            "agarkod",
            _("Organisationsnummer, kommunkod eller länskod"),
            lambda a: _owner_code(a),
        ),
        Column("valuta", _("Valuta"), lambda a: _result(a, "currency")),
        Column("insatser", _("Totala insatser"), lambda a: _result(a, "totalInputs")),
        Column("nuvarde", _("Totalt nuvärde"), lambda a: _result(a, "totalPresentValue")),
        Column("nettonuvarde", _("Nettonuvärde"), lambda a: _result(a, "netPresentValue")),
        Column("sroi_kvot", _("SROI-kvot"), lambda a: _result(a, "sroiRatio")),
        Column("diskonteringsranta", _("Diskonteringsränta (%)"), lambda a: _result(a, "discountRate")),
        Column(
            "omraden",
            _("Prioriterade aktivitetsområden"),
            lambda a: "; ".join(f"{area.code} ({area.focus_area.plan.slug})" for area in a.priority_areas.all()),
        ),
        Column(
            "insats_id",
            _("Id för insatser i handlingsplanen"),
            lambda a: [initiative.pk for initiative in a.initiatives.all()],
        ),
        Column(
            "insatser_i_planen",
            _("Insatser i handlingsplanen"),
            lambda a: [initiative.title for initiative in a.initiatives.all()],
        ),
        Column(
            "publicerad",
            _("Publicerad"),
            lambda a: timezone.localdate(a.published_at).isoformat() if a.published_at else "",
        ),
        Column("adress", _("Adress"), lambda a: request.build_absolute_uri(a.get_absolute_url())),
    ]
    return tabular_response(fmt, columns, selectors.analyses_published(), "samhallsnyttoanalyser")


@login_not_required
@login_when_denied
@personal_data
def analysis_detail(request, pk: int):
    analysis = visible_analysis(request, pk)
    return render(request, REPORT_TEMPLATE, report_context(request.user, analysis))


@login_not_required
@login_when_denied
def analysis_map(request, pk: int, fmt: str):
    if fmt not in ("xlsx", "json"):
        raise Http404
    analysis = visible_analysis(request, pk)
    if analysis.impact_map is None:
        raise Http404
    filename = f"effektkarta-{analysis.pk}.{fmt}"
    if fmt == "json":
        body = json.dumps(analysis.impact_map, ensure_ascii=False, indent=2).encode("utf-8")
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        _map, document = parse_impact_map(analysis.impact_map)
        buffer = io.BytesIO()
        write_xlsx(document, buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def analysis_create(request):
    require(permissions.can_create_analysis(request.user))
    form = AnalysisForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            analysis = services.analysis_create(
                actor=request.user, impact_map=form.cleaned_data["impact_map_file"], **form.service_fields()
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error("owner", str(exc))
        else:
            messages.success(request, _("Utkastet är sparat."))
            return redirect(analysis)
    return render(request, "impact/analysis_form.html", {"form": form, "analysis": None})


def analysis_edit(request, pk: int):
    analysis = editable_analysis(request, pk)
    form = AnalysisForm(request.POST or None, request.FILES or None, user=request.user, analysis=analysis)
    if request.method == "POST" and form.is_valid():
        new_map = form.cleaned_data["impact_map_file"]
        # No file uploaded: the analysis keeps its map.
        extra = {"impact_map": new_map} if new_map is not None else {}
        try:
            analysis = services.analysis_update(actor=request.user, analysis=analysis, **form.service_fields(), **extra)
        except ValidationError as exc:
            errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error("owner", str(exc))
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(analysis)
    return render(request, "impact/analysis_form.html", {"form": form, "analysis": analysis})


@require_POST
def analysis_submit(request, pk: int):
    analysis = owned_analysis(request, pk)
    try:
        services.analysis_transition(actor=request.user, analysis=analysis, to_status=Status.IN_REVIEW)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request,
            _("Analysen är skickad för granskning. En bedömare eller en annan person med behörighet granskar den."),
        )
    return redirect(analysis)


def analysis_review(request, pk: int):
    analysis = get_object_or_404(SocialValueAnalysis, pk=pk)
    if analysis.status == Status.IN_REVIEW and permissions.is_own_analysis(request.user, analysis):
        # The author is sent back to the report with the reason, not refused without one.
        messages.error(request, _("Du kan inte granska en analys som du själv har skrivit eller skickat in."))
        return redirect(analysis)
    require(permissions.can_review_analysis(request.user, analysis))
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.analysis_transition(
                actor=request.user,
                analysis=analysis,
                to_status=Status.PUBLISHED if approve else Status.DRAFT,
                comment=form.cleaned_data["comment"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            if approve:
                messages.success(request, _("Analysen är godkänd och publicerad."))
            else:
                messages.success(request, _("Analysen är skickad tillbaka till författaren."))
            return redirect(analysis)
    return render(request, "impact/analysis_review.html", {"form": form, "analysis": analysis})
