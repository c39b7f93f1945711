"""Reads shared by every app."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from .models import AuditEntry, Municipality


def history_for(obj: models.Model) -> QuerySet[AuditEntry]:
    """The change history of one object, newest first (reads of personal data left out)."""
    return (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
            object_id=str(obj.pk),
        )
        .exclude(action=AuditEntry.Action.READ)
        .select_related("actor")
    )


def county_municipalities(county_code: str = "18") -> QuerySet[Municipality]:
    return Municipality.objects.filter(county_code=county_code).order_by("name_key")
