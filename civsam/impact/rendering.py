"""The report of an analysis as a page context and as a PDF, shared by the report page and the
background worker, so that neither the worker nor the API imports a view."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.utils import translation

from civsam.core.pdf import html_to_pdf
from civsam.core.rendering import anonymous_request

from . import permissions, report, selectors, services
from .models import AnalysisPdf, SocialValueAnalysis

REPORT_TEMPLATE = "impact/analysis_detail.html"


def report_context(user, analysis: SocialValueAnalysis, *, pdf: bool = False) -> dict[str, Any]:
    """What the report template needs: the built report and what `user` may do with the analysis."""
    results = selectors.analysis_results(analysis)
    built = None
    if results is not None and analysis.impact_map is not None:
        built = report.build(document=analysis.impact_map, results=results, activities=analysis.activities)
    return {
        "analysis": analysis,
        "report": built,
        "pdf": pdf,
        "can_edit": permissions.can_edit_analysis(user, analysis),
        "can_submit": permissions.can_submit_analysis(user, analysis),
        "can_review": permissions.can_review_analysis(user, analysis),
        "can_view_people": permissions.can_view_analysis_people(user, analysis),
        "is_own_work": permissions.is_own_analysis(user, analysis),
    }


class AnalysisChanged(Exception):
    """The analysis was saved after its PDF was requested; a new request makes the new version."""


def analysis_pdf_render(row: AnalysisPdf) -> bytes:
    """The worker's renderer for an AnalysisPdf row (AnalysisPdf.RENDERER): the report page as an
    anonymous visitor sees it (one stored file is served to everyone who may see the analysis), as
    a tagged PDF."""
    analysis = selectors.analysis_get(pk=row.analysis_id)
    if analysis is None or services.analysis_pdf_version(analysis) != row.version:
        raise AnalysisChanged(row.analysis_id)
    request = anonymous_request(analysis.get_absolute_url())
    with translation.override(row.language):
        context = report_context(AnonymousUser(), analysis, pdf=True)
        html = render_to_string(REPORT_TEMPLATE, context, request)
        return html_to_pdf(html, base_url=settings.CIVSAM_BASE_URL)
