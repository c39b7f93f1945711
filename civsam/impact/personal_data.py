"""Impact's part of a person's data export (accounts.personal_data, ADR 0080): the social-value
analyses they wrote, sent for review or reviewed. Analyses belong to an organisation or a
municipality and stay when the account is deleted, shown as by "borttagen användare"."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser

from civsam.accounts.personal_data import register

from .models import SocialValueAnalysis


def _analyses(**condition: Any) -> list[dict[str, Any]]:
    return [
        {"id": a.pk, "title": a.title, "status": a.status}
        for a in SocialValueAnalysis.objects.filter(**condition).order_by("id")
    ]


def export(user: AbstractBaseUser) -> dict[str, Any]:
    return {
        "analysesAuthored": _analyses(author_id=user.pk),
        "analysesSubmitted": _analyses(submitted_by_id=user.pk),
        "analysesReviewed": _analyses(reviewer_id=user.pk),
    }


def register_provider() -> None:
    register("impact", export=export)
