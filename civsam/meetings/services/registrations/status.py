"""The one place a registration's status changes (registration_status_change), and passing freed
seats on to the waitlist: shared by every other registrations module."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from ... import notifications
from ...models import Event, EventSeats, Registration
from .seats import _offers_due, _quotas, ensure_seats

Status = Registration.Status


class StatusChanged(Exception):
    """The registration's status changed since it was read (another request took a step first)."""


# Status changes ------------------------------------------------------------------------------------


@transaction.atomic
def registration_status_change(
    *, actor, registration: Registration, to: str, offer_expires_at: datetime | None = None
) -> Registration:
    """The one place a registration's status changes, along Registration.WORKFLOW (a
    ValidationError for a step the workflow lacks), with the event's counter row kept in step.

    The change is made only if the status is still the one read (StatusChanged otherwise), so two
    requests never both take a step from the same status. An offer carries its deadline; every
    other status has none, and leaving the wait for the address ends its deadline. Callers whose
    decision reads the counts hold the counter row's lock (lock_seats)."""
    before = registration.status
    Registration.WORKFLOW.action(before, to)
    if (to == Status.OFFERED) != (offer_expires_at is not None):
        raise ValueError("an offer, and only an offer, has a deadline")
    confirm_by = registration.confirm_by if to in Registration.AWAITING_ADDRESS else None
    updated = Registration.objects.filter(pk=registration.pk, status=before).update(
        status=to, offer_expires_at=offer_expires_at, confirm_by=confirm_by, updated_at=timezone.now()
    )
    if not updated:
        raise StatusChanged
    registration.status = to
    registration.offer_expires_at = offer_expires_at
    registration.confirm_by = confirm_by
    taken = int(to in Registration.SEAT_HOLDING) - int(before in Registration.SEAT_HOLDING)
    waiting = int(to == Status.WAITLISTED) - int(before == Status.WAITLISTED)
    if taken or waiting:
        counted = EventSeats.objects.filter(pk=registration.event_id).update(
            taken=F("taken") + taken, waiting=F("waiting") + waiting
        )
        if not counted:
            ensure_seats(registration.event_id)  # counted from the registrations, this change included
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=registration, changes={"status": [before, to]})
    return registration


def _promote(event: Event, now: datetime) -> list[Registration]:
    """Offer freed seats to the head of the waitlist (quotas permitting), each with a deadline. The
    caller holds the counter row's lock."""
    seats = EventSeats.objects.get(pk=event.pk)
    ids = _offers_due(event, seats, _quotas(event))
    if not ids:
        return []
    by_id = Registration.objects.select_related("event").in_bulk(ids)
    promoted = [by_id[pk] for pk in ids]
    deadline = now + timedelta(hours=event.offer_window_hours)
    for registration in promoted:
        registration_status_change(actor=None, registration=registration, to=Status.OFFERED, offer_expires_at=deadline)
        transaction.on_commit(lambda r=registration: notifications.send_offer(r))
    return promoted


def _by_token(field: str, token: str) -> Registration:
    registration = Registration.objects.select_related("event").filter(**{field: token}).first() if token else None
    if registration is None:
        raise Registration.DoesNotExist(_("Ingen anmälan hittades för länken."))
    return registration
