"""The annual follow-up report: the page, the PDF (same template), and the coordinator's editing."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import charts, forms, indicator_status, permissions, selectors, services
from ..models import FollowUpReport, ParticipantCount
from ..report import built_at, localised, snapshot_build

LANGUAGES = ("sv", "en")


def report_snapshot(report: FollowUpReport) -> dict:
    """The published report's stored figures; a draft's figures are built afresh."""
    if report.status == FollowUpReport.Status.PUBLISHED and report.snapshot:
        return report.snapshot
    return snapshot_build(report.plan, report.year)


def _dec(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def report_context(report: FollowUpReport, *, pdf: bool = False) -> dict:
    snap = localised(report_snapshot(report))
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
    text = report.published_text if report.status == FollowUpReport.Status.PUBLISHED else report.texts.first()
    english = translation.get_language() == "en"
    body = (text.body_en or text.body_sv) if (text and english) else (text.body_sv if text else "")
    return {
        "report": report,
        "snap": snap,
        "built_at": built_at(report_snapshot(report)) if report.snapshot else None,
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


PDF_CACHE_SECONDS = 7 * 24 * 3600


def report_pdf_bytes(request, report: FollowUpReport) -> bytes:
    """The PDF; a published report's PDF is cached, since its figures and text are frozen. The key
    names the publication time, so a withdrawn and republished report never gets the old file."""
    from civsam.impact.pdf import html_to_pdf

    key = None
    if report.status == FollowUpReport.Status.PUBLISHED and report.published_at:
        key = f"plan-report-pdf:{report.pk}:{report.published_at.timestamp()}:{translation.get_language()}"
        cached = cache.get(key)
        if cached is not None:
            return cached
    pdf = html_to_pdf(report_html(request, report, pdf=True), base_url=request.build_absolute_uri("/"))
    if key:
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf


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
    report = _get_report(request, slug, year)
    with translation.override(_language(request)):
        pdf = report_pdf_bytes(request, report)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="uppfoljning-{report.plan.slug}-{report.year}.pdf"'
    return response


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
