"""Memberships: an organisation asks to join and the coordinator decides, or the coordinator invites
and the organisation answers; either ends it. Ended and declined memberships are kept with their
dates, so the network's history stays readable."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log
from civsam.registry.models import Organisation

from ... import permissions
from ...models import Network, NetworkMembership

Status = NetworkMembership.Status


@transaction.atomic
def membership_status_change(
    *, actor, membership: NetworkMembership, to: str, on: datetime.date, closing: bool = False
) -> NetworkMembership:
    """The one place a membership's status changes, along NetworkMembership.WORKFLOW (a
    ValidationError for a step the workflow lacks, or in a closed network unless it is the
    closing itself). Joining and ending are dated `on`; an ended membership's representatives end
    with it."""
    if membership.network.is_closed and not closing:
        raise ValidationError(_("Nätverket är avslutat och kan inte ändras."))
    before = membership.status
    NetworkMembership.WORKFLOW.action(before, to)
    membership.status = to
    if to == Status.ACTIVE:
        membership.joined_on = on
    if to == Status.ENDED:
        membership.ended_on = on
    membership.save(update_fields=["status", "joined_on", "ended_on", "updated_at"])
    if to == Status.ENDED:
        # An assignment that was to start after the end is cut to the last day, then all end with it.
        membership.representatives.filter(starts_on__gt=on).update(starts_on=on)
        membership.representatives.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on)).update(ends_on=on)
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=membership, changes={"status": [before, to]})
    return membership


def _create(*, actor, network: Network, organisation: Organisation, status: str) -> NetworkMembership:
    if network.is_closed:
        raise ValidationError(_("Nätverket är avslutat och kan inte ändras."))
    if NetworkMembership.objects.filter(
        network=network, organisation=organisation, status__in=NetworkMembership.OPEN
    ).exists():
        raise ValidationError(_("Organisationen är redan medlem, inbjuden eller har redan ansökt."))
    try:
        with transaction.atomic():
            membership = NetworkMembership.objects.create(network=network, organisation=organisation, status=status)
    except IntegrityError as exc:  # two people at once: the database's constraint decides
        raise ValidationError(_("Organisationen är redan medlem, inbjuden eller har redan ansökt.")) from exc
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=membership, changes={"status": [None, status]})
    return membership


@transaction.atomic
def membership_request(*, actor, network: Network, organisation: Organisation) -> NetworkMembership:
    """The organisation asks to join; the network's coordinators decide (membership_decide)."""
    if actor is not None and not permissions.can_request_membership(actor, network, organisation):
        raise PermissionDenied(_("Du får inte ansöka om medlemskap för den organisationen."))
    return _create(actor=actor, network=network, organisation=organisation, status=Status.REQUESTED)


@transaction.atomic
def membership_invite(
    *, actor, network: Network, organisation: Organisation, today: datetime.date | None = None
) -> NetworkMembership:
    """The coordinator offers the organisation membership; whoever acts for it answers
    (membership_answer). Being a member binds the organisation to the network, so a coordinator who
    also acts for the organisation (or no actor, an import) makes it a member at once."""
    if actor is not None and not permissions.can_add_member(actor, network):
        raise PermissionDenied(_("Bara nätverkets samordnare kan bjuda in medlemmar."))
    membership = _create(actor=actor, network=network, organisation=organisation, status=Status.INVITED)
    if actor is None or permissions.can_answer_invitation(actor, membership):
        membership_status_change(actor=actor, membership=membership, to=Status.ACTIVE, on=today or timezone.localdate())
    return membership


@transaction.atomic
def membership_answer(
    *, actor, membership: NetworkMembership, accept: bool, today: datetime.date | None = None
) -> NetworkMembership:
    """The invited organisation accepts or refuses the invitation."""
    if actor is not None and not permissions.can_answer_invitation(actor, membership):
        raise PermissionDenied(_("Bara den som företräder organisationen kan svara på inbjudan."))
    if membership.status != Status.INVITED:
        raise ValidationError(_("Inbjudan är redan besvarad."))
    return membership_status_change(
        actor=actor,
        membership=membership,
        to=Status.ACTIVE if accept else Status.DECLINED,
        on=today or timezone.localdate(),
    )


@transaction.atomic
def membership_decide(
    *, actor, membership: NetworkMembership, approve: bool, today: datetime.date | None = None
) -> NetworkMembership:
    """The network's coordinators approve or decline a request to join."""
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
    """End a membership, withdraw a request not yet decided, or withdraw an invitation not yet
    answered. The membership is kept, dated, in the network's history."""
    if actor is not None and not permissions.can_change_membership(actor, membership):
        raise PermissionDenied(_("Du får inte avsluta medlemskapet."))
    return membership_status_change(
        actor=actor, membership=membership, to=Status.ENDED, on=today or timezone.localdate()
    )
