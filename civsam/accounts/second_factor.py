"""Whether a signed-in person has the second factor their role asks for (ADR 0080).

Staff roles (region administrators, municipal officers, reviewers) need one: an authenticator app
(TOTP, with recovery codes) that allauth asks for at every password login, or a login with a Swedish
e-ID, which at level of assurance 3 is itself two factors. The e-ID login is recorded in the
session as allauth records its own methods, so that reauthentication accepts it too.
"""

from __future__ import annotations

from allauth.account.internal.flows.login import get_authentication_records, record_authentication
from allauth.mfa.models import Authenticator
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

from . import permissions

EID_METHOD = "eid"
# Recovery codes alone are no factor of their own: they stand in for a lost authenticator.
FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def has_authenticator(user: AbstractBaseUser) -> bool:
    return bool(Authenticator.objects.filter(user_id=user.pk, type__in=FACTOR_TYPES).exists())


def record_eid_login(request: HttpRequest, user: AbstractBaseUser) -> None:
    """Called by the e-ID login right after `login()`."""
    record_authentication(request, user, method=EID_METHOD)


def logged_in_with_eid(request: HttpRequest, user: AbstractBaseUser) -> bool:
    return any(record.get("method") == EID_METHOD for record in get_authentication_records(request, user))


def second_factor_due(request: HttpRequest) -> bool:
    """The signed-in user's role needs a second factor and this session has none."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not permissions.requires_second_factor(user):
        return False
    return not (has_authenticator(user) or logged_in_with_eid(request, user))
