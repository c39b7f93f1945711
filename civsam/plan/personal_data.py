"""The plan's part of a person's data export (accounts.personal_data, ADR 0080): consultation
answers they submitted, consultations they opened, initiatives they registered or verified,
indicator values they recorded and report texts they wrote or published. All of it is the plan's
public record and stays when the account is deleted, shown as by "borttagen användare"."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser

from civsam.accounts.personal_data import register

from .models import (
    Consultation,
    ConsultationResponse,
    FollowUpReport,
    IndicatorValue,
    Initiative,
    ReportText,
)


def _respondent(response: ConsultationResponse) -> str:
    if response.organisation_id:
        return response.organisation.name
    if response.municipality_id:
        return response.municipality.name
    return response.respondent_name


def export(user: AbstractBaseUser) -> dict[str, Any]:
    responses = (
        ConsultationResponse.objects.filter(submitted_by_id=user.pk)
        .select_related("consultation", "organisation", "municipality")
        .prefetch_related("sections")
        .order_by("created_at", "id")
    )
    return {
        "consultationResponses": [
            {
                "consultation": {"id": r.consultation_id, "title": r.consultation.title},
                "respondent": _respondent(r),
                "generalComment": r.general_comment,
                "sections": [s.text for s in r.sections.all()],
                "submittedAt": r.created_at.isoformat(),
            }
            for r in responses
        ],
        "consultationsOpened": [
            {"id": c.pk, "title": c.title} for c in Consultation.objects.filter(created_by_id=user.pk).order_by("id")
        ],
        "initiativesRegistered": [
            {"id": i.pk, "title": i.title} for i in Initiative.objects.filter(created_by_id=user.pk).order_by("id")
        ],
        "initiativesVerified": [
            {"id": i.pk, "title": i.title, "verifiedAt": i.verified_at.isoformat() if i.verified_at else None}
            for i in Initiative.objects.filter(verified_by_id=user.pk).order_by("id")
        ],
        "indicatorValuesRecorded": [
            {"indicator": v.indicator_id, "year": v.year, "recordedAt": v.recorded_at.isoformat()}
            for v in IndicatorValue.objects.filter(recorded_by_id=user.pk).order_by("indicator_id", "year")
        ],
        "reportTextsWritten": [
            {"report": str(t.report), "version": t.version, "createdAt": t.created_at.isoformat()}
            for t in ReportText.objects.filter(author_id=user.pk).select_related("report__plan").order_by("id")
        ],
        "reportsPublished": [
            {"report": str(r), "publishedAt": r.published_at.isoformat() if r.published_at else None}
            for r in FollowUpReport.objects.filter(published_by_id=user.pk).select_related("plan").order_by("id")
        ],
    }


def register_provider() -> None:
    register("plan", export=export)
