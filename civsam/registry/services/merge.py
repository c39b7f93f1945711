"""Merging an actor without an orgnr into an organisation with one (ADR 0097).

Everything that points at the one is moved to the other, whatever app it lives in: every foreign
key and many-to-many link to Organisation is found through the model's relations, so a new app's
records follow without a change here. A record that cannot move (the other organisation already
has its counterpart, a unique rule says no) stops the whole merge with a Swedish message, and
nothing is written. The merged actor's Civsam identifier and change history stay with the
organisation it became (models.MergedActor)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from .. import permissions
from ..models import DuplicateCandidate, MergedActor, Organisation
from .organisations import M2M_FIELDS


def _conflict(model: type[models.Model]) -> ValidationError:
    return ValidationError(
        _("Aktörerna kan inte föras samman: båda har %(things)s som inte kan finnas två gånger. Ta bort den ena först.")
        % {"things": model._meta.verbose_name_plural},
        code="conflict",
    )


def _move_links(source: Organisation, target: Organisation) -> dict[str, int]:
    moved: dict[str, int] = {}
    for rel in Organisation._meta.related_objects:
        model = rel.related_model
        if model in (MergedActor, DuplicateCandidate):
            continue
        if rel.many_to_many:
            # Another model's many-to-many field to Organisation: move the links, drop doubles.
            through = rel.through
            org_field = rel.field.m2m_reverse_field_name()
            other_field = rel.field.m2m_field_name()
            links = through.objects.filter(**{org_field: source})
            already = set(through.objects.filter(**{org_field: target}).values_list(f"{other_field}_id", flat=True))
            doubles = links.filter(**{f"{other_field}_id__in": already})
            doubles.delete()
            count = links.update(**{org_field: target})
        else:
            name = rel.field.name
            try:
                with transaction.atomic():
                    count = model._default_manager.filter(**{name: source}).update(**{name: target})
            except IntegrityError as exc:
                raise _conflict(model) from exc
        if count:
            moved[model._meta.label_lower] = count
    return moved


@transaction.atomic
def organisations_merge(*, actor, source: Organisation, target: Organisation) -> Organisation:
    """Move everything of `source` (an actor without an orgnr) to `target` (one with an orgnr),
    remove `source`, and keep its identifier as an alias; returns the target."""
    source = Organisation.objects.select_for_update().get(pk=source.pk)
    target = Organisation.objects.select_for_update().get(pk=target.pk)
    if actor is not None and not permissions.can_merge_organisations(actor, source, target):
        raise PermissionDenied(_("Du får inte föra samman de här aktörerna."))
    if source.pk == target.pk:
        raise ValidationError(_("Välj en annan organisation att föra samman med."), code="same")
    if source.orgnr:
        raise ValidationError(_("Bara en aktör utan organisationsnummer kan föras samman med en annan."), code="orgnr")
    if not target.orgnr:
        raise ValidationError(
            _("Välj en organisation med organisationsnummer att föra samman med."), code="target_orgnr"
        )
    identifier, label = source.civsam_id, f"{source.name} ({source.civsam_id})"
    moved = _move_links(source, target)
    for name in M2M_FIELDS:
        getattr(target, name).add(*getattr(source, name).all())
    MergedActor.objects.filter(into=source).update(into=target)
    DuplicateCandidate.objects.filter(models.Q(first=source) | models.Q(second=source)).delete()
    MergedActor.objects.create(
        identifier=identifier,
        former_pk=source.pk,
        name=source.name,
        into=target,
        merged_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=source,
        changes={"merged_into": [label, f"{target.name} ({target.orgnr_display})"]},
        note=f"sammanförd med {target.civsam_id}",
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=target,
        changes={"merged": [label, f"{target.name} ({target.orgnr_display})"], **{k: [0, v] for k, v in moved.items()}},
        note=f"{identifier} sammanförd hit",
    )
    source.delete()
    return target
