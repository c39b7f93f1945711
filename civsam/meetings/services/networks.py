"""Writes for networks: creation, membership requests decided by the coordinator, representatives."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.accounts.scopes import scope_for
from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from .. import permissions
from ..models import Network, NetworkMembership, NetworkRepresentative


@transaction.atomic
def network_create(*, actor=None, **fields) -> Network:
    if actor is not None and not scope_for(actor).is_staff_like:
        raise PermissionDenied(_("Du får inte skapa nätverk."))
    network = Network(**fields)
    network.full_clean()
    network.save()
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=network)
    return network


@transaction.atomic
def membership_request(*, actor, network: Network, organisation) -> NetworkMembership:
    if actor is not None and not permissions.can_request_membership(actor, network, organisation):
        raise PermissionDenied(_("Du får inte ansöka om medlemskap för den organisationen."))
    if NetworkMembership.objects.filter(
        network=network, organisation=organisation, status__in=["requested", "active"]
    ).exists():
        raise ValidationError(_("Organisationen är redan medlem eller har redan ansökt."))
    membership = NetworkMembership.objects.create(network=network, organisation=organisation)
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=membership)
    return membership


@transaction.atomic
def membership_decide(*, actor, membership: NetworkMembership, approve: bool, today=None) -> NetworkMembership:
    if actor is not None and not permissions.can_manage_network(actor, membership.network):
        raise PermissionDenied(_("Bara nätverkets samordnare kan besluta om medlemskap."))
    if membership.status != NetworkMembership.Status.REQUESTED:
        raise ValidationError(_("Ansökan är redan avgjord."))
    before = membership.status
    if approve:
        membership.status = NetworkMembership.Status.ACTIVE
        membership.joined_on = today or timezone.localdate()
    else:
        membership.status = NetworkMembership.Status.DECLINED
    membership.save(update_fields=["status", "joined_on", "updated_at"])
    audit_log(
        actor=actor, action=AuditEntry.Action.UPDATE, obj=membership, changes={"status": [before, membership.status]}
    )
    return membership


@transaction.atomic
def membership_end(*, actor, membership: NetworkMembership, today=None) -> NetworkMembership:
    if actor is not None and not (
        permissions.can_manage_network(actor, membership.network)
        or membership.organisation_id in scope_for(actor).organisation_ids
    ):
        raise PermissionDenied(_("Du får inte avsluta medlemskapet."))
    membership.status = NetworkMembership.Status.ENDED
    membership.ended_on = today or timezone.localdate()
    membership.save(update_fields=["status", "ended_on", "updated_at"])
    membership.representatives.filter(ends_on__isnull=True).update(ends_on=membership.ended_on)
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=membership, changes={"status": ["active", "ended"]})
    return membership


@transaction.atomic
def representative_add(
    *, actor, membership: NetworkMembership, name: str, position: str, starts_on, ends_on=None
) -> NetworkRepresentative:
    if actor is not None and not (
        permissions.can_manage_network(actor, membership.network)
        or membership.organisation_id in scope_for(actor).organisation_ids
    ):
        raise PermissionDenied(_("Du får inte ändra representanter för medlemskapet."))
    if membership.status != NetworkMembership.Status.ACTIVE:
        raise ValidationError(_("Representanter kan bara läggas till för aktiva medlemmar."))
    representative = NetworkRepresentative(
        membership=membership, name=name, position=position, starts_on=starts_on, ends_on=ends_on
    )
    representative.full_clean()
    representative.save()
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=representative, note=f"network {membership.network_id}")
    return representative
