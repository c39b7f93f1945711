"""API: the action plans and their tree (focus areas → priority activity areas)."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Router, Status
from pydantic import Field
from pydantic.alias_generators import to_camel

from civsam.core.apiguards import require_signed_in
from civsam.core.apitools import (
    DEFAULT_LIMIT,
    PAGING_PARAMS,
    ApiProblem,
    CamelSchema,
    InSchema,
    InvalidParameter,
    Limit,
    PageNumber,
    PageOut,
    ProblemOut,
    check_query_names,
    paginate,
)

from .. import permissions, selectors, services
from ..models import Plan, PlanDecision

router = Router(tags=["handlingsplaner"])


class PriorityAreaOut(CamelSchema):
    """Ett prioriterat aktivitetsområde. Koden är insatsområdets nummer, punkt, eget nummer (”1.3”)."""

    code: str
    number: int
    title_sv: str
    title_en: str
    frame_tags: list[str] = Field(description="Koderna för strategier och Agenda 2030-mål som området bidrar till.")


class FocusAreaOut(CamelSchema):
    """Ett insatsområde med sina prioriterade aktivitetsområden."""

    code: str
    number: int
    title_sv: str
    title_en: str
    frame_tags: list[str] = Field(description="Koderna för strategier och Agenda 2030-mål som området bidrar till.")
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


class PlanDecisionOut(CamelSchema):
    """Ett beslut som förde planen ett steg: organet, datumet och diarienumret."""

    action: str = Field(description="consult (på remiss), adopt (antagen) eller supersede (ersatt).")
    status_before: str
    status_after: str
    body: str = Field(description="Det beslutande organet, t.ex. Kulturnämnden.")
    decided_on: datetime.date
    case_number: str = Field(description="Diarienummer i regionens form (t.ex. 24RS4154); tomt om det inte är känt.")
    note: str


class PlanOut(PlanSummaryOut):
    """En handlingsplan med mål, beslut och hela trädet av insatsområden och aktivitetsområden."""

    goal_sv: str
    goal_en: str
    in_force: bool = Field(description="Om planen är den som gäller i dag.")
    decisions: list[PlanDecisionOut] = Field(description="Besluten om planen, äldst först.")
    focus_areas: list[FocusAreaOut]


class PlanDecisionIn(InSchema):
    """Ett beslut som för planen till nästa status."""

    status: Literal["consultation", "adopted", "superseded"] = Field(
        description="Planens nya status: consultation, adopted eller superseded."
    )
    body: str = Field(description="Det beslutande organet, t.ex. Kulturnämnden eller Regionfullmäktige.")
    decided_on: datetime.date = Field(description="Beslutsdatum (ÅÅÅÅ-MM-DD), inte i framtiden.")
    case_number: str = Field(description="Diarienummer i regionens form, t.ex. 24RS4154.")
    note: str = ""


def _decision_out(decision: PlanDecision) -> PlanDecisionOut:
    return PlanDecisionOut(
        action=decision.action,
        status_before=decision.status_before,
        status_after=decision.status_after,
        body=decision.body,
        decided_on=decision.decided_on,
        case_number=decision.case_number,
        note=decision.note,
    )


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
                code=f"{focus_area.number}.{pa.number}",
                number=pa.number,
                title_sv=pa.title_sv,
                title_en=pa.title_en,
                frame_tags=[t.code for t in pa.frame_tags.all()],
            )
            for pa in focus_area.priority_areas.all()
        ]
        focus_areas.append(
            FocusAreaOut(
                code=focus_area.code,
                number=focus_area.number,
                title_sv=focus_area.title_sv,
                title_en=focus_area.title_en,
                frame_tags=[t.code for t in focus_area.frame_tags.all()],
                priority_areas=priority_areas,
            )
        )
    in_force = selectors.plan_in_force(timezone.localdate())
    return PlanOut(
        **_summary_fields(request, plan),
        goal_sv=plan.goal_sv,
        goal_en=plan.goal_en,
        in_force=in_force is not None and in_force.pk == plan.pk,
        decisions=[_decision_out(d) for d in selectors.plan_decisions(plan)],
        focus_areas=focus_areas,
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
        "En handlingsplan med mål, status, besluten om den (organ, datum, diarienummer), insatsområden och "
        "prioriterade aktivitetsområden, på svenska och engelska. inForce säger om planen gäller i dag. "
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


@router.post(
    "/{plan_id}/decisions",
    response={201: PlanOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="createPlanDecision",
    summary="För in ett beslut om planen",
    description=(
        "För planen ett steg i sitt livslopp – utkast → på remiss → antagen → ersatt (ett utkast kan också "
        "antas direkt) – och registrerar beslutet: organ, datum och diarienummer i regionens form. Kräver "
        "inloggning som regionens administratör (sessionscookie med CSRF-token i huvudet X-CSRFToken). "
        "Svarar med planen som den är efter beslutet."
    ),
)
def plan_decision_create(
    request: HttpRequest,
    response: HttpResponse,
    plan_id: Annotated[str, Path(description="Planens kortnamn (t.ex. 2022-2025) eller numeriska id.")],
    payload: PlanDecisionIn,
):
    require_signed_in(request, _("Logga in för att föra in beslut om planen."))
    check_query_names(request, ())
    plan = _plan_by_id_or_slug(plan_id)
    if plan is None:
        raise ApiProblem(404, _("Det finns ingen handlingsplan ”%(id)s”.") % {"id": plan_id})
    if not permissions.can_decide_plan(request.user, plan):
        raise ApiProblem(403, _("Bara regionens administratör kan föra in beslut om planen."))
    decision = services.DecisionIn(
        body=payload.body, decided_on=payload.decided_on, case_number=payload.case_number, note=payload.note
    )
    try:
        services.plan_status_change(actor=request.user, plan=plan, to=payload.status, decision=decision)
    except PermissionDenied as exc:
        raise ApiProblem(403, str(exc)) from None
    except ValidationError as exc:
        fields = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
        raise ApiProblem(
            400,
            " ".join(exc.messages),
            invalid_parameters=[
                InvalidParameter(
                    "status" if name == NON_FIELD_ERRORS else to_camel(name),
                    " ".join(e.message % (e.params or {}) for e in errs),
                )
                for name, errs in fields.items()
            ],
        ) from None
    body = plan_out(request, selectors.plan_with_tree(plan.pk))
    response["Location"] = body.url
    return Status(201, body)
