"""Forms for the annual report: the coordinator's text and the year of a new report."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReportTextForm(forms.Form):
    body_sv = forms.CharField(label=_("Samordnarens text"), widget=forms.Textarea(attrs={"rows": 12}))
    body_en = forms.CharField(
        label=_("Samordnarens text på engelska"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )


class ReportYearForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=1990, max_value=2100)
