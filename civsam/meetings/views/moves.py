"""The organiser moves a registration: to the waitlist, or to another event they manage."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import permissions, services
from ..loaders import decidable_registration
from ..models import Event, Registration
from ..services.registrations import MOVABLE

WAITLIST = "waitlist"


def _event_label(event: Event) -> str:
    return f"{event.title} ({timezone.localtime(event.starts_at):%Y-%m-%d %H:%M})"


class RegistrationMoveForm(forms.Form):
    to = forms.ChoiceField(label=gettext_lazy("Flytta till"), widget=forms.RadioSelect)

    def __init__(self, *args, registration: Registration, events, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        if registration.status == Registration.Status.CONFIRMED:
            choices.append((WAITLIST, _("Sist på väntelistan till samma evenemang (platsen erbjuds nästa i kön)")))
        choices += [(str(e.pk), _event_label(e)) for e in events]
        self.fields["to"].choices = choices


def _target_events(user, registration: Registration) -> list[Event]:
    upcoming = (
        permissions.events_visible_to(user)
        .filter(starts_at__gt=timezone.now())
        .exclude(pk=registration.event_id)
        .select_related("network", "organiser")
        .order_by("starts_at", "id")[:200]
    )
    return [event for event in upcoming if permissions.can_manage_event(user, event)]


def registration_move_view(request, pk: int):
    registration = decidable_registration(request.user, pk)
    event = registration.event
    events = _target_events(request.user, registration) if registration.status in MOVABLE else []
    form = RegistrationMoveForm(request.POST or None, registration=registration, events=events)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["to"]
        try:
            if target == WAITLIST:
                services.registration_move_to_waitlist(actor=request.user, registration=registration)
                text = _("%(name)s står nu sist på väntelistan.") % {"name": registration.name}
            else:
                to_event = next(e for e in events if str(e.pk) == target)
                moved = services.registration_move(actor=request.user, registration=registration, to_event=to_event)
                text = _("%(name)s är flyttad till %(event)s (%(status)s).") % {
                    "name": moved.name,
                    "event": to_event.title,
                    "status": moved.get_status_display().lower(),
                }
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, text)
            return redirect("meetings:event-manage", pk=event.pk)
    context = {
        "event": event,
        "registration": registration,
        "form": form,
        "movable": registration.status in MOVABLE and bool(form.fields["to"].choices),
    }
    return render(request, "meetings/registration_move.html", context, status=400 if form.errors else 200)
