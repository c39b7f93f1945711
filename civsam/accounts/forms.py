"""The account forms: allauth's login, sign-up and second-factor forms with Civsam's labels and
fields, and the form that deletes an account."""

from __future__ import annotations

from typing import Any

from allauth.account import forms as allauth_forms
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from allauth.mfa.webauthn import forms as webauthn_forms
from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext_lazy as _


class LoginForm(allauth_forms.LoginForm):
    """Username or e-mail address and password. The field was called `username` before Civsam
    used allauth; a post that still names it so (a saved form, a password manager) is read too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        data = kwargs.get("data")
        if data is not None and "login" not in data and "username" in data:
            data = data.copy()
            data["login"] = data["username"]
            kwargs["data"] = data
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Användarnamn eller e-postadress")
        login.widget.attrs.pop("placeholder", None)  # the label says it; a placeholder is no label
        login.widget.attrs["autocomplete"] = "username"
        password = self.fields["password"]
        password.label = _("Lösenord")
        password.help_text = ""  # the page links to "Glömt lösenordet?" itself
        password.widget.attrs.pop("placeholder", None)


class SignupForm(allauth_forms.SignupForm):
    """A new account: name, e-mail address (verified before the account can be used) and password."""

    first_name = forms.CharField(
        label=_("Förnamn"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Efternamn"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    field_order = ["first_name", "last_name", "email", "password1", "password2"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-postadress")
        self.fields["email"].help_text = _("Du får ett meddelande med en länk som bekräftar adressen.")
        self.fields["password1"].label = _("Lösenord")
        self.fields["password2"].label = _("Lösenordet igen")
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)


class AccountDeleteForm(forms.Form):
    """Deleting an account is confirmed with the password (if the account has one) and a tick."""

    password = forms.CharField(
        label=_("Ditt lösenord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    understood = forms.BooleanField(label=_("Jag förstår att kontot inte går att återskapa."))

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            del self.fields["password"]  # an account made from an e-ID has none

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Fel lösenord."))
        return password


def _code_field(form: forms.Form, label: str, help_text: str = "") -> None:
    code = form.fields["code"]
    code.label = label
    code.help_text = help_text
    code.widget.attrs.pop("placeholder", None)  # the label says it
    code.widget.attrs.update({"inputmode": "numeric", "autocomplete": "one-time-code"})


class MfaAuthenticateForm(mfa_forms.AuthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _code_field(self, _("Kod"), _("Sex siffror från autentiseringsappen, eller en av dina reservkoder."))
        self.fields["code"].widget.attrs["inputmode"] = "text"  # a recovery code has letters too


class MfaReauthenticateForm(mfa_forms.ReauthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _code_field(self, _("Kod"), _("Sex siffror från autentiseringsappen, eller en av dina reservkoder."))
        self.fields["code"].widget.attrs["inputmode"] = "text"


class ActivateTotpForm(totp_forms.ActivateTOTPForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _code_field(self, _("Kod från appen"), _("Sex siffror; appen visar en ny kod var 30:e sekund."))


class AddWebAuthnForm(webauthn_forms.AddWebAuthnForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name = self.fields["name"]
        name.label = _("Namn på nyckeln")
        name.help_text = _(
            "Så att du kan skilja den från andra nycklar, till exempel ”Blå nyckeln” eller ”Jobbdatorn”."
        )
        name.max_length = 100
        name.widget.attrs["maxlength"] = "100"


class EditWebAuthnForm(webauthn_forms.EditWebAuthnForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name = self.fields["name"]
        name.label = _("Namn på nyckeln")
        name.max_length = 100
        name.widget.attrs["maxlength"] = "100"
        name.error_messages["required"] = _("Skriv ett namn på nyckeln.")
