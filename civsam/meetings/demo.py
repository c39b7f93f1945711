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
    BudgetYear,
    Conference,
    Event,
    Network,
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

REGION_ORGNR = "2321000164"  # Region Örebro län (Bolagsverket); the only public body's number used here
PEOPLE_FIRST = ["Anna", "Erik", "Leila", "Johan", "Sara", "Amir", "Maria", "Nils", "Fatima", "Per"]
PEOPLE_LAST = ["Berg", "Holm", "Ali", "Lind", "Nyström", "Yusuf", "Ek", "Persson"]


def _public_bodies() -> tuple[Organisation, list[Organisation]]:
    """The Region and the county's municipalities as organisations. The registry's reference data
    holds them once public bodies are loaded there (another part of issue #12); until then the demo
    creates them through the registry's service, each marked as demo data, the municipalities'
    organisationsnummer invented (in a range of the demo's own)."""
    from civsam.core.models import LegalForm
    from civsam.registry import orgnr as orgnr_mod
    from civsam.registry.services import organisation_create

    orebro = Municipality.objects.get(code="1880")
    region = (
        Organisation.objects.filter(orgnr=REGION_ORGNR).first()
        or Organisation.objects.filter(legal_form__code="84").order_by("id").first()
    )
    if region is None:
        region = organisation_create(
            name="Region Örebro län",
            orgnr=REGION_ORGNR,
            legal_form=LegalForm.objects.get(code="84"),
            municipality=orebro,
            website="https://www.regionorebrolan.se",
            description="Regionen samordnar handlingsplanen för civilsamhället och den sociala ekonomin.",
        )
        Organisation.objects.filter(pk=region.pk).update(is_demo=True)
    municipalities = []
    for n, municipality in enumerate(Municipality.objects.order_by("code")):
        body = Organisation.objects.filter(legal_form__code="82", municipality=municipality).order_by("id").first()
        if body is None:
            body = organisation_create(
                name=f"{municipality.name} kommun",
                orgnr=orgnr_mod.complete(f"212099{n:03d}"),
                legal_form=LegalForm.objects.get(code="82"),
                municipality=municipality,
                description="Demodata: kommunen som aktör; organisationsnumret är påhittat.",
            )
            Organisation.objects.filter(pk=body.pk).update(is_demo=True)
        municipalities.append(body)
    return region, municipalities


def _person(rng: random.Random) -> str:
    return f"{rng.choice(PEOPLE_FIRST)} {rng.choice(PEOPLE_LAST)}"


def _members(network, organisations, *, rng, today, positions=("member", "member", "chair", "secretary")) -> None:
    """Make each organisation a member on a date in the last years, with a named (invented) representative."""
    from . import services

    for organisation in organisations:
        joined = today - timedelta(days=rng.randint(30, 900))
        membership = services.membership_invite(actor=None, network=network, organisation=organisation, today=joined)
        services.representative_add(
            actor=None, membership=membership, name=_person(rng), position=rng.choice(positions), starts_on=joined
        )


def _demo_user(username: str):
    from civsam.accounts.models import User

    return User.objects.filter(username=username).first()


@transaction.atomic
def demo_meetings_load(*, seed: int = 2026) -> tuple[int, int]:
    """Create the demo networks, built as the county's real structure, and a few upcoming events; idempotent.

    - the Partnership for social innovation, coordinated by the Region: public bodies and civil society;
    - a samverkansråd of the Region and the municipalities;
    - an association council run by an association in Kumla, without the Region;
    - a user council run by staff, and an exchange network that has been closed (read only)."""
    from . import services

    if Network.objects.filter(slug="partnerskapet").exists():
        return 0, 0
    rng = random.Random(seed)
    today = timezone.localdate()
    region, municipalities = _public_bodies()
    public_ids = {region.pk, *(m.pk for m in municipalities)}
    civil = list(
        Organisation.objects.filter(is_demo=True, legal_form__is_civil_society=True)
        .exclude(pk__in=public_ids)
        .select_related("municipality")
        .order_by("id")
    )
    by_code = {m.municipality.code: m for m in municipalities}
    networks = []

    partnership = services.network_create(
        actor=None,
        slug="partnerskapet",
        name="Partnerskapet för sociala innovationer",
        kind=Network.Kind.PARTNERSHIP,
        purpose=(
            "Demodata: offentliga aktörer och civilsamhället i Örebro län utvecklar tillsammans sociala "
            "innovationer och den sociala ekonomin. Regionen samordnar."
        ),
        organisation=region,
        coordinator=_demo_user("region"),
    )
    public_members = [region, *(by_code[c] for c in ("1880", "1881", "1861", "1883", "1885") if c in by_code)]
    _members(
        partnership,
        public_members + rng.sample(civil, k=min(40 - len(public_members), len(civil))),
        rng=rng,
        today=today,
    )
    networks.append(partnership)

    council = services.network_create(
        actor=None,
        slug="samverkansradet",
        name="Samverkansrådet för civilsamhället – Region Örebro län och länets kommuner",
        kind=Network.Kind.COOPERATION_COUNCIL,
        purpose=(
            "Demodata: regionen och kommunerna stämmer av handlingsplanen, överenskommelser med civilsamhället "
            "och gemensamma uppdrag."
        ),
        organisation=region,
        coordinator=_demo_user("region"),
    )
    _members(council, [region, *municipalities], rng=rng, today=today, positions=("member",))
    networks.append(council)

    kumla_civil = [o for o in civil if o.municipality.code == "1881"]
    host = kumla_civil[0] if kumla_civil else civil[0]
    association_council = services.network_create(
        actor=None,
        slug="foreningsradet-kumla",
        name="Föreningsrådet i Kumla",
        kind=Network.Kind.ASSOCIATION_COUNCIL,
        purpose=(
            "Demodata: föreningarna i Kumla samordnar sig och för dialog med kommunen. Rådet drivs av "
            "föreningarna själva; kommunen är adjungerad."
        ),
        organisation=host,
    )
    _members(association_council, kumla_civil[:15] or civil[:15], rng=rng, today=today)
    if "1881" in by_code:
        _members(association_council, [by_code["1881"]], rng=rng, today=today, positions=("adjunct",))
    rest = [o for o in civil if o not in kumla_civil]
    outside = rest[:2]
    for organisation in outside:  # two associations elsewhere have asked to join: the council decides
        services.membership_request(actor=None, network=association_council, organisation=organisation)
    networks.append(association_council)

    user_council = services.network_create(
        actor=None,
        slug="brukarradet-psykiatri",
        name="Brukarrådet för psykiatri",
        kind=Network.Kind.USER_COUNCIL,
        purpose="Demodata: brukar- och anhörigorganisationer möter regionens psykiatri.",
        organisation=region,
    )
    _members(user_council, rng.sample(civil, k=min(8, len(civil))), rng=rng, today=today)
    networks.append(user_council)

    exchange = services.network_create(
        actor=None,
        slug="civsam-international",
        name="Nätverket för internationellt utbyte",
        kind=Network.Kind.INTERNATIONAL,
        purpose=(
            "Demodata: ett projektnätverk för utbyte med civilsamhället i andra länder, avslutat när "
            "projektet tog slut."
        ),
        organisation=region,
    )
    _members(exchange, rng.sample(civil, k=min(10, len(civil))), rng=rng, today=today - timedelta(days=400))
    services.network_close(actor=None, network=exchange, on=today - timedelta(days=60))
    networks.append(exchange)

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
            network=networks[2],
            municipality=kumla,
            place="Kumla stadshus",
            starts_at=start + timedelta(days=14),
            ends_at=start + timedelta(days=14, hours=2),
            capacity=40,
        ),
        Event(
            title="Brukarrådets möte",
            network=networks[3],
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
    # The demo login "forening" is in the planning group with its account: it may edit the programme.
    member = _demo_user("forening")
    if member is not None:
        PlanningGroupMember.objects.create(
            conference=conference,
            name=member.get_full_name() or member.username,
            affiliation="Demoförening",
            sector="civil_society",
            user=member,
        )
    # The budget by year (ADR 0124): the committee's planning money in 2024 (a fact, see above), and
    # invented demo money in the conference's own year.
    year = timezone.localtime(event.starts_at).year
    BudgetYear.objects.create(
        conference=conference,
        year=2024,
        allocated=CONFERENCE_BUDGET,
        purpose="Planering av konferensen",
        decision_reference=CONFERENCE_CASE,
        decided_by="Kulturnämnden",
        decided_on=date(2024, 6, 11),
    )
    if year != 2024:
        BudgetYear.objects.create(
            conference=conference, year=year, allocated=Decimal("150000"), purpose="Demodata: genomförandet"
        )
        Conference.objects.filter(pk=conference.pk).update(budget_amount=CONFERENCE_BUDGET + Decimal("150000"))
    planning = BudgetLine.objects.create(
        conference=conference, year=2024, title="Planeringsgruppens arbete", planned=Decimal("60000")
    )
    BudgetCommitment.objects.create(
        line=planning,
        description="Demodata: möteslokal och processledning",
        amount=Decimal("45000"),
        outcome=Decimal("43800"),
        committed_on=date(2024, 11, 15),
    )
    lines = {
        title: BudgetLine.objects.create(conference=conference, year=year, title=title, planned=Decimal(planned))
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
