"""API: the action plans and their tree (focus areas → priority activity areas)."""

from __future__ import annotations

from typing import Annotated

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Path, Router
from pydantic import Field

from civsam.core.apitools import (
    DEFAULT_LIMIT,
    PAGING_PARAMS,
    ApiProblem,
    CamelSchema,
    Limit,
    PageNumber,
    PageOut,
    ProblemOut,
    check_query_names,
    paginate,
)

from .. import selectors
from ..models import Plan

router = Router(tags=["handlingsplaner"])


class PriorityAreaOut(CamelSchema):
    """Ett prioriterat aktivitetsområde. Koden är insatsområdets nummer, punkt, eget nummer (”1.3”)."""

    code: str
    number: int
    title_sv: str
    title_en: str


class FocusAreaOut(CamelSchema):
    """Ett insatsområde med sina prioriterade aktivitetsområden."""

    code: str
    number: int
    title_sv: str
    title_en: str
    priority_areas: list[PriorityAreaOut]


class PlanSummaryOut(CamelSchema):
    """En version av handlingsplanen."""

    id: int
    slug: str
    title_sv: str
    title_en: str
    start_year: int
    end_year: int
    status: str = Field(description="draft, consultation, adopted eller superseded.")
    url: str = Field(description="Resursens adress i API:et.")
    web_url: str = Field(description="Planens sida på webbplatsen.")


class PlanOut(PlanSummaryOut):
    """En handlingsplan med mål och hela trädet av insatsområden och aktivitetsområden."""

    goal_sv: str
    goal_en: str
    focus_areas: list[FocusAreaOut]


def _summary_fields(request, plan: Plan) -> dict:
    return {
        "id": plan.pk,
        "slug": plan.slug,
        "title_sv": plan.title_sv,
        "title_en": plan.title_en,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "status": plan.status,
        "url": request.build_absolute_uri(reverse("api-v1:plan-detail", kwargs={"plan_id": plan.slug})),
        "web_url": request.build_absolute_uri(plan.get_absolute_url()),
    }


def plan_out(request, plan: Plan) -> PlanOut:
    """The whole tree; focus areas and priority areas must be prefetched (selectors.plan_with_tree)."""
    focus_areas = []
    for focus_area in plan.focus_areas.all():
        priority_areas = [
            PriorityAreaOut(
                code=f"{focus_area.number}.{pa.number}", number=pa.number, title_sv=pa.title_sv, title_en=pa.title_en
            )
            for pa in focus_area.priority_areas.all()
        ]
        focus_areas.append(
            FocusAreaOut(
                code=focus_area.code,
                number=focus_area.number,
                title_sv=focus_area.title_sv,
                title_en=focus_area.title_en,
                priority_areas=priority_areas,
            )
        )
    return PlanOut(
        **_summary_fields(request, plan), goal_sv=plan.goal_sv, goal_en=plan.goal_en, focus_areas=focus_areas
    )


@router.get(
    "",
    response={200: PageOut[PlanSummaryOut], 400: ProblemOut},
    by_alias=True,
    operation_id="listPlans",
    summary="Handlingsplanerna",
    description="Alla versioner av den regionala handlingsplanen, nyast först. "
    "Status: draft (utkast), consultation (på remiss), adopted (antagen) eller superseded (ersatt).",
)
def plan_list(
    request,
    response: HttpResponse,
    limit: Limit = DEFAULT_LIMIT,
    page: PageNumber = 1,
):
    check_query_names(request, PAGING_PARAMS)
    result = paginate(request, selectors.plan_list().order_by("-start_year", "id"), page=page, limit=limit)
    response["Link"] = result.link_header()
    return result.envelope([PlanSummaryOut(**_summary_fields(request, plan)) for plan in result.items])


@router.get(
    "/{plan_id}",
    response={200: PlanOut, 400: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="getPlan",
    url_name="plan-detail",
    summary="En handlingsplan med hela trädet",
    description=(
        "En handlingsplan med mål, insatsområden och prioriterade aktivitetsområden, på svenska och engelska. "
        "Planen pekas ut med sitt kortnamn (t.ex. 2022-2025) eller sitt numeriska id; ett värde av bara "
        "siffror prövas först som id och sedan som kortnamn. Koderna är insatsområdets nummer (”1”) och "
        "aktivitetsområdets nummer under det (”1.3”)."
    ),
)
def plan_detail(
    request,
    plan_id: Annotated[str, Path(description="Planens kortnamn (t.ex. 2022-2025) eller numeriska id.")],
):
    check_query_names(request, ())
    plan = _plan_by_id_or_slug(plan_id)
    if plan is None:
        raise ApiProblem(404, _("Det finns ingen handlingsplan ”%(id)s”.") % {"id": plan_id})
    return plan_out(request, plan)


def _plan_by_id_or_slug(value: str) -> Plan | None:
    try:
        if not value.isdigit():
            return selectors.plan_with_tree(value)
        # All digits: the id first, then the slug, so that a plan called "2018" stays reachable.
        # Numbers longer than a 64-bit id cannot be ids.
        if len(value) <= 18:
            try:
                return selectors.plan_with_tree(int(value))
            except Http404:
                pass
        pk = Plan.objects.filter(slug=value).values_list("pk", flat=True).first()
        return selectors.plan_with_tree(pk) if pk is not None else None
    except Http404:
        return None
