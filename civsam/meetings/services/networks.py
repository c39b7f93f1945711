"""Writes for networks: creation, membership requests decided by the coordinator, representatives.
Every change of a membership's status goes through membership_status_change and
NetworkMembership.WORKFLOW."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.accounts.models import User
from civsam.core.models import AuditEntry
from civsam.core.services import audit_log
from civsam.registry.models import Organisation

from .. import permissions
from ..models import Network, NetworkMembership, NetworkRepresentative

Status = NetworkMembership.Status


@transaction.atomic
def network_create(
    *,
    actor,
    name: str,
    slug: str,
    kind: str,
    purpose: str = "",
    visibility: str = Network.Visibility.PUBLIC,
    coordinator: User | None = None,
    parent: Network | None = None,
) -> Network:
    if actor is not None and not permissions.can_create_network(actor):
        raise PermissionDenied(_("Du får inte skapa nätverk."))
    if actor is not None and not permissions.can_create_network(actor, parent=parent):
        raise PermissionDenied(_("Bara samordnaren för ”%(name)s” kan lägga nätverk under det.") % {"name": parent})
    network = Network(
        name=name, slug=slug, kind=kind, purpose=purpose, visibility=visibility, coordinator=coordinator, parent=parent
    )
    network.full_clean()
    network.save()
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=network)
    return network


@transaction.atomic
def membership_status_change(*, actor, membership: NetworkMembership, to: str, on: datetime.date) -> NetworkMembership:
    """The one place a membership's status changes, along NetworkMembership.WORKFLOW (a
    ValidationError for a step the workflow lacks). Joining and ending are dated `on`; an ended
    membership's representatives end with it."""
    before = membership.status
    NetworkMembership.WORKFLOW.action(before, to)
    membership.status = to
    if to == Status.ACTIVE:
        membership.joined_on = on
    if to == Status.ENDED:
        membership.ended_on = on
    membership.save(update_fields=["status", "joined_on", "ended_on", "updated_at"])
    if to == Status.ENDED:
        membership.representatives.filter(ends_on__isnull=True).update(ends_on=on)
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=membership, changes={"status": [before, to]})
    return membership


@transaction.atomic
def membership_request(*, actor, network: Network, organisation: Organisation) -> NetworkMembership:
    if actor is not None and not permissions.can_request_membership(actor, network, organisation):
        raise PermissionDenied(_("Du får inte ansöka om medlemskap för den organisationen."))
    if NetworkMembership.objects.filter(
        network=network, organisation=organisation, status__in=[Status.REQUESTED, Status.ACTIVE]
    ).exists():
        raise ValidationError(_("Organisationen är redan medlem eller har redan ansökt."))
    membership = NetworkMembership.objects.create(network=network, organisation=organisation)
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=membership)
    return membership


@transaction.atomic
def membership_decide(
    *, actor, membership: NetworkMembership, approve: bool, today: datetime.date | None = None
) -> NetworkMembership:
    if actor is not None and not permissions.can_decide_membership(actor, membership):
        raise PermissionDenied(_("Bara nätverkets samordnare kan besluta om medlemskap."))
    if membership.status != Status.REQUESTED:
        raise ValidationError(_("Ansökan är redan avgjord."))
    return membership_status_change(
        actor=actor,
        membership=membership,
        to=Status.ACTIVE if approve else Status.DECLINED,
        on=today or timezone.localdate(),
    )


@transaction.atomic
def membership_end(*, actor, membership: NetworkMembership, today: datetime.date | None = None) -> NetworkMembership:
    """End a membership, or withdraw a request that is not yet decided."""
    if actor is not None and not permissions.can_change_membership(actor, membership):
        raise PermissionDenied(_("Du får inte avsluta medlemskapet."))
    return membership_status_change(
        actor=actor, membership=membership, to=Status.ENDED, on=today or timezone.localdate()
    )


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
    if membership.status != Status.ACTIVE:
        raise ValidationError(_("Representanter kan bara läggas till för aktiva medlemmar."))
    representative = NetworkRepresentative(
        membership=membership, name=name, position=position, starts_on=starts_on, ends_on=ends_on
    )
    representative.full_clean()
    representative.save()
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=representative, note=f"network {membership.network_id}")
    return representative
