"""Merging one organisation into another (ADR 0106), generic over whatever points at an organisation.

A person compares the two side by side and chooses, field by field, which value wins; the
many-to-many lists (municipalities, activity classes, roles) are joined. Every row anywhere in
Civsam that points at the merged organisation (initiatives, partners, events, memberships,
representatives, contact persons, …) is moved to the one kept, found through Django's relations,
so a new app's foreign key is moved without a change here. A row that would then exist twice
(the same representative, the same partner) is dropped, and counted. The merged organisation's
values, id and what moved are kept in an OrganisationMerge row and in the audit log; its own audit
entries keep its id and are shown in the survivor's history.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log, model_diff

from .. import permissions
from ..models import Organisation, OrganisationMerge
from ..selectors import organisation_references
from .duplicate_review import duplicates_detect
from .organisations import FLAG_FIELDS, M2M_FIELDS, SIMPLE_FIELDS, _apply, _save_validated, organisation_snapshot

# What a person chooses between: one field, or a flag with its source and date (they go together).
CHOICES: dict[str, tuple[str, ...]] = {
    **{name: (name,) for name in SIMPLE_FIELDS},
    **{
        flag: (flag, f"{prefix}_source", f"{prefix}_verified_on")
        for flag, prefix in (
            ("social_enterprise", "social_enterprise"),
            ("work_integrating", "work_integrating"),
            ("ideburen_registered", "ideburen"),
        )
    },
}
assert {f for fields in CHOICES.values() for f in fields} == set(SIMPLE_FIELDS + FLAG_FIELDS)


def _move(model: type[models.Model], field: str, one_to_one: bool, source: Organisation, target: Organisation):
    """Point the rows of model at target instead of source; (ids moved, rows dropped as already
    there, serialised so that an undo can put them back)."""
    manager = model._base_manager
    rows = manager.filter(**{field: source})
    ids = list(rows.values_list("pk", flat=True))
    if not ids:
        return [], []
    try:
        with transaction.atomic():
            rows.update(**{field: target})
        return ids, []
    except IntegrityError:
        pass  # some row exists for the target already: one by one
    moved: list[Any] = []
    dropped: list[dict[str, Any]] = []
    for pk in ids:
        try:
            with transaction.atomic():
                manager.filter(pk=pk).update(**{field: target})
            moved.append(pk)
        except IntegrityError:
            if one_to_one:
                raise ValidationError(
                    _("Båda organisationerna har %(what)s; ta bort den ena innan de slås ihop.")
                    % {"what": model._meta.verbose_name}
                ) from None
            dropped += serializers.serialize("python", manager.filter(pk=pk))
            manager.filter(pk=pk).delete()
    return moved, dropped


def _jsonable(data: Any) -> Any:
    """Serialised rows as JSON keeps them (dates and decimals as text; the deserialiser reads them back)."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


@transaction.atomic
def organisations_merge(
    *, actor, keep: Organisation, remove: Organisation, take: Iterable[str] = (), similarity: float | None = None
) -> OrganisationMerge:
    """Merge `remove` into `keep`; the fields named in `take` (keys of CHOICES) get remove's value."""
    take = list(dict.fromkeys(take))
    unknown = sorted(set(take) - set(CHOICES))
    if unknown:
        raise ValidationError(_("Okända uppgifter att välja: %(names)s.") % {"names": ", ".join(unknown)})
    if keep.pk == remove.pk:
        raise ValidationError(_("En organisation kan inte slås ihop med sig själv."))
    locked = {o.pk: o for o in Organisation.objects.select_for_update().filter(pk__in=[keep.pk, remove.pk])}
    if len(locked) != 2:
        raise ValidationError(_("Den ena organisationen finns inte längre; den kan redan ha slagits ihop."))
    keep, remove = locked[keep.pk], locked[remove.pk]
    if actor is not None and not permissions.can_merge_organisations(actor, keep, remove):
        raise PermissionDenied(_("Du får inte slå ihop organisationer i de här kommunerna."))

    before = organisation_snapshot(keep)
    merged_values = organisation_snapshot(remove)
    values: dict[str, Any] = {field: getattr(remove, field) for key in take for field in CHOICES[key]}
    for name in M2M_FIELDS:
        values[name] = list({*getattr(keep, name).all(), *getattr(remove, name).all()})

    # What an undo needs (services/unmerging.py): both records as they were, and every row moved.
    kept_record = serializers.serialize("python", [keep])[0]
    merged_record = serializers.serialize("python", [remove])[0]
    moved: dict[str, dict[str, int]] = {}
    moved_rows: dict[str, dict[str, list[Any]]] = {}
    dropped_rows: list[dict[str, Any]] = []
    for model, field, one_to_one in organisation_references():
        ids, dropped = _move(model, field, one_to_one, remove, keep)
        if ids or dropped:
            entry = moved.setdefault(model._meta.label, {"moved": 0, "dropped": 0})
            entry["moved"] += len(ids)
            entry["dropped"] += len(dropped)
            moved_rows.setdefault(model._meta.label, {}).setdefault(field, []).extend(ids)
            dropped_rows += dropped

    # An actor without an orgnr (ADR 0097) is named by its Civsam identifier instead.
    merged = {"id": remove.pk, "orgnr": remove.orgnr or "", "name": remove.name, "label": remove.key}
    audit_log(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=remove,
        changes=model_diff(merged_values, {}),
        note=_("Sammanslagen med %(name)s (%(orgnr)s).") % {"name": keep.name, "orgnr": keep.orgnr_display or keep.key},
    )
    remove.delete()  # its duplicate pairs go with it; everything else has moved

    m2m = _apply(keep, values)
    _save_validated(keep)
    for name, related in m2m.items():
        getattr(keep, name).set(related)
    merge = OrganisationMerge.objects.create(
        kept=keep,
        merged_id=merged["id"],
        merged_orgnr=merged["orgnr"],
        merged_name=merged["name"],
        merged_values=model_diff({}, merged_values),
        taken_fields=take,
        moved=moved,
        undo_data=_jsonable(
            {"kept": kept_record, "merged": merged_record, "moved": moved_rows, "dropped": dropped_rows}
        ),
        similarity=similarity,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=keep,
        changes=model_diff(before, organisation_snapshot(keep)),
        note=_("%(name)s (%(orgnr)s) är sammanslagen hit.")
        % {"name": merged["name"], "orgnr": merge.merged_orgnr_display or merged["label"]},
    )
    duplicates_detect(organisation_ids={keep.pk}, municipality_ids={keep.municipality_id})
    return merge
