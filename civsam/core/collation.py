"""Swedish alphabetical order as a plain string key. Pure Python, no database.

`sort_key(name)` returns a string whose code-point order (PostgreSQL's "C" collation, SQLite's
BINARY) is Swedish dictionary order, close to ICU's sv-SE collation (ADR 0040):

- case does not matter, nor accents that are not letters of their own in Swedish (é = e, ç = c);
- the alphabet ends … X, Y, Z, Å, Ä, Ö; V and W are separate letters (Swedish Academy since 2006);
- foreign letters sort with their Swedish neighbours: ü and ű as y, æ and ę as ä, ø, œ, ő and ô
  as ö, ð and đ as d, þ as th, ß as ss;
- spaces first, then punctuation, then symbols, then digits, then letters (so "Bo b" < "Bo-b" <
  "Bo1b" < "Boab"); letters of other scripts after Ö.

Names equal at that level are ordered lower case first, then without accent before with, so the
key is total and deterministic. The key is stored next to the name (Organisation.name_key) and
indexed; whoever writes a name writes its key.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

SEPARATOR = "\x01"  # below every character the primary part can contain
_SPACE = "\x02"
# ASCII punctuation and symbols in the order ICU gives them; they map to \x03 … \x22, below the
# digits, which keep their own code points. Any other punctuation or symbol maps just after them.
_PUNCTUATION_ORDER = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"
_OTHER_PUNCTUATION = chr(3 + len(_PUNCTUATION_ORDER))
_PUNCTUATION = {c: chr(3 + i) for i, c in enumerate(_PUNCTUATION_ORDER)}
# After casefold(). å, ä and ö go just after z ("{", "|", "}" in code-point order).
_LETTERS = {
    "å": "{",
    "ä": "|",
    "æ": "|",
    "ę": "|",
    "ö": "}",
    "ø": "}",
    "œ": "}",
    "ő": "}",
    "ô": "}",
    "ü": "y",
    "ű": "y",
    "ð": "d",
    "đ": "d",
    "þ": "th",
}


@lru_cache(maxsize=4096)
def _primary_char(char: str) -> str:
    mapped = _LETTERS.get(char)
    if mapped is not None:
        return mapped
    if char.isspace():
        return _SPACE
    if char in _PUNCTUATION:
        return _PUNCTUATION[char]
    if "a" <= char <= "z" or "0" <= char <= "9":
        return char
    category = unicodedata.category(char)
    if category[0] in "PS":
        return _OTHER_PUNCTUATION
    if category[0] == "M":
        return ""  # a combining mark left over: the letter before it already counted
    if category[0] == "C":
        return ""
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    if base and base != char:
        return "".join(_primary_char(c) for c in base)
    return char  # a letter of another script: after ö by code point


# The mapping above as one str.translate table for Latin letters, which is what names are made of:
# keys for a whole import in a fraction of a second. Other text takes the character-wise path.
_TABLE_END = "\u0250"
_TABLE = {code: _primary_char(chr(code)) for code in range(ord(_TABLE_END))}


def primary(name: str) -> str:
    """The part of the key that decides the alphabetical order."""
    text = (name if name.isascii() else unicodedata.normalize("NFC", name)).casefold()
    if not text or max(text) < _TABLE_END:
        return text.translate(_TABLE)
    return "".join(_primary_char(c) for c in text)


def sort_key(name: str) -> str:
    """The stored sort key of a name; ordering keys by code point orders names the Swedish way."""
    name = name or ""
    # Tie-breaks for names equal at the primary level: lower case first (swapcase puts it in the
    # A–Z range), then unaccented before accented (code points do that within Latin-1).
    # NUL cannot be stored in PostgreSQL text.
    text = name if name.isascii() else unicodedata.normalize("NFC", name)
    return primary(text) + SEPARATOR + text.swapcase().replace("\x00", "")
