"""The registrant confirms their address by the link in the mail (registration_confirm)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ... import notifications
from ...models import Registration
from .seats import _seat_status, lock_seats
from .status import StatusChanged, _by_token, _promote, registration_status_change

Status = Registration.Status


def registration_confirm(*, confirm_token: str, now: datetime | None = None) -> Registration:
    """The registrant confirms their address by the link in the mail. A held seat becomes theirs; a
    registration without one is decided now (a seat if one is free, else the waitlist, or the
    organiser's approval), and the receipt is mailed. Too late: the registration expires and its
    seat goes on. Confirming twice changes nothing."""
    now = now or timezone.now()
    registration = _by_token("confirm_token", confirm_token)
    if registration.status == Status.EXPIRED:
        raise ValidationError(_("Tiden för att bekräfta anmälan har gått ut. Anmäl dig gärna igen."))
    if registration.status not in Registration.AWAITING_ADDRESS:
        return registration
    expired = False
    with transaction.atomic():
        if registration.status == Status.HELD and registration.confirm_by >= now:
            # The seat is already counted: no decision, so no lock on the counter row.
            try:
                registration_status_change(actor=None, registration=registration, to=Status.CONFIRMED)
            except StatusChanged:
                registration.refresh_from_db()
                return registration
        else:
            event = registration.event
            seats = lock_seats(event.pk)
            registration.refresh_from_db()
            if registration.status not in Registration.AWAITING_ADDRESS:
                return registration
            if registration.confirm_by < now:
                registration_status_change(actor=None, registration=registration, to=Status.EXPIRED)
                _promote(event, now)
                expired = True
            else:
                status = _seat_status(
                    event,
                    seats,
                    target_group=registration.target_group,
                    requires_approval=event.requires_approval and registration.invitation_id is None,
                )
                registration_status_change(actor=None, registration=registration, to=status)
        if not expired:
            transaction.on_commit(lambda r=registration: notifications.send_registration_receipt(r))
    if expired:
        raise ValidationError(_("Tiden för att bekräfta anmälan har gått ut. Anmäl dig gärna igen."))
    return registration
