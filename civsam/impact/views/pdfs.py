"""The report as a PDF: rendered by the worker (civsam.impact.rendering), served once it is stored,
with a status page that polls until then (docs/adr/0049-*)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_POST

from civsam.core.rendering import pdf_file_response, pdf_status_response

from .. import services
from ..models import AnalysisPdf, SocialValueAnalysis
from .common import login_when_denied, visible_analysis


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
@login_when_denied
def analysis_pdf(request, pk: int):
    """The stored PDF when it is rendered; otherwise it is queued (once) and a page says so (202)."""
    analysis = visible_analysis(request, pk)
    row = services.analysis_pdf_request(actor=request.user, analysis=analysis, language=_pdf_language())
    if row.is_ready:
        return pdf_file_response(row, f"samhallsnytta-{analysis.pk}.pdf")
    return _pdf_page(request, analysis, row, status=202)


@login_not_required
@require_POST
@login_when_denied
def analysis_pdf_create(request, pk: int):
    """Queue the PDF again (the "Försök igen" button after a failure) and show its progress."""
    analysis = visible_analysis(request, pk)
    language = request.POST.get("lang", "")
    language = language if language in services.PDF_LANGUAGES else _pdf_language()
    row = services.analysis_pdf_request(actor=request.user, analysis=analysis, language=language, retry_failed=True)
    return redirect("impact:analysis-pdf-status", analysis.pk, row.pk)


@login_not_required
@login_when_denied
def analysis_pdf_status(request, pk: int, file_pk: int):
    analysis = visible_analysis(request, pk)
    row = get_object_or_404(AnalysisPdf, pk=file_pk, analysis=analysis)
    with translation.override(row.language):
        return _pdf_page(request, analysis, row)


@login_not_required
@login_when_denied
def analysis_pdf_file(request, pk: int, file_pk: int):
    analysis = visible_analysis(request, pk)
    row = get_object_or_404(AnalysisPdf, pk=file_pk, analysis=analysis)
    if not row.is_ready:
        return redirect("impact:analysis-pdf-status", analysis.pk, row.pk)
    return pdf_file_response(row, f"samhallsnytta-{analysis.pk}.pdf")
