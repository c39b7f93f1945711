"""Pages for social value: the proxy library and the analyses with their reports."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civsam.core.exports import FORMATS, Column, tabular_response
from civsam.core.rendering import anonymous_request, pdf_file_response, pdf_status_response

from . import permissions, report, selectors, services
from .engine import parse_impact_map
from .engine.xlsx import write_xlsx
from .forms import AnalysisForm, ProxyForm, ProxySearchForm, ReviewForm
from .kpi import KpiYearMissing, index_value, kpi_table
from .models import AnalysisPdf, FinancialProxy, SocialValueAnalysis

Status = SocialValueAnalysis.Status


# --- Financial proxies ---------------------------------------------------------------------------


def _indexed(proxy: FinancialProxy, year: int | None) -> Decimal | None:
    if year is None:
        return None
    try:
        return index_value(proxy.value, from_year=proxy.price_year, to_year=year, table=kpi_table().values)
    except KpiYearMissing:
        return None


def _proxy_query(request) -> tuple[ProxySearchForm, Any, int | None]:
    form = ProxySearchForm(request.GET or None)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    qs = selectors.proxy_search(user=request.user, q=data.get("q") or "", category=data.get("category") or "")
    return form, qs, data.get("index_year")


@login_not_required
def proxy_list(request):
    form, qs, year = _proxy_query(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for proxy in page.object_list:
        proxy.indexed_value = _indexed(proxy, year)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "index_year": year,
        "query": query.urlencode(),
        "formats": FORMATS,
        "kpi": kpi_table(),
        "can_create": permissions.can_create_proxy(request.user),
    }
    return render(request, "impact/proxy_list.html", context)


@login_not_required
def proxy_export(request, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    _form, qs, year = _proxy_query(request)
    columns = [
        Column("namn", _("Namn"), lambda p: p.name),
        Column("beskrivning", _("Beskrivning"), lambda p: p.description),
        Column("kategori", _("Kategori"), lambda p: p.category),
        Column("enhet", _("Enhet"), lambda p: p.unit),
        Column("varde", _("Värde"), lambda p: p.value),
        Column("valuta", _("Valuta"), lambda p: p.currency),
        Column("prisar", _("Prisår"), lambda p: p.price_year),
        Column("kalla", _("Källa"), lambda p: p.source),
        Column("kalla_url", _("Länk till källan"), lambda p: p.source_url),
        Column("illustrativt", _("Illustrativt exempel"), lambda p: p.is_illustrative),
    ]
    if year is not None:
        columns.append(
            Column(f"varde_{year}", _("Värde i %(year)s års priser") % {"year": year}, lambda p: _indexed(p, year))
        )
    # JSON keeps amounts exact as text; CSV and XLSX get numbers.
    if fmt == "json":
        columns = [
            Column(c.key, c.label, (lambda get: lambda p: None if get(p) is None else str(get(p)))(c.get))
            if c.key.startswith("varde")
            else c
            for c in columns
        ]
    return tabular_response(fmt, columns, qs.iterator(), "finansiella-proxyer")


def proxy_create(request):
    if not permissions.can_create_proxy(request.user):
        raise PermissionDenied
    form = ProxyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proxy_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Proxyn är sparad."))
            return redirect("impact:proxy-list")
    return render(request, "impact/proxy_form.html", {"form": form, "proxy": None})


def proxy_edit(request, pk: int):
    proxy = get_object_or_404(FinancialProxy, pk=pk)
    if not permissions.can_change_proxy(request.user, proxy):
        raise PermissionDenied
    form = ProxyForm(request.POST or None, instance=FinancialProxy.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.proxy_update(actor=request.user, proxy=proxy, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect("impact:proxy-list")
    return render(request, "impact/proxy_form.html", {"form": form, "proxy": proxy})


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- Analyses ------------------------------------------------------------------------------------


@login_not_required
def analysis_list(request):
    page = Paginator(selectors.analyses_published(), 20).get_page(request.GET.get("page"))
    mine = list(selectors.analyses_mine(user=request.user)[:100]) if request.user.is_authenticated else []
    context = {"page": page, "mine": mine, "can_create": permissions.can_create(request.user), "formats": FORMATS}
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


def _visible_analysis(request, pk: int) -> SocialValueAnalysis | HttpResponse:
    analysis = selectors.analysis_get(pk=pk)
    if analysis is None:
        raise Http404
    if not permissions.can_view(request.user, analysis):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    return analysis


def _report_context(request, analysis: SocialValueAnalysis, *, pdf: bool = False) -> dict[str, Any]:
    results = selectors.analysis_results(analysis)
    built = None
    if results is not None and analysis.impact_map is not None:
        built = report.build(document=analysis.impact_map, results=results, activities=analysis.activities)
    return {
        "analysis": analysis,
        "report": built,
        "pdf": pdf,
        "can_edit": permissions.can_edit(request.user, analysis),
        "can_submit": permissions.can_submit(request.user, analysis),
        "can_review": permissions.can_review(request.user, analysis),
        "can_view_people": permissions.can_view_people(request.user, analysis),
        "is_own_work": permissions.is_own_work(request.user, analysis),
    }


@login_not_required
def analysis_detail(request, pk: int):
    analysis = _visible_analysis(request, pk)
    if isinstance(analysis, HttpResponse):
        return analysis
    return render(request, "impact/analysis_detail.html", _report_context(request, analysis))


class AnalysisChanged(Exception):
    """The analysis was saved after its PDF was requested; a new request makes the new version."""


def analysis_pdf_render(row: AnalysisPdf) -> bytes:
    """The worker's renderer for an AnalysisPdf row: the report page as an anonymous visitor sees
    it (one stored file is served to everyone who may see the analysis), as a tagged PDF."""
    from .pdf import html_to_pdf

    analysis = selectors.analysis_get(pk=row.analysis_id)
    if analysis is None or services.analysis_pdf_version(analysis) != row.version:
        raise AnalysisChanged(row.analysis_id)
    request = anonymous_request(analysis.get_absolute_url())
    with translation.override(row.language):
        html = render_to_string("impact/analysis_detail.html", _report_context(request, analysis, pdf=True), request)
        return html_to_pdf(html, base_url=settings.CIVSAM_BASE_URL)


def _pdf_language() -> str:
    language = (translation.get_language() or "sv")[:2]
    return language if language in services.PDF_LANGUAGES else "sv"


def _pdf_page(request, analysis: SocialValueAnalysis, row: AnalysisPdf, *, status: int = 200):
    context = {
        "analysis": analysis,
        "file_url": reverse("impact:analysis-pdf-file", args=[analysis.pk, row.pk]),
        "status_url": reverse("impact:analysis-pdf-status", args=[analysis.pk, row.pk]),
        "create_url": reverse("impact:analysis-pdf-create", args=[analysis.pk]),
    }
    return pdf_status_response(request, "impact/analysis_pdf.html", context, row, status=status)


@login_not_required
def analysis_pdf(request, pk: int):
    """The stored PDF when it is rendered; otherwise it is queued (once) and a page says so (202)."""
    analysis = _visible_analysis(request, pk)
    if isinstance(analysis, HttpResponse):
        return analysis
    row = services.analysis_pdf_request(actor=request.user, analysis=analysis, language=_pdf_language())
    if row.is_ready:
        return pdf_file_response(row, f"samhallsnytta-{analysis.pk}.pdf")
    return _pdf_page(request, analysis, row, status=202)


@login_not_required
@require_POST
def analysis_pdf_create(request, pk: int):
    """Queue the PDF again (the "Försök igen" button after a failure) and show its progress."""
    analysis = _visible_analysis(request, pk)
    if isinstance(analysis, HttpResponse):
        return analysis
    language = request.POST.get("lang", "")
    language = language if language in services.PDF_LANGUAGES else _pdf_language()
    row = services.analysis_pdf_request(actor=request.user, analysis=analysis, language=language, retry_failed=True)
    return redirect("impact:analysis-pdf-status", analysis.pk, row.pk)


@login_not_required
def analysis_pdf_status(request, pk: int, file_pk: int):
    analysis = _visible_analysis(request, pk)
    if isinstance(analysis, HttpResponse):
        return analysis
    row = get_object_or_404(AnalysisPdf, pk=file_pk, analysis=analysis)
    with translation.override(row.language):
        return _pdf_page(request, analysis, row)


@login_not_required
def analysis_pdf_file(request, pk: int, file_pk: int):
    analysis = _visible_analysis(request, pk)
    if isinstance(analysis, HttpResponse):
        return analysis
    row = get_object_or_404(AnalysisPdf, pk=file_pk, analysis=analysis)
    if not row.is_ready:
        return redirect("impact:analysis-pdf-status", analysis.pk, row.pk)
    return pdf_file_response(row, f"samhallsnytta-{analysis.pk}.pdf")


@login_not_required
def analysis_map(request, pk: int, fmt: str):
    if fmt not in ("xlsx", "json"):
        raise Http404
    analysis = _visible_analysis(request, pk)
    if isinstance(analysis, HttpResponse):
        return analysis
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
    if not permissions.can_create(request.user):
        raise PermissionDenied
    form = AnalysisForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            analysis = services.analysis_create(
                actor=request.user, impact_map=form.cleaned_data["impact_map_file"], **form.service_fields()
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error("owner", str(exc))
        else:
            messages.success(request, _("Utkastet är sparat."))
            return redirect(analysis)
    return render(request, "impact/analysis_form.html", {"form": form, "analysis": None})


def analysis_edit(request, pk: int):
    analysis = get_object_or_404(SocialValueAnalysis, pk=pk)
    if not permissions.can_edit(request.user, analysis):
        raise PermissionDenied
    form = AnalysisForm(request.POST or None, request.FILES or None, user=request.user, analysis=analysis)
    if request.method == "POST" and form.is_valid():
        extra = {}
        if form.cleaned_data["impact_map_file"] is not None:
            extra["impact_map"] = form.cleaned_data["impact_map_file"]
        try:
            analysis = services.analysis_update(actor=request.user, analysis=analysis, **form.service_fields(), **extra)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error("owner", str(exc))
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(analysis)
    return render(request, "impact/analysis_form.html", {"form": form, "analysis": analysis})


@require_POST
def analysis_submit(request, pk: int):
    analysis = get_object_or_404(SocialValueAnalysis, pk=pk)
    if not permissions.can_act_for_owner(request.user, analysis):
        raise PermissionDenied
    try:
        services.analysis_transition(actor=request.user, analysis=analysis, to_status=Status.IN_REVIEW)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Analysen är skickad för granskning. En annan person med behörighet granskar den."))
    return redirect(analysis)


def analysis_review(request, pk: int):
    analysis = get_object_or_404(SocialValueAnalysis, pk=pk)
    if not permissions.can_review(request.user, analysis):
        if analysis.status == Status.IN_REVIEW and permissions.is_own_work(request.user, analysis):
            messages.error(request, _("Du kan inte granska en analys som du själv har skrivit eller skickat in."))
            return redirect(analysis)
        raise PermissionDenied
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
