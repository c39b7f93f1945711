"""The report as a tagged PDF (PDF/UA-1), rendered by WeasyPrint from the same HTML as the report
page; the print rules in site.css lay it out for paper. See docs/adr/0009-pdf-reports.md.

WeasyPrint never reaches the network here: the only resources it may load are the site's own
static files (read from disk) and data: URLs.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

PDF_VARIANT = "pdf/ua-1"

# WeasyPrint warns about every screen-only CSS rule in site.css (overflow-x, media queries) on every
# report; only its errors belong in the server log.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


def _static_file(path: str) -> Path | None:
    relative = unquote(path).removeprefix(settings.STATIC_URL)
    if ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    if found:
        return Path(found)
    candidate = Path(settings.STATIC_ROOT) / relative
    return candidate if candidate.is_file() else None


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = urlsplit(url).path
            if not path.startswith(settings.STATIC_URL):
                raise ValueError(f"not a static file: {url}")
            found = _static_file(path)
            if found is None:
                raise ValueError(f"static file not found: {url}")
            content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=found.read_bytes(), headers={"Content-Type": content_type})

    return StaticOnlyFetcher


def html_to_pdf(html: str, *, base_url: str) -> bytes:
    # WeasyPrint loads Pango through cffi; imported here so that nothing else pays for it.
    from weasyprint import HTML

    fetcher = _fetcher_class()(allowed_protocols=("http", "https", "data"))
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher, media_type="print")
    return document.write_pdf(pdf_variant=PDF_VARIANT)
