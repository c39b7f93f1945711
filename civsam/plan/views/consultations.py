"""Consultation (remiss): open one, respond section by section, the coordinator's compilation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civsam.core.exports import EXCEL_CSV, Column, tabular_response
from civsam.core.loading import require
from civsam.core.models import Municipality
from civsam.core.privacy import personal_data
from civsam.core.storage import serve_file
from civsam.registry.models import Organisation

from .. import forms, loaders, permissions, selectors, services
from ..models import Consultation
from ..rendering import SUMMARY_TEMPLATE, consultation_summary_context, consultation_summary_pdf


@login_not_required
def consultation_list(request, slug: str):
    plan = selectors.plan_with_tree(slug)
    can_open = permissions.can_open_consultation(request.user, plan)
    form = forms.ConsultationOpenForm(request.POST or None, plan=plan)
    if request.method == "POST":
        require(can_open)
        if form.is_valid():
            try:
                consultation = services.consultation_open(actor=request.user, plan=plan, **form.service_arguments())
            except ValidationError as exc:
                by_field = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
                for field, errors in by_field.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Planen är skickad på remiss."))
                return redirect(consultation)
    context = {"plan": plan, "consultations": plan.consultations.all(), "form": form, "can_open": can_open}
    return render(request, "plan/consultation_list.html", context)


def _respondent(value: str):
    kind, _sep, pk = value.partition("-")
    if kind == "org":
        return {"organisation": Organisation.objects.filter(pk=pk).first()}
    if kind == "mun":
        return {"municipality": Municipality.objects.filter(pk=pk).first()}
    if kind == "private":
        return {"private_person": True}
    return {}


@login_not_required
def consultation_detail(request, pk: int):
    consultation = selectors.consultation_get(pk)
    if consultation is None:
        raise Http404
    plan = selectors.plan_with_tree(consultation.plan_id)
    can_respond = request.user.is_authenticated and permissions.can_respond_to_consultation(request.user)
    if request.method == "POST":
        require(can_respond)
    form = None
    if can_respond:
        form = forms.ConsultationResponseForm(request.POST or None, request.FILES or None, plan=plan, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            sections = form.sections()
            try:
                services.consultation_respond(
                    actor=request.user,
                    consultation=consultation,
                    sections=sections,
                    respondent_name=data.get("respondent_name", ""),
                    general_comment=data.get("general_comment", ""),
                    attachments=data.get("attachments") or [],
                    **_respondent(data["respondent"]),
                )
            except ValidationError as exc:
                by_field = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
                for field, errors in by_field.items():
                    form.add_error(field if field in form.fields else None, errors)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Tack! Remissvaret är inskickat."))
                return redirect(consultation)
    can_compile = permissions.can_view_consultation_responses(request.user, consultation)
    context = {
        "consultation": consultation,
        "plan": plan,
        "form": form,
        "can_compile": can_compile,
        "is_open": consultation.status == Consultation.Status.OPEN,
        "public_responses": selectors.public_responses(consultation),
        "all_responses": consultation.responses.select_related("organisation", "municipality", "submitted_by")
        if can_compile
        else None,
    }
    return render(request, "plan/consultation_detail.html", context)


def _summary_consultation(request, pk: int) -> tuple[Consultation, bool]:
    """The consultation and whether the page is the public report: the coordinator reads everything
    at any time; others read the published report, without what the secrecy assessment withheld."""
    consultation = selectors.consultation_get(pk)
    if consultation is None:
        raise Http404
    if permissions.can_view_consultation_responses(request.user, consultation):
        return consultation, False
    if consultation.report_published_at is None:
        raise Http404
    return consultation, True


@login_not_required
@personal_data
def consultation_summary(request, pk: int, fmt: str = "html"):
    consultation, public = _summary_consultation(request, pk)
    if fmt in ("xlsx", "csv", EXCEL_CSV):
        return _summary_table(consultation, public, fmt)
    if fmt == "pdf":
        pdf = consultation_summary_pdf(request, consultation, public=public)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="remissammanstallning-{consultation.pk}.pdf"'
        return response
    if fmt != "html":
        raise Http404
    return render(request, SUMMARY_TEMPLATE, consultation_summary_context(consultation, public=public))


def _summary_table(consultation: Consultation, public: bool, fmt: str):
    """One row per comment, with the response's disposition beside it."""
    sections, _responses = selectors.consultation_summary(consultation, public=public)
    rows = [
        (s, who, text, response)
        for s in sections
        for (who, text), response in zip(s.answers, s.answered_by, strict=True)
    ]

    def _disposition(row) -> str:
        return row[3].get_disposition_display() if row[3] is not None and row[3].disposition else ""

    columns = [
        Column("section", "Avsnitt", lambda r: r[0].code),
        Column("title", "Rubrik", lambda r: r[0].label),
        Column("respondent", "Remissinstans", lambda r: r[1]),
        Column("text", "Synpunkter", lambda r: r[2]),
        Column("disposition", "Ställningstagande", _disposition),
        Column("reason", "Motivering", lambda r: r[3].disposition_reason if r[3] is not None else ""),
        Column("change", "Ändring i planen", lambda r: r[3].disposition_change if r[3] is not None else ""),
    ]
    return tabular_response(fmt, columns, rows, f"remissammanstallning-{consultation.pk}")


@require_POST
def consultation_report_publish(request, pk: int):
    consultation = loaders.managed_consultation(request.user, pk)
    try:
        services.consultation_report_publish(actor=request.user, consultation=consultation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Remissammanställningen är publicerad."))
    return redirect(consultation)


@personal_data
def response_manage(request, pk: int):
    """The coordinator's page for one response: the response in full, the disposition and the
    secrecy assessment."""
    response = loaders.managed_response(request.user, pk)
    disposition_form = forms.DispositionForm(
        request.POST if request.POST.get("form") == "disposition" else None,
        initial={
            "disposition": response.disposition,
            "disposition_reason": response.disposition_reason,
            "disposition_change": response.disposition_change,
        },
    )
    secrecy_form = forms.SecrecyForm(request.POST if request.POST.get("form") == "secrecy" else None, response=response)
    form = disposition_form if request.POST.get("form") == "disposition" else secrecy_form
    if request.method == "POST" and form.is_bound and form.is_valid():
        try:
            if form is disposition_form:
                data = form.cleaned_data
                services.consultation_response_dispose(
                    actor=request.user,
                    response=response,
                    disposition=data["disposition"],
                    reason=data["disposition_reason"],
                    change=data["disposition_change"],
                )
                messages.success(request, _("Ställningstagandet är sparat."))
            else:
                services.consultation_response_assess_secrecy(
                    actor=request.user, response=response, assessment=form.assessment()
                )
                messages.success(request, _("Sekretessprövningen är sparad."))
        except ValidationError as exc:
            by_field = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
            for field, errors in by_field.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("plan:consultation-response", response.pk)
    context = {
        "response": response,
        "consultation": response.consultation,
        "disposition_form": disposition_form,
        "secrecy_form": secrecy_form,
    }
    return render(request, "plan/consultation_response.html", context)


@require_POST
def consultation_status(request, pk: int):
    consultation = loaders.managed_consultation(request.user, pk)
    try:
        services.consultation_set_status(
            actor=request.user, consultation=consultation, status=request.POST.get("status", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(consultation)


@login_not_required
@personal_data
def attachment_download(request, pk: int):
    attachment = loaders.downloadable_attachment(request.user, pk)
    return serve_file(attachment.file, filename=attachment.name, as_attachment=True)
