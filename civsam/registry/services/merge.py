"""Merging an actor without an orgnr into an organisation with one (ADR 0097).

The moving itself is the one generic merge (services/merging.py, ADR 0106): every row anywhere in
Civsam that points at the actor follows it, all or nothing, and an OrganisationMerge row keeps what
it was. What this adds: only an actor without an orgnr merges, only into one with an orgnr, and the
actor's Civsam identifier stays as an alias (models.MergedActor) so old links lead to the
organisation it became."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import permissions
from ..models import MergedActor, Organisation
from .merging import organisations_merge


@transaction.atomic
def actor_merge(*, actor, source: Organisation, target: Organisation) -> Organisation:
    """Move everything of `source` (an actor without an orgnr) to `target` (one with an orgnr),
    remove `source`, and keep its identifier as an alias; returns the target."""
    source = Organisation.objects.select_for_update().get(pk=source.pk)
    target = Organisation.objects.select_for_update().get(pk=target.pk)
    if actor is not None and not permissions.can_merge_actor(actor, source, target):
        raise PermissionDenied(_("Du får inte föra samman de här aktörerna."))
    if source.pk == target.pk:
        raise ValidationError(_("Välj en annan organisation att föra samman med."), code="same")
    if source.orgnr:
        raise ValidationError(_("Bara en aktör utan organisationsnummer kan föras samman med en annan."), code="orgnr")
    if not target.orgnr:
        raise ValidationError(
            _("Välj en organisation med organisationsnummer att föra samman med."), code="target_orgnr"
        )
    identifier, former_pk, name = source.civsam_id, source.pk, source.name
    organisations_merge(actor=actor, keep=target, remove=source)
    MergedActor.objects.create(
        identifier=identifier,
        former_pk=former_pk,
        name=name,
        into=target,
        merged_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    target.refresh_from_db()
    return target
