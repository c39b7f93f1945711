"""The decision letter: an accessible page, and the same page as a tagged PDF rendered in the
background (ADR 0049), served only to those who may see the application."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from civsam.core.privacy import personal_data
from civsam.core.rendering import pdf_file_response, pdf_status_response

from .. import loaders, selectors, services
from ..models import Application, DecisionLetter
from ..rendering import LETTER_TEMPLATE, letter_context


def _decided(request, pk: int) -> Application:
    application = loaders.visible_application(request.user, pk)
    if not hasattr(application, "decision"):
        raise Http404
    return selectors.application_detail(application.pk)


def _filename(application: Application) -> str:
    return f"beslut-{application.case_number}.pdf"


@personal_data
def decision_letter(request, pk: int):
    application = _decided(request, pk)
    return render(request, LETTER_TEMPLATE, letter_context(application))


def _pdf_page(request, application: Application, row: DecisionLetter, *, status: int = 200):
    context = {
        "application": application,
        "file_url": reverse("funding:decision-letter-file", args=[application.pk, row.pk]),
        "status_url": reverse("funding:decision-letter-status", args=[application.pk, row.pk]),
        "create_url": reverse("funding:decision-letter-create", args=[application.pk]),
    }
    return pdf_status_response(request, "funding/decision_letter_pdf.html", context, row, status=status)


@personal_data
def decision_letter_pdf(request, pk: int):
    """The stored PDF once it is made; otherwise it is queued (once) and a page says so (202)."""
    application = _decided(request, pk)
    row = services.letter_request(actor=request.user, decision=application.decision)
    if row.is_ready:
        return pdf_file_response(row, _filename(application))
    return _pdf_page(request, application, row, status=202)


@require_POST
def decision_letter_create(request, pk: int):
    application = _decided(request, pk)
    row = services.letter_request(actor=request.user, decision=application.decision, retry_failed=True)
    return redirect("funding:decision-letter-status", application.pk, row.pk)


@personal_data
def decision_letter_status(request, pk: int, file_pk: int):
    application = _decided(request, pk)
    row = get_object_or_404(DecisionLetter, pk=file_pk, decision=application.decision)
    return _pdf_page(request, application, row)


@personal_data
def decision_letter_file(request, pk: int, file_pk: int):
    application = _decided(request, pk)
    row = get_object_or_404(DecisionLetter, pk=file_pk, decision=application.decision)
    if not row.is_ready:
        return redirect("funding:decision-letter-status", application.pk, row.pk)
    return pdf_file_response(row, _filename(application))
