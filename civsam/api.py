"""The REST API, /api/v1/, following Digg's Swedish REST API profile (see docs/adr/0005-api-profile.md).

Errors are RFC 9457 problem details (application/problem+json) with Swedish titles; lists page with
`limit` and `page` (from 1, default 20, at most 100); JSON property names are camelCase; unknown
query parameters are a 400. Every response may be read cross-origin (no credentials), but those of
the operations in SAME_SITE_ONLY.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer

from civsam.core.apitools import (
    PROBLEM_CONTENT_TYPE,
    ApiProblem,
    CamelSchema,
    ProblemOut,
    check_query_names,
    problem_from,
    problem_response,
    validation_problem,
)
from civsam.core.input_guard import input_error_response
from civsam.core.ratelimit import RateLimited

__all__ = ["PROBLEM_CONTENT_TYPE", "api", "api_not_found", "problem_response"]

logger = logging.getLogger("civsam.api")

API_NAME = "Civsam API"
API_VERSION = "1.0.0"
API_RELEASED = "2026-11-23"
DIGG_PROFILE_URL = "https://www.dataportal.se/rest-api-profil"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

DESCRIPTION = """Civsams öppna API för den regionala handlingsplanen för civilsamhälle och social ekonomi,
aktörsregistret och länets kommuner. API:et följer Diggs REST API-profil.

* **Fel** besvaras med RFC 9457 problemdetaljer (`application/problem+json`): `type`, `title`,
  `status`, `detail`, `instance` och vid felaktiga parametrar `invalidParameters`.
* **Listor** bläddras med `limit` (1–100, standard 20) och `page` (från 1). Svaret har `items`,
  `pagination` (`page`, `limit`, `totalCount`, `totalPages`) och `links` (`self`, `first`, `last`,
  `prev`, `next`); samma länkar finns i HTTP-huvudet `Link` (RFC 8288). En sida efter den sista
  ger en tom lista, inte ett fel.
* **Okända frågeparametrar** ger 400, så att ett felstavat filter aldrig tyst returnerar allt.
* **Egenskapsnamn** i JSON skrivs i camelCase; sökvägar och parametrar med gemener och bindestreck.
* **Åtkomst**: utan inloggning visas bara det som är offentligt. Alla svar får läsas från andra
  webbplatser (`Access-Control-Allow-Origin: *`, utan inloggningsuppgifter), utom beräkningen av
  socialt värde (`POST /social-value/calculations`), som bara tas emot från servrar och Civsams egna sidor.
* Kontaktpersoner är personuppgifter och lämnas aldrig ut via API:et."""


class CivsamAPI(NinjaAPI):
    """NinjaAPI with the HTTP edge the profile asks for: problem+json 405s, HEAD, CORS."""

    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            pattern.callback = _http_edge(pattern.callback)
        return patterns, app_name, namespace

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        # Ninja documents every response as application/json; errors are problem+json here.
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                for status, response in operation.get("responses", {}).items():
                    response["description"] = RESPONSE_DESCRIPTIONS.get(int(status), response.get("description", ""))
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
                operation.setdefault("responses", {}).setdefault(
                    500,
                    {
                        "description": RESPONSE_DESCRIPTIONS[500],
                        "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemOut"}}},
                    },
                )
        return schema


RESPONSE_DESCRIPTIONS = {
    200: "Lyckat anrop.",
    201: "Resursen har skapats.",
    204: "Lyckat anrop utan innehåll.",
    400: "Felaktig begäran: någon parameter är okänd eller har ett ogiltigt värde (se invalidParameters).",
    401: "Anropet kräver inloggning.",
    403: "Anroparen saknar behörighet.",
    404: "Resursen finns inte, eller så får anroparen inte se den.",
    409: "Konflikt med resursens nuvarande tillstånd.",
    422: "Innehållet kunde inte behandlas.",
    500: "Internt serverfel.",
}


class _JSONRenderer(JSONRenderer):
    # UTF-8 throughout: Swedish letters as they are, not as \u escapes.
    json_dumps_params = {"ensure_ascii": False}


api = CivsamAPI(
    title=API_NAME,
    renderer=_JSONRenderer(),
    version=API_VERSION,
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


# --- The HTTP edge: CORS, HEAD, OPTIONS and 405 as problem+json ---------------------------------


def _add_cors(response: HttpResponse) -> HttpResponse:
    # Public reads from any origin. Without Allow-Credentials a browser never sends the session
    # cookie cross-origin, so a foreign page sees only what an anonymous caller sees.
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "Link, ETag"
    return response


def _preflight(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(status=204)
    response["Allow"] = ", ".join(SAFE_METHODS)
    # Cross-origin writes are public operations (registration by token, calculations) that
    # never carry credentials, so they may be called from other sites too.
    response["Access-Control-Allow-Methods"] = ", ".join((*SAFE_METHODS, "POST", "DELETE"))
    requested = request.headers.get("Access-Control-Request-Headers")
    if requested:
        response["Access-Control-Allow-Headers"] = requested
    response["Access-Control-Max-Age"] = "86400"
    return response


# Operations that pages of other sites may not call, by URL name: anonymous, costly work whose answer
# such a page has no need to read (docs/adr/0075-bounded-social-value-calculations.md). Their
# preflight allows nothing and their answers carry no Access-Control-Allow-Origin, so a browser
# neither sends a cross-origin request with a JSON body nor shows the answer to the page.
SAME_SITE_ONLY = frozenset({"create_calculation"})


def _same_site_only(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name in SAME_SITE_ONLY


def _method_not_allowed(request: HttpRequest, allowed: list[str]) -> HttpResponse:
    # HEAD is answered wherever GET is, OPTIONS everywhere (see _http_edge).
    allowed = sorted(set(allowed) | {"OPTIONS"} | ({"HEAD"} if "GET" in allowed else set()))
    return problem_response(
        request,
        405,
        detail=_("Metoden %(method)s stöds inte här. Tillåtna metoder: %(allowed)s.")
        % {"method": request.method, "allowed": ", ".join(allowed)},
        headers={"Allow": ", ".join(allowed)},
    )


def _http_edge(view):
    # Ninja's own views (openapi.json, docs, the root) answer any method; the operations answer
    # their declared methods and a bare 405 for the rest.
    ninja_internal = isinstance(view, functools.partial)

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            if _same_site_only(request):
                return HttpResponse(status=204, headers={"Allow": "POST, OPTIONS"})
            return _add_cors(_preflight(request))
        if ninja_internal and request.method not in SAFE_METHODS:
            return _add_cors(_method_not_allowed(request, ["GET"]))
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            # Ninja's root view raises this outside its own exception handling.
            response = _not_found(request)
        finally:
            if head:
                request.method = "HEAD"
        if isinstance(response, HttpResponseNotAllowed):
            allowed = [m.strip() for m in response["Allow"].split(",") if m.strip()]
            response = _method_not_allowed(request, allowed)
        if head and not getattr(response, "streaming", False):
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response if _same_site_only(request) else _add_cors(response)

    wrapped.csrf_exempt = True
    return wrapped


def _not_found(request: HttpRequest) -> HttpResponse:
    return problem_response(request, 404, detail=_("Det finns ingen resurs på %(path)s.") % {"path": request.path})


@csrf_exempt
@login_not_required
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Catch-all after the API's own URLs: unknown paths under /api/ get a 404 problem, not HTML."""
    if request.method == "OPTIONS":
        return _add_cors(_preflight(request))
    return _add_cors(_not_found(request))


# --- Exception handlers: every error is a problem ------------------------------------------------


@api.exception_handler(ApiProblem)
def _on_problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
    return problem_from(request, exc)


@api.exception_handler(ValidationError)
def _on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return problem_from(request, validation_problem(request, exc.errors))


@api.exception_handler(Http404)
def _on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _not_found(request)


@api.exception_handler(PermissionDenied)
def _on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    # From the loaders (civsam.core.loading) and the services: the caller may not do this.
    return problem_response(request, 403, detail=str(exc) or _("Du har inte behörighet till det här."))


@api.exception_handler(RateLimited)
def _on_rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = problem_response(request, 429, detail=exc.message)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(AuthenticationError)
def _on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(request, 401, detail=_("Anropet kräver inloggning."))


@api.exception_handler(HttpError)
def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Ninja's own messages are English; the title carries the Swedish meaning of the status.
    return problem_response(request, exc.status_code)


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def _on_input_too_large_for_the_database(request: HttpRequest, exc: Exception) -> HttpResponse:
    # An integer beyond 64 bits (SQLite) or a value out of its column's range (PostgreSQL).
    return input_error_response(request, exc)


@api.exception_handler(Exception)
def _on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Logged in full for operators; the caller gets no stack trace, whatever DEBUG says.
    logger.exception("Unhandled error in %s %s", request.method, request.path)
    return problem_response(request, 500, detail=_("Ett oväntat fel inträffade. Försök igen senare."))


# --- api-info ------------------------------------------------------------------------------------


class ContactOut(CamelSchema):
    """Vem som svarar för API:et."""

    name: str
    url: str
    email: str | None = None


class ApiInfoOut(CamelSchema):
    """Uppgifter om API:et enligt Diggs REST API-profil."""

    api_name: str
    api_description: str
    api_version: str
    api_released: str
    api_status: str
    api_documentation: str
    api_specification: str
    api_profile: str
    contact: ContactOut


@api.get(
    "/api-info",
    response={200: ApiInfoOut, 400: ProblemOut},
    by_alias=True,
    tags=["api-info"],
    operation_id="getApiInfo",
    summary="Om API:et",
    description="Namn, version, releasedatum, status, dokumentation och kontakt enligt Diggs REST API-profil.",
)
def api_info(request):
    check_query_names(request, ())
    contact_email = settings.CIVSAM.get("API_CONTACT_EMAIL") or None
    return ApiInfoOut(
        api_name=API_NAME,
        api_description="Öppna data om den regionala handlingsplanen för civilsamhälle och social ekonomi, "
        "aktörsregistret och länets kommuner.",
        api_version=API_VERSION,
        api_released=API_RELEASED,
        api_status="active",
        api_documentation=request.build_absolute_uri(reverse("api-v1:openapi-view")),
        api_specification=request.build_absolute_uri(reverse("api-v1:openapi-json")),
        api_profile=DIGG_PROFILE_URL,
        contact=ContactOut(
            name=settings.CIVSAM["REGION_NAME"], url=request.build_absolute_uri("/"), email=contact_email
        ),
    )


# --- Routers: one line per app, "prefix", "module.router" ---------------------------------------

api.add_router("/municipalities", "civsam.core.api.router")
api.add_router("/organisations", "civsam.registry.api.router")
api.add_router("/plans", "civsam.plan.api.router")
api.add_router("/initiatives", "civsam.plan.api.initiatives.router")
api.add_router("/indicators", "civsam.plan.api.indicators.router")
api.add_router("", "civsam.meetings.api.router")
api.add_router("", "civsam.impact.api.router")
api.add_router("", "civsam.funding.api.router")
