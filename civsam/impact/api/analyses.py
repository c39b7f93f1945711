"""Stored analyses: the list, one analysis, and creating a draft."""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path as PathParam
from ninja import Status
from pydantic import ValidationError

from civsam.core.apiguards import require_signed_in
from civsam.core.apitools import (
    DEFAULT_LIMIT,
    PAGING_PARAMS,
    ApiProblem,
    InvalidParameter,
    Limit,
    PageNumber,
    PageOut,
    ProblemOut,
    check_query_names,
    paginate,
    request_body_problem,
)
from civsam.core.loading import get_permitted
from civsam.core.models import Municipality
from civsam.plan.models import Initiative, PriorityArea
from civsam.plan.selectors.impact_links import initiatives_by_ids
from civsam.registry import orgnr
from civsam.registry.models import Organisation

from .. import permissions, selectors, services
from ..engine import ImpactMapError
from ..engine.errors import error_path, swedish_message
from ..models import SocialValueAnalysis
from ..results import normalise_map
from .common import field_problems, json_body, router
from .schemas import (
    AnalysisDetailOut,
    AnalysisIn,
    AnalysisOut,
    analysis_detail_out,
    analysis_out,
    analysis_request_schema,
)


def visible_analysis(request: HttpRequest, pk: int) -> SocialValueAnalysis:
    """The analysis if the caller may see it. One the caller may not see is a 404 like one that does
    not exist, so that the answer does not tell which drafts there are."""
    try:
        return get_permitted(
            request.user,
            selectors.analyses_visible(user=request.user),
            permissions.can_view_analysis,
            pk=pk,
        )
    except Http404:
        raise ApiProblem(404, _("Det finns ingen analys med id %(id)s.") % {"id": pk}) from None


@router.get(
    "/social-value/analyses",
    response={200: PageOut[AnalysisOut], 400: ProblemOut},
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
    return result.envelope([analysis_out(request, a) for a in result.items])


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
    return analysis_detail_out(request, visible_analysis(request, id))


def _body_problems(exc: ValidationError) -> list[InvalidParameter]:
    return [InvalidParameter(error_path(e["loc"]) or "body", swedish_message(e)) for e in exc.errors()]


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


def _resolve_initiatives(user, ids: list[int]) -> list[Initiative]:
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
        "requestBody": {"required": True, "content": {"application/json": {"schema": analysis_request_schema()}}}
    },
)
def analysis_create(request: HttpRequest, response: HttpResponse):
    check_query_names(request, ())
    require_signed_in(request, _("Logga in för att skapa en analys."))
    raw = json_body(request, too_large=_("Analysen är för stor."))
    if not isinstance(raw, dict):
        raise ApiProblem(400, _("Begärans innehåll måste vara ett JSON-objekt."))
    try:
        data = AnalysisIn.model_validate(raw)
    except ValidationError as exc:
        raise request_body_problem(_body_problems(exc)) from None
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
        problems += field_problems(exc.errors, prefix="impactMap")
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
    out = analysis_detail_out(request, selectors.analysis_get(pk=analysis.pk))
    response["Location"] = out.url
    return Status(201, out)
