"""Swedish organisationsnummer: parsing, validation and formatting. Pure Python, no database.

Rules (Skatteverket, SKV 709): ten digits; the third and fourth together are at least 20
(which tells them from personnummer); the tenth is a Luhn (mod 10) check digit over the first nine.
A twelve-digit form prefixed with "16" is accepted and normalised.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-+]")


class OrgnrError(ValueError):
    """Raised with a message in Swedish that can be shown to the user as it is."""


def luhn_check_digit(nine_digits: str) -> int:
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


def normalise(value: str) -> str:
    """Return the ten-digit form or raise OrgnrError explaining what is wrong."""
    if value is None:
        raise OrgnrError("Organisationsnummer saknas.")
    raw = _SEPARATORS.sub("", str(value).strip())
    if not raw:
        raise OrgnrError("Organisationsnummer saknas.")
    if not raw.isdigit():
        raise OrgnrError(f"Organisationsnumret ”{value}” får bara innehålla siffror och bindestreck.")
    if len(raw) == 12:
        if not raw.startswith("16"):
            raise OrgnrError(f"Organisationsnumret ”{value}” har tolv siffror men börjar inte med 16.")
        raw = raw[2:]
    if len(raw) != 10:
        raise OrgnrError(f"Organisationsnumret ”{value}” ska ha tio siffror (det har {len(raw)}).")
    if int(raw[2:4]) < 20:
        raise OrgnrError(
            f"Organisationsnumret ”{value}” är inte ett organisationsnummer: "
            "siffra 3–4 ska vara minst 20 (annars är det ett personnummer)."
        )
    if luhn_check_digit(raw[:9]) != int(raw[9]):
        raise OrgnrError(f"Organisationsnumret ”{value}” har fel kontrollsiffra.")
    return raw


def is_valid(value: str) -> bool:
    try:
        normalise(value)
    except OrgnrError:
        return False
    return True


def format_display(ten_digits: str) -> str:
    return f"{ten_digits[:6]}-{ten_digits[6:]}"


def complete(nine_digits: str) -> str:
    """Append the check digit: used by the demo data generator and tests."""
    if len(nine_digits) != 9 or not nine_digits.isdigit():
        raise ValueError("nine digits expected")
    return nine_digits + str(luhn_check_digit(nine_digits))
