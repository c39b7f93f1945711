"""The registry's part of a person's data export (accounts.personal_data, ADR 0080): the duplicate
pairs they decided and the files they imported. Both stay when the account is deleted: they are
the register's record, and the account is shown as "borttagen användare"."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser

from civsam.accounts.personal_data import register

from .models import DuplicateCandidate, ImportRun


def export(user: AbstractBaseUser) -> dict[str, Any]:
    return {
        "duplicateReviews": [
            {
                "organisations": [d.first_id, d.second_id],
                "status": d.status,
                "reviewedAt": d.reviewed_at.isoformat() if d.reviewed_at else None,
            }
            for d in DuplicateCandidate.objects.filter(reviewed_by_id=user.pk).order_by("reviewed_at", "id")
        ],
        "imports": [
            {
                "at": run.at.isoformat(),
                "filename": run.filename,
                "created": run.created,
                "updated": run.updated,
                "unchanged": run.unchanged,
                "rejected": run.rejected,
            }
            for run in ImportRun.objects.filter(actor_id=user.pk).order_by("at", "id")
        ],
    }


def register_provider() -> None:
    register("registry", export=export)
