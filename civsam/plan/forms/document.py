"""The adopted plan document, the plan's contact people, and the period evaluation's forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PlanDocumentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Den antagna planen som PDF"),
        help_text=_("Högst 25 MB. Filen kontrolleras: den ska vara en vanlig PDF utan skript eller inbäddade filer."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )


class PlanDocumentLinkForm(forms.Form):
    url = forms.CharField(
        label=_("Eller en länk till den antagna planen"),
        max_length=200,
        help_text=_("Adressen där regionen publicerar planen, som börjar med https://."),
        widget=forms.URLInput(),
    )


class PlanContactForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=150)
    role = forms.CharField(label=_("Roll"), max_length=150, help_text=_("Till exempel utvecklingsledare."))
    email = forms.CharField(label=_("E-post"), max_length=254, required=False, widget=forms.EmailInput())
    phone = forms.CharField(
        label=_("Telefon"), max_length=30, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )


class EvaluationTextForm(forms.Form):
    body_sv = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}))
    body_en = forms.CharField(label=_("Text på engelska"), widget=forms.Textarea(attrs={"rows": 8}), required=False)


class EvaluationPublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Jag förstår att utvärderingen blir offentlig och inte kan ändras efter publiceringen."),
        required=False,
    )
