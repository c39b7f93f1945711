"""Views' side of files rendered in the background (civsam.core.models.RenderedFile, ADR 0049):
serving a stored file, the status page that polls until it is made, and the request a worker
renders a page with."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.shortcuts import render
from django.test import RequestFactory
from django.urls import resolve

from .models import RenderedFile
from .storage import serve_file

POLL_SECONDS = 3
RETRY_AFTER_SECONDS = 5


def anonymous_request(path: str):
    """A GET request for `path` as an anonymous visitor, for rendering a page outside a request
    (the worker): the templates' context processors, {% csrf_token %} and the menu need one."""
    base = urlsplit(settings.CIVSAM_BASE_URL)
    request = RequestFactory().get(
        path,
        secure=base.scheme == "https",
        SERVER_NAME=base.hostname or "localhost",
        SERVER_PORT=str(base.port or (443 if base.scheme == "https" else 80)),
    )
    request.user = AnonymousUser()
    request.resolver_match = resolve(path)
    return request


def pdf_file_response(row: RenderedFile, filename: str, *, private: bool = True) -> HttpResponse:
    """The stored PDF, streamed or through a signed URL (civsam.core.storage.serve_file). A caller
    that knows the file is public (a published report) may say so and let caches keep it."""
    return serve_file(row.file, filename=filename, content_type="application/pdf", private=private)


def pdf_status_response(
    request,
    template: str,
    context: dict,
    row: RenderedFile,
    *,
    status: int = 200,
    partial: str = "core/_rendered_file_status.html",
):
    """The page telling how far the file has come. An htmx poll gets only the changing part
    (`partial`, which a file other than a PDF names its own), or 204 (nothing to swap) while the
    status is the one it already shows, so a screen reader hears each change once."""
    context = {**context, "row": row, "poll_seconds": POLL_SECONDS}
    if request.headers.get("HX-Request"):
        if request.GET.get("seen") == row.status:
            return HttpResponse(status=204)
        return render(request, partial, context)
    response = render(request, template, context, status=status)
    if row.is_pending:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
