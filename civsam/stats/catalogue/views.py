"""The open data catalogue: a page for people and the DCAT-AP-SE document for harvesters (ADR 0125).

`/oppna-data/katalog` is the stable address given to dataportal.se: RDF/XML unless the request's
Accept header asks for Turtle or JSON-LD (or a web page); each format also has its own address.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from rdflib import Graph

from civsam.stats import selectors

from . import graph, vocabulary
from .datasets import FIRST_PUBLISHED, published

# Accept header media types to serialiser formats; the first one listed wins a tie.
NEGOTIATED = {
    "application/rdf+xml": "xml",
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/json": "json-ld",
}
EXTENSIONS = {extension: fmt for fmt, (_media, extension) in graph.FORMATS.items()}


def _modified() -> datetime.date:
    computed = selectors.computed_at()
    latest = timezone.localdate(computed) if computed else FIRST_PUBLISHED
    return max(latest, FIRST_PUBLISHED)


def _graph() -> Graph:
    base = settings.CIVSAM_BASE_URL.rstrip("/")
    return graph.build(
        catalogue_iri=base + reverse("opendata:catalogue"),
        base_url=base,
        datasets=published(),
        modified=_modified(),
        api_description_url=base + reverse("api-v1:openapi-json"),
        api_url=base + reverse("api-v1:api-root"),
        homepage=base + reverse("opendata:index"),
    )


def _document(fmt: str) -> HttpResponse:
    media_type, extension = graph.FORMATS[fmt]
    response = HttpResponse(graph.serialise(_graph(), fmt), content_type=f"{media_type}; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="civsam-katalog.{extension}"'
    return response


def negotiate(accept: str) -> str | None:
    """The serialisation an Accept header asks for: the listed type with the highest q (ties to the
    earlier); "html" for a browser; None when nothing listed is offered and */* is absent."""
    best: tuple[float, int, str] | None = None
    wildcard = not accept.strip()
    for position, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        quality = 1.0
        for parameter in pieces[1:]:
            if parameter.startswith("q="):
                try:
                    quality = float(parameter[2:])
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        if media in ("*/*", "application/*"):
            wildcard = True
            continue
        fmt = "html" if media in ("text/html", "application/xhtml+xml") else NEGOTIATED.get(media)
        if fmt and (best is None or (quality, -position) > (best[0], -best[1])):
            best = (quality, position, fmt)
    if best:
        return best[2]
    return "xml" if wildcard else None


@login_not_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """The stable address: content negotiation, RDF/XML by default (what dataportal.se harvests)."""
    fmt = negotiate(request.headers.get("Accept", ""))
    response: HttpResponse
    if fmt == "html":
        response = redirect("opendata:index")
        response.status_code = 303
    elif fmt is None:
        response = HttpResponse(
            "Katalogen finns som application/rdf+xml, text/turtle och application/ld+json.\n",
            status=406,
            content_type="text/plain; charset=utf-8",
        )
    else:
        response = _document(fmt)
    response["Vary"] = "Accept"
    return response


@login_not_required
def catalogue_file(request: HttpRequest, extension: str) -> HttpResponse:
    fmt = EXTENSIONS.get(extension)
    if fmt is None:
        raise Http404
    return _document(fmt)


@login_not_required
def index(request: HttpRequest) -> HttpResponse:
    """The catalogue for people: every dataset, its licence and its files and API operations."""
    datasets = published()
    return render(
        request,
        "stats/catalogue.html",
        {
            "datasets": [{"dataset": d, "licence_name": vocabulary.LICENCE_NAMES[d.licence]} for d in datasets],
            "documents": [
                (reverse("opendata:catalogue-file", args=[extension]), label)
                for extension, label in (("rdf", "RDF/XML"), ("ttl", "Turtle"), ("jsonld", "JSON-LD"))
            ],
            # The address the IRIs are built from, the one to register with dataportal.se.
            "catalogue_url": settings.CIVSAM_BASE_URL.rstrip("/") + reverse("opendata:catalogue"),
            "api_docs": reverse("api-v1:openapi-view"),
        },
    )
