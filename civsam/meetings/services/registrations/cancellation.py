"""Cancellations, answers to offers and the scheduled expiry: the steps that free seats and offer
them to the waitlist."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ... import notifications
from ...models import Event, Registration
from .seats import lock_seats
from .status import StatusChanged, _by_token, _promote, registration_status_change

Status = Registration.Status


@transaction.atomic
def registration_cancel(*, cancel_token: str, now: datetime | None = None) -> Registration:
    """Self-service cancellation by the secret token from the confirmation e-mail."""
    now = now or timezone.now()
    registration = _by_token("cancel_token", cancel_token)
    event = registration.event
    lock_seats(event.pk)
    registration.refresh_from_db()
    if registration.status == Status.CANCELLED:
        return registration
    registration_status_change(actor=None, registration=registration, to=Status.CANCELLED)
    _promote(event, now)
    return registration


def registration_accept_offer(*, cancel_token: str, now: datetime | None = None) -> Registration:
    now = now or timezone.now()
    registration = _by_token("cancel_token", cancel_token)
    with transaction.atomic():
        event = registration.event
        lock_seats(event.pk)
        registration.refresh_from_db()
        if registration.status != Status.OFFERED:
            raise ValidationError(_("Det finns inget erbjudande att svara på."))
        expired = registration.offer_expires_at < now
        if expired:
            # The expiry is kept (the seat goes to the next in line); the refusal comes after commit.
            registration_status_change(actor=None, registration=registration, to=Status.EXPIRED)
            _promote(event, now)
        else:
            registration_status_change(actor=None, registration=registration, to=Status.CONFIRMED)
            transaction.on_commit(lambda r=registration: notifications.send_registration_receipt(r))
    if expired:
        raise ValidationError(_("Tiden för att svara har gått ut."))
    return registration


def registrations_expire(*, now: datetime | None = None) -> int:
    """Scheduled job: end offers and unconfirmed registrations past their deadline and pass the
    seats on to the waitlist. Returns the registrations ended."""
    now = now or timezone.now()
    offers = Registration.objects.filter(status=Status.OFFERED, offer_expires_at__lt=now)
    unconfirmed = Registration.objects.filter(status__in=Registration.AWAITING_ADDRESS, confirm_by__lt=now)
    ended = 0
    event_ids = set(offers.values_list("event_id", flat=True)) | set(unconfirmed.values_list("event_id", flat=True))
    for event_id in sorted(event_ids):
        with transaction.atomic():
            lock_seats(event_id)
            event = Event.objects.get(pk=event_id)
            for registration in [*offers.filter(event_id=event_id), *unconfirmed.filter(event_id=event_id)]:
                try:
                    registration_status_change(actor=None, registration=registration, to=Status.EXPIRED)
                except StatusChanged:
                    continue  # confirmed or cancelled meanwhile
                ended += 1
            _promote(event, now)
    return ended
