"""Helpers the meetings tests share."""

from __future__ import annotations

from civsam.accounts.models import User
from civsam.meetings import services


def participant() -> User:
    """A signed-in registrant: a registration by a signed-in user is decided at once, while one made
    without signing in waits for its e-mail address to be confirmed (ADR 0078)."""
    return User.objects.get_or_create(username="deltagare")[0]


def register(event_id: int, n: int, **kwargs):
    """Register person n, signed in unless told (user=None registers without signing in)."""
    kwargs.setdefault("user", participant())
    kwargs.setdefault("name", f"Person {n}")
    kwargs.setdefault("email", f"p{n}@example.se")
    return services.registration_create(event_id=event_id, **kwargs)
