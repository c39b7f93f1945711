"""The organiser moves a registration: to the end of the event's waitlist, or to another event.

To the waitlist: a confirmed seat becomes a place at the end of the queue (the queue is ordered by
created_at, so the registration's created_at becomes now; its audit entries keep when it was made),
and the seat freed is offered to the head of the queue. To another event: a new registration is made
there for the same person (decided by the seat rules of that event: a seat if one is free and
nobody waits, else the waitlist; the organiser's move counts as approval) and the old one is
cancelled, which offers its seat on. Only registrations whose address is proven move (ADR 0078).
The registrant is told by e-mail, with the new links."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from ... import notifications, permissions
from ...models import Event, Registration
from .create import _address_taken, _count_new, _new_code
from .seats import _seat_status, ensure_seats, lock_seats
from .status import _promote, registration_status_change

Status = Registration.Status
MOVABLE = (Status.CONFIRMED, Status.OFFERED, Status.WAITLISTED, Status.AWAITING_APPROVAL)


def _check(actor, registration: Registration) -> None:
    if actor is not None and not permissions.can_manage_event(actor, registration.event):
        raise PermissionDenied(_("Du får inte flytta anmälningar i det här evenemanget."))
    if registration.status not in MOVABLE:
        raise ValidationError(
            _("En anmälan med status ”%(status)s” kan inte flyttas.") % {"status": registration.get_status_display()}
        )


@transaction.atomic
def registration_move_to_waitlist(*, actor, registration: Registration, now: datetime | None = None) -> Registration:
    """A confirmed registration goes to the end of its event's waitlist; its seat is offered on."""
    now = now or timezone.now()
    event = registration.event
    lock_seats(event.pk)
    registration.refresh_from_db()
    _check(actor, registration)
    if registration.status != Status.CONFIRMED:
        raise ValidationError(_("Bara den som har en bekräftad plats kan flyttas till väntelistan."))
    registration_status_change(actor=actor, registration=registration, to=Status.WAITLISTED)
    Registration.objects.filter(pk=registration.pk).update(created_at=now)  # the end of the queue
    registration.created_at = now
    _promote(event, now)
    transaction.on_commit(lambda r=registration: notifications.send_registration_moved(r, from_event=None))
    return registration


@transaction.atomic
def registration_move(
    *, actor, registration: Registration, to_event: Event, now: datetime | None = None
) -> Registration:
    """Move a registration to another event; returns the new registration there."""
    now = now or timezone.now()
    source = registration.event
    if to_event.pk == source.pk:
        raise ValidationError(_("Välj ett annat evenemang än det anmälan gäller."))
    if actor is not None and not permissions.can_manage_event(actor, to_event):
        raise PermissionDenied(_("Du får bara flytta anmälningar till evenemang som du själv hanterar."))
    # Both counter rows, in id order so that two moves between the same events cannot deadlock.
    for event_id in sorted((source.pk, to_event.pk)):
        ensure_seats(event_id)
        lock_seats(event_id)
    registration.refresh_from_db()
    _check(actor, registration)
    if to_event.starts_at <= now:
        raise ValidationError(_("Evenemanget %(event)s har redan börjat.") % {"event": to_event.title})
    if _address_taken(to_event, registration.email):
        raise ValidationError(
            _("%(name)s är redan anmäld till %(event)s.") % {"name": registration.name, "event": to_event.title}
        )
    seats = lock_seats(to_event.pk)
    status = _seat_status(to_event, seats, target_group=registration.target_group, requires_approval=False)
    moved = Registration.objects.create(
        event=to_event,
        name=registration.name,
        email=registration.email,
        organisation=registration.organisation,
        organisation_name=registration.organisation_name,
        municipality=registration.municipality,
        target_group=registration.target_group,
        user=registration.user,
        services=registration.services,
        status=status,
        code=_new_code(),
        cancel_token=secrets.token_urlsafe(32),
    )
    _count_new(to_event.pk, status)
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=moved,
        note=f"event {to_event.pk}, " + _("flyttad från %(event)s") % {"event": source.title},
    )
    registration_status_change(actor=actor, registration=registration, to=Status.CANCELLED)
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=registration,
        note=_("Flyttad till %(event)s") % {"event": to_event.title},
    )
    _promote(source, now)
    transaction.on_commit(lambda: notifications.send_registration_moved(moved, from_event=source))
    return moved
