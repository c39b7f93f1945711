"""Countries for foreign organisations: ISO 3166-1 alpha-2 codes with their Swedish and English
names (ISO 3166-1; Swedish names as in Språkrådet's list of country names). Pure Python.

The list holds the countries the county's partners usually come from (the Nordic countries, the
EU/EEA, the neighbours of Europe and the countries of the largest groups born abroad in the
county); more are added here as they are needed."""

from __future__ import annotations

from django.utils.translation import get_language

from civsam.core.collation import sort_key

COUNTRIES: dict[str, tuple[str, str]] = {
    "AF": ("Afghanistan", "Afghanistan"),
    "AT": ("Österrike", "Austria"),
    "BA": ("Bosnien och Hercegovina", "Bosnia and Herzegovina"),
    "BE": ("Belgien", "Belgium"),
    "BG": ("Bulgarien", "Bulgaria"),
    "CH": ("Schweiz", "Switzerland"),
    "CY": ("Cypern", "Cyprus"),
    "CZ": ("Tjeckien", "Czechia"),
    "DE": ("Tyskland", "Germany"),
    "DK": ("Danmark", "Denmark"),
    "EE": ("Estland", "Estonia"),
    "ER": ("Eritrea", "Eritrea"),
    "ES": ("Spanien", "Spain"),
    "ET": ("Etiopien", "Ethiopia"),
    "FI": ("Finland", "Finland"),
    "FR": ("Frankrike", "France"),
    "GB": ("Storbritannien", "United Kingdom"),
    "GR": ("Grekland", "Greece"),
    "HR": ("Kroatien", "Croatia"),
    "HU": ("Ungern", "Hungary"),
    "IE": ("Irland", "Ireland"),
    "IQ": ("Irak", "Iraq"),
    "IR": ("Iran", "Iran"),
    "IS": ("Island", "Iceland"),
    "IT": ("Italien", "Italy"),
    "LI": ("Liechtenstein", "Liechtenstein"),
    "LT": ("Litauen", "Lithuania"),
    "LU": ("Luxemburg", "Luxembourg"),
    "LV": ("Lettland", "Latvia"),
    "MT": ("Malta", "Malta"),
    "NL": ("Nederländerna", "Netherlands"),
    "NO": ("Norge", "Norway"),
    "PL": ("Polen", "Poland"),
    "PT": ("Portugal", "Portugal"),
    "RO": ("Rumänien", "Romania"),
    "RS": ("Serbien", "Serbia"),
    "SE": ("Sverige", "Sweden"),
    "SI": ("Slovenien", "Slovenia"),
    "SK": ("Slovakien", "Slovakia"),
    "SO": ("Somalia", "Somalia"),
    "SY": ("Syrien", "Syria"),
    "TR": ("Turkiet", "Türkiye"),
    "UA": ("Ukraina", "Ukraine"),
    "US": ("USA", "United States"),
}


def country_name(code: str) -> str:
    """The country's name in the active language; the code itself for one not in the list."""
    names = COUNTRIES.get((code or "").upper())
    if names is None:
        return code or ""
    return names[1] if (get_language() or "sv").startswith("en") else names[0]


def country_choices(*, include_sweden: bool = True) -> list[tuple[str, str]]:
    """(code, name) pairs in the active language, ordered by name."""
    pairs = [(code, country_name(code)) for code in COUNTRIES if include_sweden or code != "SE"]
    return sorted(pairs, key=lambda pair: sort_key(pair[1]))
