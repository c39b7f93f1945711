"""The annual report and the consultation summary as page contexts, HTML and PDF, shared by the
pages, the API and the background worker, so that neither the worker nor the API imports a view."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from civsam.core.pdf import html_to_pdf
from civsam.core.rendering import anonymous_request

from . import charts, extensions, indicator_status, permissions, selectors
from .models import Consultation, FollowUpReport, ParticipantCount, ReportPdf
from .report import ReportSource, built_at, localised, report_source

LANGUAGES = ("sv", "en")
REPORT_TEMPLATE = "plan/report_detail.html"
SUMMARY_TEMPLATE = "plan/consultation_summary.html"


# --- The annual follow-up report ------------------------------------------------------------------


def report_snapshot(report: FollowUpReport) -> dict:
    """The published report's stored figures; a draft's figures are built afresh."""
    return report_source(report).snapshot


def _dec(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def report_context(report: FollowUpReport, *, pdf: bool = False, source: ReportSource | None = None) -> dict[str, Any]:
    source = source or report_source(report)
    snap = localised(source.snapshot)
    fa_chart = charts.progress_chart(
        chart_id="progress-goal",
        title=_("Andel genomförd per insatsområde"),
        rows=[
            (f"{fa['number']}. {fa['title']}", float(fa["progress"]) if fa["progress"] else None)
            for fa in snap["focus_areas"]
        ],
    )
    for fa in snap["focus_areas"]:
        fa["chart"] = charts.progress_chart(
            chart_id=f"progress-fa{fa['number']}",
            title=_("Andel genomförd per aktivitetsområde, insatsområde %(n)s") % {"n": fa["number"]},
            rows=[
                (f"{pa['code']} {pa['title']}", float(pa["progress"]) if pa["progress"] else None)
                for pa in fa["priority_areas"]
            ],
        )
    for i, ind in enumerate(snap["indicators"]):
        ind["status_label"] = str(indicator_status.LABELS.get(ind["status"], ""))
        points = ind["series"]
        ind["chart"] = (
            charts.indicator_chart(
                chart_id=f"ind-{i}",
                title=ind["name"],
                years=[p["year"] for p in points],
                actual=[_dec(p["actual"]) for p in points],
                target=[_dec(p["target"]) for p in points],
                decimals=ind["decimals"],
                unit=ind["unit"],
            )
            if points
            else None
        )
    genders = dict(ParticipantCount.Gender.choices)
    bands = dict(ParticipantCount.AgeBand.choices)
    for row in snap["participants"]:
        row["gender_label"] = genders.get(row["gender"], row["gender"])
        row["age_band_label"] = bands.get(row["age_band"], row["age_band"])
    text = source.text
    english = translation.get_language() == "en"
    body = (text.body_en or text.body_sv) if (text and english) else (text.body_sv if text else "")
    # An English report without an English text shows the Swedish one, marked as Swedish.
    body_lang = "sv" if (text and english and not text.body_en) else ""
    # Sections other apps add, in their registered order; a snapshot stored before a section was
    # registered simply has none of it.
    stored = snap.get("sections") or {}
    sections = [
        {"template": section.template_name, "data": stored[section.key]}
        for section in extensions.report_sections()
        if stored.get(section.key)
    ]
    return {
        "report": report,
        "snap": snap,
        "sections": sections,
        "built_at": built_at(source.snapshot) if source.published_at else None,
        "goal_chart": fa_chart,
        "coordinator_text": body,
        "coordinator_text_lang": body_lang,
        "text_version": text.version if text else None,
        "pdf": pdf,
        "rule": indicator_status.RULE_TEXT,
        "languages": LANGUAGES,
    }


def report_html(request, report: FollowUpReport) -> str:
    """The report page's HTML for the requesting user, in the active language."""
    context = report_context(report)
    context["can_edit"] = permissions.can_edit_report(request.user, report)
    return render_to_string(REPORT_TEMPLATE, context, request=request)


def report_pdf_render(row: ReportPdf) -> bytes:
    """The worker's renderer for a ReportPdf row (ReportPdf.RENDERER): the report page as it was
    when the row was made (its stored figures, text and publication), as a tagged PDF. No request:
    the page is rendered as an anonymous visitor sees it, which is what the print rules show anyway."""
    report = copy.copy(row.report)
    report.status = FollowUpReport.Status.PUBLISHED if row.published_at else FollowUpReport.Status.DRAFT
    report.published_at = row.published_at
    source = ReportSource(row.snapshot, row.text, row.published_at)
    with translation.override(row.language):
        html = render_to_string(
            REPORT_TEMPLATE,
            {**report_context(report, pdf=True, source=source), "can_edit": False},
            request=anonymous_request(report.get_absolute_url()),
        )
        return html_to_pdf(html, base_url=settings.CIVSAM_BASE_URL)


def report_pdf_filename(report: FollowUpReport, language: str) -> str:
    suffix = "" if language == "sv" else f"-{language}"
    return f"uppfoljning-{report.plan.slug}-{report.year}{suffix}.pdf"


# --- The consultation summary ---------------------------------------------------------------------


def consultation_summary_context(
    consultation: Consultation, *, pdf: bool = False, public: bool = False
) -> dict[str, Any]:
    """The compiled consultation report. Public: the published report as anyone may read it."""
    sections, responses = selectors.consultation_summary(consultation, public=public)
    rows = [
        {
            "respondent": item.respondent,
            "response": item.response if public else item,
            "general_comment": item.general_comment,
            "attachments": item.attachments if public else list(item.attachments.all()),
        }
        for item in responses
    ]
    return {
        "consultation": consultation,
        "sections": sections,
        "responses": rows,
        "pdf": pdf,
        "public": public,
    }


def consultation_summary_pdf(request, consultation: Consultation, *, public: bool = False) -> bytes:
    context = consultation_summary_context(consultation, pdf=True, public=public)
    html = render_to_string(SUMMARY_TEMPLATE, context, request=request)
    return html_to_pdf(html, base_url=request.build_absolute_uri("/"))
