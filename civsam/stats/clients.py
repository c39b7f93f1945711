"""HTTP clients for the publishers whose figures stand beside Civsam's (ADR 0129): Statistics
Sweden's PxWebApi 2.0 (the population, JSON-stat 2.0) and Kolada's API v3 (key figures).

The clients only fetch; the pure readers (`population_file`, `kolada_file`) interpret the answers,
and the services store them. Each request has a timeout and a clear Swedish error; nothing is
stored unless every page arrived. Tested against recorded answers served by a local HTTP server.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import requests
from django.utils.translation import gettext as _

from . import kolada_file

SCB_API = "https://statistikdatabasen.scb.se/api/v2"
# "Folkmängden efter region, civilstånd, ålder och kön. År 1968–" with the contents code BE0101N1
# (folkmängd, 31 December); civil status, age and sex left out of the question, so PxWebApi sums
# over them and the answer has one value per region and year.
POPULATION_TABLE = "TAB638"
POPULATION_CONTENTS = "BE0101N1"
KOLADA_API = "https://api.kolada.se/v3"
TIMEOUT = 30  # seconds, per request
MAX_PAGES = 50  # a guard against a next_url that never ends
USER_AGENT = "Civsam (Region Örebro län) statistics import"


class SourceError(Exception):
    """The publisher could not be reached or answered with an error; the message is Swedish."""


def _get(session: requests.Session, url: str, params: dict[str, str] | None = None) -> bytes:
    try:
        response = session.get(url, params=params, timeout=TIMEOUT, headers={"User-Agent": USER_AGENT})
    except requests.RequestException as exc:
        error = exc.__class__.__name__
        raise SourceError(_("Kunde inte nå %(url)s: %(error)s") % {"url": url, "error": error}) from exc
    if response.status_code != 200:
        raise SourceError(
            _("%(url)s svarade med status %(status)s.") % {"url": response.url, "status": response.status_code}
        )
    return response.content


def population_url_params(years: Sequence[int], municipalities: Sequence[str]) -> dict[str, str]:
    return {
        "lang": "sv",
        "outputFormat": "json-stat2",
        "valueCodes[Region]": ",".join(municipalities),
        "valueCodes[ContentsCode]": POPULATION_CONTENTS,
        "valueCodes[Tid]": ",".join(str(year) for year in years),
    }


def population_fetch(
    *,
    years: Sequence[int],
    municipalities: Sequence[str],
    base_url: str = SCB_API,
    session: requests.Session | None = None,
) -> bytes:
    """Statistics Sweden's answer (JSON-stat 2.0) with the population of the municipalities on
    31 December of the years; `population_file.read` reads it."""
    url = f"{base_url.rstrip('/')}/tables/{POPULATION_TABLE}/data"
    return _get(session or requests.Session(), url, population_url_params(years, municipalities))


def kolada_fetch(
    *,
    kpis: Iterable[str],
    municipalities: Iterable[str],
    years: Iterable[int],
    base_url: str = KOLADA_API,
    session: requests.Session | None = None,
) -> tuple[bytes, list[bytes]]:
    """(metadata, data pages) for the key figures, municipalities and years, following `next_url`."""
    session = session or requests.Session()
    base = base_url.rstrip("/")
    kpi_list = ",".join(kpis)
    metadata = _get(session, f"{base}/kpi/{kpi_list}")
    url: str | None = (
        f"{base}/data/kpi/{kpi_list}/municipality/{','.join(municipalities)}/year/{','.join(map(str, years))}"
    )
    pages: list[bytes] = []
    while url:
        if len(pages) >= MAX_PAGES:
            raise SourceError(_("Kolada svarade med fler än %(pages)s sidor.") % {"pages": MAX_PAGES})
        page = _get(session, url)
        pages.append(page)
        try:
            url = kolada_file.next_url(page)
        except kolada_file.KoladaFileError as exc:
            raise SourceError(str(exc)) from exc
    return metadata, pages
