"""Undoing a merge of two organisations (ADR 0117), within reason.

The merge kept what it needs (OrganisationMerge.undo_data): both organisations as they were, the
ids of every row it moved, and the rows it dropped as already there. An undo puts the merged
organisation back under its old id (its audit entries keep that id, so its history returns with
it), moves back the rows that still point at the kept one, puts back the dropped rows, and gives
the kept organisation back the values and lists it had before. What happened since stays: a row
moved on to a third organisation is left where it is, and a field changed on the kept
organisation after the merge keeps its new value unless the merge chose it.

Refused: a merge already undone, one older than UNDO_DAYS, one made before undo existed, and one
whose organisation number or id has been taken since.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log, model_diff

from .. import permissions
from ..models import MergedActor, Organisation, OrganisationMerge
from .duplicate_review import duplicates_detect
from .merging import CHOICES
from .organisations import M2M_FIELDS, _apply, organisation_snapshot

UNDO_DAYS = 90


def merge_undo_refusal(merge: OrganisationMerge, *, now: datetime.datetime | None = None) -> str:
    """Why the merge cannot be undone, or "" if it can (permission aside)."""
    now = now or timezone.now()
    if merge.undone_at is not None:
        return _("Sammanslagningen är redan ångrad.")
    if not merge.undo_data:
        return _("Sammanslagningen gjordes innan Civsam sparade vad som flyttades och kan inte ångras.")
    if now - merge.at > datetime.timedelta(days=UNDO_DAYS):
        return _("Sammanslagningen är äldre än %(days)s dagar och kan inte längre ångras.") % {"days": UNDO_DAYS}
    if Organisation.objects.filter(pk=merge.merged_id).exists():
        return _("Den sammanslagna organisationens id används igen.")
    holders = Organisation.objects.filter(orgnr=merge.merged_orgnr)
    if "orgnr" in merge.taken_fields:
        holders = holders.exclude(pk=merge.kept_id)  # the kept one gives it back
    if merge.merged_orgnr and holders.exists():
        return _("Organisationsnumret %(orgnr)s finns nu hos en annan organisation.") % {
            "orgnr": merge.merged_orgnr_display
        }
    return ""


def _restore(records: list[dict[str, Any]]) -> int:
    """Save serialised rows back under their old ids; a row whose id is taken is skipped."""
    restored = 0
    for item in serializers.deserialize("python", records, ignorenonexistent=True):
        model = type(item.object)
        if model._base_manager.filter(pk=item.object.pk).exists():
            continue
        item.save()
        restored += 1
    return restored


@transaction.atomic
def organisation_merge_undo(*, actor, merge: OrganisationMerge) -> Organisation:
    """Undo a merge; returns the organisation put back."""
    merge = OrganisationMerge.objects.select_for_update().select_related("kept").get(pk=merge.pk)
    keep = Organisation.objects.select_for_update().get(pk=merge.kept_id)
    if actor is not None and not permissions.can_merge_organisations(actor, keep, keep):
        raise PermissionDenied(_("Du får inte ångra sammanslagningar i den här kommunen."))
    refusal = merge_undo_refusal(merge)
    if refusal:
        raise ValidationError(refusal)
    data = merge.undo_data
    before = organisation_snapshot(keep)

    # The kept organisation gets back the values the merge took from the other, and its own lists.
    old = data["kept"]["fields"]
    for key in merge.taken_fields:
        for name in CHOICES.get(key, ()):
            field = Organisation._meta.get_field(name)
            setattr(keep, field.attname, field.to_python(old.get(name)))
    _apply(keep, {})  # the search document and sort key follow the name
    keep.save()
    for name in M2M_FIELDS:
        getattr(keep, name).set(old.get(name) or [])

    # The merged organisation under its old id, with its own lists; an actor's alias goes (ADR 0097).
    MergedActor.objects.filter(former_pk=merge.merged_id, into=keep).delete()
    _restore([data["merged"]])
    restored = Organisation.objects.get(pk=merge.merged_id)

    # The rows moved to the kept one go back, if they are still there.
    moved_back = 0
    for label, fields in data["moved"].items():
        model = apps.get_model(label)
        for field, ids in fields.items():
            moved_back += model._base_manager.filter(pk__in=ids, **{field: keep}).update(**{field: restored})
    dropped_back = _restore(data["dropped"])

    merge.undone_at = timezone.now()
    merge.undone_by = actor if getattr(actor, "is_authenticated", False) else None
    merge.save(update_fields=["undone_at", "undone_by"])
    note = _("Sammanslagningen med %(name)s är ångrad.")
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=restored,
        note=note % {"name": keep.name}
        + " "
        + _("%(moved)s poster flyttade tillbaka, %(restored)s återställda.")
        % {"moved": moved_back, "restored": dropped_back},
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=keep,
        changes=model_diff(before, organisation_snapshot(keep)),
        note=note % {"name": restored.name},
    )
    duplicates_detect(organisation_ids={keep.pk, restored.pk}, municipality_ids={restored.municipality_id})
    return restored
