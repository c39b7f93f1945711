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
        demo_money_flow_load(today=today)
        demo_co_financing_load()
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
    demo_money_flow_load(today=today)
    demo_co_financing_load()
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
    granted = {"partly_approved": amount - Decimal("10000"), "approved": amount}.get(state, Decimal("0"))
    services.application_decide(
        actor=None,
        application=application,
        data=services.DecisionData(
            outcome=state,
            amount_granted=granted,
            reasons=(
                "Projektet stärker handlingsplanens insatsområde 2. Kostnaden för lokalhyra ingår inte."
                if state == "partly_approved"
                else "Projektet är nyskapande och har en tydlig plan för att fortsätta efter projekttiden."
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


# --- The rest of the money side: reviews in progress, a grant paid and reported on, co-financing ---

REVIEW_COMMENT = "Lovande idé med bred förankring. Budgeten för material behöver förklaras närmare."
FOLLOW_UP_TEXT = (
    "Vi har hållit 24 träffar med i snitt 14 deltagare. Sex föräldrar leder nu träffarna själva och "
    "biblioteket har erbjudit lokalen även nästa år. Hela bidraget har gått till material, fika och "
    "arvode till samtalsledare."
)
# (title, amount, state): one more waiting for the reviewer's declaration, and one granted, paid
# and reported on, so that every page of the money side shows something real.
DEMO_LATER_APPLICATIONS = [
    ("Återbruk och reparationscafé", "35000", "in_review"),
    ("Mötesplats för föräldrar", "30000", "approved"),
]


def demo_money_flow_load(*, today: datetime.date) -> int:
    """The demo reviewer (bedomare) on two applications — one declared and half scored, one waiting
    for the declaration — and a grant paid to a checked bankgiro with its follow-up report received.
    Idempotent: skipped once the paid demo application exists."""
    from django.contrib.auth import get_user_model

    from .models import ReportRequirement, ReviewAssignment

    call = (
        FundingCall.objects.filter(programme__reference_key="utvecklingsmedel-social-innovation").order_by("pk").first()
    )
    reviewer = get_user_model().objects.filter(username="bedomare").first()
    if call is None or Application.objects.filter(is_demo=True, title=DEMO_LATER_APPLICATIONS[-1][0]).exists():
        return 0
    organisations = list(Organisation.objects.filter(is_demo=True).order_by("pk")[1:6])
    answers = {
        **DEMO_ANSWERS,
        "start_date": (today + datetime.timedelta(days=60)).isoformat(),
        "end_date": (today + datetime.timedelta(days=240)).isoformat(),
    }
    made = 0
    for organisation, (title, amount, state) in zip(reversed(organisations), DEMO_LATER_APPLICATIONS, strict=False):
        try:
            with transaction.atomic():
                _demo_application(call, organisation, title, Decimal(amount), state, answers, today)
        except ValidationError:
            continue
        made += 1
    if reviewer is not None:
        for title, scored in (("Cykelverkstad med arbetsträning", True), ("Återbruk och reparationscafé", False)):
            application = Application.objects.filter(is_demo=True, title=title).first()
            if application is None or ReviewAssignment.objects.filter(application=application).exists():
                continue
            try:
                with transaction.atomic():
                    assignment = services.review_assign(actor=None, application=application, reviewer=reviewer)
                    if scored:
                        services.review_declare(actor=reviewer, assignment=assignment, conflict=False)
                        criteria = list(application.call.criteria.all())
                        half = criteria[: max(1, len(criteria) // 2)]
                        services.review_scores_save(
                            actor=reviewer,
                            assignment=assignment,
                            scores=[services.ScoreData(c.pk, min(4, c.max_score), "") for c in half],
                            comment=REVIEW_COMMENT,
                        )
            except ValidationError:
                continue  # the reviewer represents the applicant: the demo goes on without it
    paid = Application.objects.filter(is_demo=True, title=DEMO_LATER_APPLICATIONS[-1][0]).first()
    if paid is not None and paid.status == Application.Status.APPROVED:
        with transaction.atomic():
            services.payment_account_set(
                actor=None, organisation=paid.organisation, kind="bankgiro", number="5050-1055"
            )
            batch = services.payment_batch_create(
                actor=None, funder=call.source.funder, instalments=list(paid.instalments.all()), today=today
            )
            services.payment_batch_confirm(actor=None, batch=batch, paid_on=today)
            requirement = ReportRequirement.objects.filter(application=paid).order_by("due_date").first()
            if requirement is not None:
                services.followup_report_submit(
                    actor=None, requirement=requirement, text=FOLLOW_UP_TEXT, amount_used=Decimal(30000)
                )
    return made


CO_FINANCING = [
    # (reference key of the source, kind, share of the initiative's budget)
    ("regionens-foreningsstod", "granted", Decimal("0.4")),
    ("utvecklingsmedel-social-innovation", "granted", Decimal("0.2")),
    ("mikrofonden", "granted", Decimal("0.15")),
    ("allmanna-arvsfonden", "granted", Decimal("0.3")),
    ("regionala-1-1-medel", "granted", Decimal("0.25")),
]


def demo_co_financing_load(*, limit: int = 60) -> int:
    """Funding lines by source and year on demo initiatives with a budget: a grant from one of the
    reference sources over the initiative's first years, with own money and valued voluntary time
    beside it. Idempotent: skipped when any demo initiative has lines."""
    from civsam.plan.models import Initiative

    from .models import InitiativeFundingLine

    if InitiativeFundingLine.objects.filter(initiative__is_demo=True).exists():
        return 0
    sources = {s.reference_key: s for s in FundingSource.objects.filter(reference_key__isnull=False, is_active=True)}
    own = sources.get("foreningsbidrag-1880")
    choices = [(sources[key], kind, share) for key, kind, share in CO_FINANCING if key in sources]
    if not choices:
        return 0
    rng = random.Random(92)
    lines = []
    initiatives = Initiative.objects.filter(is_demo=True, budget__gt=0).order_by("pk")[:limit]
    for initiative in initiatives:
        source, kind, share = rng.choice(choices)
        start = initiative.start_date.year
        years = [y for y in range(start, start + rng.randint(1, 3)) if 2000 <= y <= 2100]
        for year in years:
            amount = (Decimal(initiative.budget) * share / len(years)).quantize(Decimal("1"))
            lines.append(
                InitiativeFundingLine(initiative=initiative, source=source, year=year, amount=amount, kind=kind)
            )
            hours = rng.randint(40, 400)
            lines.append(
                InitiativeFundingLine(
                    initiative=initiative,
                    source=source,
                    year=year,
                    amount=Decimal(hours * 330),  # an hour of voluntary work at 330 kronor (the Region's rule)
                    kind=InitiativeFundingLine.Kind.IN_KIND,
                )
            )
            if own is not None and own != source and rng.random() < 0.5:
                lines.append(
                    InitiativeFundingLine(
                        initiative=initiative,
                        source=own,
                        year=year,
                        amount=Decimal(rng.randrange(5, 50) * 1000),
                        kind=InitiativeFundingLine.Kind.GRANTED,
                    )
                )
    InitiativeFundingLine.objects.bulk_create(lines)
    return len(lines)
