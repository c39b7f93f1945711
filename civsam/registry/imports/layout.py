"""The column layout of organisation imports: which headers are read, and into which fields.

The layout is the export layout (registry/exports.py, a test holds them equal), and a
header matches a column by its key ("kommunkod"), its label ("Kommunkod") or an alias, ignoring
case, accents on å/ä/ö and punctuation. Pure Python, no database.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

# Model fields the import writes, in the order values are kept for each row.
FIELDS = (
    "name",
    "legal_form",
    "municipality",
    "activity_classes",
    "roles",
    "website",
    "email",
    "description",
    "founded_year",
    "member_count",
    "social_enterprise",
    "work_integrating",
    "ideburen_registered",
)
M2M_FIELDS = ("activity_classes", "roles")
FLAG_FIELDS = ("social_enterprise", "work_integrating", "ideburen_registered")
REQUIRED_FOR_NEW = ("name", "legal_form", "municipality")
PAIR_FIELDS = ("legal_form", "municipality")


@dataclass(frozen=True)
class Column:
    """One column of the import layout: its key in files, the field it fills and how it is shown."""

    key: str
    field: str
    label: str
    help: str
    aliases: tuple[str, ...] = ()


# The import layout; keys and labels are those of exports.ORGANISATION_COLUMNS (a test checks it).
# Two columns each fill the legal form and the municipality: the code and the name, either will do.
_YES_NO = gettext_lazy("ja eller nej (även 1/0, x, true/false).")
COLUMNS = (
    Column(
        "organisationsnummer",
        "orgnr",
        "Organisationsnummer",
        gettext_lazy("Tio siffror, med eller utan bindestreck."),
        ("orgnr", "org_nr", "organisationsnr"),
    ),
    Column("namn", "name", "Namn", gettext_lazy("Organisationens namn, högst 200 tecken."), ("organisationsnamn",)),
    Column(
        "juridisk_form",
        "legal_form",
        "Juridisk form (kod)",
        gettext_lazy("Kod enligt SCB, till exempel 61 för ideell förening."),
        ("juridisk_form_kod", "jurform"),
    ),
    Column(
        "juridisk_form_namn",
        "legal_form",
        "Juridisk form",
        gettext_lazy("Namnet på den juridiska formen, i stället för koden."),
    ),
    Column(
        "kommunkod",
        "municipality",
        "Kommunkod",
        gettext_lazy("Hemkommunens fyrsiffriga kod, till exempel 1880."),
        ("kommun_kod",),
    ),
    Column(
        "kommun",
        "municipality",
        "Kommun",
        gettext_lazy("Hemkommunens namn, i stället för koden."),
        ("hemkommun", "kommunnamn"),
    ),
    Column(
        "verksamhetsomraden",
        "activity_classes",
        "Verksamhetsområden (ICNPO)",
        gettext_lazy("Koder åtskilda med semikolon, till exempel ”1; 4”."),
        ("verksamhetsomrade", "icnpo"),
    ),
    Column(
        "roller",
        "roles",
        "Roller",
        gettext_lazy("Koder åtskilda med semikolon, till exempel ”voice; community”."),
        ("roll",),
    ),
    Column(
        "webbplats",
        "website",
        "Webbplats",
        gettext_lazy("Adress som börjar med https:// (läggs till om den saknas)."),
        ("webbadress", "hemsida", "webbsida"),
    ),
    Column("epost", "email", "E-post", gettext_lazy("Organisationens e-postadress."), ("e_postadress", "mejl")),
    Column(
        "beskrivning",
        "description",
        "Beskrivning",
        gettext_lazy("Kort beskrivning, högst 2 000 tecken."),
        ("kort_beskrivning",),
    ),
    Column(
        "grundad_ar", "founded_year", "Grundad år", gettext_lazy("Årtal med fyra siffror."), ("grundad", "grundades")
    ),
    Column(
        "antal_medlemmar",
        "member_count",
        "Antal medlemmar",
        gettext_lazy("Ett heltal, 0 eller mer."),
        ("medlemmar", "medlemsantal"),
    ),
    Column("socialt_foretag", "social_enterprise", "Socialt företag", _YES_NO),
    Column("arbetsintegrerande", "work_integrating", "Arbetsintegrerande socialt företag", _YES_NO),
    Column("ideburen_registrerad", "ideburen_registered", "Registrerad idéburen organisation", _YES_NO),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
# Template columns: the codes, not the names, of legal form and municipality.
TEMPLATE_COLUMNS = tuple(c for c in COLUMNS if c.key not in ("juridisk_form_namn", "kommun"))
FIELD_LABELS = {
    "orgnr": gettext_lazy("Organisationsnummer"),
    "name": gettext_lazy("Namn"),
    "legal_form": gettext_lazy("Juridisk form"),
    "municipality": gettext_lazy("Kommun"),
    "activity_classes": gettext_lazy("Verksamhetsområden"),
    "roles": gettext_lazy("Roller"),
    "website": gettext_lazy("Webbplats"),
    "email": gettext_lazy("E-post"),
    "description": gettext_lazy("Beskrivning"),
    "founded_year": gettext_lazy("Grundad år"),
    "member_count": gettext_lazy("Antal medlemmar"),
    "social_enterprise": gettext_lazy("Socialt företag"),
    "work_integrating": gettext_lazy("Arbetsintegrerande socialt företag"),
    "ideburen_registered": gettext_lazy("Registrerad idéburen organisation"),
}
_FOLD_LETTERS = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})
_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold_key(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a header or a code: "E-post" -> "e_post"."""
    text = unicodedata.normalize("NFC", str(text)).strip().casefold().translate(_FOLD_LETTERS)
    return _NON_WORD.sub("_", text).strip("_")


def _header_index() -> dict[str, Column]:
    index: dict[str, Column] = {}
    # Keys first, then labels, then aliases: an earlier spelling wins a clash.
    for spellings in (
        [(c.key, c) for c in COLUMNS],
        [(fold_key(c.label), c) for c in COLUMNS],
        [(alias, c) for c in COLUMNS for alias in c.aliases],
    ):
        for spelling, column in spellings:
            index.setdefault(fold_key(spelling), column)
    return index


HEADER_INDEX = _header_index()
