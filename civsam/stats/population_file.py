"""Statistics Sweden's population table as JSON-stat 2.0 (what PxWebApi 2.0 answers), read into
{year: {municipality code: population}}. Pure: no database, no network.

The table asked for is "Folkmängden efter region och år" (BE0101N1, 31 December) with the region
and year chosen and every other dimension fixed to one value; the reader refuses anything else
rather than guess which value was meant.
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.utils.translation import gettext as _

REGION_IDS = ("Region", "region")
TIME_IDS = ("Tid", "tid", "time")


class PopulationFileError(ValueError):
    """The file is not a table this reader understands; the message is Swedish."""


def _categories(dimension: dict[str, Any]) -> list[str]:
    index = dimension.get("category", {}).get("index")
    if isinstance(index, list):
        return [str(code) for code in index]
    if isinstance(index, dict):
        return [code for code, _position in sorted(index.items(), key=lambda item: item[1])]
    raise PopulationFileError(_("En dimension saknar kategorier."))


def read(data: bytes) -> dict[int, dict[str, int]]:
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PopulationFileError(_("Filen är inte JSON.")) from exc
    if not isinstance(doc, dict) or doc.get("class") != "dataset":
        raise PopulationFileError(_("Filen är inte en JSON-stat-tabell (class ska vara ”dataset”)."))
    ids: list[str] = doc.get("id") or []
    sizes: list[int] = doc.get("size") or []
    dimensions: dict[str, Any] = doc.get("dimension") or {}
    if len(ids) != len(sizes) or any(dim not in dimensions for dim in ids):
        raise PopulationFileError(_("Tabellens dimensioner stämmer inte med dess storlek."))
    role_time = (doc.get("role") or {}).get("time") or []
    region = next((dim for dim in ids if dim in REGION_IDS), None)
    time = next((dim for dim in ids if dim in TIME_IDS or dim in role_time), None)
    if region is None or time is None:
        raise PopulationFileError(_("Tabellen ska ha en dimension för region och en för år."))
    categories = {dim: _categories(dimensions[dim]) for dim in ids}
    for dim, size in zip(ids, sizes, strict=True):
        if len(categories[dim]) != size:
            raise PopulationFileError(_("Tabellens dimensioner stämmer inte med dess storlek."))
        if dim not in (region, time) and size != 1:
            raise PopulationFileError(
                _("Dimensionen %(dim)s har flera värden; välj ett enda i frågan till SCB.") % {"dim": dim}
            )
    values = doc.get("value")
    total = math.prod(sizes)
    if isinstance(values, dict):  # the sparse form: {"position": value}
        values = [values.get(str(position)) for position in range(total)]
    if not isinstance(values, list) or len(values) != total:
        raise PopulationFileError(_("Tabellen har inte ett värde per cell."))
    out: dict[int, dict[str, int]] = {}
    for position, value in enumerate(values):
        if value is None:
            continue
        cell: dict[str, str] = {}
        rest = position
        for dim, size in reversed(list(zip(ids, sizes, strict=True))):
            cell[dim] = categories[dim][rest % size]
            rest //= size
        year_text, code = cell[time], cell[region]
        if not (year_text[:4].isdigit() and code.isdigit() and len(code) == 4):
            continue  # the county (18) or the country beside the municipalities
        if not isinstance(value, (int, float)) or value < 0 or value != int(value):
            raise PopulationFileError(
                _("Värdet för %(code)s %(year)s är inte ett antal invånare.") % {"code": code, "year": year_text}
            )
        out.setdefault(int(year_text[:4]), {})[code] = int(value)
    if not out:
        raise PopulationFileError(_("Tabellen har inga värden för kommuner."))
    return out
