"""Parsing one cell of an import file: text, numbers, flags, addresses, codes. Pure Python, no database.

Every parser takes the cell as text and returns the value in the form the register stores, or
raises CellError with a Swedish message that quotes the offending value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from civsam.core.exports import FORMULA_PREFIXES  # what CSV exports guard with a leading apostrophe

from .layout import fold_key

NAME_MAX = 200
DESCRIPTION_MAX = 2000
WEBSITE_MAX = 200
EMAIL_MAX = 254
FOUNDED_MIN, FOUNDED_MAX = 1000, 2100  # the database check constraint
MEMBERS_MAX = 2_147_483_647  # PositiveIntegerField


TRUE_WORDS = frozenset({"ja", "j", "true", "sant", "1", "x", "yes", "y"})
FALSE_WORDS = frozenset({"nej", "n", "false", "falskt", "0", "no", ""})
_CODE_SPLIT = re.compile(r"[;,\n]")
_NUMBER_SPACES = re.compile(r"[\s\u00a0\u202f]")
_url_validator = URLValidator(schemes=["http", "https"])
# Ordinary addresses that Django's URLValidator certainly accepts (a test checks this), without its cost.
_PLAIN_URL = re.compile(r"https?://(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(?:/[A-Za-z0-9._~%/-]*)?")
_email_validator = EmailValidator()


class CellError(Exception):
    """One cell is invalid; the message is in Swedish."""


_DIGIT = {str(d): d for d in range(10)}
_DOUBLED = {str(d): 2 * d - 9 if d > 4 else 2 * d for d in range(10)}  # Luhn: twice the digit, digits summed


def fast_orgnr(raw: str) -> str | None:
    """The common case, ten plain digits that are a valid number, without the full parser; else None."""
    if len(raw) != 10 or not raw.isdigit() or not raw.isascii() or raw[2] < "2":
        return None
    d, n = _DOUBLED, _DIGIT
    total = d[raw[0]] + n[raw[1]] + d[raw[2]] + n[raw[3]] + d[raw[4]] + n[raw[5]] + d[raw[6]] + n[raw[7]] + d[raw[8]]
    return raw if (10 - total % 10) % 10 == n[raw[9]] else None


# Byte tables for fast_orgnrs: a digit's value, its Luhn value when doubled, and "not a multiple of 10".
_VALUES = bytes.maketrans(b"0123456789", bytes(range(10)))
_DOUBLED_VALUES = bytes.maketrans(b"0123456789", bytes(_DOUBLED[str(d)] for d in range(10)))
_NOT_TENS = bytes(0 if v % 10 == 0 else 1 for v in range(256))


def fast_orgnrs(raws: Sequence[str]) -> list[str | None]:
    """fast_orgnr for many cells, as a few passes in C when all are valid ten-digit numbers (the usual file).

    The Luhn sums of all numbers are added at once in one big integer, one byte per number (a sum
    of ten values up to 9 fits); otherwise each cell goes through fast_orgnr.
    """
    if not raws or set(map(len, raws)) != {10}:
        return list(map(fast_orgnr, raws))
    joined = "".join(raws)
    if not (joined.isascii() and joined.isdigit()) or joined[2::10].strip("23456789"):
        return list(map(fast_orgnr, raws))
    data = joined.encode("ascii")
    values, doubled = data.translate(_VALUES), data.translate(_DOUBLED_VALUES)
    total = sum(int.from_bytes((doubled if p % 2 == 0 else values)[p::10], "big") for p in range(10))
    if total.to_bytes(len(raws), "big").translate(_NOT_TENS).strip(b"\x00"):
        return list(map(fast_orgnr, raws))  # a wrong check digit somewhere
    return list(raws)


def clean_text(raw: str) -> str:
    """Strip spaces, and the apostrophe exports put before a leading = + - @ (formula guard)."""
    if raw[:1] == "'" and raw[1:2] in FORMULA_PREFIXES:
        raw = raw[1:]
    return raw.strip()


def normalise_newlines(text: str) -> str:
    """Browsers send CRLF from text areas and XLSX keeps only LF: compare and store LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def parse_bool(raw: str) -> bool:
    word = raw.strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("”%(value)s” är inte ja eller nej.") % {"value": shorten(raw)})


def parse_int(raw: str, *, minimum: int, maximum: int) -> int | None:
    text = _NUMBER_SPACES.sub("", raw)
    if not text:
        return None
    if text.endswith((".0", ",0")):  # Excel and some exports write whole numbers as decimals
        text = text[:-2]
    if not (text.isdigit() or (text[:1] == "-" and text[1:].isdigit())) or not text.isascii():
        raise CellError(_("”%(value)s” är inte ett heltal.") % {"value": shorten(raw)})
    value = int(text)
    if not minimum <= value <= maximum:
        raise CellError(
            _("%(value)s ligger utanför det tillåtna intervallet %(min)s–%(max)s.")
            % {"value": value, "min": minimum, "max": maximum}
        )
    return value


def parse_website(raw: str) -> str:
    value = clean_text(raw)
    if not value:
        return ""
    if "://" not in value:
        value = "https://" + value
    if len(value) > WEBSITE_MAX:
        raise CellError(_("Webbadressen är längre än %(max)s tecken.") % {"max": WEBSITE_MAX})
    if _PLAIN_URL.fullmatch(value):
        return value
    try:
        _url_validator(value)
    except ValidationError as exc:
        raise CellError(_("”%(value)s” är inte en giltig webbadress.") % {"value": shorten(raw)}) from exc
    return value


def parse_websites(raws: Iterable[str]) -> dict[str, str]:
    """parse_website for many cells at once, deciding only the ordinary ones (empty or a plain
    address): the cells left out are for parse_website, which gives the error or the rare value."""
    plain = _PLAIN_URL.fullmatch
    found = {}
    for raw in raws:
        value = raw.strip() if raw[:1] != "'" else clean_text(raw)
        if not value:
            found[raw] = ""
            continue
        if "://" not in value:
            value = "https://" + value
        if len(value) <= WEBSITE_MAX and plain(value):
            found[raw] = value
    return found


def parse_email(raw: str) -> str:
    value = clean_text(raw)
    if not value:
        return ""
    if len(value) > EMAIL_MAX:
        raise CellError(_("E-postadressen är längre än %(max)s tecken.") % {"max": EMAIL_MAX})
    try:
        _email_validator(value)
    except ValidationError as exc:
        raise CellError(_("”%(value)s” är inte en giltig e-postadress.") % {"value": shorten(raw)}) from exc
    return value


def shorten(value: str, limit: int = 60) -> str:
    value = str(value).strip()
    return value if len(value) <= limit else value[: limit - 1] + "…"


def parse_codes(raw: str, table: dict[str, int], what: str, allowed: str) -> frozenset[int]:
    ids = set()
    for part in _CODE_SPLIT.split(clean_text(raw)):
        part = part.strip()
        if not part:
            continue
        found = table.get(fold_key(part))
        if found is None:
            raise CellError(
                _("Okänd kod för %(what)s: ”%(code)s”. Tillåtna koder: %(allowed)s.")
                % {"what": what, "code": shorten(part, 40), "allowed": allowed}
            )
        ids.add(found)
    return frozenset(ids)
