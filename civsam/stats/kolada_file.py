"""Kolada's answers (API v3, JSON) read into values per municipality and year. Pure: no database,
no network (ADR 0129).

Two documents are read: the key figures' metadata (`GET /v3/kpi/{ids}`: `values` with `id`,
`title`, `publication_date`, ...) and the data (`GET /v3/data/kpi/{ids}/municipality/{ids}/year/{years}`:
`values` with `kpi`, `municipality`, `period` and a list of `values` per gender, `T` the total; a
page may name the next in `next_url`). The total is kept; a missing value (null) is no value.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

API_DOCS = "https://api.kolada.se/v3/docs"

# The key figures Civsam shows beside its own (ADR 0129), and why. Their names are read from
# Kolada's metadata when they are imported, so a page shows the title Kolada gives them.
CHOSEN_KPIS: dict[str, str] = {
    "N09018": "the municipality's net cost of leisure activities per inhabitant: what it spends on the field "
    "where most associations work (sport, youth, meeting places)",
    "N09022": "the municipality's net cost of culture per inhabitant: libraries, culture grants, study associations",
}


class KoladaFileError(ValueError):
    """The document is not what Kolada answers; the message is Swedish."""


@dataclass(frozen=True)
class ExternalValue:
    """One value as a reader of a source file or API gives it, with where it comes from."""

    indicator: str
    title: str
    unit: str
    area: str
    year: int
    value: Decimal
    citation: str
    url: str = ""
    published_on: datetime.date | None = None


def _document(data: bytes | dict[str, Any]) -> dict[str, Any]:
    if isinstance(data, dict):
        doc = data
    else:
        try:
            doc = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            raise KoladaFileError(_("Svaret från Kolada är inte JSON.")) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("values"), list):
        raise KoladaFileError(_("Svaret från Kolada saknar listan ”values”."))
    return doc


def next_url(data: bytes | dict[str, Any]) -> str | None:
    """The address of the next page, if Kolada says there is one."""
    url = _document(data).get("next_url")
    return url if isinstance(url, str) and url else None


def unit_of(title: str) -> str:
    """Kolada writes the unit last in the title, after a comma ("..., kr/inv")."""
    head, comma, tail = title.rpartition(",")
    return tail.strip() if comma and head and len(tail.strip()) <= 40 else ""


def read_metadata(data: bytes | dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{kpi id: {"title": ..., "published_on": date or None}} from the metadata answer."""
    out = {}
    for item in _document(data)["values"]:
        if not isinstance(item, dict) or not item.get("id") or not item.get("title"):
            raise KoladaFileError(_("Ett nyckeltal i Koladas metadata saknar id eller titel."))
        published = None
        raw = item.get("publication_date")
        if isinstance(raw, str) and raw:
            try:
                published = datetime.date.fromisoformat(raw[:10])
            except ValueError as exc:
                raise KoladaFileError(
                    _("Publiceringsdatumet för %(kpi)s är inte ett datum.") % {"kpi": item["id"]}
                ) from exc
        out[str(item["id"])] = {"title": str(item["title"]), "published_on": published}
    return out


def read_values(
    pages: Iterable[bytes | dict[str, Any]], metadata: dict[str, dict[str, Any]], *, areas: Iterable[str]
) -> list[ExternalValue]:
    """The totals (gender T) of the data pages for the given municipality codes; other areas (the
    county as a region, the country) are left out. A key figure without metadata is refused."""
    wanted = set(areas)
    out: list[ExternalValue] = []
    for page in pages:
        for item in _document(page)["values"]:
            kpi, area, period = item.get("kpi"), str(item.get("municipality", "")), item.get("period")
            if area not in wanted:
                continue
            if kpi not in metadata:
                raise KoladaFileError(_("Nyckeltalet %(kpi)s saknas i metadata från Kolada.") % {"kpi": kpi})
            try:
                year = int(period)
            except (TypeError, ValueError) as exc:
                raise KoladaFileError(_("Perioden för %(kpi)s är inte ett år.") % {"kpi": kpi}) from exc
            total = next((v for v in item.get("values") or [] if v.get("gender") == "T"), None)
            if total is None or total.get("value") is None:
                continue
            try:
                value = Decimal(str(total["value"]))
            except InvalidOperation as exc:
                where = {"kpi": kpi, "area": area, "year": year}
                raise KoladaFileError(_("Värdet för %(kpi)s %(area)s %(year)s är inte ett tal.") % where) from exc
            meta = metadata[kpi]
            published = meta["published_on"]
            citation = _("Källa: Kolada (RKA), nyckeltal %(kpi)s ”%(title)s”") % {"kpi": kpi, "title": meta["title"]}
            if published:
                citation += _(", publicerat %(date)s") % {"date": published.isoformat()}
            out.append(
                ExternalValue(
                    indicator=kpi,
                    title=meta["title"],
                    unit=unit_of(meta["title"]),
                    area=area,
                    year=year,
                    value=value,
                    citation=citation,
                    url=f"https://api.kolada.se/v3/kpi/{kpi}",
                    published_on=published,
                )
            )
    return out
