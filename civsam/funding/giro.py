"""Bankgiro and plusgiro numbers: what an organisation's grant is paid to. Pure Python.

Both carry a check digit by the Luhn algorithm (modulus 10) over the whole number: bankgiro
numbers are seven or eight digits (written 123-4567 or 1234-5678), plusgiro numbers two to eight
digits (written with the check digit after a hyphen, 12345-6). Stored as digits only.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

BANKGIRO, PLUSGIRO = "bankgiro", "plusgiro"
LENGTHS = {BANKGIRO: (7, 8), PLUSGIRO: (2, 8)}


class GiroError(ValueError):
    """The number is not a valid bankgiro or plusgiro number; the message says why, in Swedish."""


def luhn_sum_ok(digits: str) -> bool:
    """True when the digits, the last being the check digit, pass the Luhn (modulus 10) test."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def check_digit(body: str) -> str:
    """The Luhn check digit that completes `body` (digits without their check digit)."""
    for candidate in "0123456789":
        if luhn_sum_ok(body + candidate):
            return candidate
    raise AssertionError("unreachable: one of ten digits always completes the sum")


def normalise(kind: str, value: str) -> str:
    """The number as digits, or GiroError. Spaces and hyphens are allowed as people write them."""
    if kind not in LENGTHS:
        raise GiroError(_("Välj bankgiro eller plusgiro."))
    text = value.strip().replace(" ", "").replace("-", "")
    name = _("Bankgironumret") if kind == BANKGIRO else _("Plusgironumret")
    if not text:
        raise GiroError(_("%(name)s saknas.") % {"name": name})
    if not text.isascii() or not text.isdigit():
        raise GiroError(_("%(name)s får bara innehålla siffror (och bindestreck).") % {"name": name})
    shortest, longest = LENGTHS[kind]
    if not shortest <= len(text) <= longest:
        raise GiroError(_("%(name)s ska ha %(min)s–%(max)s siffror.") % {"name": name, "min": shortest, "max": longest})
    if not luhn_sum_ok(text):
        raise GiroError(
            _("%(name)s stämmer inte: kontrollsiffran (den sista) passar inte med de andra siffrorna.") % {"name": name}
        )
    return text


def is_valid(kind: str, value: str) -> bool:
    try:
        normalise(kind, value)
    except GiroError:
        return False
    return True


def display(kind: str, digits: str) -> str:
    """As the number is written: bankgiro 123-4567 / 1234-5678, plusgiro 12345-6."""
    if kind == BANKGIRO and len(digits) in (7, 8):
        return f"{digits[:-4]}-{digits[-4:]}"
    if kind == PLUSGIRO and len(digits) >= 2:
        return f"{digits[:-1]}-{digits[-1]}"
    return digits
