"""Receivers connected in AccountsConfig.ready()."""

from __future__ import annotations

from typing import Any

from allauth.usersessions.models import UserSession
from django.http import HttpRequest


def session_record(sender: Any, request: HttpRequest | None = None, user: Any = None, **kwargs: Any) -> None:
    """Record the session a login started, for "Mina sessioner" (allauth records only its own
    logins; the e-ID login and the admin's are Django's)."""
    session = getattr(request, "session", None)
    if request is None or session is None or user is None:
        return
    UserSession.objects.create_from_request(request, user=user, session=session)
