"""The organiser writes to registrants: all, a group, or chosen ones (services.registrants_message)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .. import services
from ..loaders import managed_event
from ..services.registrations import BODY_MAX_HINT, registrants_messageable


class RegistrantsMessageForm(forms.Form):
    group = forms.ChoiceField(
        label=gettext_lazy("Till vilka?"),
        widget=forms.RadioSelect,
        choices=[
            ("all", gettext_lazy("Alla anmälda (med plats, på väntelistan och de som väntar på godkännande)")),
            ("seated", gettext_lazy("De som har plats")),
            ("waiting", gettext_lazy("De som står på väntelistan eller väntar på godkännande")),
            ("chosen", gettext_lazy("Bara dem jag kryssar i nedan")),
        ],
        initial="all",
    )
    chosen = forms.MultipleChoiceField(
        label=gettext_lazy("Valda deltagare"), required=False, widget=forms.CheckboxSelectMultiple
    )
    subject = forms.CharField(label=gettext_lazy("Ämne"), max_length=120)
    body = forms.CharField(
        label=gettext_lazy("Meddelande"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
        help_text=BODY_MAX_HINT,
    )

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen"].choices = [
            (str(r.pk), f"{r.name} ({r.get_status_display().lower()})") for r in registrations
        ]

    def clean(self):
        data = super().clean()
        if data.get("group") == "chosen" and not data.get("chosen"):
            self.add_error("chosen", _("Kryssa i minst en deltagare."))
        return data


def registrants_message_view(request, pk: int):
    event = managed_event(request.user, pk)
    registrations = list(registrants_messageable(event))
    form = RegistrantsMessageForm(request.POST or None, registrations=registrations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = data["group"] == "chosen"
        try:
            sent = services.registrants_message(
                actor=request.user,
                event=event,
                subject=data["subject"],
                body=data["body"],
                group=None if chosen else data["group"],
                registration_ids=[int(pk) for pk in data["chosen"]] if chosen else (),
            )
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            text = ngettext("Meddelandet skickas till %(n)s person.", "Meddelandet skickas till %(n)s personer.", sent)
            messages.success(request, text % {"n": sent})
            return redirect("meetings:event-manage", pk=event.pk)
    context = {"event": event, "form": form, "count": len(registrations)}
    return render(request, "meetings/registrants_message.html", context, status=400 if form.errors else 200)
