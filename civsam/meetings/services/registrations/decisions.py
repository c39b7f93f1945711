"""The organiser's steps on a registration: approving or declining, and checking in."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from ... import notifications, permissions
from ...models import Event, Registration
from .seats import _seat_status, lock_seats
from .status import registration_status_change

Status = Registration.Status


@transaction.atomic
def registration_decide(
    *, actor, registration: Registration, approve: bool, now: datetime | None = None
) -> Registration:
    """Approve or decline a registration that awaits approval."""
    now = now or timezone.now()
    event = Event.objects.get(pk=registration.event_id)
    if actor is not None and not permissions.can_manage_event(actor, event):
        raise PermissionDenied(_("Du får inte hantera anmälningar till det här evenemanget."))
    seats = lock_seats(event.pk)
    registration.refresh_from_db()
    if registration.status != Status.AWAITING_APPROVAL:
        raise ValidationError(_("Anmälan väntar inte på godkännande."))
    if approve:
        new = _seat_status(event, seats, target_group=registration.target_group, requires_approval=False)
    else:
        new = Status.DECLINED
    registration_status_change(actor=actor, registration=registration, to=new)
    if approve:
        transaction.on_commit(lambda r=registration: notifications.send_registration_receipt(r))
    return registration


@transaction.atomic
def registration_check_in(*, actor, event: Event, code: str, now: datetime | None = None) -> Registration:
    if actor is not None and not permissions.can_manage_event(actor, event):
        raise PermissionDenied(_("Du får inte checka in deltagare på det här evenemanget."))
    registration = event.registrations.filter(code=code.strip().upper()).first()
    if registration is None or registration.status != Status.CONFIRMED:
        raise ValidationError(_("Ingen bekräftad anmälan med den koden."))
    if registration.checked_in_at is None:
        registration.checked_in_at = now or timezone.now()
        registration.save(update_fields=["checked_in_at", "updated_at"])
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=registration, changes={"checked_in": [False, True]})
    return registration
