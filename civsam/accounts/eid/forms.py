"""The one form of e-ID login: the e-mail address of an account made from an e-ID."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class EidSignupForm(forms.Form):
    email = forms.EmailField(
        label=_("E-postadress"),
        max_length=150,
        help_text=_("Dit skickar Civsam meddelanden om det du gör här, till exempel anmälningar och beslut."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
