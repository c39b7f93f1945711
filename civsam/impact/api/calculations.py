"""Calculations on a body sent as JSON, nothing stored: SROI for an impact map, and a socio-economic
account."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from civsam.core import ratelimit
from civsam.core.apitools import ApiProblem, InvalidParameter, ProblemOut, check_query_names

from .. import pool
from ..engine import CalculationOut, FieldError, ImpactMapError, parse_impact_map
from ..engine.cost import estimate
from ..engine.socioeconomic_io import AccountOut, CaseIn, calculate_account
from ..limits import LimitExceeded, Limits, check_body_size, check_cost, check_counts, description, limits
from .common import IMPACT_MAP_SCHEMA, field_problems, inline_refs, json_body, router

RATE_PURPOSE = "social-value-calculation"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def refuse_other_sites(request: HttpRequest) -> None:
    """A browser names the page's site in Origin; a page of another site may not make the
    calculation work (ADR 0075). Programs send no Origin and are limited by rate instead."""
    origin = request.headers.get("Origin")
    if origin is None:
        return
    ours = {_origin(request.build_absolute_uri("/")), _origin(settings.CIVSAM_BASE_URL)}
    if origin.lower() not in ours:
        raise ApiProblem(
            403,
            _("Beräkningen kan inte anropas från en annan webbplats sida. Anropa API:et från en server."),
        )


def _limit_problem(exc: LimitExceeded) -> ApiProblem:
    title = _("Begäran är för stor") if exc.status == 413 else _("Beräkningen är för stor")
    return ApiProblem(exc.status, exc.detail, title=title, invalid_parameters=[exc.parameter])


def _busy(retry_after: int, detail: str) -> ApiProblem:
    return ApiProblem(503, detail, title=_("Tjänsten är upptagen"), headers={"Retry-After": str(retry_after)})


@router.post(
    "/social-value/calculations",
    response={
        200: CalculationOut,
        400: ProblemOut,
        403: ProblemOut,
        413: ProblemOut,
        422: ProblemOut,
        429: ProblemOut,
        503: ProblemOut,
    },
    by_alias=True,
    operation_id="createSocialValueCalculation",
    summary="Beräkna SROI för en effektkarta",
    # The limits are read with the document, so that it shows the ones in force.
    description=format_lazy(
        "Tar emot en effektkarta som JSON (intressenter, insatser, utfall med dödvikt, undanträngning, "
        "tillskrivning och avtagande, diskonteringsränta, valfria fördelningar och antal dragningar med frö) "
        "och returnerar alla beräknade tal: nuvärde per år och totalt, nettonuvärde, SROI-kvot, netto-SROI-kvot, "
        "återbetalningstid, varningar, tornadodata, brytpunkter och vid dragningar en Monte Carlo-fördelning. "
        "Ingenting sparas. Schemat och gränserna beskrivs i docs/social-value-schema.md.\n\n{}",
        lazy(lambda: description(limits()), str)(),
    ),
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": IMPACT_MAP_SCHEMA}}}},
)
def create_calculation(request: HttpRequest):
    check_query_names(request, ())
    refuse_other_sites(request)
    current = limits()
    signed_in = request.user.is_authenticated
    ratelimit.check(
        request,
        RATE_PURPOSE,
        current.rate(signed_in=signed_in),
        key=f"user:{request.user.pk}" if signed_in else None,
        message=_("Du har gjort för många beräkningar på kort tid. Vänta en stund och försök igen."),
    )
    declared = request.META.get("CONTENT_LENGTH") or ""
    try:
        # By Content-Length, so that a body too large is refused before it is read.
        check_body_size(int(declared) if declared.isdigit() else 0, current)
    except LimitExceeded as exc:
        raise _limit_problem(exc) from None
    try:
        # A place first: when the workers and their queue are full, the body is not even parsed.
        with pool.get_pool().place():
            document = _validated_map(request, current, signed_in=signed_in)
            answer = pool.calculate(document, language=get_language() or "sv")
    except pool.Busy as exc:
        raise _busy(exc.retry_after, _("Alla beräkningsprocesser är upptagna. Försök igen om en stund.")) from None
    except pool.TimedOut as exc:
        raise _busy(
            exc.retry_after,
            _("Beräkningen tog mer än %(seconds)s sekunder och avbröts. Försök igen, eller med färre dragningar.")
            % {"seconds": f"{current.timeout_seconds:g}".replace(".", ",")},
        ) from None
    except pool.OutOfMemory:
        raise ApiProblem(
            422,
            _(
                "Beräkningen behövde mer minne än en beräkning får använda. "
                "Minska antalet dragningar eller fördelningar."
            ),
            title=_("Beräkningen är för stor"),
            invalid_parameters=[InvalidParameter("monteCarlo.draws", _("För många för minnet."))],
        ) from None
    if answer["status"] == "invalid":  # a figure that is not a finite number
        errors = [FieldError(path, message) for path, message in answer["errors"]]
        raise ApiProblem(400, errors[0].message, invalid_parameters=field_problems(errors))
    return HttpResponse(answer["body"], content_type="application/json; charset=utf-8")


def _validated_map(request: HttpRequest, current: Limits, *, signed_in: bool) -> dict[str, Any]:
    """The request's impact map, validated and within the caller's limits, in the engine's JSON form."""
    try:
        data = json_body(request, too_large=_("Effektkartan är för stor."))
        check_body_size(len(request.body), current)
        check_counts(data, current)
        try:
            impact_map, document = parse_impact_map(data)
        except ImpactMapError as exc:
            raise ApiProblem(
                400,
                _("Effektkartan innehåller %(count)s fel; se invalidParameters.") % {"count": len(exc.errors)},
                invalid_parameters=field_problems(exc.errors),
            ) from None
        draws = document.monte_carlo.draws if document.monte_carlo is not None else None
        check_cost(estimate(impact_map, draws=draws), current, signed_in=signed_in)
    except LimitExceeded as exc:
        raise _limit_problem(exc) from None
    validated: dict[str, Any] = document.model_dump(mode="json", by_alias=True, exclude_none=True)
    return validated


ACCOUNT_SCHEMA = inline_refs(CaseIn.model_json_schema(by_alias=True))


@router.post(
    "/social-value/socio-economic-accounts",
    response={200: AccountOut, 400: ProblemOut, 413: ProblemOut},
    by_alias=True,
    operation_id="createSocioEconomicAccount",
    summary="Räkna ett socioekonomiskt bokslut",
    description=(
        "Tar emot en förändring (volymer före och efter per år, i enheter ur en daterad enhetskostnadstabell, "
        "och insatsens kostnad per bärare) och returnerar kostnader och intäkter per bärare (kommunen, regionen, "
        "staten, individen) och år, netto för samhället och nuvärden. Ingenting sparas. Tabellens poster och "
        "deras källor beskrivs i docs/social-value-schema.md; poster märkta illustrative är exempel, inte belagda tal."
    ),
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": ACCOUNT_SCHEMA}}}},
)
def create_socio_economic_account(request: HttpRequest):
    check_query_names(request, ())
    data = json_body(request, too_large=_("Bokslutet är för stort."))
    try:
        return calculate_account(data)
    except ImpactMapError as exc:
        raise ApiProblem(
            400,
            _("Bokslutet innehåller %(count)s fel; se invalidParameters.") % {"count": len(exc.errors)},
            invalid_parameters=field_problems(exc.errors),
        ) from None
