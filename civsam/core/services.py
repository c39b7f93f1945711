"""Writes shared by every app: the audit log."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from .models import ActivityClass, AuditEntry, LegalForm, Municipality, Principle, SocietalRole


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return sorted(str(v) for v in value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def model_diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Field-by-field differences as {field: [old, new]}, JSON-ready."""
    diff = {}
    for key in sorted(set(before) | set(after)):
        old, new = _jsonable(before.get(key)), _jsonable(after.get(key))
        if old != new:
            diff[key] = [old, new]
    return diff


def audit_log(*, actor, action: str, obj: models.Model, changes: dict | None = None, note: str = "") -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        changes=changes or {},
        note=note[:300],
    )


def audit_log_bulk(
    *, actor, action: str, model: type[models.Model], entries: Iterable[tuple[Any, str, dict]], note: str = ""
) -> int:
    """Many entries for one model in one INSERT: entries are (pk, repr, changes)."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    actor = actor if getattr(actor, "is_authenticated", False) else None
    rows = [
        AuditEntry(
            actor=actor,
            action=action,
            content_type=content_type,
            object_id=str(pk),
            object_repr=str(label)[:300],
            changes=changes,
            note=note[:300],
        )
        for pk, label, changes in entries
    ]
    AuditEntry.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# Reference data --------------------------------------------------------------------------------

REFERENCE_DIR = Path(__file__).parent / "data"


def reference_data_load() -> dict[str, int]:
    """Create or update municipalities, legal forms, activity classes, principles and roles
    from the data files shipped in core/data (each names its source). Idempotent."""

    def read(name: str) -> dict:
        return json.loads((REFERENCE_DIR / name).read_text(encoding="utf-8"))

    counts = {}
    with transaction.atomic():
        municipalities = read("municipalities.json")
        county = municipalities["county"]
        for item in municipalities["items"]:
            Municipality.objects.update_or_create(
                code=item["code"],
                defaults={
                    "name": item["name"],
                    "county_code": county["code"],
                    "county_name": county["name"],
                    "population": item["population"],
                    "population_date": datetime.date.fromisoformat(county["population_date"]),
                    "population_source": "SCB via Regionfakta, folkmängd 31 december 2023",
                },
            )
        counts["municipalities"] = len(municipalities["items"])
        legal_forms = read("legal_forms.json")["items"]
        for item in legal_forms:
            LegalForm.objects.update_or_create(
                code=item["code"],
                defaults={
                    "name_sv": item["name_sv"],
                    "name_en": item["name_en"],
                    "is_civil_society": item["civil_society"],
                    "note_sv": item.get("note_sv", ""),
                    "note_en": item.get("note_en", ""),
                },
            )
        counts["legal_forms"] = len(legal_forms)
        activities = read("activity_classes.json")["items"]
        for order, item in enumerate(activities, start=1):
            ActivityClass.objects.update_or_create(
                code=item["code"],
                defaults={"name_sv": item["name_sv"], "name_en": item["name_en"], "sort_order": order},
            )
        counts["activity_classes"] = len(activities)
        principles_roles = read("principles_roles.json")
        for model, key in ((Principle, "principles"), (SocietalRole, "roles")):
            for order, item in enumerate(principles_roles[key], start=1):
                model.objects.update_or_create(
                    code=item["code"],
                    defaults={"name_sv": item["name_sv"], "name_en": item["name_en"], "sort_order": order},
                )
            counts[key] = len(principles_roles[key])
    return counts
