"""How the plan's pages and API load what they act on: fetch it or answer 404, then check the
permission or answer 403 (civsam.core.loading). A draft report is not shown to those who may not
see it: it answers 404 as if it did not exist."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from civsam.core.loading import get_permitted

from . import permissions
from .models import (
    Consultation,
    ConsultationResponse,
    FollowUpReport,
    Indicator,
    Initiative,
    PeriodEvaluation,
    ResponseAttachment,
)


def changeable_initiative(user, pk: int, *, message: str | None = None) -> Initiative:
    return get_permitted(
        user,
        Initiative.objects.select_related("status", "lead_organisation", "lead_municipality"),
        permissions.can_change_initiative,
        message=message,
        pk=pk,
    )


def verifiable_initiative(user, pk: int) -> Initiative:
    return get_permitted(user, Initiative, permissions.can_verify_initiative, pk=pk)


def managed_indicator(user, code: str) -> Indicator:
    """An indicator to edit or delete, with its plan and level."""
    return get_permitted(
        user,
        Indicator.objects.select_related("plan", "focus_area", "priority_area__focus_area", "initiative"),
        permissions.can_manage_indicators,
        code=code,
    )


def visible_report(user, slug: str, year: int) -> FollowUpReport:
    return get_object_or_404(
        permissions.reports_visible_to(user).select_related("plan", "published_text"), plan__slug=slug, year=year
    )


def editable_report(user, slug: str, year: int) -> FollowUpReport:
    return get_permitted(
        user, FollowUpReport.objects.select_related("plan"), permissions.can_edit_report, plan__slug=slug, year=year
    )


def managed_consultation(user, pk: int) -> Consultation:
    return get_permitted(user, Consultation.objects.select_related("plan"), permissions.can_manage_consultation, pk=pk)


def downloadable_attachment(user, pk: int) -> ResponseAttachment:
    return get_permitted(
        user,
        ResponseAttachment.objects.select_related(
            "response__organisation", "response__municipality", "response__consultation"
        ),
        permissions.can_download_response_attachment,
        pk=pk,
    )


def managed_response(user, pk: int) -> ConsultationResponse:
    """A response whose disposition and secrecy the user records (the coordinator)."""
    return get_permitted(
        user,
        ConsultationResponse.objects.select_related(
            "consultation__plan", "organisation", "municipality", "submitted_by"
        ).prefetch_related("sections__focus_area", "sections__priority_area__focus_area", "attachments"),
        lambda u, r: permissions.can_manage_consultation(u, r.consultation),
        pk=pk,
    )


def visible_evaluation(user, slug: str) -> PeriodEvaluation:
    """A plan's evaluation: a draft answers 404 to those who may not see drafts."""
    evaluation = get_object_or_404(PeriodEvaluation.objects.select_related("plan"), plan__slug=slug)
    if not permissions.can_view_evaluation(user, evaluation):
        raise Http404
    return evaluation


def editable_evaluation(user, slug: str) -> PeriodEvaluation:
    return get_permitted(
        user, PeriodEvaluation.objects.select_related("plan"), permissions.can_edit_evaluation, plan__slug=slug
    )
