"""Named representatives of a member organisation, each in a position for a period. Appointing one
binds a person to the member: it needs acting for the member or managing the network."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from ... import permissions
from ...models import NetworkMembership, NetworkRepresentative

Status = NetworkMembership.Status


@transaction.atomic
def representative_add(
    *,
    actor,
    membership: NetworkMembership,
    name: str,
    position: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
) -> NetworkRepresentative:
    if actor is not None and not permissions.can_change_membership(actor, membership):
        raise PermissionDenied(_("Du får inte ändra representanter för medlemskapet."))
    if membership.network.is_closed:
        raise ValidationError(_("Nätverket är avslutat och kan inte ändras."))
    if membership.status != Status.ACTIVE:
        raise ValidationError(_("Representanter kan bara läggas till för aktiva medlemmar."))
    representative = NetworkRepresentative(
        membership=membership, name=name.strip(), position=position, starts_on=starts_on, ends_on=ends_on
    )
    representative.full_clean()
    representative.save()
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=representative, note=f"network {membership.network_id}")
    return representative


@transaction.atomic
def representative_end(*, actor, representative: NetworkRepresentative, on: datetime.date) -> NetworkRepresentative:
    """End a representative's assignment on `on` (not before it started); the record is kept."""
    membership = representative.membership
    if actor is not None and not permissions.can_change_membership(actor, membership):
        raise PermissionDenied(_("Du får inte ändra representanter för medlemskapet."))
    if membership.network.is_closed:
        raise ValidationError(_("Nätverket är avslutat och kan inte ändras."))
    if representative.ends_on is not None and representative.ends_on <= on:
        raise ValidationError(_("Uppdraget har redan avslutats."))
    if on < representative.starts_on:
        raise ValidationError({"ends_on": _("Uppdraget kan inte sluta innan det börjar.")})
    before = representative.ends_on
    representative.ends_on = on
    representative.save(update_fields=["ends_on"])
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=representative,
        changes={"ends_on": [before.isoformat() if before else None, on.isoformat()]},
        note=f"network {membership.network_id}",
    )
    return representative
