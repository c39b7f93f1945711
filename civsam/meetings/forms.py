from django import forms
from django.utils.translation import gettext_lazy as _

from civsam.plan.models import PriorityArea

from .models import Event

SERVICE_CHOICES = [
    ("interpretation", _("Tolk (t.ex. teckenspråk)")),
    ("childcare", _("Barnpassning")),
    ("accessibility", _("Tillgänglighetsanpassning (t.ex. hörslinga, rullstolsplats)")),
]


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("E-post"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    services = forms.MultipleChoiceField(
        label=_("Jag behöver"), required=False, choices=SERVICE_CHOICES, widget=forms.CheckboxSelectMultiple
    )


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "title",
            "description",
            "network",
            "organiser",
            "mode",
            "place",
            "municipality",
            "online_url",
            "starts_at",
            "ends_at",
            "capacity",
            "registration_opens",
            "registration_closes",
            "requires_approval",
            "offer_window_hours",
            "is_public",
            "priority_areas",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "registration_opens": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "registration_closes": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "description": forms.Textarea(attrs={"rows": 4}),
            "priority_areas": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority_areas"].queryset = PriorityArea.objects.select_related("focus_area__plan").order_by(
            "-focus_area__plan__start_year", "focus_area__number", "number"
        )
        if organisations is not None:
            self.fields["organiser"].queryset = organisations

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("Slutet kan inte vara före början."))
        return data


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Anmälningskod"), max_length=12)
