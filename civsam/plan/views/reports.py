"""The annual follow-up report: the page, its PDF (rendered in the background from the same
template, see rendering.py), and the coordinator's editing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civsam.core.loading import require
from civsam.core.rendering import pdf_file_response, pdf_status_response

from .. import forms, loaders, permissions, selectors, services
from ..models import FollowUpReport, ReportPdf
from ..rendering import LANGUAGES, report_html, report_pdf_filename


def _language(request) -> str:
    lang = request.GET.get("lang", "")
    return lang if lang in LANGUAGES else translation.get_language() or "sv"


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
        require(can_edit)
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
    report = loaders.visible_report(request.user, slug, year)
    with translation.override(_language(request)):
        return HttpResponse(report_html(request, report))


@login_not_required
def report_pdf(request, slug: str, year: int):
    """The stored PDF when it is rendered; otherwise it is queued (once) and a page says so (202)."""
    report = loaders.visible_report(request.user, slug, year)
    language = _language(request)
    row = services.report_pdf_request(actor=request.user, report=report, language=language)
    if row.is_ready:
        return pdf_file_response(row, report_pdf_filename(report, language))
    with translation.override(language):
        return _pdf_status_page(request, report, row, language, status=202)


@login_not_required
@require_POST
def report_pdf_create(request, slug: str, year: int):
    """The button "Skapa PDF": queue the PDF of the report as it is now and show its progress."""
    report = loaders.visible_report(request.user, slug, year)
    language = request.POST.get("lang", "")
    language = language if language in LANGUAGES else _language(request)
    row = services.report_pdf_request(actor=request.user, report=report, language=language, retry_failed=True)
    return redirect("plan:report-pdf-status", slug, year, row.pk)


@login_not_required
def report_pdf_status(request, slug: str, year: int, pk: int):
    """The progress of one PDF; htmx polls it and gets 204 while nothing has changed."""
    report = loaders.visible_report(request.user, slug, year)
    row = get_object_or_404(ReportPdf, pk=pk, report=report)
    with translation.override(row.language):
        return _pdf_status_page(request, report, row, row.language)


@login_not_required
def report_pdf_file(request, slug: str, year: int, pk: int):
    """One stored PDF, by its row: the file the status page links to once it is made."""
    report = loaders.visible_report(request.user, slug, year)
    row = get_object_or_404(ReportPdf, pk=pk, report=report)
    if not row.is_ready:
        return redirect("plan:report-pdf-status", slug, year, row.pk)
    return pdf_file_response(row, report_pdf_filename(report, row.language))


def report_edit(request, slug: str, year: int):
    report = loaders.editable_report(request.user, slug, year)
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
    report = loaders.editable_report(request.user, slug, year)
    publish = request.POST.get("action") == "publish"
    status = FollowUpReport.Status.PUBLISHED if publish else FollowUpReport.Status.DRAFT
    try:
        services.report_status_set(actor=request.user, report=report, status=status)
        if publish:
            messages.success(request, _("Rapporten är publicerad. Siffrorna är nu låsta."))
        else:
            messages.success(request, _("Publiceringen är återkallad."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("plan:report-edit", slug, year)
