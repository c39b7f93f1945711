"""Writes shared by every app: the audit log."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from .collation import sort_key
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


def audit_entry(*, actor, action: str, obj: models.Model, changes: dict | None = None, note: str = "") -> AuditEntry:
    """The audit entry for a change of `obj`, unsaved: audit_log saves it; a hot path that writes the
    object and its entry in one SQL statement (meetings' registrations, ADR 0094) takes its fields
    from here, so that what an entry holds is decided in one place. `object_id` is "" while `obj`
    has no primary key yet."""
    return AuditEntry(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id="" if obj.pk is None else str(obj.pk),
        object_repr=str(obj)[:300],
        changes=changes or {},
        note=note[:300],
    )


def audit_log(*, actor, action: str, obj: models.Model, changes: dict | None = None, note: str = "") -> AuditEntry:
    entry = audit_entry(actor=actor, action=action, obj=obj, changes=changes, note=note)
    entry.save(force_insert=True)
    return entry


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
        upsert_by_key(
            Municipality,
            ("code",),
            [
                {
                    "code": item["code"],
                    "name": item["name"],
                    "official_name": item["official_name"],
                    "name_key": sort_key(item["name"]),
                    "county_code": county["code"],
                    "county_name": county["name"],
                    "population": item["population"],
                    "population_date": datetime.date.fromisoformat(county["population_date"]),
                    "population_source": "SCB via Regionfakta, folkmängd 31 december 2023",
                }
                for item in municipalities["items"]
            ],
        )
        counts["municipalities"] = len(municipalities["items"])
        legal_forms = read("legal_forms.json")["items"]
        upsert_by_key(
            LegalForm,
            ("code",),
            [
                {
                    "code": item["code"],
                    "name_sv": item["name_sv"],
                    "name_en": item["name_en"],
                    "is_civil_society": item["civil_society"],
                    "default_sector": item["sector"],
                    "source": item.get("source", ""),
                    "note_sv": item.get("note_sv", ""),
                    "note_en": item.get("note_en", ""),
                }
                for item in legal_forms
            ],
        )
        counts["legal_forms"] = len(legal_forms)
        activities = read("activity_classes.json")["items"]
        upsert_by_key(ActivityClass, ("code",), _coded(activities))
        counts["activity_classes"] = len(activities)
        principles_roles = read("principles_roles.json")
        for model, key in ((Principle, "principles"), (SocietalRole, "roles")):
            upsert_by_key(model, ("code",), _coded(principles_roles[key]))
            counts[key] = len(principles_roles[key])
    return counts


def _coded(items: list[dict]) -> list[dict]:
    return [
        {"code": item["code"], "name_sv": item["name_sv"], "name_en": item["name_en"], "sort_order": order}
        for order, item in enumerate(items, start=1)
    ]


def upsert_by_key(
    model: type[models.Model], key: tuple[str, ...], rows: list[dict[str, Any]], *, update: bool = True
) -> dict[tuple, models.Model]:
    """Create the rows that are missing (one bulk insert) and, with update, bring the others up to date.

    Rows are field values by attribute name (plan_id, not plan), matched on the key fields. What
    update_or_create does one row at a time in three or four queries, here in two or three for
    the whole list: reference data is loaded this way at every start and in most tests. Returns
    every row's object by its key.
    """
    stored = {tuple(getattr(obj, f) for f in key): obj for obj in model.objects.all()}
    found: dict[tuple, models.Model] = {}
    missing = []
    for row in rows:
        identity = tuple(row[f] for f in key)
        obj = stored.get(identity)
        if obj is None:
            obj = model(**row)
            missing.append(obj)
        elif update:
            changed = [f for f, value in row.items() if getattr(obj, f) != value]
            for f in changed:
                setattr(obj, f, row[f])
            if changed:
                obj.save(update_fields=[model._meta.get_field(f).name for f in changed])
        found[identity] = obj
    model.objects.bulk_create(missing)
    return found


# --- Files rendered in the background (report PDFs), ADR 0049 ---------------------------------

# A queued or running row older than this is taken as lost (a worker that died) and queued again.
RENDER_STALE_AFTER = datetime.timedelta(minutes=15)
# A failed row is tried again by the next request after this long, or at once when asked for.
RENDER_RETRY_FAILED_AFTER = datetime.timedelta(minutes=5)


def _render_due(row, *, now: datetime.datetime, retry_failed: bool) -> bool:
    Status = row.Status
    if row.status == Status.FAILED:
        return retry_failed or (row.finished_at or row.queued_at) < now - RENDER_RETRY_FAILED_AFTER
    if row.status in (Status.QUEUED, Status.RUNNING):
        return (row.started_at or row.queued_at) < now - RENDER_STALE_AFTER
    return False


def _render_enqueue(row) -> None:
    from .tasks import render_file

    label, pk = row._meta.label, row.pk
    transaction.on_commit(lambda: render_file.enqueue(label, pk))


def rendered_file_request(
    *,
    model,
    owner: dict[str, Any],
    language: str,
    version: str,
    defaults: dict[str, Any] | None = None,
    actor=None,
    retry_failed: bool = False,
):
    """The row for this owner, language and data version, queued for rendering (after commit) if it
    is new, failed (when retry_failed or after a pause) or lost. The caller checks permissions."""
    from django.db import IntegrityError
    from django.utils import timezone

    lookup = {**owner, "language": language, "version": version}
    now = timezone.now()
    with transaction.atomic():
        row = model.objects.select_for_update().filter(**lookup).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = model.objects.create(
                        **lookup,
                        **(defaults or {}),
                        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
                    )
            except IntegrityError:  # another request created it first
                return model.objects.get(**lookup)
            _render_enqueue(row)
            return row
        if _render_due(row, now=now, retry_failed=retry_failed):
            row.status = model.Status.QUEUED
            row.queued_at = now
            row.started_at = None
            row.finished_at = None
            row.error = ""
            row.save(update_fields=["status", "queued_at", "started_at", "finished_at", "error"])
            _render_enqueue(row)
    return row


def rendered_file_render(*, model, pk: int) -> str:
    """Run by the worker: render a queued row and store the file, or record why it failed."""
    import logging

    from django.core.files.base import ContentFile
    from django.utils import timezone, translation
    from django.utils.module_loading import import_string
    from django.utils.translation import gettext

    with transaction.atomic():
        row = model.objects.select_for_update().filter(pk=pk).first()
        if row is None or row.status != model.Status.QUEUED:
            return "skipped"
        row.status = model.Status.RUNNING
        row.started_at = timezone.now()
        row.attempts += 1
        row.save(update_fields=["status", "started_at", "attempts"])
    try:
        content = import_string(model.RENDERER)(row)
        name = f"{row.pk}-{row.language}-{row.version[:12]}.{model.FILE_EXTENSION}"
        stored = row.file.storage.save(row.file.field.generate_filename(row, name), ContentFile(content))
    except Exception as exc:
        logging.getLogger(__name__).exception("Rendering %s %s failed", model._meta.label, pk)
        with translation.override("sv"):
            message = gettext(
                "Filen kunde inte skapas. Försök igen om en stund; om felet kvarstår, kontakta "
                "systemförvaltningen. Tekniskt fel: %(kind)s."
            ) % {"kind": type(exc).__name__}
        model.objects.filter(pk=pk).update(status=model.Status.FAILED, error=message, finished_at=timezone.now())
        raise
    model.objects.filter(pk=pk).update(status=model.Status.DONE, file=stored, error="", finished_at=timezone.now())
    return "done"


def rendered_files_prune(*, older_than: datetime.timedelta, now: datetime.datetime | None = None) -> int:
    """Remove superseded rendered files: for every owner and language the newest finished file stays
    (unless the model says KEEP_NEWEST = False, as one-off exports do); older finished or failed
    rows queued before the cut-off go, with their files. Queued and running rows are left to the
    worker. Returns the number of rows removed."""
    from django.apps import apps
    from django.db.models import OuterRef, Subquery
    from django.utils import timezone

    from .models import RenderedFile

    cutoff = (now or timezone.now()) - older_than
    removed = 0
    for model in apps.get_models():
        if not issubclass(model, RenderedFile):
            continue
        Status = model.Status
        newest = model.objects.filter(
            **{model.OWNER: OuterRef(model.OWNER)}, language=OuterRef("language"), status=Status.DONE
        ).order_by("-finished_at", "-pk")
        old = model.objects.filter(status__in=[Status.DONE, Status.FAILED], queued_at__lt=cutoff)
        if model.KEEP_NEWEST:
            old = old.exclude(pk=Subquery(newest.values("pk")[:1]))
        for row in old.iterator():
            with transaction.atomic():
                name = row.file.name
                row.delete()
                if name:
                    storage = row.file.storage
                    transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
            removed += 1
    return removed


def rendered_file_due(row, *, retry_failed: bool = False) -> bool:
    """Whether a request for this row would queue it again (failed, or lost by its worker): for a
    caller that limits how much work may wait (registry's large exports)."""
    from django.utils import timezone

    return _render_due(row, now=timezone.now(), retry_failed=retry_failed)
