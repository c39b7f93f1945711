"""Staff log in with a code from an authenticator app (ADR 0080): the browser tests give them one
with a known secret and compute its codes as the app would."""

from __future__ import annotations


def totp_secret_set(user) -> str:
    """Give a staff user an authenticator app, as its set-up page would; returns the secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str, *, step: int = 0) -> str:
    """The code the authenticator app shows now (step=1: the next one, which Civsam also accepts;
    a code is accepted once)."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2] + step))


_used: dict[str, set[int]] = {}


def unused_totp_code(secret: str) -> str:
    """A code Civsam accepts now that this test run has not used yet: a code is accepted once, so a
    second login within the same 30 seconds takes the next step's code, a third the previous one's
    (the tolerance allows one step either way)."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    counters = list(yield_hotp_counters_from_time())
    now = counters[len(counters) // 2]
    used = _used.setdefault(secret, set())
    counter = next(c for c in (now, now + 1, now - 1) if c not in used)
    used.add(counter)
    return format_hotp_value(hotp_value(secret, counter))
