"""The agreements API's request and response bodies."""

from __future__ import annotations

import datetime
from decimal import Decimal

from pydantic import Field

from civsam.core.apitools import CamelSchema, InSchema

from ..models import Agreement, Contribution, Party

TAGS = ["Överenskommelser"]
KINDS = (
    "Slag: "
    + ", ".join(Agreement.Kind.values)
    + " (iop = idéburet offentligt partnerskap, local = lokal överenskommelse)."
)
ROLES = "Roll: " + ", ".join(Party.Role.values) + "."
CONTRIBUTION_KINDS = "Slag: " + ", ".join(Contribution.Kind.values) + "."


class AgreementPartyOut(CamelSchema):
    organisation: str = Field(description="Organisationens identitet: organisationsnummer eller Civsam-id.")
    name: str
    sector: str = Field(description="civil_society, social_economy, public eller private.")
    role: str = Field(description=ROLES)
    responsibility: str
    status: str = Field(description="invited, accepted eller declined.")


class AgreementContributionOut(CamelSchema):
    id: int
    organisation: str = Field(description="Partens identitet.")
    year: int
    kind: str = Field(description=CONTRIBUTION_KINDS)
    quantity: Decimal = Field(description="Kronor för pengar och lokaler, annars timmar.")
    rate: Decimal | None = Field(description="Timvärde i kronor för timmar.")
    rate_source: str
    value_sek: Decimal = Field(description="Värdet i kronor.")
    description: str


class AgreementGoalOut(CamelSchema):
    goal: str
    indicator: str
    target: str
    priority_area: str | None = Field(description="Det prioriterade aktivitetsområdets nummer, till exempel 2.3.")


class AgreementReportOut(CamelSchema):
    year: int
    activities: str
    results: str
    changes: str
    participants: int | None


class AgreementOut(CamelSchema):
    id: int
    url: str = Field(description="Överenskommelsens sida.")
    title: str
    kind: str = Field(description=KINDS)
    status: str = Field(description="draft, assessment, active, ended eller terminated.")
    owner: str = Field(description="Den ansvariga partens identitet.")
    municipality: str | None = Field(description="Kommunkod; null för hela länet.")
    challenge: str
    problem_analysis: str
    priority_areas: list[str] = Field(description="Planens prioriterade aktivitetsområden, som nummer.")
    starts_on: datetime.date
    ends_on: datetime.date | None
    notice_months: int
    renegotiation: str
    deciding_body: str
    case_number: str
    decided_on: datetime.date | None
    signed_on: datetime.date | None
    ended_on: datetime.date | None
    is_public: bool
    parties: list[AgreementPartyOut]
    goals: list[AgreementGoalOut]
    contributions: list[AgreementContributionOut]
    reports: list[AgreementReportOut]


class AgreementIn(InSchema):
    """En ny överenskommelse, sparad som utkast. Den ansvariga parten blir första part; att ange den
    eller en kommun kräver att du företräder den."""

    title: str = Field(min_length=1, max_length=200)
    kind: str = Field(description=KINDS)
    owner: str = Field(description="Den ansvariga partens organisationsnummer eller Civsam-id.")
    municipality: str | None = Field(None, description="Kommunkod, till exempel 1880; utelämnad för hela länet.")
    challenge: str = Field(min_length=1, max_length=4000)
    problem_analysis: str = Field("", max_length=8000)
    priority_area_ids: list[int] = Field(default_factory=list, description="Prioriterade aktivitetsområdens id.")
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    notice_months: int = Field(3, ge=0, le=60)
    renegotiation: str = Field("", max_length=2000)
    deciding_body: str = Field("", max_length=200)
    case_number: str = Field("", max_length=40)
    decided_on: datetime.date | None = None
    is_public: bool = True
    non_public_reason: str = Field("", max_length=2000, description="Krävs när isPublic är false.")


class AgreementPatchIn(InSchema):
    """Ändringar: bara egenskaperna som skickas ändras. En undertecknad överenskommelse kan bara
    ändra publicering, slutdatum, omförhandling och diarienummer."""

    title: str | None = Field(None, min_length=1, max_length=200)
    challenge: str | None = Field(None, max_length=4000)
    problem_analysis: str | None = Field(None, max_length=8000)
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    notice_months: int | None = Field(None, ge=0, le=60)
    renegotiation: str | None = Field(None, max_length=2000)
    deciding_body: str | None = Field(None, max_length=200)
    case_number: str | None = Field(None, max_length=40)
    decided_on: datetime.date | None = None
    is_public: bool | None = None
    non_public_reason: str | None = Field(None, max_length=2000)


class AgreementPartyIn(InSchema):
    """En part till ett utkast. Företräder du organisationen blir den part direkt; annars bjuds den in
    och blir part när den som företräder den tackar ja."""

    organisation: str = Field(description="Organisationsnummer eller Civsam-id.")
    role: str = Field(description=ROLES)
    responsibility: str = Field("", max_length=300)


class AgreementContributionIn(InSchema):
    """En parts bidrag ett år. Timmar värderas med timvärdet; ideella timmar behöver en källa för det."""

    organisation: str = Field(description="Partens organisationsnummer eller Civsam-id.")
    year: int = Field(ge=2000, le=2100)
    kind: str = Field(description=CONTRIBUTION_KINDS)
    quantity: Decimal = Field(ge=0, max_digits=14, decimal_places=2, description="Kronor eller timmar.")
    rate: Decimal | None = Field(None, gt=0, max_digits=10, decimal_places=2, description="Timvärde i kronor.")
    rate_source: str = Field("", max_length=300)
    description: str = Field("", max_length=300)


class AgreementReportIn(InSchema):
    """Årets uppföljning; en ny skrivs över den förra för samma år."""

    activities: str = Field(min_length=1, max_length=8000)
    results: str = Field("", max_length=8000)
    changes: str = Field("", max_length=4000)
    participants: int | None = Field(None, ge=0)


def _key(organisation) -> str:
    return organisation.key


def agreement_out(request, a: Agreement, *, contributions) -> AgreementOut:
    return AgreementOut(
        id=a.pk,
        url=request.build_absolute_uri(a.get_absolute_url()),
        title=a.title,
        kind=a.kind,
        status=a.status,
        owner=_key(a.owner),
        municipality=a.municipality.code if a.municipality_id else None,
        challenge=a.challenge,
        problem_analysis=a.problem_analysis,
        priority_areas=[p.code for p in a.priority_areas.all()],
        starts_on=a.starts_on,
        ends_on=a.ends_on,
        notice_months=a.notice_months,
        renegotiation=a.renegotiation,
        deciding_body=a.deciding_body,
        case_number=a.case_number,
        decided_on=a.decided_on,
        signed_on=a.signed_on,
        ended_on=a.ended_on,
        is_public=a.is_public,
        parties=[
            AgreementPartyOut(
                organisation=_key(p.organisation),
                name=p.organisation.name,
                sector=p.organisation.sector,
                role=p.role,
                responsibility=p.responsibility,
                status=p.status,
            )
            for p in a.parties.all()
        ],
        goals=[
            AgreementGoalOut(
                goal=g.goal,
                indicator=g.indicator,
                target=g.target,
                priority_area=g.priority_area.code if g.priority_area_id else None,
            )
            for g in a.goals.all()
        ],
        contributions=[
            AgreementContributionOut(
                id=c.pk,
                organisation=_key(c.party.organisation),
                year=c.year,
                kind=c.kind,
                quantity=c.quantity,
                rate=c.rate,
                rate_source=c.rate_source,
                value_sek=c.value_sek,
                description=c.description,
            )
            for c in contributions
        ],
        reports=[
            AgreementReportOut(
                year=r.year, activities=r.activities, results=r.results, changes=r.changes, participants=r.participants
            )
            for r in a.reports.all()
        ],
    )
