"""API: an initiative's funding lines (read and replace) and the plan's co-financing per source and
year (ADR 0092). The link is the funding app's, so its operations live here, under the initiative's path."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from pydantic import Field

from civsam.core.apiguards import require_signed_in
from civsam.core.apitools import (
    ApiProblem,
    CamelSchema,
    Id,
    InSchema,
    InvalidParameter,
    ProblemOut,
    check_query_names,
)
from civsam.plan.models import Initiative, Plan

from .. import permissions, selectors, services
from ..models import InitiativeFundingLine

router = Router(tags=["insatser"])
KINDS = ", ".join(InitiativeFundingLine.Kind.values)


class FundingLineOut(CamelSchema):
    """En finansieringsrad: vad en finansieringskälla ger insatsen ett år."""

    source_id: int = Field(description="Finansieringskällans id (/funding-sources).")
    source: str = Field(description="Finansieringskällans namn.")
    funder: str = Field(description="Bidragsgivarens namn.")
    year: int
    amount: Decimal = Field(description="Belopp i kronor.")
    kind: str = Field(description=KINDS)


class FundingLinesOut(CamelSchema):
    initiative_id: int
    lines: list[FundingLineOut]


class FundingLineIn(InSchema):
    source_id: int = Field(ge=1, description="En aktiv finansieringskällas id.")
    year: int = Field(description="År, 2000–2100.")
    amount: Decimal = Field(ge=0, max_digits=14, decimal_places=2, description="Belopp i kronor.")
    kind: str = Field(InitiativeFundingLine.Kind.GRANTED, description=KINDS + "; standard granted.")


class FundingLinesIn(InSchema):
    lines: list[FundingLineIn] = Field(max_length=200, description="Alla rader; de ersätter insatsens rader.")


class PlanCoFinancingOut(CamelSchema):
    source_id: int
    source: str
    funder: str
    year: int
    amount: Decimal = Field(description="Summan i kronor av insatsernas rader för källan och året.")


def _initiative(initiative_id: int) -> Initiative:
    initiative = Initiative.objects.select_related("lead_organisation", "lead_municipality").filter(pk=initiative_id)
    found = initiative.first()
    if found is None:
        raise ApiProblem(404, _("Det finns ingen insats med id %(id)s.") % {"id": initiative_id})
    return found


def _lines_out(initiative: Initiative) -> FundingLinesOut:
    return FundingLinesOut(
        initiative_id=initiative.pk,
        lines=[
            FundingLineOut(
                source_id=line.source_id,
                source=line.source.name,
                funder=line.source.funder.name,
                year=line.year,
                amount=line.amount,
                kind=line.kind,
            )
            for line in selectors.initiative_funding_lines(initiative)
        ],
    )


InitiativeId = Annotated[Id, Path(description="Insatsens id.")]


@router.get(
    "/initiatives/{initiative_id}/funding-lines",
    response={200: FundingLinesOut, 400: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="getInitiativeFundingLines",
    summary="Insatsens finansiering per källa och år",
    description="Insatsens finansieringsrader: finansieringskälla, år, belopp i kronor och slag (beviljade medel, "
    "egen medfinansiering i pengar eller i tid). Finansiering som ingen källa täcker står kvar som fritext "
    "på insatsen.",
)
def funding_lines_get(request: HttpRequest, initiative_id: InitiativeId):
    check_query_names(request, ())
    return _lines_out(_initiative(initiative_id))


@router.put(
    "/initiatives/{initiative_id}/funding-lines",
    response={200: FundingLinesOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="replaceInitiativeFundingLines",
    summary="Ersätt insatsens finansiering",
    description="Ersätter insatsens finansieringsrader med de som skickas. Kräver inloggning (sessionscookie med "
    "CSRF-token i huvudet X-CSRFToken) och samma behörighet som att ändra insatsen. Varje källa ska finnas och "
    "vara aktiv; fel anges per rad (lines.N.fält, N från 0). Okända egenskaper ger 400.",
)
def funding_lines_put(request: HttpRequest, initiative_id: InitiativeId, payload: FundingLinesIn):
    require_signed_in(request, _("Logga in för att ändra en insats finansiering."))
    check_query_names(request, ())
    initiative = _initiative(initiative_id)
    if not permissions.can_set_initiative_funding(request.user, initiative):
        raise ApiProblem(403, _("Du får inte ändra den här insatsen."))
    data = [
        services.FundingLineData(source_id=line.source_id, year=line.year, amount=line.amount, kind=line.kind)
        for line in payload.lines
    ]
    try:
        services.initiative_funding_lines_set(actor=request.user, initiative=initiative, lines=data)
    except ValidationError as exc:
        problems = [
            InvalidParameter(name.replace(".source", ".sourceId"), " ".join(messages))
            for name, messages in exc.message_dict.items()
        ]
        detail = " ".join(f"{p.name}: {p.reason}" for p in problems)
        raise ApiProblem(400, detail, invalid_parameters=problems) from exc
    return _lines_out(initiative)


@router.get(
    "/plans/{slug}/co-financing",
    response={200: list[PlanCoFinancingOut], 400: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="getPlanCoFinancing",
    summary="Medfinansiering per källa och år",
    description="Summan av finansieringsraderna för planens insatser per finansieringskälla och år. En insats som "
    "tjänar flera av planens områden räknas en gång.",
)
def plan_co_financing(
    request: HttpRequest,
    slug: Annotated[str, Path(description="Planens kortnamn, till exempel 2022-2025.")],
    year: Annotated[int | None, Query(ge=1900, le=2200, description="Bara detta år.")] = None,
):
    check_query_names(request, ("year",))
    plan = Plan.objects.filter(slug=slug).first()
    if plan is None:
        raise ApiProblem(404, _("Det finns ingen plan med kortnamnet %(slug)s.") % {"slug": slug})
    rows = selectors.co_financing_by_source_and_year(plan=plan, year=year)
    return [PlanCoFinancingOut(**row.__dict__) for row in rows]
