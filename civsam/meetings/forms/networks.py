"""Forms for running a network: the network itself, inviting members, representatives, closing.

Each form offers only the bodies the user may bind the network to (ADR 0093, ADR 0101), with the
current binding beside them so that an edit that leaves it as it is still validates; the services
refuse any other change."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civsam.accounts.models import User
from civsam.registry.models import Organisation

from ..models import Network, NetworkRepresentative

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _person_label(user: User) -> str:
    return user.get_full_name() or user.email or user.get_username()


class NetworkForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    kind = forms.ChoiceField(label=_("Typ av nätverk"), choices=Network.Kind.choices)
    purpose = forms.CharField(
        label=_("Syfte"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vad nätverket finns till för och vem det vänder sig till."),
    )
    visibility = forms.ChoiceField(
        label=_("Vem ser nätverket"), choices=Network.Visibility.choices, initial=Network.Visibility.PUBLIC
    )
    organisation = forms.ModelChoiceField(
        label=_("Samordnande organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("De som företräder organisationen samordnar nätverket."),
    )
    coordinator = forms.ModelChoiceField(
        label=_("Samordnare"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("En person som företräder den samordnande organisationen."),
    )
    parent = forms.ModelChoiceField(
        label=_("Del av nätverket"), queryset=Network.objects.none(), required=False, empty_label=_("Inget")
    )

    def __init__(self, *args, organisations, may_leave_empty: bool, parents, coordinators=None, **kwargs):
        """`organisations`: those the user may name as coordinating; `may_leave_empty`: staff may run a
        network without one; `parents`: the networks the user manages; `coordinators`: the people
        who may be named coordinator (None on the create page, where the creator's side coordinates)."""
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = organisations
        field.required = not may_leave_empty
        field.empty_label = _("Ingen – regionens eller kommunens personal samordnar") if may_leave_empty else None
        self.fields["parent"].queryset = parents
        if coordinators is None:
            del self.fields["coordinator"]
        else:
            self.fields["coordinator"].queryset = coordinators
            self.fields["coordinator"].label_from_instance = _person_label
            self.fields["coordinator"].empty_label = _("Ingen namngiven samordnare")


class MemberInviteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation att bjuda in"),
        queryset=Organisation.objects.none(),
        help_text=_("Organisationer från alla sektorer, även offentliga aktörer."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class RepresentativeForm(forms.Form):
    membership = forms.ModelChoiceField(label=_("Medlemsorganisation"), queryset=None)
    name = forms.CharField(label=_("Namn"), max_length=150)
    position = forms.ChoiceField(label=_("Uppdrag"), choices=NetworkRepresentative.Position.choices)
    starts_on = forms.DateField(label=_("Från"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Till"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = memberships
        self.fields["membership"].empty_label = None
        self.fields["membership"].label_from_instance = lambda m: m.organisation.name

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Slutdatumet kan inte vara före startdatumet."))
        return data


class RepresentativeEndForm(forms.Form):
    ends_on = forms.DateField(label=_("Sista dag"), widget=DATE_WIDGET)


class NetworkCloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Avslutas den"), widget=DATE_WIDGET, initial=timezone.localdate)
    confirm = forms.BooleanField(
        label=_("Jag förstår att alla medlemskap avslutas och att nätverket sedan inte kan ändras."),
        error_messages={"required": _("Kryssa i rutan för att avsluta nätverket.")},
    )
