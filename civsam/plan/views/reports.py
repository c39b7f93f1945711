"""The annual follow-up report: the page, the PDF (same template), and the coordinator's editing."""

from __future__ import annotations

import copy
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civsam.core.rendering import anonymous_request, pdf_file_response, pdf_status_response

from .. import charts, forms, indicator_status, permissions, selectors, services
from ..models import FollowUpReport, ParticipantCount, ReportPdf
from ..report import ReportSource, built_at, localised, report_source

LANGUAGES = ("sv", "en")


def report_snapshot(report: FollowUpReport) -> dict:
    """The published report's stored figures; a draft's figures are built afresh."""
    return report_source(report).snapshot


def _dec(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def report_context(report: FollowUpReport, *, pdf: bool = False, source: ReportSource | None = None) -> dict:
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
    return {
        "report": report,
        "snap": snap,
        "built_at": built_at(source.snapshot) if source.published_at else None,
        "goal_chart": fa_chart,
        "coordinator_text": body,
        "text_version": text.version if text else None,
        "pdf": pdf,
        "rule": indicator_status.RULE_TEXT,
        "languages": LANGUAGES,
    }


def _get_report(request, slug: str, year: int) -> FollowUpReport:
    report = get_object_or_404(
        FollowUpReport.objects.select_related("plan", "published_text"), plan__slug=slug, year=year
    )
    if not permissions.can_view_report(request.user, report):
        raise Http404
    return report


def _language(request) -> str:
    lang = request.GET.get("lang", "")
    return lang if lang in LANGUAGES else translation.get_language() or "sv"


def report_html(request, report: FollowUpReport, *, pdf: bool = False) -> str:
    context = report_context(report, pdf=pdf)
    context["can_edit"] = permissions.can_edit_report(request.user, report) and not pdf
    return render_to_string("plan/report_detail.html", context, request=request)


def report_pdf_render(row: ReportPdf) -> bytes:
    """The worker's renderer for a ReportPdf row: the report page as it was when the row was made
    (its stored figures, text and publication), as a tagged PDF. No request: the page is rendered
    as an anonymous visitor sees it, which is what the print rules show anyway."""
    from civsam.impact.pdf import html_to_pdf

    report = copy.copy(row.report)
    report.status = FollowUpReport.Status.PUBLISHED if row.published_at else FollowUpReport.Status.DRAFT
    report.published_at = row.published_at
    source = ReportSource(row.snapshot, row.text, row.published_at)
    with translation.override(row.language):
        html = render_to_string(
            "plan/report_detail.html",
            {**report_context(report, pdf=True, source=source), "can_edit": False},
            request=anonymous_request(report.get_absolute_url()),
        )
        return html_to_pdf(html, base_url=settings.CIVSAM_BASE_URL)


def _pdf_filename(report: FollowUpReport, language: str) -> str:
    suffix = "" if language == "sv" else f"-{language}"
    return f"uppfoljning-{report.plan.slug}-{report.year}{suffix}.pdf"


def _pdf_urls(report: FollowUpReport, row: ReportPdf | None, language: str) -> dict:
    query = "" if language == "sv" else f"?lang={language}"
    args = [report.plan.slug, report.year]
    return {
        "download_url": reverse("plan:report-pdf", args=args) + query,
        "create_url": reverse("plan:report-pdf-create", args=args),
        "status_url": reverse("plan:report-pdf-status", args=[*args, row.pk]) if row else "",
        "file_url": reverse("plan:report-pdf-file", args=[*args, row.pk]) if row else "",
        "back_url": reverse("plan:report-detail", args=args) + query,
    }


def _pdf_status_page(request, report: FollowUpReport, row: ReportPdf, language: str, *, status: int = 200):
    context = {"report": report, "row": row, "language": language, **_pdf_urls(report, row, language)}
    return pdf_status_response(request, "plan/report_pdf.html", context, row, status=status)


@login_not_required
def report_index(request, slug: str):
    plan = selectors.plan_with_tree(slug)
    reports = permissions.reports_visible_to(request.user).filter(plan=plan).order_by("-year")
    can_edit = permissions.can_edit_report(request.user)
    form = forms.ReportYearForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                report = services.report_get_or_create(actor=request.user, plan=plan, year=form.cleaned_data["year"])
            except ValidationError as exc:
                form.add_error("year", exc.messages)
            else:
                return redirect("plan:report-edit", plan.slug, report.year)
    return render(
        request, "plan/report_index.html", {"plan": plan, "reports": reports, "can_edit": can_edit, "form": form}
    )


@login_not_required
def report_detail(request, slug: str, year: int):
    report = _get_report(request, slug, year)
    with translation.override(_language(request)):
        return HttpResponse(report_html(request, report))


@login_not_required
def report_pdf(request, slug: str, year: int):
    """The stored PDF when it is rendered; otherwise it is queued (once) and a page says so (202)."""
    report = _get_report(request, slug, year)
    language = _language(request)
    row = services.report_pdf_request(actor=request.user, report=report, language=language)
    if row.is_ready:
        return pdf_file_response(row, _pdf_filename(report, language))
    with translation.override(language):
        return _pdf_status_page(request, report, row, language, status=202)


@login_not_required
@require_POST
def report_pdf_create(request, slug: str, year: int):
    """The button "Skapa PDF": queue the PDF of the report as it is now and show its progress."""
    report = _get_report(request, slug, year)
    language = request.POST.get("lang", "")
    language = language if language in LANGUAGES else _language(request)
    row = services.report_pdf_request(actor=request.user, report=report, language=language, retry_failed=True)
    return redirect("plan:report-pdf-status", slug, year, row.pk)


@login_not_required
def report_pdf_status(request, slug: str, year: int, pk: int):
    """The progress of one PDF; htmx polls it and gets 204 while nothing has changed."""
    report = _get_report(request, slug, year)
    row = get_object_or_404(ReportPdf, pk=pk, report=report)
    with translation.override(row.language):
        return _pdf_status_page(request, report, row, row.language)


@login_not_required
def report_pdf_file(request, slug: str, year: int, pk: int):
    """One stored PDF, by its row: the file the status page links to once it is made."""
    report = _get_report(request, slug, year)
    row = get_object_or_404(ReportPdf, pk=pk, report=report)
    if not row.is_ready:
        return redirect("plan:report-pdf-status", slug, year, row.pk)
    return pdf_file_response(row, _pdf_filename(report, row.language))


def report_edit(request, slug: str, year: int):
    report = get_object_or_404(FollowUpReport.objects.select_related("plan"), plan__slug=slug, year=year)
    if not permissions.can_edit_report(request.user, report):
        raise PermissionDenied
    latest = report.texts.first()
    initial = {"body_sv": latest.body_sv, "body_en": latest.body_en} if latest else None
    form = forms.ReportTextForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            text = services.report_text_save(actor=request.user, report=report, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Texten är sparad som version %(v)s.") % {"v": text.version})
            return redirect("plan:report-edit", slug, year)
    context = {"report": report, "form": form, "versions": report.texts.select_related("author")}
    return render(request, "plan/report_edit.html", context)


@require_POST
def report_status(request, slug: str, year: int):
    report = get_object_or_404(FollowUpReport, plan__slug=slug, year=year)
    if not permissions.can_edit_report(request.user, report):
        raise PermissionDenied
    try:
        if request.POST.get("action") == "publish":
            services.report_publish(actor=request.user, report=report)
            messages.success(request, _("Rapporten är publicerad. Siffrorna är nu låsta."))
        else:
            services.report_withdraw(actor=request.user, report=report)
            messages.success(request, _("Publiceringen är återkallad."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("plan:report-edit", slug, year)
