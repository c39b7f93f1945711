"""Demo networks, events and the demo conference, deterministic, built on the demo organisations.
All of it is demo data: names of people are invented and labelled as such."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from civsam.core.models import Municipality
from civsam.plan.models import PriorityArea
from civsam.registry.models import Organisation

from .models import (
    BudgetCommitment,
    BudgetLine,
    Conference,
    Event,
    Network,
    NetworkMembership,
    NetworkRepresentative,
    Partner,
    PlanningGroupMember,
    RegistrationType,
    Session,
    Speaker,
    Survey,
    SurveyQuestion,
    TargetGroup,
    TargetGroupQuota,
)
from .services.followup import DEFAULT_KNOWLEDGE_QUESTIONS

NETWORKS = [
    ("partnerskapet", "Partnerskapet för sociala innovationer", Network.Kind.PARTNERSHIP, None, 40),
    ("foreningsradet-kumla", "Föreningsrådet i Kumla", Network.Kind.ASSOCIATION_COUNCIL, "1881", 15),
    ("brukarradet-psykiatri", "Brukarrådet för psykiatri", Network.Kind.USER_COUNCIL, None, 8),
    ("civsam-international", "Nätverket för internationellt utbyte", Network.Kind.INTERNATIONAL, None, 10),
]


@transaction.atomic
def demo_meetings_load(*, seed: int = 2026) -> tuple[int, int]:
    """Create demo networks with members and a few upcoming events; idempotent."""
    if Network.objects.filter(slug="partnerskapet").exists():
        return 0, 0
    rng = random.Random(seed)
    organisations = list(
        Organisation.objects.filter(is_demo=True).order_by("id").values_list("id", "municipality__code")
    )
    today = timezone.localdate()
    networks = []
    for slug, name, kind, municipality_code, size in NETWORKS:
        network = Network.objects.create(
            slug=slug, name=name, kind=kind, purpose=f"Demodata: {name} samlar organisationer och offentliga aktörer."
        )
        pool = [pk for pk, code in organisations if municipality_code in (None, code)]
        for pk in rng.sample(pool, k=min(size, len(pool))):
            membership = NetworkMembership.objects.create(
                network=network,
                organisation_id=pk,
                status="active",
                joined_on=today - timedelta(days=rng.randint(30, 900)),
            )
            NetworkRepresentative.objects.create(
                membership=membership,
                name=rng.choice(["Anna", "Erik", "Leila", "Johan", "Sara", "Amir"])
                + " "
                + rng.choice(["Berg", "Holm", "Ali", "Lind"]),
                position=rng.choice(["member", "member", "chair", "secretary"]),
                starts_on=membership.joined_on,
            )
        networks.append(network)
    orebro = Municipality.objects.get(code="1880")
    kumla = Municipality.objects.get(code="1881")
    start = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    events = [
        Event(
            title=CONFERENCE_TITLE,
            network=networks[0],
            municipality=orebro,
            place="Örebro slott",
            starts_at=start + timedelta(days=60),
            ends_at=start + timedelta(days=60, hours=7),
            capacity=300,
            mode=Event.Mode.HYBRID,
        ),
        Event(
            title="Dialogmöte om föreningsstöd",
            network=networks[1],
            municipality=kumla,
            place="Kumla stadshus",
            starts_at=start + timedelta(days=14),
            ends_at=start + timedelta(days=14, hours=2),
            capacity=40,
        ),
        Event(
            title="Brukarrådets möte",
            network=networks[2],
            mode=Event.Mode.ONLINE,
            online_url="https://mote.example.se/brukarradet",
            starts_at=start + timedelta(days=21),
            ends_at=start + timedelta(days=21, hours=2),
            capacity=20,
            requires_approval=True,
        ),
    ]
    Event.objects.bulk_create(events)
    networking = PriorityArea.objects.filter(focus_area__plan__slug="2026-2030", focus_area__number=3)
    for event in events:
        event.priority_areas.set(networking)
    return len(networks), len(events)


CONFERENCE_TITLE = "Regional konferens om samverkan mellan offentlig sektor och civilsamhälle"
# Facts from the culture committee's decision (kulturnämnden 2024-06-11): 100,000 SEK for the
# planning, case number 24RS4154. Everything else below is invented demo content.
CONFERENCE_BUDGET = Decimal("100000")
CONFERENCE_CASE = "24RS4154"


@transaction.atomic
def demo_conference_load() -> bool:
    """Make the demo conference event a full conference (programme, quotas, budget); idempotent."""
    event = Event.objects.filter(title=CONFERENCE_TITLE, network__slug="partnerskapet").first()
    if event is None or Conference.objects.filter(event=event).exists():
        return False
    day1 = timezone.localtime(event.starts_at).replace(hour=9, minute=0)
    day2 = day1 + timedelta(days=1)
    event.starts_at, event.ends_at = day1, day2.replace(hour=12)
    event.description = (
        "Demodata: en regional konferens för förtroendevalda och tjänstepersoner i regionen och "
        "länets kommuner, planerad tillsammans med civilsamhället."
    )
    event.save(update_fields=["starts_at", "ends_at", "description", "updated_at"])
    conference = Conference.objects.create(
        event=event,
        budget_amount=CONFERENCE_BUDGET,
        budget_decision_reference=CONFERENCE_CASE,
        budget_decided_by="Kulturnämnden",
        budget_decided_on=date(2024, 6, 11),
    )

    def at(day, hour, minute=0):
        return day.replace(hour=hour, minute=minute)

    plan = [
        (day1, 9, 0, 9, 45, "Välkommen och inledning", Session.Kind.PLENARY, "Stora salen"),
        (day1, 10, 0, 11, 30, "Vad gör civilsamhället i länet?", Session.Kind.PLENARY, "Stora salen"),
        (day1, 11, 30, 12, 30, "Lunch", Session.Kind.BREAK, "Matsalen"),
        (day1, 12, 30, 14, 0, "Samverkan i praktiken: idéburet offentligt partnerskap", Session.Kind.PARALLEL, "Sal A"),
        (day1, 12, 30, 14, 0, "Samverkan i praktiken: dialog och föreningsstöd", Session.Kind.PARALLEL, "Sal B"),
        (day1, 14, 15, 16, 0, "Workshop: gemensamma samhällsutmaningar", Session.Kind.WORKSHOP, "Sal A"),
        (day2, 9, 0, 10, 30, "Resultat och effekter av samverkan", Session.Kind.PLENARY, "Stora salen"),
        (day2, 10, 45, 12, 0, "Vägen framåt i länet", Session.Kind.PLENARY, "Stora salen"),
    ]
    sessions = [
        Session.objects.create(
            conference=conference,
            title=title,
            kind=kind,
            room=room,
            starts_at=at(day, h1, m1),
            ends_at=at(day, h2, m2),
        )
        for day, h1, m1, h2, m2, title, kind, room in plan
    ]
    speakers = [
        ("Demotalare Karin Ek", "Region Örebro län", True, [0, 7]),
        ("Demotalare Omar Said", "Länets idrottsförbund (demo)", False, [1, 3]),
        ("Demotalare Lena Stål", "Forskare, demouniversitetet", False, [6]),
        ("Demotalare Per Ås", "Kumla kommun", True, [4]),
    ]
    for name, affiliation, internal, indexes in speakers:
        speaker = Speaker.objects.create(
            conference=conference,
            name=name,
            affiliation=affiliation,
            is_internal=internal,
            bio="Demodata: presentation av talaren.",
        )
        speaker.sessions.set([sessions[i] for i in indexes])
    Partner.objects.create(conference=conference, name="Region Örebro län", role=Partner.Role.FUNDER)
    Partner.objects.create(conference=conference, name="Länets bildningsförbund (demo)", role=Partner.Role.CO_ORGANISER)
    both = RegistrationType.objects.create(conference=conference, name="Båda dagarna")
    both.sessions.set(sessions)
    first = RegistrationType.objects.create(conference=conference, name="Endast dag 1")
    first.sessions.set(sessions[:6])
    for group, quota in ((TargetGroup.ELECTED, 100), (TargetGroup.OFFICER, 120), (TargetGroup.CIVIL_SOCIETY, 80)):
        TargetGroupQuota.objects.create(conference=conference, target_group=group, quota=quota)
    for name, affiliation, sector, role in (
        ("Demoperson Anna Bro", "Region Örebro län", "public", "chair"),
        ("Demoperson Mona Hed", "Region Örebro län", "public", "member"),
        ("Demoperson Ali Berg", "Länets föreningsråd (demo)", "civil_society", "member"),
        ("Demoperson Sara Lind", "Studieförbund (demo)", "civil_society", "member"),
    ):
        PlanningGroupMember.objects.create(
            conference=conference, name=name, affiliation=affiliation, sector=sector, role=role
        )
    lines = {
        title: BudgetLine.objects.create(conference=conference, title=title, planned=Decimal(planned))
        for title, planned in (
            ("Lokal och förtäring", "55000"),
            ("Talare och moderator", "25000"),
            ("Tillgänglighet (tolk, hörslinga)", "10000"),
            ("Kommunikation och trycksaker", "10000"),
        )
    }
    today = timezone.localdate()
    BudgetCommitment.objects.create(
        line=lines["Lokal och förtäring"],
        description="Demodata: bokning av konferenslokal",
        amount=Decimal("40000"),
        committed_on=today,
    )
    BudgetCommitment.objects.create(
        line=lines["Talare och moderator"],
        description="Demodata: arvode moderator",
        amount=Decimal("12000"),
        outcome=Decimal("11500"),
        committed_on=today,
    )
    knowledge = Survey.objects.create(event=event, kind=Survey.Kind.KNOWLEDGE, title=f"Kunskapsenkät: {event.title}")
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(survey=knowledge, text=text, position=n) for n, text in enumerate(DEFAULT_KNOWLEDGE_QUESTIONS)
    )
    return True
