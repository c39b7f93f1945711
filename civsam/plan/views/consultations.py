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
            sections = [
                services.SectionIn(text=text, focus_area=fa, priority_area=pa) for fa, pa, text in form.sections()
            ]
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
    context = {
        "consultation": consultation,
        "plan": plan,
        "form": form,
        "can_compile": permissions.can_view_consultation_responses(request.user, consultation),
        "is_open": consultation.status == Consultation.Status.OPEN,
    }
    return render(request, "plan/consultation_detail.html", context)


@personal_data
def consultation_summary(request, pk: int, fmt: str = "html"):
    consultation = loaders.compilable_consultation(request.user, pk)
    if fmt in ("xlsx", "csv", EXCEL_CSV):
        sections, _responses = selectors.consultation_summary(consultation)
        rows = [(s, who, text) for s in sections for who, text in s.answers]
        columns = [
            Column("section", "Avsnitt", lambda r: r[0].code),
            Column("title", "Rubrik", lambda r: r[0].label),
            Column("respondent", "Remissinstans", lambda r: r[1]),
            Column("text", "Synpunkter", lambda r: r[2]),
        ]
        return tabular_response(fmt, columns, rows, f"remissammanstallning-{consultation.pk}")
    if fmt == "pdf":
        response = HttpResponse(consultation_summary_pdf(request, consultation), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="remissammanstallning-{consultation.pk}.pdf"'
        return response
    if fmt != "html":
        raise Http404
    return render(request, SUMMARY_TEMPLATE, consultation_summary_context(consultation))


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


@personal_data
def attachment_download(request, pk: int):
    attachment = loaders.downloadable_attachment(request.user, pk)
    return serve_file(attachment.file, filename=attachment.name, as_attachment=True)
