"""Demo analyses for `make run`: one published, so that the list and a report have something to
show, and one waiting for review, so that the demo reviewer (`bedomare`) has work to do. Built on
the demo users (manage.py load_demo_data); the figures are invented and say so."""

from __future__ import annotations

import copy
from typing import Any

from django.db import transaction

from civsam.accounts.models import Role, RoleAssignment, User
from civsam.core.models import Municipality

from . import services
from .models import SocialValueAnalysis

Status = SocialValueAnalysis.Status

PUBLISHED_TITLE = "Arbetsträning i Örebro (demodata)"
IN_REVIEW_TITLE = "Läxhjälp och språkcafé (demodata)"

_WORK_TRAINING: dict[str, Any] = {
    "name": "Arbetsträning i Örebro (påhittat exempel)",
    "currency": "SEK",
    "discountRate": 3.5,
    "volunteerHourRate": 250,
    "volunteerHourRateSource": "Påhittat exempel: föreningens egen uppskattning av ett timvärde",
    "stakeholders": [
        {"id": "deltagare", "name": "Deltagare"},
        {"id": "kommunen", "name": "Kommunen"},
        {"id": "foreningen", "name": "Föreningen"},
    ],
    "inputs": [
        {"id": "bidrag", "stakeholder": "kommunen", "description": "Verksamhetsbidrag", "money": 400000},
        {"id": "lokal", "stakeholder": "foreningen", "description": "Lokal och material", "inKind": 60000},
        {"id": "ideellt", "stakeholder": "foreningen", "description": "Handledare, ideellt", "volunteerHours": 800},
    ],
    "outcomes": [
        {
            "id": "arbete",
            "stakeholder": "deltagare",
            "outcome": "Har fått arbete",
            "indicator": "Antal deltagare i arbete sex månader efter avslutad träning",
            "quantity": 6,
            "proxy": 106890,
            "proxySource": "Påhittat exempel ur enhetskostnadstabellen (anställning minus ekonomiskt bistånd)",
            "duration": 3,
            "deadweight": 25,
            "displacement": 10,
            "attribution": 20,
            "dropOff": 30,
        },
        {
            "id": "bistand",
            "stakeholder": "kommunen",
            "outcome": "Minskat behov av ekonomiskt bistånd",
            "indicator": "Antal deltagare som lämnat försörjningsstöd",
            "quantity": 6,
            "proxy": 116000,
            "proxySource": "Påhittat exempel ur enhetskostnadstabellen (ekonomiskt bistånd med handläggning)",
            "duration": 3,
            "deadweight": 25,
            "attribution": 20,
            "dropOff": 30,
        },
    ],
    "distributions": [
        {"assumption": "outcomes.arbete.deadweight", "type": "triangular", "min": 15, "mode": 25, "max": 40},
        {"assumption": "outcomes.bistand.attribution", "type": "uniform", "min": 10, "max": 35},
    ],
    "monteCarlo": {"draws": 5000, "seed": 2026},
}

# Left for the reviewer to question: one proxy has no source, and the drop-off is optimistic.
_HOMEWORK_HELP: dict[str, Any] = {
    "name": "Läxhjälp och språkcafé (påhittat exempel)",
    "currency": "SEK",
    "discountRate": 3.5,
    "volunteerHourRate": 250,
    "volunteerHourRateSource": "Påhittat exempel: föreningens egen uppskattning av ett timvärde",
    "stakeholders": [
        {"id": "elever", "name": "Elever"},
        {"id": "foraldrar", "name": "Föräldrar"},
        {"id": "foreningen", "name": "Föreningen"},
    ],
    "inputs": [
        {"id": "bidrag", "stakeholder": "foreningen", "description": "Verksamhetsbidrag", "money": 120000},
        {"id": "ideellt", "stakeholder": "foreningen", "description": "Läxhjälpare, ideellt", "volunteerHours": 600},
    ],
    "outcomes": [
        {
            "id": "betyg",
            "stakeholder": "elever",
            "outcome": "Godkända betyg i fler ämnen",
            "indicator": "Antal elever som blivit behöriga till gymnasiet",
            "quantity": 8,
            "proxy": 30000,
            "proxySource": "Påhittat exempel",
            "duration": 2,
            "deadweight": 30,
            "attribution": 40,
            "dropOff": 10,
        },
        {
            "id": "svenska",
            "stakeholder": "foraldrar",
            "outcome": "Bättre svenska i vardagen",
            "indicator": "Antal föräldrar som anger att de klarar fler samtal på svenska",
            "quantity": 15,
            "proxy": 6000,
            "duration": 1,
            "deadweight": 20,
            "attribution": 30,
        },
    ],
}


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


@transaction.atomic
def demo_analyses_load() -> int:
    """Create the demo analyses that are missing, through the services and as the demo users
    (author, submitter, reviewer); returns how many were created. Needs the demo users."""
    officer, admin, rep = _user("orebro"), _user("region"), _user("forening")
    if officer is None or admin is None or rep is None:
        return 0
    created = 0
    if not SocialValueAnalysis.objects.filter(title=PUBLISHED_TITLE).exists():
        analysis = services.analysis_create(
            actor=officer,
            title=PUBLISHED_TITLE,
            summary="Demodata: en påhittad analys av arbetsträning, granskad och publicerad.",
            owner_municipality=Municipality.objects.get(code="1880"),
            activities="Arbetsträning fyra dagar i veckan\nHandledning och jobbsökarstöd",
            impact_map=copy.deepcopy(_WORK_TRAINING),
        )
        services.analysis_transition(actor=officer, analysis=analysis, to_status=Status.IN_REVIEW)
        services.analysis_transition(actor=admin, analysis=analysis, to_status=Status.PUBLISHED)
        created += 1
    represented = (
        RoleAssignment.objects.filter(user=rep, role=Role.ORGANISATION_REP, organisation__isnull=False)
        .select_related("organisation")
        .order_by("id")
        .first()
    )
    if represented is not None and not SocialValueAnalysis.objects.filter(title=IN_REVIEW_TITLE).exists():
        analysis = services.analysis_create(
            actor=rep,
            title=IN_REVIEW_TITLE,
            summary="Demodata: en påhittad analys som väntar på granskning av en bedömare.",
            owner_organisation=represented.organisation,
            activities="Läxhjälp två kvällar i veckan\nSpråkcafé för föräldrar",
            impact_map=copy.deepcopy(_HOMEWORK_HELP),
        )
        services.analysis_transition(actor=rep, analysis=analysis, to_status=Status.IN_REVIEW)
        created += 1
    return created
