"""Telephone numbers: Swedish and international, read as people write them, stored as E.164.

Swedish numbers follow the national numbering plan (PTS): a trunk 0, then an area code of one to
three digits (08 Stockholm, 019 Örebro, 0581 Lindesberg; 07x for mobiles), then the subscriber
number, seven to nine digits in all after the 0. They are accepted as "019-12 34 56",
"070-123 45 67", "+46 70 123 45 67", "0046 70 1234567" or "+46 (0)70 …". Other countries' numbers
need their country code ("+44 20 7946 0958", "0044 …") and are checked against E.164's shape
only: a country code that exists and at most fifteen digits in all.

The stored form is E.164 ("+46701234567"); `display` groups it as the Swedish style guides do
("+46 70 123 45 67", "+46 19 12 34 56"). Pure: no database, table-driven tests.
"""

from __future__ import annotations

import re

# Separators people type between digit groups; anything else (letters, "ankn.") is refused.
_SEPARATORS = re.compile(r"[\s\-./()\u00a0\u2010-\u2015]")
_ALLOWED = re.compile(r"^\+?[0-9\s\-./()\u00a0\u2010-\u2015]+$")
E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")

SWEDEN = "46"
# Area codes without the trunk 0 that are one or two digits long; every other is three digits.
# Source: PTS, Svensk nummerplan (riktnummerområden), and the mobile series 07x.
_AREA_CODES_1 = frozenset({"8"})
_AREA_CODES_2 = frozenset(
    {
        "10", "11", "13", "16", "18", "19", "20", "21", "23", "26", "31", "33", "35", "36", "40",
        "42", "44", "46", "54", "60", "63", "70", "71", "72", "73", "74", "75", "76", "77", "79",
        "90",
    }
)  # fmt: skip
# Mobile series: always nine digits after the trunk 0 (070-123 45 67).
_MOBILE = frozenset({"70", "72", "73", "76", "79"})

# ITU-T E.164 country codes of one and two digits; all others are three digits long.
_COUNTRY_CODES_1 = frozenset({"1", "7"})
_COUNTRY_CODES_2 = frozenset(
    {
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46",
        "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
        "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
    }
)  # fmt: skip
# Three-digit codes start with these (2xx, 3xx, …); 0 and the unassigned 28x/80x/83x/89x/99x are not codes.
_UNASSIGNED_PREFIXES = ("0", "28", "80", "83", "89", "99")


class PhoneError(ValueError):
    """Why a text is not a telephone number; `code` names the reason for the message shown."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def country_code(digits: str) -> str:
    """The country code that `digits` (E.164 without the +) begins with; "" if none does."""
    if digits[:1] in _COUNTRY_CODES_1:
        return digits[:1]
    if digits[:2] in _COUNTRY_CODES_2:
        return digits[:2]
    if digits.startswith(_UNASSIGNED_PREFIXES) or len(digits) < 3:
        return ""
    return digits[:3]


def _swedish_area_code(national: str) -> str:
    if national[:1] in _AREA_CODES_1:
        return national[:1]
    if national[:2] in _AREA_CODES_2:
        return national[:2]
    return national[:3]


def _check_swedish(national: str) -> None:
    """`national` is the number after +46 (no trunk 0)."""
    if not national or national[0] == "0":
        raise PhoneError("swedish")
    if not 7 <= len(national) <= 9:
        raise PhoneError("swedish_length")
    if national[:2] in _MOBILE and len(national) != 9:
        raise PhoneError("swedish_length")


def normalise(text: str) -> str:
    """The number in E.164 ("+46701234567"), or "" for an empty text. Raises PhoneError."""
    text = text.strip()
    if not text:
        return ""
    if not _ALLOWED.match(text):
        raise PhoneError("characters")
    international = text.startswith("+")
    # "+46 (0)70 …": the trunk 0 some write in brackets after the country code.
    text = re.sub(r"\(0\)", "", text)
    digits = _SEPARATORS.sub("", text).lstrip("+")
    if not digits.isdigit():
        raise PhoneError("characters")
    if not international:
        if digits.startswith("00"):
            digits = digits[2:]
        elif digits.startswith("0"):
            digits = SWEDEN + digits[1:]
        else:
            raise PhoneError("prefix")
    code = country_code(digits)
    if not code:
        raise PhoneError("country")
    if code == SWEDEN:
        national = digits[len(code) :]
        if national.startswith("0"):  # "+46 070 …": the trunk 0 kept after the country code
            national = national[1:]
        _check_swedish(national)
        digits = SWEDEN + national
    if not 8 <= len(digits) <= 15:
        raise PhoneError("length")
    return "+" + digits


def is_normalised(value: str) -> bool:
    return bool(E164.match(value))


def _group_subscriber(number: str) -> str:
    """Swedish grouping: pairs from the right, a leading group of three when the count is odd."""
    if len(number) <= 3:
        return number
    head = 3 if len(number) % 2 else 2
    groups = [number[:head]] + [number[i : i + 2] for i in range(head, len(number), 2)]
    return " ".join(groups)


def display(value: str) -> str:
    """A stored number for people to read: "+46 70 123 45 67". Text that is not E.164 (old data
    waiting to be corrected) is shown as it is."""
    if not is_normalised(value):
        return value
    digits = value[1:]
    code = country_code(digits)
    rest = digits[len(code) :]
    if code == SWEDEN:
        area = _swedish_area_code(rest)
        return f"+{code} {area} {_group_subscriber(rest[len(area) :])}"
    return f"+{code} {rest}"
