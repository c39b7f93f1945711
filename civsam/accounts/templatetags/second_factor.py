"""`{{ user|has_security_key }}`: whether the person logging in has a security key (WebAuthn), so
that the code page offers the key only to those who have one (ADR 0114)."""

from allauth.mfa.models import Authenticator
from django import template

register = template.Library()


@register.filter
def has_security_key(user) -> bool:
    if user is None or getattr(user, "pk", None) is None:
        return False
    return bool(Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.WEBAUTHN).exists())
