"""The decision letter as a page context and as a tagged PDF, shared by the letter's page and the
background worker (ADR 0049), so that neither the worker nor the API imports a view."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from civsam.core.pdf import html_to_pdf
from civsam.core.rendering import anonymous_request

from . import selectors
from .models import Application, ApplicationDecision, DecisionLetter, Programme

LETTER_TEMPLATE = "funding/decision_letter.html"


def letter_context(application: Application, *, pdf: bool = False) -> dict[str, Any]:
    decision: ApplicationDecision = application.decision
    programme = application.call.programme
    return {
        "application": application,
        "decision": decision,
        "programme": programme,
        "funder": application.call.source.funder,
        "legality_review": programme is None or programme.appeal_route == Programme.AppealRoute.LEGALITY_REVIEW,
        "appeal_court": programme.appeal_court if programme else "",
        "instalments": list(application.instalments.all()),
        "requirements": list(application.report_requirements.all()),
        "region_name": settings.CIVSAM["REGION_NAME"],
        "pdf": pdf,
    }


class LetterGone(Exception):
    """The application or its decision no longer exists."""


def decision_letter_render(row: DecisionLetter) -> bytes:
    """The worker's renderer for a DecisionLetter row: the letter's page, as a tagged PDF."""
    application = selectors.application_detail(row.decision.application_id)
    if application is None:
        raise LetterGone(row.decision_id)
    request = anonymous_request(application.get_absolute_url())
    with translation.override(row.language):
        html = render_to_string(LETTER_TEMPLATE, letter_context(application, pdf=True), request)
        return html_to_pdf(html, base_url=settings.CIVSAM_BASE_URL)
