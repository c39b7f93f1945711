"""Demo data for the funding pages: open calls on the reference sources (the two shipped programmes
configured with a budget), a few applications to the Region's own call in different states, and a
few hundred grant decisions across the county's municipalities, made up and marked as demo.
Deterministic (a fixed seed) and idempotent: a second run adds nothing."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from civsam.registry.models import Organisation

from . import services
from .models import Application, Funder, FundingCall, FundingSource, GrantDecision, GrantForm, Programme

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
        demo_applications_load(today=today)
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
    # After the register's decisions, which are skipped when any demo decision exists.
    demo_applications_load(today=today)
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
        # The two shipped programmes run their calls in Civsam, each with a budget for the year.
        programme = Programme.objects.filter(reference_key=key).first()
        extra: dict = {}
        if programme is not None:
            year = today.year if schedule == FundingCall.Schedule.DATED else today.year + 1
            amount = PROGRAMME_BUDGETS.get(key, Decimal("500000"))
            services.programme_budget_set(actor=None, programme=programme, year=year, amount=amount * 2)
            extra = {"programme": programme, "budget": amount, "budget_year": year}
        call = services.funding_call_create(
            actor=None,
            data=services.FundingCallData(source=source, title=title, schedule=schedule, **dates, **extra),
        )
        services.funding_call_change_status(actor=None, call=call, status=FundingCall.Status.PUBLISHED)
        made += 1
    return made


PROGRAMME_BUDGETS = {
    "utvecklingsmedel-social-innovation": Decimal("300000"),
    "regionens-foreningsstod": Decimal("2000000"),
}
DEMO_ANSWERS = {
    "idea": "Språkcafé där unga nyanlända leder samtalsgrupper på biblioteket",
    "novelty": "Deltagarna leder själva träffarna och utbildar nästa grupp",
    "target_group": "Nyanlända unga 16–25 år",
    "co_financing_money": "30000.00",  # with the hours at 330 kronor, at least each demo grant
    "voluntary_hours": 60,
}
# (title, amount, what happens after the draft): a draft, one sent in, one in review, one
# granted in part and one rejected.
DEMO_APPLICATIONS = [
    ("Språkcafé för unga", "30000", "draft"),
    ("Matlagning som mötesplats", "25000", "submitted"),
    ("Cykelverkstad med arbetsträning", "45000", "in_review"),
    ("Läxhjälp på landsbygden", "40000", "partly_approved"),
    ("Digital mötesplats för seniorer", "35000", "rejected"),
]


def demo_applications_load(*, today: datetime.date) -> int:
    """A few applications to the demo call of development money for social innovation, in different
    states, from demo organisations. Skipped when there are demo applications already."""
    call = (
        FundingCall.objects.filter(
            programme__reference_key="utvecklingsmedel-social-innovation", programme__isnull=False
        )
        .order_by("pk")
        .first()
    )
    if call is None or Application.objects.filter(is_demo=True).exists():
        return 0
    organisations = list(Organisation.objects.filter(is_demo=True).order_by("pk")[: len(DEMO_APPLICATIONS)])
    answers = {
        **DEMO_ANSWERS,
        "start_date": (today + datetime.timedelta(days=60)).isoformat(),
        "end_date": (today + datetime.timedelta(days=240)).isoformat(),
    }
    made = 0
    for organisation, (title, amount, state) in zip(organisations, DEMO_APPLICATIONS, strict=False):
        try:
            with transaction.atomic():
                _demo_application(call, organisation, title, Decimal(amount), state, answers, today)
        except ValidationError:
            continue  # an organisation the source's rules leave out: the demo goes on without it
        made += 1
    return made


def _demo_application(call, organisation, title, amount, state, answers, today) -> None:
    application = services.application_create(
        actor=None,
        call=call,
        organisation=organisation,
        data=services.ApplicationData(title=title, amount_applied=amount, years=1, answers=answers),
        is_demo=True,
        today=today,
    )
    if state == "draft":
        return
    application = services.application_submit(actor=None, application=application, today=today)
    if state == "submitted":
        return
    application = services.application_start_review(actor=None, application=application)
    if state == "in_review":
        return
    granted = amount - Decimal("10000") if state == "partly_approved" else Decimal("0")
    services.application_decide(
        actor=None,
        application=application,
        data=services.DecisionData(
            outcome=state,
            amount_granted=granted,
            reasons=(
                "Projektet stärker handlingsplanens insatsområde 2. Kostnaden för lokalhyra ingår inte."
                if granted
                else "Ansökan har fått lägre poäng än de beviljade ansökningarna i omgången."
            ),
            decision_maker="delegation",
            decision_maker_name="Enhetschef för folkhälsa och civilsamhälle",
            decision_date=today,
            year_from=today.year,
            year_to=today.year,
        ),
    )
