"""The REST API, /api/v1/, following Digg's Swedish REST API profile (see docs/adr/0005-api-profile.md).

Errors are RFC 9457 problem details (application/problem+json) with Swedish titles; lists page with
`limit` and `page` (from 1, default 20, at most 100); JSON property names are camelCase; unknown
query parameters are a 400. Every response may be read cross-origin (no credentials), but those of
the operations in SAME_SITE_ONLY.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.utils import normalize_path, replace_path_param_notation

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
from civsam.site.apidocs import ApiDocs

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
    """NinjaAPI with the HTTP edge the profile asks for: problem+json 405s, HEAD, OPTIONS, 415, CORS."""

    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        routes = self._route_methods()
        for pattern in patterns:
            pattern.callback = _http_edge(pattern.callback, routes.get(str(pattern.pattern)))
        return patterns, app_name, namespace

    def _route_methods(self) -> dict[str, Route]:
        """Each URL route's methods and which of them read a JSON body, as ninja builds the routes."""
        routes: dict[str, Route] = {}
        for bound in self._get_bound_routers():
            prefix = replace_path_param_notation(bound.prefix)
            for path, path_view in bound.path_operations.items():
                route = normalize_path("/".join(i for i in (prefix, replace_path_param_notation(path)) if i))
                entry = routes.setdefault(route.lstrip("/"), Route())
                for operation in path_view.operations:
                    entry.methods.update(operation.methods)
                    if _reads_json_body(operation):
                        entry.json_body.update(operation.methods)
        return routes

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        # Ninja documents every response as application/json; errors are problem+json here.
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                # A lazy description is read now, with the settings in force (the calculation limits).
                if isinstance(operation.get("description"), Promise):
                    operation["description"] = str(operation["description"])
                for status, response in operation.get("responses", {}).items():
                    response["description"] = RESPONSE_DESCRIPTIONS.get(int(status), response.get("description", ""))
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
                if "requestBody" in operation:
                    operation["responses"].setdefault(415, _problem_response_doc(415))
                for (source, status), links in LINKS.items():
                    if operation.get("operationId") == source and status in operation["responses"]:
                        operation["responses"][status]["links"] = _links_doc(links)
                operation.setdefault("responses", {}).setdefault(500, _problem_response_doc(500))
        return schema


# OpenAPI links: from an answer to the operations that take what it names, for clients and for the
# stateful tests that follow them. (operationId, status) -> {link: (target operationId, {parameter: value})}.
_ID = "$response.body#/id"
_FIRST_ID = "$response.body#/items/0/id"
LINKS: dict[tuple[str, int], dict[str, tuple[str, dict[str, str]]]] = {
    ("createEvent", 201): {
        "GetEvent": ("getEvent", {"event_id": _ID}),
        "UpdateEvent": ("updateEvent", {"event_id": _ID}),
        "GetProgramme": ("getProgramme", {"event_id": _ID}),
        "CreateRegistration": ("createRegistration", {"event_id": _ID}),
    },
    ("listEvents", 200): {
        "GetEvent": ("getEvent", {"event_id": _FIRST_ID}),
        "UpdateEvent": ("updateEvent", {"event_id": _FIRST_ID}),
        "CreateRegistration": ("createRegistration", {"event_id": _FIRST_ID}),
    },
    ("createRegistration", 201): {
        "CancelRegistration": ("cancelRegistration", {"cancel_token": "$response.body#/cancelToken"}),
    },
    ("createInitiative", 201): {
        "GetInitiative": ("getInitiative", {"initiative_id": _ID}),
        "UpdateInitiative": ("updateInitiative", {"initiative_id": _ID}),
        "ReplaceInitiative": ("replaceInitiative", {"initiative_id": _ID}),
    },
    ("listAgreements", 200): {"GetAgreement": ("getAgreement", {"agreement_id": _FIRST_ID})},
    ("listOffers", 200): {"GetOffer": ("getOffer", {"offer_id": _FIRST_ID})},
    ("listProcurements", 200): {"GetProcurement": ("getProcurement", {"procurement_id": _FIRST_ID})},
    ("listInitiatives", 200): {
        "GetInitiative": ("getInitiative", {"initiative_id": _FIRST_ID}),
        "UpdateInitiative": ("updateInitiative", {"initiative_id": _FIRST_ID}),
    },
    ("createSocialValueAnalysis", 201): {
        "GetSocialValueAnalysis": ("getSocialValueAnalysis", {"id": _ID}),
    },
    ("listSocialValueAnalyses", 200): {
        "GetSocialValueAnalysis": ("getSocialValueAnalysis", {"id": _FIRST_ID}),
    },
    ("createApplication", 201): {
        "GetApplication": ("getApplication", {"application_id": _ID}),
        "UpdateApplication": ("updateApplication", {"application_id": _ID}),
        "SubmitApplication": ("submitApplication", {"application_id": _ID}),
    },
    ("listApplications", 200): {
        "GetApplication": ("getApplication", {"application_id": _FIRST_ID}),
        "UpdateApplication": ("updateApplication", {"application_id": _FIRST_ID}),
    },
    ("listPlans", 200): {
        "GetPlan": ("getPlan", {"plan_id": "$response.body#/items/0/slug"}),
        "GetPlanProgress": ("getPlanProgress", {"plan_id": "$response.body#/items/0/slug"}),
    },
    ("listOrganisations", 200): {
        "GetOrganisation": ("getOrganisation", {"organisationsnummer": "$response.body#/items/0/organisationNumber"}),
    },
}


def _links_doc(links: dict[str, tuple[str, dict[str, str]]]) -> dict[str, Any]:
    return {
        name: {"operationId": target, "parameters": parameters} for name, (target, parameters) in sorted(links.items())
    }


def _problem_response_doc(status: int) -> dict[str, Any]:
    return {
        "description": RESPONSE_DESCRIPTIONS[status],
        "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemOut"}}},
    }


RESPONSE_DESCRIPTIONS = {
    200: "Lyckat anrop.",
    201: "Resursen har skapats.",
    204: "Lyckat anrop utan innehåll.",
    400: "Felaktig begäran: någon parameter är okänd eller har ett ogiltigt värde (se invalidParameters).",
    401: "Anropet kräver inloggning.",
    403: "Anroparen saknar behörighet.",
    404: "Resursen finns inte, eller så får anroparen inte se den.",
    409: "Konflikt med resursens nuvarande tillstånd.",
    413: "Begäran är för stor.",
    415: "Innehållet har en annan typ än application/json.",
    422: "Innehållet kunde inte behandlas.",
    429: "För många anrop på kort tid; försök igen efter så många sekunder som Retry-After anger.",
    500: "Internt serverfel.",
    503: "Tjänsten är tillfälligt upptagen; försök igen efter så många sekunder som Retry-After anger.",
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
    docs=ApiDocs(),  # Swagger UI as a Civsam page, from Civsam's own static files
    openapi_url="/openapi.json",
)


# --- The HTTP edge: CORS, HEAD, OPTIONS, 405 and 415 as problem+json -----------------------------


@dataclass
class Route:
    """What one URL route answers: its methods, and those that take a JSON body."""

    methods: set[str] = field(default_factory=set)
    json_body: set[str] = field(default_factory=set)

    def allowed(self) -> list[str]:
        # HEAD is answered wherever GET is, OPTIONS everywhere (see _http_edge).
        return sorted(self.methods | {"OPTIONS"} | ({"HEAD"} if "GET" in self.methods else set()))


def _reads_json_body(operation) -> bool:
    # A body parameter of the view, or a body the view reads itself and documents in openapi_extra.
    documented = (operation.openapi_extra or {}).get("requestBody", {}).get("content", {})
    return "application/json" in documented or any(
        getattr(model, "__ninja_param_source__", None) == "body" for model in operation.models
    )


def _is_json(content_type: str) -> bool:
    return content_type == "application/json" or (
        content_type.startswith("application/") and content_type.endswith("+json")
    )


def _add_cors(response: HttpResponse) -> HttpResponse:
    # Public reads from any origin. Without Allow-Credentials a browser never sends the session
    # cookie cross-origin, so a foreign page sees only what an anonymous caller sees.
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "Link, ETag"
    return response


# Cross-origin writes are public operations (registration by token, calculations) that never carry
# credentials, so they may be called from other sites too; PATCH and PUT are for Civsam's own pages.
CROSS_ORIGIN_METHODS = frozenset({*SAFE_METHODS, "POST", "DELETE"})


def _preflight(request: HttpRequest, allowed: list[str]) -> HttpResponse:
    response = HttpResponse(status=204)
    response["Allow"] = ", ".join(allowed)
    response["Access-Control-Allow-Methods"] = ", ".join(m for m in allowed if m in CROSS_ORIGIN_METHODS)
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
    return problem_response(
        request,
        405,
        detail=_("Metoden %(method)s stöds inte här. Tillåtna metoder: %(allowed)s.")
        % {"method": request.method, "allowed": ", ".join(allowed)},
        headers={"Allow": ", ".join(allowed)},
    )


def _unsupported_media_type(request: HttpRequest) -> HttpResponse:
    return problem_response(
        request,
        415,
        detail=_("Innehållet måste skickas som JSON (Content-Type: application/json), inte som %(type)s.")
        % {"type": request.content_type or _("okänd typ")},
        headers={"Accept": "application/json"},
    )


def _http_edge(view, route: Route | None):
    # Ninja's own views (openapi.json, docs, the root) answer only GET; the operations answer the
    # methods their route declares. Either way a 405 names the others in Allow.
    if route is None or isinstance(view, functools.partial):
        route = Route(methods={"GET"})
    allowed = route.allowed()

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            if _same_site_only(request):
                return HttpResponse(status=204, headers={"Allow": ", ".join(allowed)})
            return _add_cors(_preflight(request, allowed))
        if request.method not in allowed:
            response = _method_not_allowed(request, allowed)
            return response if _same_site_only(request) else _add_cors(response)
        # A JSON body in another declared type is refused before anything reads it as JSON.
        if request.method in route.json_body and request.body and not _is_json(request.content_type or ""):
            response = _unsupported_media_type(request)
            return response if _same_site_only(request) else _add_cors(response)
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
    """Catch-all after the API's own URLs: unknown paths under /api/ get a 404 problem, not HTML,
    whatever the method (OPTIONS too: there is nothing there to allow)."""
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
api.add_router("", "civsam.registry.api_representation.router")
api.add_router("", "civsam.registry.api_representatives.router")
api.add_router("/plans", "civsam.plan.api.router")
api.add_router("/initiatives", "civsam.plan.api.initiatives.router")
api.add_router("/indicators", "civsam.plan.api.indicators.router")
api.add_router("/consultations", "civsam.plan.api.consultations.router")
api.add_router("/frame-tags", "civsam.plan.api.frame.router")
api.add_router("", "civsam.meetings.api.router")
api.add_router("", "civsam.impact.api.router")
api.add_router("", "civsam.funding.api.router")
api.add_router("", "civsam.agreements.api.router")
api.add_router("", "civsam.market.api.router")
# After funding: its /statistics/grants comes before /statistics/{figure}.
api.add_router("", "civsam.stats.api.router")
