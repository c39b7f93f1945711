"""Helpers for the account tests: TOTP codes as an authenticator app makes them, links in e-mails."""

from __future__ import annotations

import re


def totp_code(secret: str, *, step: int = 0) -> str:
    """The code an authenticator app shows now (step=±1: the previous or next 30 seconds, which
    the server still accepts; a code is accepted once)."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    counters = list(yield_hotp_counters_from_time())
    now = counters[len(counters) // 2]
    return format_hotp_value(hotp_value(secret, now + step))


KNOWN_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # a test authenticator app's


def totp_enable(user, secret: str = KNOWN_SECRET):
    """Give the user an authenticator app with a known secret, as activating it would."""
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, secret)
    return secret


def link_in(message, pattern: str) -> str:
    """The path of the first link in an e-mail's text that contains `pattern`."""
    match = re.search(r"https?://[^/\s]+(\S*" + re.escape(pattern) + r"\S*)", message.body)
    assert match, f"no link with {pattern!r} in:\n{message.body}"
    return match.group(1)
