"""How django-allauth behaves in Civsam (ADR 0080): which client a request comes from, what a failed
login counts against, which accounts must verify their address, and Swedish error messages."""

from __future__ import annotations

import ipaddress
from typing import Any

from allauth.account import stages
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from civsam.core.ratelimit import client_address

# An address that parses, for the rare request without one (a test client's fake request, a
# misconfigured proxy): allauth stores it in a GenericIPAddressField and keys rate limits on it.
UNKNOWN_ADDRESS = "0.0.0.0"  # noqa: S104 - a placeholder stored, never bound to


def login_name(request: HttpRequest | None, credentials: dict[str, Any] | None = None) -> str:
    """The name a login attempt was made for, as typed (username or e-mail address), in lower case.

    django-axes counts failures per (this name, client address) (AXES_USERNAME_CALLABLE); allauth
    passes the typed text as `username` (and as `email` when it looks like one)."""
    credentials = credentials or {}
    name = credentials.get("username") or credentials.get("email")
    if not name and request is not None:
        name = request.POST.get("login") or request.POST.get("username")
    return str(name or "").strip().lower()


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as core.ratelimit reads it (behind the documented proxy the one it
    appended to X-Forwarded-For), or None when that is no address: django-axes keys its lockout on
    it (AXES_CLIENT_IP_CALLABLE) and stores it in an address column."""
    try:
        return str(ipaddress.ip_address(client_address(request)))
    except ValueError:
        return None


class EmailVerificationStage(stages.EmailVerificationStage):
    """Verification is mandatory for every address a person gave Civsam themself (sign-up, a changed
    address). Accounts that staff made (the admin, the demo loader) or that an e-ID made have no
    address recorded by allauth and are not stopped at login for one they never entered."""

    def handle(self):  # type: ignore[no-untyped-def]
        user = self.login.user
        if user is not None and not EmailAddress.objects.filter(user_id=user.pk).exists():
            return None, True
        return super().handle()


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_password_mismatch": _("Ange korrekt användarnamn och lösenord."),
        "email_password_mismatch": _("Ange korrekt e-postadress och lösenord."),
        "too_many_login_attempts": _("För många misslyckade inloggningsförsök. Vänta en stund och försök igen."),
        "email_taken": _("Det finns redan ett konto med den här e-postadressen."),
        "invalid_or_expired_key": _("Länken är ogiltig eller för gammal."),
        "invalid_password_reset": _("Länken för att byta lösenord är ogiltig eller redan använd."),
        "incorrect_password": _("Fel lösenord."),
        "enter_current_password": _("Skriv ditt nuvarande lösenord."),
        "incorrect_code": _("Fel kod."),
        "unverified_primary_email": _("Du behöver bekräfta din e-postadress först."),
        "username_blacklisted": _("Användarnamnet kan inte användas. Välj ett annat."),
        "rate_limited": _("Du har gjort för många försök på kort tid. Vänta en stund och försök igen."),
        "same_as_current": _("Det nya värdet måste skilja sig från det nuvarande."),
    }

    def get_client_ip(self, request: HttpRequest) -> str:
        """The client as core.ratelimit sees it: behind the documented proxy (DJANGO_BEHIND_PROXY)
        the address the proxy appended to X-Forwarded-For, otherwise REMOTE_ADDR."""
        return client_ip(request) or UNKNOWN_ADDRESS

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth counts failed logins per "key", by default the name alone: a stranger's five
        # wrong passwords would keep the owner out. The key is the name and the client together.
        return f"{login_name(None, credentials)}:{self.get_client_ip(request)}"

    def get_reauthentication_methods(self, user: Any) -> list[dict]:
        # allauth's own descriptions read as English or awkward Swedish; these are Civsam's.
        descriptions = {
            "reauthenticate": _("Använd ditt lösenord"),
            "mfa_reauthenticate": _("Använd en kod från autentiseringsappen eller en reservkod"),
            "mfa_reauthenticate:webauthn": _("Använd en säkerhetsnyckel"),
        }
        methods = super().get_reauthentication_methods(user)
        return [{**m, "description": descriptions.get(m["id"], m["description"])} for m in methods]

    def get_login_stages(self) -> list[str]:
        default = "allauth.account.stages.EmailVerificationStage"
        ours = f"{EmailVerificationStage.__module__}.{EmailVerificationStage.__qualname__}"
        return [ours if stage == default else stage for stage in super().get_login_stages()]


class MfaAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": _("Fel kod. Skriv koden som appen visar just nu."),
        "cannot_delete_authenticator": _("Du kan inte stänga av inloggningen med två faktorer."),
        "cannot_generate_recovery_codes": _("Reservkoder kan bara skapas när en autentiseringsapp är aktiverad."),
        "unverified_email": _("Bekräfta din e-postadress innan du aktiverar inloggning med två faktorer."),
    }

    def generate_authenticator_name(self, user: AbstractBaseUser, type: Authenticator.Type) -> str:
        """The suggested name of a new security key (allauth's is English)."""
        n = Authenticator.objects.filter(user_id=user.pk, type=type).count()
        return _("Säkerhetsnyckel %(number)s") % {"number": n + 1}
