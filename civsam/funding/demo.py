"""Demo data for the funding pages: open calls on the reference sources and a few hundred grant
decisions across the county's municipalities, made up and marked as demo. Deterministic (a fixed
seed) and idempotent: a second run adds nothing."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from civsam.registry.models import Organisation

from . import services
from .models import Funder, FundingCall, FundingSource, GrantDecision, GrantForm

DECISIONS = 360
PURPOSES = [
    "Verksamhet för barn och unga",
    "Läxhjälp och språkcafé",
    "Seniorträffar och friskvård",
    "Integrationsprojekt med idrott",
    "Kulturarrangemang i bygden",
    "Stöd till personer i hemlöshet",
    "Arbetsträning i socialt företag",
    "Lokalhyra för föreningslokal",
    "Upprustning av klubbstuga",
    "Sommarlovsaktiviteter",
]
FORMS = [GrantForm.OPERATING, GrantForm.PROJECT, GrantForm.ACTIVITY, GrantForm.PREMISES, GrantForm.INVESTMENT]


def _case_number(funder: Funder, year: int, serial: int) -> str:
    # The Region's form ("24RS4154"); the municipalities' "KS 2024/123".
    if funder.kind == Funder.Kind.REGION:
        return f"{year % 100:02d}RS{1000 + serial}"
    return f"KS {year}/{serial}"


@transaction.atomic
def demo_funding_load(*, today: datetime.date | None = None) -> tuple[int, int]:
    """(calls created, decisions created). Needs the reference sources and demo organisations."""
    today = today or timezone.localdate()
    calls = _calls(today)
    if GrantDecision.objects.filter(is_demo=True).exists():
        return calls, 0
    rng = random.Random(2026)
    organisations = list(
        Organisation.objects.filter(is_demo=True).select_related("municipality", "legal_form").order_by("pk")[:400]
    )
    if not organisations:
        return calls, 0
    region = Funder.objects.get(reference_key="region")
    municipal = {f.municipality_id: f for f in Funder.objects.filter(kind=Funder.Kind.MUNICIPALITY)}
    sources = {s.funder_id: s for s in FundingSource.objects.filter(reference_key__isnull=False)}
    innovation = FundingSource.objects.filter(reference_key="utvecklingsmedel-social-innovation").first()
    serials: dict[tuple[int, int], int] = {}
    created = 0
    for _index in range(DECISIONS):
        organisation = rng.choice(organisations)
        funder = region if rng.random() < 0.25 else municipal.get(organisation.municipality_id, region)
        year = today.year - rng.randint(0, 4)
        multi = rng.random() < 0.2
        form = GrantForm.OPERATING if multi else rng.choice(FORMS)
        source = innovation if funder == region and form == GrantForm.PROJECT and innovation else sources.get(funder.pk)
        granted = Decimal(rng.randrange(5, 300) * 1000 if funder != region else rng.randrange(20, 51) * 1000)
        serial = serials[(funder.pk, year)] = serials.get((funder.pk, year), 0) + 1
        services.grant_decision_create(
            actor=None,
            data=services.GrantDecisionData(
                funder=funder,
                recipient=organisation,
                case_number=_case_number(funder, year, serial),
                amount_granted=granted,
                amount_applied=granted + Decimal(rng.randrange(0, 40) * 1000),
                amount_paid=granted if year < today.year else None,
                year_from=year,
                year_to=year + 2 if multi else year,
                decision_date=datetime.date(year - 1, 12, 1) + datetime.timedelta(days=rng.randint(0, 120)),
                source=source,
                grant_form=form,
                purpose=rng.choice(PURPOSES),
                is_demo=True,
            ),
        )
        created += 1
    services.grant_figures_compute()
    return calls, created


def _calls(today: datetime.date) -> int:
    wanted = [
        (
            "utvecklingsmedel-social-innovation",
            "Utvecklingsmedel för social innovation – vårens omgång",
            FundingCall.Schedule.DATED,
            {"opens_on": today - datetime.timedelta(days=10), "deadline": today + datetime.timedelta(days=30)},
        ),
        (
            "regionens-foreningsstod",
            "Regionens föreningsstöd – ansökan för nästa år",
            FundingCall.Schedule.YEARLY,
            {"yearly_opens": "09-01", "yearly_deadline": "10-31"},
        ),
        ("mikrofonden", "Mikrofonden – lån och borgen", FundingCall.Schedule.CONTINUOUS, {}),
        (
            f"foreningsbidrag-{settings.CIVSAM.get('DEMO_MUNICIPALITY', '1880')}",
            "Föreningsbidrag – aktivitetsstöd",
            FundingCall.Schedule.DATED,
            {"opens_on": today - datetime.timedelta(days=5), "deadline": today + datetime.timedelta(days=60)},
        ),
    ]
    made = 0
    for key, title, schedule, dates in wanted:
        source = FundingSource.objects.filter(reference_key=key).first()
        if source is None or FundingCall.objects.filter(source=source, title=title).exists():
            continue
        call = services.funding_call_create(
            actor=None, data=services.FundingCallData(source=source, title=title, schedule=schedule, **dates)
        )
        services.funding_call_change_status(actor=None, call=call, status=FundingCall.Status.PUBLISHED)
        made += 1
    return made
