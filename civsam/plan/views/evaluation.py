"""The evaluation of a plan period: the page (public once published), its PDF rendered in the
background from the same template, and the coordinator's texts and publication."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civsam.core.rendering import pdf_file_response, pdf_status_response

from .. import forms, loaders, permissions, selectors, services
from ..evaluation import texts_current
from ..evaluation_rendering import evaluation_html, evaluation_pdf_filename
from ..models import PeriodEvaluation, PeriodEvaluationPdf
from ..rendering import LANGUAGES


def _language(request) -> str:
    lang = request.GET.get("lang", "")
    return lang if lang in LANGUAGES else translation.get_language() or "sv"


def _pdf_urls(evaluation: PeriodEvaluation, row: PeriodEvaluationPdf | None, language: str) -> dict:
    slug = evaluation.plan.slug
    query = "" if language == "sv" else f"?lang={language}"
    return {
        "download_url": reverse("plan:evaluation-pdf", args=[slug]) + query,
        "create_url": reverse("plan:evaluation-pdf-create", args=[slug]),
        "status_url": reverse("plan:evaluation-pdf-status", args=[slug, row.pk]) if row else "",
        "file_url": reverse("plan:evaluation-pdf-file", args=[slug, row.pk]) if row else "",
        "back_url": reverse("plan:evaluation-detail", args=[slug]) + query,
    }


def _pdf_status_page(request, evaluation, row, language: str, *, status: int = 200):
    context = {"evaluation": evaluation, "row": row, "language": language, **_pdf_urls(evaluation, row, language)}
    return pdf_status_response(request, "plan/evaluation_pdf.html", context, row, status=status)


@login_not_required
def evaluation_detail(request, slug: str):
    """The evaluation. Before there is one the coordinator may start it; until it is published,
    others read that it is not published yet (the subnavigation links here for every adopted plan)."""
    plan = selectors.plan_with_tree(slug)
    evaluation = PeriodEvaluation.objects.select_related("plan").filter(plan=plan).first()
    can_start = evaluation is None and permissions.can_edit_evaluation(request.user)
    if can_start and request.method == "POST":
        try:
            services.evaluation_get_or_create(actor=request.user, plan=plan)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("plan:evaluation-detail", plan.slug)
    if evaluation is None or not permissions.can_view_evaluation(request.user, evaluation):
        return render(request, "plan/evaluation_start.html", {"plan": plan, "can_start": can_start})
    with translation.override(_language(request)):
        return HttpResponse(evaluation_html(request, evaluation))


def evaluation_text_edit(request, slug: str, section: str):
    """Write a new version of one section's text, with a preview."""
    evaluation = loaders.editable_evaluation(request.user, slug)
    if section not in PeriodEvaluation.Section.values:
        raise Http404
    if evaluation.is_published:
        messages.error(request, _("Utvärderingen är publicerad och kan inte längre ändras."))
        return redirect(evaluation)
    current = texts_current(evaluation).get(section)
    initial = {"body_sv": current.body_sv, "body_en": current.body_en} if current else None
    form = forms.EvaluationTextForm(request.POST or None, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "preview":
            preview = form.cleaned_data
        else:
            try:
                text = services.evaluation_text_save(
                    actor=request.user, evaluation=evaluation, section=section, **form.cleaned_data
                )
            except ValidationError as exc:
                by_field = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
                for field, errors in by_field.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Texten är sparad som version %(v)s.") % {"v": text.version})
                return redirect(reverse("plan:evaluation-detail", args=[slug]) + f"#h-{section}")
    context = {
        "evaluation": evaluation,
        "plan": evaluation.plan,
        "form": form,
        "label": PeriodEvaluation.Section(section).label,
        "preview": preview,
        "versions": evaluation.texts.filter(section=section).select_related("author").order_by("-version"),
    }
    return render(request, "plan/evaluation_text_form.html", context)


def evaluation_publish(request, slug: str):
    """The confirmation page, and the publication once confirmed."""
    evaluation = loaders.editable_evaluation(request.user, slug)
    if evaluation.is_published:
        return redirect(evaluation)
    form = forms.EvaluationPublishForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_publish(
                actor=request.user, evaluation=evaluation, confirmed=form.cleaned_data["confirm"]
            )
        except ValidationError as exc:
            by_field = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
            for field, errors in by_field.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Utvärderingen är publicerad. Siffrorna och texterna är nu låsta."))
            return redirect(evaluation)
    missing = [label for code, label in PeriodEvaluation.Section.choices if code not in texts_current(evaluation)]
    context = {"evaluation": evaluation, "plan": evaluation.plan, "form": form, "missing": missing}
    return render(request, "plan/evaluation_publish.html", context)


@login_not_required
def evaluation_pdf(request, slug: str):
    """The stored PDF when it is rendered; otherwise it is queued (once) and a page says so (202)."""
    evaluation = loaders.visible_evaluation(request.user, slug)
    language = _language(request)
    row = services.evaluation_pdf_request(actor=request.user, evaluation=evaluation, language=language)
    if row.is_ready:
        return pdf_file_response(row, evaluation_pdf_filename(evaluation, language))
    with translation.override(language):
        return _pdf_status_page(request, evaluation, row, language, status=202)


@login_not_required
@require_POST
def evaluation_pdf_create(request, slug: str):
    evaluation = loaders.visible_evaluation(request.user, slug)
    language = request.POST.get("lang", "")
    language = language if language in LANGUAGES else _language(request)
    row = services.evaluation_pdf_request(
        actor=request.user, evaluation=evaluation, language=language, retry_failed=True
    )
    return redirect("plan:evaluation-pdf-status", slug, row.pk)


@login_not_required
def evaluation_pdf_status(request, slug: str, pk: int):
    evaluation = loaders.visible_evaluation(request.user, slug)
    row = get_object_or_404(PeriodEvaluationPdf, pk=pk, evaluation=evaluation)
    with translation.override(row.language):
        return _pdf_status_page(request, evaluation, row, row.language)


@login_not_required
def evaluation_pdf_file(request, slug: str, pk: int):
    evaluation = loaders.visible_evaluation(request.user, slug)
    row = get_object_or_404(PeriodEvaluationPdf, pk=pk, evaluation=evaluation)
    if not row.is_ready:
        return redirect("plan:evaluation-pdf-status", slug, row.pk)
    return pdf_file_response(row, evaluation_pdf_filename(evaluation, row.language))
