"""API: indicators with baseline, targets, yearly values and status against the target."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router
from pydantic import Field

from civsam.core.apitools import (
    DEFAULT_LIMIT,
    PAGING_PARAMS,
    ApiProblem,
    CamelSchema,
    InvalidParameter,
    Limit,
    PageNumber,
    PageOut,
    ProblemOut,
    check_query_names,
    paginate,
)

from .. import indicator_status, selectors
from ..models import Plan

router = Router(tags=["indikatorer"])


class YearValueOut(CamelSchema):
    """Ett år: målvärde, utfall med källa och kommentar, och status mot målet."""

    year: int
    target: Decimal | None = None
    actual: Decimal | None = None
    source: str
    comment: str
    status: str = Field(description="on_track, at_risk, off_track, no_target eller no_value.")


class IndicatorOut(CamelSchema):
    """En indikator på målet, ett insatsområde, ett aktivitetsområde eller en insats."""

    id: int
    code: str
    name_sv: str
    name_en: str
    plan: str
    focus_area: str | None = Field(None, description="Insatsområdets nummer, om indikatorn hör dit.")
    priority_area: str | None = Field(None, description="Aktivitetsområdets kod, om indikatorn hör dit.")
    initiative_id: int | None = None
    unit: str
    direction: str = Field(description="higher eller lower: vilket håll som är bättre.")
    kind: str = Field(description="manual eller computed.")
    computation: str
    baseline_year: int | None = None
    baseline_value: Decimal | None = None
    values: list[YearValueOut]
    status_rule: str = Field(description="Regeln för status, i ord.")


@router.get(
    "",
    response={200: PageOut[IndicatorOut], 400: ProblemOut},
    by_alias=True,
    operation_id="listIndicators",
    summary="Indikatorer med mål och utfall",
    description="Indikatorerna med basvärde, målvärden och utfall per år och status mot målet. Filter: plan.",
)
def indicator_list(
    request,
    response: HttpResponse,
    plan: Annotated[str | None, Query(None, description="Planens kortnamn eller id.")] = None,
    limit: Limit = DEFAULT_LIMIT,
    page: PageNumber = 1,
):
    check_query_names(request, ("plan", *PAGING_PARAMS))
    qs = selectors.indicators_qs().order_by("plan__start_year", "code")
    if plan:
        plan_obj = Plan.objects.filter(slug=plan).first() or (
            Plan.objects.filter(pk=int(plan)).first() if plan.isdigit() and len(plan) < 18 else None
        )
        if plan_obj is None:
            raise ApiProblem(
                400,
                _("Det finns ingen handlingsplan ”%(id)s”.") % {"id": plan},
                invalid_parameters=[InvalidParameter("plan", _("är okänd"), plan)],
            )
        qs = qs.filter(plan=plan_obj)
    result = paginate(request, qs, page=page, limit=limit)
    response["Link"] = result.link_header()
    items = []
    for indicator in result.items:
        series = selectors.series_for(indicator)
        items.append(
            IndicatorOut(
                id=indicator.pk,
                code=indicator.code,
                name_sv=indicator.name_sv,
                name_en=indicator.name_en,
                plan=indicator.plan.slug,
                focus_area=str(indicator.focus_area.number) if indicator.focus_area_id else None,
                priority_area=indicator.priority_area.code if indicator.priority_area_id else None,
                initiative_id=indicator.initiative_id,
                unit=indicator.unit,
                direction=indicator.direction,
                kind=indicator.kind,
                computation=indicator.computation,
                baseline_year=indicator.baseline_year,
                baseline_value=indicator.baseline_value,
                values=[
                    YearValueOut(
                        year=p.year,
                        target=p.target,
                        actual=p.actual,
                        source=p.source,
                        comment=p.comment,
                        status=p.status,
                    )
                    for p in series.points
                ],
                status_rule=str(indicator_status.RULE_TEXT),
            )
        )
    return result.envelope(items)
