"""The API's documentation as one of Civsam's pages: Swagger UI from Civsam's own static files
(vendored, pinned: static/vendor/README.md), inside base.html and under the site's Content
Security Policy, with no inline script or style. civsam/api.py hands it to the NinjaAPI, so the
page keeps the API's URL (/api/v1/docs) and name (api-v1:openapi-view)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI


class ApiDocs(DocsBase):
    template = "site/api_docs.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        context = {"api": api, "openapi_url": self.get_openapi_url(api, kwargs)}
        return render(request, self.template, context)
