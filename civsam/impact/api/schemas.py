"""The stored analysis in the API: what a caller sends to create one and what comes back."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from pydantic import Field, StringConstraints

from civsam.core.apitools import CamelSchema, InSchema

from .. import selectors
from ..engine import CalculationOut
from ..models import SocialValueAnalysis
from .common import IMPACT_MAP_SCHEMA, inline_refs


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


class AnalysisIn(InSchema):
    """Ett nytt utkast: uppgifter om analysen och effektkartan."""

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


def analysis_request_schema() -> dict[str, Any]:
    schema = inline_refs(AnalysisIn.model_json_schema(by_alias=True))
    schema["properties"]["impactMap"] = IMPACT_MAP_SCHEMA
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


def analysis_out(request: HttpRequest, analysis: SocialValueAnalysis) -> AnalysisOut:
    return AnalysisOut(**_analysis_fields(request, analysis))


def analysis_detail_out(request: HttpRequest, analysis: SocialValueAnalysis) -> AnalysisDetailOut:
    computed = selectors.analysis_results(analysis)
    return AnalysisDetailOut(
        **_analysis_fields(request, analysis),
        impact_map=analysis.impact_map,
        results=CalculationOut.model_validate(computed) if computed is not None else None,
        results_frozen=analysis.status == SocialValueAnalysis.Status.PUBLISHED,
    )
