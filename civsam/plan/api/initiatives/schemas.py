"""The shapes of an initiative in the API: as it is shown, as it is registered (and replaced with
PUT) and as it is changed with PATCH."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse
from pydantic import Field

from civsam.core.apitools import CamelSchema, InSchema
from civsam.core.consequences import ConsequencesIn, ConsequencesOut, consequences_out

from ...models import Initiative


class MilestoneOut(CamelSchema):
    """Ett delmål med datum och, när det är klart, datum då det blev klart."""

    title: str
    due_date: datetime.date
    completed_on: datetime.date | None = None


class AreaRefOut(CamelSchema):
    """Ett prioriterat aktivitetsområde som insatsen bidrar till."""

    id: int
    code: str
    plan: str = Field(description="Planens kortnamn.")
    title_sv: str


class InitiativeOut(CamelSchema):
    """En insats med ansvarig, område, period, status och andel genomförd."""

    id: int
    ref: str | None = None
    title: str
    description: str
    lead_organisation_id: int | None = None
    lead_municipality_code: str | None = None
    lead: str = Field(description="Ansvarig aktör i klartext.")
    partner_organisation_ids: list[int]
    partner_names: str
    priority_areas: list[AreaRefOut]
    principles: list[str] = Field(description="Principernas koder.")
    roles: list[str] = Field(description="Rollernas koder.")
    frame_tags: list[str] = Field(
        description="Koderna för strategier och Agenda 2030-mål som insatsen själv anger (se /frame-tags)."
    )
    consequences: ConsequencesOut
    municipality_codes: list[str]
    start_date: datetime.date
    end_date: datetime.date | None = None
    budget: Decimal | None = Field(None, description="Budget i kronor.")
    status: str = Field(description="Statusens kod.")
    status_kind: str = Field(description="planned, ongoing, completed eller cancelled.")
    progress: int = Field(description="Andel genomförd, 0–100.")
    weight: Decimal
    parent_id: int | None = None
    verified: bool
    milestones: list[MilestoneOut]
    url: str
    web_url: str


class MilestoneIn(InSchema):
    title: str = Field(min_length=1, max_length=300)
    due_date: datetime.date
    completed_on: datetime.date | None = None


class InitiativeIn(InSchema):
    """En ny insats. Ansvarig anges med leadOrganisationId, leadMunicipalityCode eller leadName."""

    ref: str | None = Field(None, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")
    title: str = Field(min_length=1, max_length=300)
    description: str = ""
    lead_organisation_id: int | None = None
    lead_municipality_code: str | None = None
    lead_name: str = Field("", max_length=200)
    partner_organisation_ids: list[int] = []
    partner_names: str = Field("", max_length=500)
    priority_area_ids: list[int] = Field(min_length=1)
    principles: list[str] = []
    roles: list[str] = []
    frame_tags: list[str] = Field([], description="Koder för strategier och Agenda 2030-mål (se /frame-tags).")
    consequences: ConsequencesIn | None = None
    municipality_codes: list[str] = []
    start_date: datetime.date
    end_date: datetime.date | None = None
    budget: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    status: str = Field(description="Statusens kod, t.ex. planned, ongoing, completed.")
    progress: int | None = Field(None, ge=0, le=100)
    weight: Decimal = Field(Decimal(1), gt=0, max_digits=8, decimal_places=2)
    parent_id: int | None = None
    milestones: list[MilestoneIn] = []


class InitiativePatchIn(InSchema):
    """Ändringar i en insats: bara egenskaperna som skickas med ändras, med samma regler som när en insats
    registreras. null tömmer ref, leadOrganisationId, leadMunicipalityCode, endDate, budget och parentId;
    progress null ger statusens förvalda andel. Listor ersätts i sin helhet."""

    ref: str | None = Field(None, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = None
    lead_organisation_id: int | None = None
    lead_municipality_code: str | None = None
    lead_name: str | None = Field(None, max_length=200)
    partner_organisation_ids: list[int] | None = None
    partner_names: str | None = Field(None, max_length=500)
    priority_area_ids: list[int] | None = Field(None, min_length=1)
    principles: list[str] | None = None
    roles: list[str] | None = None
    frame_tags: list[str] | None = Field(None, description="Koder för strategier och Agenda 2030-mål.")
    consequences: ConsequencesIn | None = Field(None, description="Ersätter alla tre bedömningarna.")
    municipality_codes: list[str] | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    budget: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    status: str | None = Field(None, description="Statusens kod, t.ex. planned, ongoing, completed.")
    progress: int | None = Field(None, ge=0, le=100)
    weight: Decimal | None = Field(None, gt=0, max_digits=8, decimal_places=2)
    parent_id: int | None = None
    milestones: list[MilestoneIn] | None = None


def initiative_out(request, initiative: Initiative) -> InitiativeOut:
    """Needs initiative_list's joins and prefetches (plus milestones, principles, roles, partners)."""
    return InitiativeOut(
        id=initiative.pk,
        ref=initiative.ref,
        title=initiative.title,
        description=initiative.description,
        lead_organisation_id=initiative.lead_organisation_id,
        lead_municipality_code=initiative.lead_municipality.code if initiative.lead_municipality_id else None,
        lead=initiative.lead_display,
        partner_organisation_ids=[o.pk for o in initiative.partner_organisations.all()],
        partner_names=initiative.partner_names,
        priority_areas=[
            AreaRefOut(id=pa.pk, code=pa.code, plan=pa.focus_area.plan.slug, title_sv=pa.title_sv)
            for pa in initiative.priority_areas.all()
        ],
        principles=[p.code for p in initiative.principles.all()],
        roles=[r.code for r in initiative.roles.all()],
        frame_tags=[t.code for t in initiative.frame_tags.all()],
        consequences=consequences_out(initiative),
        municipality_codes=[m.code for m in initiative.municipalities.all()],
        start_date=initiative.start_date,
        end_date=initiative.end_date,
        budget=initiative.budget,
        status=initiative.status.code,
        status_kind=initiative.status.kind,
        progress=initiative.progress,
        weight=initiative.weight,
        parent_id=initiative.parent_id,
        verified=initiative.is_verified,
        milestones=[
            MilestoneOut(title=m.title, due_date=m.due_date, completed_on=m.completed_on)
            for m in initiative.milestones.all()
        ],
        url=request.build_absolute_uri(reverse("api-v1:initiative-detail", kwargs={"initiative_id": initiative.pk})),
        web_url=request.build_absolute_uri(initiative.get_absolute_url()),
    )
