"""The organiser's message to registrants: all of them, a group (seated, waiting) or chosen ones.

Only addresses the registration has proven are written to: a registration still waiting for its
address to be confirmed (held, unconfirmed; ADR 0078) or ended (cancelled, declined, expired) gets
nothing. Each registrant gets a mail of their own (nobody sees the others' addresses) that starts
with Civsam's words, naming the event; the organiser's text follows, plain text, between rules."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from ... import notifications, permissions
from ...models import Event, Registration

Status = Registration.Status

# Who a message can reach, and the groups the page offers.
MESSAGEABLE = (Status.CONFIRMED, Status.OFFERED, Status.WAITLISTED, Status.AWAITING_APPROVAL)
GROUPS = {
    "all": MESSAGEABLE,
    "seated": (Status.CONFIRMED, Status.OFFERED),
    "waiting": (Status.WAITLISTED, Status.AWAITING_APPROVAL),
}
SUBJECT_MAX = 120
BODY_MAX = 5000
BODY_MAX_HINT = gettext_lazy(
    "Vanlig text, högst 5 000 tecken. Meddelandet inleds med evenemangets namn och avslutas med "
    "mottagarens länk för att avboka."
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def registrants_messageable(event: Event):
    return event.registrations.filter(status__in=MESSAGEABLE).order_by("name", "id")


def _clean(subject: str, body: str) -> tuple[str, str]:
    subject = " ".join((subject or "").split())
    body = _CONTROL.sub("", (body or "").replace("\r\n", "\n")).strip()
    errors = {}
    if not subject:
        errors["subject"] = _("Skriv en ämnesrad.")
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = _("Ämnesraden får vara högst %(n)s tecken.") % {"n": SUBJECT_MAX}
    if not body:
        errors["body"] = _("Skriv ett meddelande.")
    elif len(body) > BODY_MAX:
        errors["body"] = _("Meddelandet får vara högst %(n)s tecken.") % {"n": BODY_MAX}
    if errors:
        raise ValidationError(errors)
    return subject, body


@transaction.atomic
def registrants_message(
    *, actor, event: Event, subject: str, body: str, group: str | None = None, registration_ids: Iterable[int] = ()
) -> int:
    """Send the message to a group ("all", "seated", "waiting") or to the chosen registrations of
    the event; returns how many people it goes to. The mails leave after the commit."""
    if actor is not None and not permissions.can_manage_event(actor, event):
        raise PermissionDenied(_("Du får inte skicka meddelanden till deltagarna i det här evenemanget."))
    subject, body = _clean(subject, body)
    chosen = registrants_messageable(event)
    if group is not None:
        if group not in GROUPS:
            raise ValidationError({"group": _("Välj vilka som ska få meddelandet.")})
        chosen = chosen.filter(status__in=GROUPS[group])
    else:
        ids = {int(pk) for pk in registration_ids}
        if not ids:
            raise ValidationError({"group": _("Välj minst en deltagare.")})
        chosen = chosen.filter(pk__in=ids)
        if chosen.count() != len(ids):
            raise ValidationError(
                {
                    "group": _(
                        "Någon av de valda kan inte få meddelanden (anmälan är avslutad eller väntar på bekräftelse)."
                    )
                }
            )
    # One mail per address: a person registered twice (say, for a colleague) gets it once.
    recipients, seen = [], set()
    for registration in chosen.select_related("event"):
        key = registration.email.casefold()
        if key not in seen:
            seen.add(key)
            recipients.append(registration)
    if not recipients:
        raise ValidationError({"group": _("Ingen i den gruppen kan få meddelanden just nu.")})
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=event,
        note=_("Meddelande till %(n)s anmälda: %(subject)s") % {"n": len(recipients), "subject": subject},
    )
    transaction.on_commit(lambda: notifications.send_organiser_message(recipients, subject=subject, body=body))
    return len(recipients)
