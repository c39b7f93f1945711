"""Before the meeting: the organiser's own registration questions, personal invitations, reminders."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from .. import notifications, permissions
from ..models import Event, EventQuestion, Invitation, Registration

# Reminders go to confirmed participants of events starting within this many hours.
REMINDER_HOURS = 48


@transaction.atomic
def question_add(
    *, actor, event: Event, label: str, kind: str = "text", choices: Iterable[str] = (), required: bool = False
) -> EventQuestion:
    if actor is not None and not permissions.can_manage_event(actor, event):
        raise PermissionDenied(_("Du får inte ändra det här evenemanget."))
    choices = [c.strip() for c in choices if c and c.strip()]
    if kind == EventQuestion.Kind.CHOICE and len(choices) < 2:
        raise ValidationError(_("En flervalsfråga behöver minst två alternativ."))
    position = EventQuestion.objects.filter(event=event).count()
    question = EventQuestion(
        event=event,
        label=label,
        kind=kind,
        choices=choices if kind == EventQuestion.Kind.CHOICE else [],
        required=required,
        position=position,
    )
    question.full_clean()
    question.save()
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=question, note=f"event {event.pk}")
    return question


@transaction.atomic
def invitation_create(*, actor, event: Event, name: str, email: str, now: datetime | None = None) -> Invitation:
    """Invite one person by e-mail; the link in the mail lets them register."""
    if actor is not None and not permissions.can_manage_event(actor, event):
        raise PermissionDenied(_("Du får inte bjuda in till det här evenemanget."))
    email = email.strip().lower()
    if Invitation.objects.filter(event=event, email=email).exists():
        raise ValidationError(_("%(email)s är redan inbjuden.") % {"email": email})
    invitation = Invitation(
        event=event, name=name.strip(), email=email, token=secrets.token_urlsafe(32), sent_at=now or timezone.now()
    )
    invitation.full_clean()
    invitation.save()
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=invitation, note=f"event {event.pk}")
    transaction.on_commit(lambda: notifications.send_invitation(invitation))
    return invitation


def reminders_send(*, now: datetime | None = None, hours: int = REMINDER_HOURS) -> int:
    """Scheduled job: one reminder, with the calendar entry, to each confirmed participant of an
    event that starts within `hours`. Marked as sent in the same transaction as the mail is queued,
    so a rerun never sends twice. Returns the number of reminders."""
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        due = list(
            Registration.objects.select_for_update()
            .select_related("event")
            .filter(
                status=Registration.Status.CONFIRMED,
                reminded_at__isnull=True,
                event__starts_at__gt=now,
                event__starts_at__lte=now + timedelta(hours=hours),
            )
            .order_by("event_id", "id")
        )
        for registration in due:
            registration.reminded_at = now
            registration.save(update_fields=["reminded_at", "updated_at"])
            transaction.on_commit(lambda r=registration: notifications.send_reminder(r))
            sent += 1
    return sent
