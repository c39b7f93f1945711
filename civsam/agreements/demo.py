"""Demo agreements (CIVSAM_DEMO, `make run`): two IOPs and a local överenskommelse with parties,
contributions, governance, legal assessment and follow-up. Every name of a person is invented, as
are the demo organisations' numbers. Loaded once: nothing is changed when demo agreements exist."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from civsam.core.models import LegalForm, Municipality
from civsam.plan.models import PriorityArea
from civsam.registry import orgnr as orgnr_mod
from civsam.registry.models import Organisation
from civsam.registry.services import organisation_create

from . import selectors, services
from .models import Agreement

REGION_ORGNR = "2321000164"


def _body(code: str, n: int) -> Organisation:
    """The municipality as an actor (the meetings demo makes them too; the same lookup)."""
    municipality = Municipality.objects.get(code=code)
    body = Organisation.objects.filter(legal_form__code="82", municipality=municipality).order_by("id").first()
    if body is None:
        body = organisation_create(
            actor=None,
            name=f"{municipality.name} kommun",
            orgnr=orgnr_mod.complete(f"212099{n:03d}"),
            legal_form=LegalForm.objects.get(code="82"),
            municipality=municipality,
            sector="public",
            description="Demodata: kommunen som aktör; organisationsnumret är påhittat.",
        )
        Organisation.objects.filter(pk=body.pk).update(is_demo=True)
    return body


def _region() -> Organisation:
    region = Organisation.objects.filter(orgnr=REGION_ORGNR).first()
    if region is None:
        region = organisation_create(
            actor=None,
            name="Region Örebro län",
            orgnr=REGION_ORGNR,
            legal_form=LegalForm.objects.get(code="84"),
            municipality=Municipality.objects.get(code="1880"),
        )
        Organisation.objects.filter(pk=region.pk).update(is_demo=True)
    return region


def _association(name: str, code: str, seed: str) -> Organisation:
    found = Organisation.objects.filter(name=name).first()
    if found is not None:
        return found
    org = organisation_create(
        actor=None,
        name=name,
        orgnr=orgnr_mod.complete(seed),
        legal_form=LegalForm.objects.get(code="61"),
        municipality=Municipality.objects.get(code=code),
        description="Demodata: en påhittad förening.",
    )
    Organisation.objects.filter(pk=org.pk).update(is_demo=True)
    return org


def _areas(*codes: str) -> list[PriorityArea]:
    wanted = []
    for area in PriorityArea.objects.filter(focus_area__plan__slug="2026-2030").select_related("focus_area"):
        if area.code in codes:
            wanted.append(area)
    return wanted


def _party(agreement, organisation, role, responsibility=""):
    return services.party_add(
        actor=None, agreement=agreement, organisation=organisation, role=role, responsibility=responsibility
    )


def _group(agreement, kind, name, members):
    group = services.group_add(actor=None, agreement=agreement, kind=kind, name=name)
    for party, person, position in members:
        services.group_member_add(actor=None, group=group, party=party, name=person, position=position)


@transaction.atomic
def demo_agreements_load(*, today: datetime.date | None = None) -> int:
    """The demo agreements; returns how many were created (0 when they exist)."""
    if Agreement.objects.filter(is_demo=True).exists():
        return 0
    today = today or timezone.localdate()
    start = datetime.date(today.year - 1, 1, 1)
    rate = selectors.volunteer_hour_rate()
    volunteer_rate = rate.value if rate is not None else Decimal("250.00")
    rate_source = f"{rate.name}, {rate.price_year} (proxybiblioteket)" if rate is not None else "Egen uppskattning"
    created = []

    # 1. An IOP: Örebro kommun and an association run an open meeting place in Vivalla.
    kommun = _body("1880", 0)
    association = _association("Föreningen Mötesplats Vivalla (demo)", "1880", "802499101")
    iop = services.agreement_create(
        actor=None,
        title="Mötesplats Vivalla – öppen verksamhet för alla åldrar",
        kind=Agreement.Kind.IOP,
        owner=kommun,
        municipality=kommun.municipality,
        challenge="Ofrivillig ensamhet och få mötesplatser över generationsgränserna i stadsdelen.",
        problem_analysis=(
            "Stadsdelen saknar öppna lokaler kvällar och helger. Föreningen når grupper som kommunen inte når, "
            "och kommunen har lokaler och kompetens inom fritid och socialt arbete."
        ),
        priority_areas=_areas("2.1", "3.1"),
        starts_on=start,
        ends_on=datetime.date(today.year + 2, 12, 31),
        notice_months=6,
        renegotiation="Parterna ses över inför varje budgetår och omförhandlar vid väsentligt ändrade förutsättningar.",
        deciding_body="Kultur- och fritidsnämnden, Örebro kommun",
        case_number=f"KFN {start.year}/112",
        decided_on=start - datetime.timedelta(days=40),
    )
    iop_kommun = iop.parties.get(organisation=kommun)
    iop_assoc = _party(iop, association, "ideburen", "Driver mötesplatsen med ideella och anställda ledare.")
    for year in (start.year, start.year + 1):
        services.contribution_add(actor=None, party=iop_kommun, year=year, kind="money", quantity=Decimal("450000"))
        services.contribution_add(
            actor=None,
            party=iop_kommun,
            year=year,
            kind="premises",
            quantity=Decimal("180000"),
            description="Lokal i Vivalla centrum",
        )
        services.contribution_add(
            actor=None,
            party=iop_assoc,
            year=year,
            kind="volunteer_hours",
            quantity=Decimal("2400"),
            rate=volunteer_rate,
            rate_source=rate_source,
        )
        services.contribution_add(
            actor=None, party=iop_assoc, year=year, kind="staff_hours", quantity=Decimal("1600"), rate=Decimal("380")
        )
    services.goal_add(
        actor=None,
        agreement=iop,
        goal="Fler invånare deltar i öppen verksamhet",
        indicator="Besök per vecka",
        target="300",
    )
    _group(
        iop,
        "steering",
        "Styrgrupp",
        [(iop_kommun, "Demo Karlsson", "Ordförande"), (iop_assoc, "Demo Yusuf", "Ledamot")],
    )
    _group(iop, "working", "Arbetsgrupp", [(iop_assoc, "Demo Lind", "Verksamhetsledare")])
    services.assessment_save(
        actor=None,
        agreement=iop,
        procurement="partnership",
        state_aid="no_economic_activity",
        general_interest=True,
        memo=(
            "Kommunen köper ingen tjänst: parterna bidrar var och en till ett gemensamt mål och föreningen bestämmer "
            "själv över verksamheten. Verksamheten är öppen och avgiftsfri och inte ekonomisk verksamhet; "
            "statsstödsreglerna blir därför inte tillämpliga. Insatsen är av allmänt intresse för kommunens invånare."
        ),
    )
    services.agreement_transition(actor=None, agreement=iop, action="submit")
    services.agreement_transition(actor=None, agreement=iop, action="sign", on=start)
    services.report_save(
        actor=None,
        agreement=iop,
        year=start.year,
        activities="Öppet fyra kvällar i veckan och lördagar; läxhjälp, seniorcafé och språkcafé.",
        results="I genomsnitt 260 besök per vecka; 40 ideella ledare.",
        participants=1100,
    )
    created.append(iop)

    # 2. An IOP: the Region and a women's shelter association, services of general economic interest.
    region = _region()
    shelter = _association("Kvinno- och tjejjouren i länet (demo)", "1880", "802499102")
    shelter_iop = services.agreement_create(
        actor=None,
        title="Stöd till våldsutsatta kvinnor och barn",
        kind=Agreement.Kind.IOP,
        owner=region,
        challenge="Kvinnor och barn som utsatts för våld i nära relationer behöver stöd dygnet runt i hela länet.",
        problem_analysis="Jouren har förtroende hos målgruppen; regionen har hälso- och sjukvårdens ansvar.",
        priority_areas=_areas("2.2"),
        starts_on=start,
        ends_on=datetime.date(today.year + 1, 12, 31),
        notice_months=12,
        deciding_body="Regionstyrelsen",
        case_number=f"{start.year % 100:02d}RS2210",
        decided_on=start - datetime.timedelta(days=30),
        is_public=True,
    )
    shelter_party = _party(shelter_iop, shelter, "ideburen", "Stödsamtal, jourtelefon och skyddat boende.")
    region_party = shelter_iop.parties.get(organisation=region)
    for year in (start.year, start.year + 1):
        services.contribution_add(actor=None, party=region_party, year=year, kind="money", quantity=Decimal("1800000"))
        services.contribution_add(
            actor=None,
            party=shelter_party,
            year=year,
            kind="volunteer_hours",
            quantity=Decimal("3200"),
            rate=volunteer_rate,
            rate_source=rate_source,
        )
    services.assessment_save(
        actor=None,
        agreement=shelter_iop,
        procurement="partnership",
        state_aid="sgei_de_minimis",
        general_interest=True,
        aid_recipient=shelter_party,
        aid_amount_sek=Decimal("1800000"),
        sek_per_eur=Decimal("11.20"),
        rate_source="Demovärde, inte Riksbankens kurs",
        memo=(
            "Skyddat boende kan vara ekonomisk verksamhet. Stödet ges som stöd av mindre betydelse för tjänster "
            "av allmänt ekonomiskt intresse (förordning (EU) 2023/2832); jourens stöd under tre år ryms under taket."
        ),
    )
    services.agreement_transition(actor=None, agreement=shelter_iop, action="submit")
    services.agreement_transition(actor=None, agreement=shelter_iop, action="sign", on=start)
    created.append(shelter_iop)

    # 3. A local överenskommelse between Kumla kommun and the associations of Kumla.
    kumla = _body("1881", 1)
    local = services.agreement_create(
        actor=None,
        title="Lokal överenskommelse mellan Kumla kommun och föreningslivet",
        kind=Agreement.Kind.LOCAL,
        owner=kumla,
        municipality=kumla.municipality,
        challenge="Ett långsiktigt och jämbördigt samarbete mellan kommunen och den idéburna sektorn.",
        priority_areas=_areas("3.1"),
        starts_on=datetime.date(today.year - 2, 7, 1),
        notice_months=6,
        renegotiation="Dialogforum varje vår; överenskommelsen ses över vart fjärde år.",
        deciding_body="Kommunfullmäktige, Kumla kommun",
        case_number=f"KS {today.year - 2}/87",
    )
    for i, name in enumerate(("Kumla Idrottsallians (demo)", "Studieförbundet i Kumla (demo)")):
        _party(local, _association(name, "1881", f"80249920{i}"), "ideburen")
    services.agreement_transition(actor=None, agreement=local, action="sign", on=datetime.date(today.year - 2, 7, 1))
    created.append(local)

    Agreement.objects.filter(pk__in=[a.pk for a in created]).update(is_demo=True)
    return len(created)
