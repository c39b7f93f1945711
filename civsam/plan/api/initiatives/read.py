"""API: the list of initiatives with filters, and one initiative with its ETag."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Header, Path, Query

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
)

from ... import selectors
from ...models import FrameTag, Plan
from .common import ETAG_HEADER, fetch, if_none_match_fails, initiative_etag, router, with_details
from .schemas import InitiativeOut, initiative_out

FILTERS = ("plan", "focus-area", "priority-area", "organisation", "municipality", "status", "year", "frame-tag")


def _int_param(name: str, value: str | None) -> int | None:
    if value in (None, ""):
        return None
    if not value.isdigit() or len(value) > 18:
        raise ApiProblem(
            400,
            _("Parametern ”%(name)s” måste vara ett heltal.") % {"name": name},
            invalid_parameters=[InvalidParameter(name, _("måste vara ett heltal"), value)],
        )
    return int(value)


@router.get(
    "",
    response={200: PageOut[InitiativeOut], 400: ProblemOut},
    by_alias=True,
    operation_id="listInitiatives",
    summary="Insatser",
    description=(
        "Insatser som genomförs för handlingsplanen, i titelordning. Filter: plan (kortnamn eller id), "
        "focus-area (insatsområdets nummer, kräver plan), priority-area (aktivitetsområdets id), organisation "
        "(id, ansvarig eller partner), municipality (kommunkod; ansvarig eller omfattad), status (statusens kod) "
        "year (insatser som pågår någon gång under året) och frame-tag (koden för en strategi eller ett Agenda "
        "2030-mål: insatser som anger den själva eller bidrar till ett aktivitetsområde som anger den)."
    ),
)
def initiative_list(
    request,
    response: HttpResponse,
    plan: Annotated[str | None, Query(None, description="Planens kortnamn eller id.")] = None,
    focus_area: Annotated[str | None, Query(None, alias="focus-area", description="Insatsområdets nummer.")] = None,
    priority_area: Annotated[
        str | None, Query(None, alias="priority-area", description="Aktivitetsområdets id.")
    ] = None,
    organisation: Annotated[str | None, Query(None, description="Organisationens id.")] = None,
    municipality: Annotated[str | None, Query(None, description="Kommunkod, t.ex. 1880.")] = None,
    status: Annotated[str | None, Query(None, description="Statusens kod.")] = None,
    year: Annotated[str | None, Query(None, description="Året, t.ex. 2024.")] = None,
    frame_tag: Annotated[
        str | None,
        Query(None, alias="frame-tag", description="Koden för en strategi eller ett Agenda 2030-mål, t.ex. sdg-10."),
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
    page: PageNumber = 1,
):
    check_query_names(request, (*FILTERS, *PAGING_PARAMS))
    plan_obj = None
    if plan:
        plan_obj = Plan.objects.filter(pk=int(plan)).first() if plan.isdigit() and len(plan) < 18 else None
        plan_obj = plan_obj or Plan.objects.filter(slug=plan).first()
        if plan_obj is None:
            raise ApiProblem(
                400,
                _("Det finns ingen handlingsplan ”%(id)s”.") % {"id": plan},
                invalid_parameters=[InvalidParameter("plan", _("är okänd"), plan)],
            )
    focus_number = _int_param("focus-area", focus_area)
    if focus_number is not None and plan_obj is None:
        raise ApiProblem(
            400,
            _("Filtret focus-area kräver plan."),
            invalid_parameters=[InvalidParameter("focus-area", _("kräver parametern plan"), focus_area)],
        )
    year_value = _int_param("year", year)
    if year_value is not None and not 1900 <= year_value <= 2100:
        raise ApiProblem(
            400,
            _("Året är orimligt."),
            invalid_parameters=[InvalidParameter("year", _("måste vara mellan 1900 och 2100"), year)],
        )
    if frame_tag and not FrameTag.objects.filter(code=frame_tag).exists():
        raise ApiProblem(
            400,
            _("Det finns ingen strategi eller inget mål med koden ”%(code)s”.") % {"code": frame_tag},
            invalid_parameters=[InvalidParameter("frame-tag", _("är okänd"), frame_tag)],
        )
    flt = selectors.InitiativeFilter(
        frame_tag=frame_tag or None,
        plan=plan_obj,
        focus_area=focus_number,
        priority_area_id=_int_param("priority-area", priority_area),
        organisation_id=_int_param("organisation", organisation),
        municipality=municipality or None,
        status=status or None,
        year=year_value,
    )
    result = paginate(request, with_details(selectors.initiative_list(flt)), page=page, limit=limit)
    response["Link"] = result.link_header()
    return result.envelope([initiative_out(request, i) for i in result.items])


@router.get(
    "/{initiative_id}",
    response={200: InitiativeOut, 304: None, 400: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="getInitiative",
    url_name="initiative-detail",
    summary="En insats",
    description=(
        "En insats med delmål, områden, principer, roller och kommuner. Svaret har huvudet ETag; skicka det "
        "i If-Match när insatsen ändras (PUT, PATCH), eller i If-None-Match för att få 304 om insatsen inte "
        "har ändrats."
    ),
    openapi_extra={
        "responses": {
            200: {"headers": {"ETag": ETAG_HEADER}},
            304: {
                "description": "Insatsen har inte ändrats sedan hämtningen med den ETag som skickades i If-None-Match.",
                "headers": {"ETag": ETAG_HEADER},
            },
        }
    },
)
def initiative_detail(
    request,
    response: HttpResponse,
    initiative_id: Annotated[int, Path(description="Insatsens id.")],
    if_none_match: Annotated[
        str | None,
        Header(
            None,
            alias="If-None-Match",
            description="ETag från en tidigare hämtning; stämmer den (svag jämförelse) blir svaret 304 utan innehåll.",
        ),
    ] = None,
):
    check_query_names(request, ())
    initiative, body = fetch(request, initiative_id)
    etag = initiative_etag(initiative)
    if if_none_match is not None and if_none_match_fails(if_none_match, etag):
        not_modified = HttpResponse(status=304)
        not_modified["ETag"] = etag
        return not_modified
    response["ETag"] = etag
    return body
