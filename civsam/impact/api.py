"""API: SROI calculations on an impact map sent as JSON (nothing stored), and stored analyses.

The bodies are validated by the engine's own schema rather than by ninja, so that every error comes
back as one problem+json with a Swedish reason per field (invalidParameters, JSON paths such as
``outcomes[0].dropOff``). The schemas are still documented in the OpenAPI description.
"""

from __future__ import annotations

import datetime
import json
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Path as PathParam
from ninja import Router, Status
from ninja.utils import check_csrf
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from pydantic.alias_generators import to_camel

from civsam.core.apitools import (
    DEFAULT_LIMIT,
    PAGING_PARAMS,
    ApiProblem,
    CamelSchema,
    InvalidParameter,
    Limit,
    PageLinksOut,
    PageNumber,
    PaginationOut,
    ProblemOut,
    check_query_names,
    paginate,
    request_body_problem,
)
from civsam.core.models import Municipality
from civsam.plan.models import PriorityArea
from civsam.plan.selectors.impact_links import initiatives_by_ids
from civsam.registry import orgnr
from civsam.registry.models import Organisation

from . import permissions, selectors, services
from .engine import CalculationOut, ImpactMapError, ImpactMapIn, analyse_document, parse_impact_map, to_output
from .engine.schema import _path as error_path
from .engine.schema import swedish_message
from .engine.socioeconomic_io import AccountOut, CaseIn, calculate_account
from .models import SocialValueAnalysis
from .results import normalise_map

# 100,000 draws on 20 outcomes × 10 years take well under a second (bench/sroi_bench.py).
MAX_API_DRAWS = 100_000

router = Router(tags=["social-value"])


def _inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """The pydantic JSON schema with its $defs inlined, to stand alone inside the OpenAPI document."""
    definitions = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return resolve(definitions[ref.removeprefix("#/$defs/")])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    return resolve(schema)


REQUEST_SCHEMA = _inline_refs(ImpactMapIn.model_json_schema(by_alias=True))


@router.post(
    "/social-value/calculations",
    response={200: CalculationOut, 400: ProblemOut, 413: ProblemOut},
    by_alias=True,
    operation_id="createSocialValueCalculation",
    summary="Beräkna SROI för en effektkarta",
    description=(
        "Tar emot en effektkarta som JSON (intressenter, insatser, utfall med dödvikt, undanträngning, "
        "tillskrivning och avtagande, diskonteringsränta, valfria fördelningar och antal dragningar med frö) "
        "och returnerar alla beräknade tal: nuvärde per år och totalt, nettonuvärde, SROI-kvot, netto-SROI-kvot, "
        "återbetalningstid, varningar, tornadodata, brytpunkter och vid dragningar en Monte Carlo-fördelning. "
        f"Ingenting sparas. Högst {MAX_API_DRAWS} dragningar. Schemat beskrivs i docs/social-value-schema.md."
    ),
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": REQUEST_SCHEMA}}}},
)
def create_calculation(request: HttpRequest):
    check_query_names(request, ())
    try:
        body = request.body
    except RequestDataTooBig:
        raise ApiProblem(413, _("Effektkartan är för stor."), title=_("För stor begäran")) from None
    try:
        data = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ApiProblem(400, _("Begärans innehåll är inte giltig JSON.")) from None
    try:
        impact_map, document = parse_impact_map(data)
    except ImpactMapError as exc:
        raise ApiProblem(
            400,
            _("Effektkartan innehåller %(count)s fel; se invalidParameters.") % {"count": len(exc.errors)},
            invalid_parameters=[InvalidParameter(error.path or "body", error.message) for error in exc.errors],
        ) from None
    if document.monte_carlo is not None and document.monte_carlo.draws > MAX_API_DRAWS:
        raise ApiProblem(
            400,
            _("För många dragningar."),
            invalid_parameters=[
                InvalidParameter(
                    "monteCarlo.draws",
                    _("Får vara högst %(limit)s i API:et.") % {"limit": MAX_API_DRAWS},
                    str(document.monte_carlo.draws),
                )
            ],
        )
    try:
        return to_output(analyse_document(document, impact_map))
    except ImpactMapError as exc:  # a figure that is not a finite number
        raise ApiProblem(
            400,
            exc.errors[0].message,
            invalid_parameters=[InvalidParameter(error.path or "body", error.message) for error in exc.errors],
        ) from None


# --- Socio-economic accounts --------------------------------------------------------------------

ACCOUNT_SCHEMA = _inline_refs(CaseIn.model_json_schema(by_alias=True))


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
    try:
        body = request.body
    except RequestDataTooBig:
        raise ApiProblem(413, _("Bokslutet är för stort."), title=_("För stor begäran")) from None
    try:
        data = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ApiProblem(400, _("Begärans innehåll är inte giltig JSON.")) from None
    try:
        return calculate_account(data)
    except ImpactMapError as exc:
        raise ApiProblem(
            400,
            _("Bokslutet innehåller %(count)s fel; se invalidParameters.") % {"count": len(exc.errors)},
            invalid_parameters=[InvalidParameter(error.path or "body", error.message) for error in exc.errors],
        ) from None


# --- Stored analyses -----------------------------------------------------------------------------


class OwnerOut(CamelSchema):
    """Den som står för analysen: en organisation (organisationsnummer), en kommun (kommunkod) eller
    regionen själv (länskod)."""

    type: Literal["organisation", "municipality", "region"]
    code: str = Field(
        description="Organisationsnummer (tio siffror), kommunkod (fyra siffror) eller länskod (två siffror)."
    )
    name: str


class PriorityAreaRefOut(CamelSchema):
    """Ett prioriterat aktivitetsområde i en handlingsplan som analysen gäller."""

    id: int
    code: str = Field(description="Insatsområdets nummer, punkt, eget nummer (”1.3”).")
    title: str
    plan: str = Field(description="Handlingsplanens kortnamn, t.ex. 2022-2025.")


class InitiativeRefOut(CamelSchema):
    """En insats i handlingsplanen som analysen gäller."""

    id: int
    title: str
    url: str = Field(description="Insatsen i API:et (/api/v1/initiatives/{id}).")
    web_url: str = Field(description="Insatsens sida på webbplatsen.")


class AnalysisOut(CamelSchema):
    """En lagrad samhällsnyttoanalys (SROI). Författare och granskare är personuppgifter och ingår inte."""

    id: int
    title: str
    summary: str | None = None
    status: Literal["draft", "in_review", "published"] = Field(
        description="draft (utkast), in_review (granskas) eller published (publicerad efter granskning)."
    )
    owner: OwnerOut
    priority_areas: list[PriorityAreaRefOut]
    initiatives: list[InitiativeRefOut] = Field(description="Insatser i handlingsplanen som analysen gäller.")
    related_records: str | None = Field(None, description="Kopplade bidrag och IOP, som fritext.")
    activities: list[str] = Field(description="Verksamhetens aktiviteter, för förändringsteorin.")
    sroi_ratio: float | None = Field(None, description="SROI-kvoten enligt den sparade beräkningen; bara publicerade.")
    created_at: datetime.datetime
    updated_at: datetime.datetime
    published_at: datetime.datetime | None = None
    url: str = Field(description="Resursens adress i API:et.")
    web_url: str = Field(description="Rapporten på webbplatsen.")


class AnalysisDetailOut(AnalysisOut):
    """En analys med effektkarta och alla beräknade tal."""

    impact_map: dict[str, Any] | None = Field(
        None, description="Effektkartan som JSON enligt docs/social-value-schema.md."
    )
    results: CalculationOut | None = Field(
        None,
        description="Alla beräknade tal. För en publicerad analys de tal som sparades när den godkändes; "
        "annars beräknade nu ur effektkartan.",
    )
    results_frozen: bool = Field(description="Sant när resultaten är de som sparades vid publiceringen.")


class AnalysisPage(CamelSchema):
    """En sida analyser med sidinformation och länkar."""

    items: list[AnalysisOut]
    pagination: PaginationOut
    links: PageLinksOut


class AnalysisIn(BaseModel):
    """Ett nytt utkast: uppgifter om analysen och effektkartan."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    summary: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] = ""
    owner_organisation: str | None = Field(None, description="Organisationsnummer för ägande organisation.")
    owner_municipality: str | None = Field(None, description="Kommunkod för ägande kommun, t.ex. 1880.")
    owner_region: bool = Field(False, description="Sant när regionen själv äger analysen (regionadministratörer).")
    priority_areas: Annotated[list[int], Field(max_length=100)] = []
    initiatives: Annotated[
        list[int], Field(max_length=100, description="Id för insatser i handlingsplanen (/api/v1/initiatives).")
    ] = []
    related_records: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""
    activities: Annotated[list[Annotated[str, StringConstraints(max_length=500)]], Field(max_length=50)] = []
    impact_map: dict[str, Any]


def _analysis_request_schema() -> dict[str, Any]:
    schema = _inline_refs(AnalysisIn.model_json_schema(by_alias=True))
    schema["properties"]["impactMap"] = REQUEST_SCHEMA
    return schema


def _owner_out(analysis: SocialValueAnalysis) -> OwnerOut:
    if analysis.owner_region:
        return OwnerOut(type="region", code=settings.CIVSAM["COUNTY_CODE"], name=settings.CIVSAM["REGION_NAME"])
    if analysis.owner_organisation is not None:
        organisation = analysis.owner_organisation
        return OwnerOut(type="organisation", code=organisation.orgnr, name=organisation.name)
    municipality = analysis.owner_municipality
    return OwnerOut(type="municipality", code=municipality.code, name=municipality.name)


def _analysis_fields(request: HttpRequest, analysis: SocialValueAnalysis) -> dict[str, Any]:
    ratio = None
    if analysis.status == SocialValueAnalysis.Status.PUBLISHED and analysis.results:
        ratio = analysis.results.get("sroiRatio")
    return {
        "id": analysis.pk,
        "title": analysis.title,
        "summary": analysis.summary or None,
        "status": analysis.status,
        "owner": _owner_out(analysis),
        "priority_areas": [
            PriorityAreaRefOut(id=area.pk, code=area.code, title=area.title, plan=area.focus_area.plan.slug)
            for area in analysis.priority_areas.all()
        ],
        "initiatives": [
            InitiativeRefOut(
                id=initiative.pk,
                title=initiative.title,
                url=request.build_absolute_uri(
                    reverse("api-v1:initiative-detail", kwargs={"initiative_id": initiative.pk})
                ),
                web_url=request.build_absolute_uri(reverse("plan:initiative-detail", args=[initiative.pk])),
            )
            for initiative in analysis.initiatives.all()
        ],
        "related_records": analysis.related_records or None,
        "activities": [line.strip() for line in analysis.activities.splitlines() if line.strip()],
        "sroi_ratio": ratio,
        "created_at": analysis.created_at,
        "updated_at": analysis.updated_at,
        "published_at": analysis.published_at,
        "url": request.build_absolute_uri(reverse("api-v1:social-value-analysis-detail", args=[analysis.pk])),
        "web_url": request.build_absolute_uri(analysis.get_absolute_url()),
    }


def analysis_detail_out(request: HttpRequest, analysis: SocialValueAnalysis) -> AnalysisDetailOut:
    computed = selectors.analysis_results(analysis)
    return AnalysisDetailOut(
        **_analysis_fields(request, analysis),
        impact_map=analysis.impact_map,
        results=CalculationOut.model_validate(computed) if computed is not None else None,
        results_frozen=analysis.status == SocialValueAnalysis.Status.PUBLISHED,
    )


@router.get(
    "/social-value/analyses",
    response={200: AnalysisPage, 400: ProblemOut},
    by_alias=True,
    operation_id="listSocialValueAnalyses",
    summary="Lista samhällsnyttoanalyser",
    description=(
        "Publicerade analyser och, för en inloggad anropare, de utkast och analyser under granskning som "
        "anroparen får ändra eller granska. Senast ändrade först."
    ),
)
def analysis_list(request: HttpRequest, response: HttpResponse, limit: Limit = DEFAULT_LIMIT, page: PageNumber = 1):
    check_query_names(request, PAGING_PARAMS)
    result = paginate(request, selectors.analyses_visible(user=request.user), page=page, limit=limit)
    response["Link"] = result.link_header()
    return result.envelope([AnalysisOut(**_analysis_fields(request, a)) for a in result.items])


@router.get(
    "/social-value/analyses/{id}",
    response={200: AnalysisDetailOut, 400: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="getSocialValueAnalysis",
    url_name="social-value-analysis-detail",
    summary="En samhällsnyttoanalys",
    description=(
        "En analys med effektkarta och alla beräknade tal. Ett utkast, eller en analys under granskning, "
        "som anroparen inte får se ger 404."
    ),
)
def analysis_detail(request: HttpRequest, id: Annotated[int, PathParam(description="Analysens id.")]):
    check_query_names(request, ())
    analysis = selectors.analysis_get(pk=id)
    if analysis is None or not permissions.can_view(request.user, analysis):
        raise ApiProblem(404, _("Det finns ingen analys med id %(id)s.") % {"id": id})
    return analysis_detail_out(request, analysis)


def _pydantic_problems(exc: ValidationError, prefix: str = "") -> list[InvalidParameter]:
    return [InvalidParameter(prefix + (error_path(e["loc"]) or "body"), swedish_message(e)) for e in exc.errors()]


def _resolve_owner(data: AnalysisIn) -> tuple[Organisation | None, Municipality | None, list[InvalidParameter]]:
    problems: list[InvalidParameter] = []
    if bool(data.owner_organisation) + bool(data.owner_municipality) + data.owner_region != 1:
        reason = _("Ange precis en ägare: ownerOrganisation, ownerMunicipality eller ownerRegion.")
        return None, None, [InvalidParameter("ownerOrganisation", reason)]
    if data.owner_region:
        return None, None, []
    if data.owner_organisation:
        try:
            number = orgnr.normalise(data.owner_organisation)
        except orgnr.OrgnrError as exc:
            return None, None, [InvalidParameter("ownerOrganisation", str(exc), data.owner_organisation)]
        organisation = Organisation.objects.filter(orgnr=number).first()
        if organisation is None:
            problems.append(
                InvalidParameter("ownerOrganisation", _("Det finns ingen sådan organisation."), data.owner_organisation)
            )
        return organisation, None, problems
    municipality = Municipality.objects.filter(code=data.owner_municipality).first()
    if municipality is None:
        problems.append(
            InvalidParameter("ownerMunicipality", _("Det finns ingen sådan kommun."), data.owner_municipality)
        )
    return None, municipality, problems


def _resolve_initiatives(user, ids: list[int]) -> list:
    """The initiatives by id; one that does not exist or that the caller may not see is a 422, the same
    for both so that the answer does not tell which initiatives exist."""
    found = list(initiatives_by_ids(user=user, ids=ids))
    missing = sorted(set(ids) - {initiative.pk for initiative in found})
    if missing:
        joined = ", ".join(map(str, missing))
        raise ApiProblem(
            422,
            _("Det finns inga insatser med id %(ids)s som du kan se.") % {"ids": joined},
            title=_("Innehållet kunde inte behandlas"),
            invalid_parameters=[
                InvalidParameter("initiatives", _("Okända insatser: %(ids)s.") % {"ids": joined}, joined)
            ],
        )
    return found


@router.post(
    "/social-value/analyses",
    response={
        201: AnalysisDetailOut,
        400: ProblemOut,
        401: ProblemOut,
        403: ProblemOut,
        413: ProblemOut,
        422: ProblemOut,
    },
    by_alias=True,
    operation_id="createSocialValueAnalysis",
    summary="Skapa ett utkast till samhällsnyttoanalys",
    description=(
        "Skapar ett utkast ur en effektkarta (JSON enligt docs/social-value-schema.md) med titel, ägare "
        "(ownerOrganisation med organisationsnummer, ownerMunicipality med kommunkod eller ownerRegion: true "
        "för regionen själv), prioriterade "
        "aktivitetsområden (id), insatser i handlingsplanen (initiatives: id ur /api/v1/initiatives), "
        "kopplade bidrag och IOP som fritext och aktiviteter. En okänd insats, eller en som anroparen inte får "
        "se, ger 422. Kräver inloggning (sessionscookie med "
        "CSRF-token) och behörighet för ägaren: företrädare för organisationen, handläggare i kommunen eller "
        "regionadministratör. Utkastet publiceras först när en annan person har granskat det på webbplatsen."
    ),
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {"schema": _analysis_request_schema()}}}
    },
)
def analysis_create(request: HttpRequest, response: HttpResponse):
    check_query_names(request, ())
    if not request.user.is_authenticated:
        raise ApiProblem(401, _("Logga in för att skapa en analys."))
    if check_csrf(request) is not None:
        raise ApiProblem(403, _("CSRF-kontrollen misslyckades: skicka med CSRF-token i huvudet X-CSRFToken."))
    try:
        body = request.body
    except RequestDataTooBig:
        raise ApiProblem(413, _("Analysen är för stor."), title=_("För stor begäran")) from None
    try:
        raw = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ApiProblem(400, _("Begärans innehåll är inte giltig JSON.")) from None
    if not isinstance(raw, dict):
        raise ApiProblem(400, _("Begärans innehåll måste vara ett JSON-objekt."))
    try:
        data = AnalysisIn.model_validate(raw)
    except ValidationError as exc:
        problems = _pydantic_problems(exc)
        raise request_body_problem(problems) from None
    organisation, municipality, problems = _resolve_owner(data)
    areas = list(PriorityArea.objects.filter(pk__in=data.priority_areas))
    missing = sorted(set(data.priority_areas) - {area.pk for area in areas})
    if missing:
        problems.append(
            InvalidParameter(
                "priorityAreas",
                _("Okända id: %(ids)s.") % {"ids": ", ".join(map(str, missing))},
                ",".join(map(str, missing)),
            )
        )
    try:
        normalise_map(data.impact_map)
    except ImpactMapError as exc:
        problems += [InvalidParameter(f"impactMap.{e.path}" if e.path else "impactMap", e.message) for e in exc.errors]
    if problems:
        raise request_body_problem(problems)
    initiatives = _resolve_initiatives(request.user, data.initiatives)
    try:
        analysis = services.analysis_create(
            actor=request.user,
            title=data.title,
            summary=data.summary,
            owner_organisation=organisation,
            owner_municipality=municipality,
            owner_region=data.owner_region,
            priority_areas=areas,
            initiatives=initiatives,
            related_records=data.related_records,
            activities="\n".join(line.strip() for line in data.activities if line.strip()),
            impact_map=data.impact_map,
        )
    except PermissionDenied:
        raise ApiProblem(403, _("Du får inte göra analyser för den ägaren.")) from None
    analysis = selectors.analysis_get(pk=analysis.pk)
    out = analysis_detail_out(request, analysis)
    response["Location"] = out.url
    return Status(201, out)
