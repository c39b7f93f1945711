"""The field parsers of an import: one pure function per field, from a cell's text to the value
the register stores, with the reference data (Lookups) bound in. Pure Python, no database.

parse.py calls each parser once per distinct cell text; reference.py calls them cell by cell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

from django.utils.translation import gettext as _

from .cells import (
    DESCRIPTION_MAX,
    FOUNDED_MAX,
    FOUNDED_MIN,
    MEMBERS_MAX,
    NAME_MAX,
    CellError,
    clean_text,
    normalise_newlines,
    parse_bool,
    parse_codes,
    parse_email,
    parse_int,
    parse_website,
    parse_websites,
    shorten,
)
from .layout import fold_key


@dataclass(frozen=True)
class Lookups:
    """Reference data, keyed by fold_key() of every accepted spelling (code, Swedish or English name)."""

    legal_forms: dict[str, int]
    municipalities: dict[str, int]
    activities: dict[str, int]
    roles: dict[str, int]
    # For messages and diffs.
    legal_form_names: dict[int, str] = field(default_factory=dict)
    municipality_names: dict[int, str] = field(default_factory=dict)
    activity_codes: dict[int, str] = field(default_factory=dict)
    role_codes: dict[int, str] = field(default_factory=dict)
    # Legal forms that exist but are not civil society (a municipality, a region).
    excluded_legal_forms: dict[str, str] = field(default_factory=dict)


def _allowed(table: dict[int, str]) -> str:
    return ", ".join(sorted(table.values(), key=lambda c: (len(c), c)))


def parse_names(raws: Iterable[str]) -> dict[str, str]:
    """The name parser for many cells at once, valid cells only: the rest get its message."""
    raws = list(raws)
    values = list(map(str.strip, raws))
    if all(values) and max(map(len, values), default=0) <= NAME_MAX and not any(map(str.startswith, raws, repeat("'"))):
        return dict(zip(raws, values, strict=True))  # the usual chunk, checked in C
    found = {}
    for raw in raws:
        value = raw.strip() if raw[:1] != "'" else clean_text(raw)
        if value and len(value) <= NAME_MAX:
            found[raw] = value
    return found


# For columns where most cells differ: many cells parsed in one call, the ordinary ones only.
MANY_PARSERS: dict[str, Callable[[Iterable[str]], dict[str, Any]]] = {"name": parse_names, "website": parse_websites}


def field_parsers(lookups: Lookups) -> dict[str, Callable[[str], Any]]:
    """field -> parser: the value of one cell, or CellError with a Swedish message."""
    activity_list = _allowed(lookups.activity_codes)
    role_list = _allowed(lookups.role_codes)

    def name(raw: str) -> str:
        value = clean_text(raw)
        if not value:
            raise CellError(_("Namn saknas."))
        if len(value) > NAME_MAX:
            raise CellError(_("Namnet är längre än %(max)s tecken.") % {"max": NAME_MAX})
        return value

    def legal_form(raw: str) -> int | None:
        value = clean_text(raw)
        if not value:
            return None
        key = fold_key(value)
        found = lookups.legal_forms.get(key)
        if found is None:
            if key in lookups.excluded_legal_forms:
                raise CellError(
                    _("Juridisk form ”%(value)s” (%(name)s) hör inte till civilsamhället och kan inte registreras.")
                    % {"value": shorten(value, 40), "name": lookups.excluded_legal_forms[key]}
                )
            raise CellError(
                _("Okänd juridisk form ”%(value)s”. Ange en kod, till exempel 61 för ideell förening.")
                % {"value": shorten(value, 40)}
            )
        return found

    def municipality(raw: str) -> int | None:
        value = clean_text(raw)
        if not value:
            return None
        found = lookups.municipalities.get(fold_key(value))
        if found is None:
            raise CellError(
                _("Okänd kommun ”%(value)s”. Ange kommunens namn eller fyrsiffriga kod, till exempel 1880 för Örebro.")
                % {"value": shorten(value, 40)}
            )
        return found

    def description(raw: str) -> str:
        value = normalise_newlines(clean_text(raw))
        if len(value) > DESCRIPTION_MAX:
            raise CellError(_("Beskrivningen är längre än %(max)s tecken.") % {"max": DESCRIPTION_MAX})
        return value

    activity_word, role_word = _("verksamhetsområde"), _("roll")
    # Pure functions of the cell text: parse() calls each once per distinct cell.
    return {
        "name": name,
        "legal_form": legal_form,
        "municipality": municipality,
        "activity_classes": lambda raw: parse_codes(raw, lookups.activities, activity_word, activity_list),
        "roles": lambda raw: parse_codes(raw, lookups.roles, role_word, role_list),
        "website": parse_website,
        "email": parse_email,
        "description": description,
        "founded_year": lambda raw: parse_int(raw, minimum=FOUNDED_MIN, maximum=FOUNDED_MAX),
        "member_count": lambda raw: parse_int(raw, minimum=0, maximum=MEMBERS_MAX),
        "social_enterprise": parse_bool,
        "work_integrating": parse_bool,
        "ideburen_registered": parse_bool,
    }
