from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReadLogForm(forms.Form):
    actor = forms.CharField(
        label=_("Vem läste"), required=False, max_length=150, help_text=_("Användarnamn eller namn.")
    )
    subject = forms.CharField(label=_("Vems uppgifter"), required=False, max_length=150)
    organisation = forms.CharField(label=_("Organisationsnummer"), required=False, max_length=20)
    date_from = forms.DateField(label=_("Från och med"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Till och med"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class SubjectSearchForm(forms.Form):
    q = forms.CharField(
        label=_("E-postadress eller namn"),
        max_length=254,
        help_text=_(
            "Med en e-postadress hittas också personer utan konto: kontaktpersoner och anmälda till evenemang."
        ),
    )


class SubjectRequestForm(forms.Form):
    email = forms.EmailField(label=_("E-postadress"), required=False)
    name = forms.CharField(label=_("Namn"), required=False, max_length=150)
    reference = forms.CharField(
        label=_("Diarienummer"), required=False, max_length=40, help_text=_("Till exempel 26RS1234.")
    )
    account = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("name") and not data.get("account"):
            raise forms.ValidationError(_("Ange e-postadress eller namn på den som begär utdraget."))
        return data
