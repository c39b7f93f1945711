"""Funding's part of a person's data export (accounts.personal_data, ADR 0080): the calls they
published, the call notices they subscribed an organisation to, the decision lists they imported,
the applications they started and the reviews they were assigned. All stay when the account is
deleted (a subscription or an application is the organisation's), shown as by "borttagen
användare"."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser

from civsam.accounts.personal_data import register

from .models import Application, CallSubscription, FundingCall, GrantImportRun, ReviewAssignment


def export(user: AbstractBaseUser) -> dict[str, Any]:
    return {
        "callsCreated": [
            {"id": c.pk, "title": c.title} for c in FundingCall.objects.filter(created_by_id=user.pk).order_by("id")
        ],
        "callSubscriptions": [
            {"organisation": s.organisation.name, "email": s.email, "createdAt": s.created_at.isoformat()}
            for s in CallSubscription.objects.filter(created_by_id=user.pk)
            .select_related("organisation")
            .order_by("id")
        ],
        "decisionImports": [
            {"at": run.at.isoformat(), "funder": run.funder.name, "filename": run.filename}
            for run in GrantImportRun.objects.filter(actor_id=user.pk).select_related("funder").order_by("at", "id")
        ],
        "applicationsStarted": [
            {"id": a.pk, "title": a.title, "organisation": a.organisation.name, "caseNumber": a.case_number}
            for a in Application.objects.filter(created_by_id=user.pk).select_related("organisation").order_by("id")
        ],
        "reviews": [
            {"application": r.application_id, "status": r.status, "conflictNote": r.conflict_note, "comment": r.comment}
            for r in ReviewAssignment.objects.filter(reviewer_id=user.pk).order_by("id")
        ],
    }


def register_provider() -> None:
    register("funding", export=export)
