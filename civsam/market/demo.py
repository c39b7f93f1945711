"""Demo data of the market (CIVSAM_DEMO, `make run`): a handful of offers from demo organisations,
procurement records of the county's buyers (one reserved), and a year of spend aggregates for
Örebro kommun computed from a generated spend file. Idempotent: nothing is added twice."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from civsam.core.models import Municipality
from civsam.registry.models import Organisation

from . import services, spendfile
from .models import CpvCode, Offer, Procurement, SpendUpload

OFFERS = [
    (
        "Lunchcatering och fikabröd",
        "food",
        "55520000",
        "Vegetarisk och klimatsmart mat till möten, skolor och "
        "evenemang, lagad av ett arbetslag där flera är i arbetsträning.",
        "Upp till 250 portioner per dag",
        True,
    ),
    (
        "Städning av kontor och lokaler",
        "cleaning",
        "90910000",
        "Regelbunden lokalvård och storstädning med handledda arbetslag. Miljömärkta medel.",
        "Tre arbetslag, dagtid",
        True,
    ),
    (
        "Skötsel av grönytor och lekplatser",
        "green",
        "77310000",
        "Gräsklippning, rabatter, lövkrattning och tillsyn av lekplatser under säsongen april–oktober.",
        "Två lag under säsong",
        True,
    ),
    (
        "Reparation och återbruk av möbler",
        "reuse",
        "50000000",
        "Vi rustar upp kontorsmöbler och skolmöbler och säljer begagnat. Hämtning och leverans i hela länet.",
        "",
        True,
    ),
    (
        "Tolkning och översättning",
        "office",
        "79530000",
        "Språkstöd på arabiska, somaliska, dari och tigrinja för möten och informationsmaterial.",
        "",
        False,
    ),
    (
        "Fritidsaktiviteter för unga på lov",
        "culture",
        "92000000",
        "Lovaktiviteter, idrott och skapande för barn och unga 7–15 år, med ledare från föreningen.",
        "Upp till 60 deltagare per vecka",
        False,
    ),
]


def demo_market_load(*, today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    services.cpv_codes_load_reference()
    counts = {"offers": 0, "procurements": 0, "spend_years": 0}
    organisations = list(
        Organisation.objects.filter(is_demo=True)
        .exclude(sector=Organisation.Sector.PUBLIC)
        .order_by("pk")[: len(OFFERS)]
    )
    municipalities = list(Municipality.objects.all())
    if organisations and not Offer.objects.filter(is_demo=True).exists():
        rng = random.Random(17)
        for organisation, (title, category, cpv, description, capacity, integration) in zip(
            organisations, OFFERS, strict=False
        ):
            with transaction.atomic():
                if integration and not organisation.work_integrating:
                    # The demo shows a verified status with its source and date.
                    Organisation.objects.filter(pk=organisation.pk).update(
                        work_integrating=True,
                        work_integrating_source="Demo: Civsams egen kontroll",
                        work_integrating_verified_on=today - datetime.timedelta(days=90),
                    )
                    organisation.refresh_from_db()
                offer = services.offer_create(
                    actor=None,
                    organisation=organisation,
                    data=services.OfferData(
                        title=title,
                        kind="service",
                        category=category,
                        description=description,
                        municipalities=[organisation.municipality, *rng.sample(municipalities, 2)],
                        cpv_codes=list(CpvCode.objects.filter(code=cpv)),
                        capacity=capacity,
                        work_integration=integration,
                    ),
                )
                Offer.objects.filter(pk=offer.pk).update(is_demo=True)
            counts["offers"] += 1
    orebro = Municipality.objects.filter(code="1880").first()
    if orebro is None:
        return counts
    buyer = services.buyer_get_or_create(municipality=orebro)
    supplier = organisations[1] if len(organisations) > 1 else None
    if not Procurement.objects.filter(is_demo=True).exists():
        year = today.year - 1
        services.procurement_create(
            actor=None,
            buyer=buyer,
            is_demo=True,
            data=services.ProcurementData(
                title="Lokalvård i fritidsgårdar – reserverad upphandling",
                procedure="simplified",
                status="awarded",
                reference=f"KS {year}/214",
                cpv_codes=list(CpvCode.objects.filter(code="90910000")),
                estimated_value=Decimal("1800000"),
                awarded_value=Decimal("1650000"),
                published_on=datetime.date(year, 2, 1),
                tender_deadline=datetime.date(year, 3, 1),
                awarded_on=datetime.date(year, 4, 1),
                contract_start=datetime.date(year, 5, 1),
                contract_end=datetime.date(year + 2, 4, 30),
                reservation="lou_4_18",
                employment_requirement=True,
                employment_requirement_text="Minst två anställningar för personer som står långt från arbetsmarknaden.",
                employment_positions=2,
                awards=[
                    services.AwardData(
                        supplier_name=supplier.name if supplier else "Arbetsintegrerande städkooperativ",
                        supplier_orgnr=(supplier.orgnr or "") if supplier else "",
                        value=Decimal("1650000"),
                    )
                ],
            ),
        )
        services.procurement_create(
            actor=None,
            buyer=buyer,
            is_demo=True,
            data=services.ProcurementData(
                title="Måltidsleveranser till äldreomsorgen",
                procedure="open",
                status="active",
                cpv_codes=list(CpvCode.objects.filter(code="55520000")),
                estimated_value=Decimal("12000000"),
                published_on=today - datetime.timedelta(days=10),
                tender_deadline=today + datetime.timedelta(days=30),
                social_award_criteria=True,
                social_award_criteria_text="Plan för praktikplatser och handledning väger 15 procent.",
            ),
        )
        services.procurement_create(
            actor=None,
            buyer=buyer,
            is_demo=True,
            data=services.ProcurementData(
                title="Tolktjänster",
                procedure="direct",
                status="planned",
                cpv_codes=list(CpvCode.objects.filter(code="79530000")),
                estimated_value=Decimal("400000"),
            ),
        )
        counts["procurements"] = 3
    if not SpendUpload.objects.filter(is_demo=True).exists():
        counts["spend_years"] = _demo_spend(buyer, today)
    return counts


def _demo_spend(buyer, today: datetime.date) -> int:
    """Aggregates of a generated spend file: three years of invoices to demo suppliers and companies."""
    rng = random.Random(2026)
    civil = [o.orgnr for o in Organisation.objects.filter(is_demo=True).exclude(orgnr=None).order_by("pk")[:80]]
    from civsam.registry import orgnr as orgnr_rules

    companies = [orgnr_rules.complete(f"5560{n:05d}") for n in range(400)]
    sums = spendfile.SpendSums()
    for year in range(today.year - 3, today.year):
        for supplier in companies + civil:
            ore = (
                rng.randrange(10_000_00, 2_000_000_00) if supplier in companies else rng.randrange(5_000_00, 300_000_00)
            )
            invoices = rng.randrange(1, 40)
            sums.sums[(year, supplier)] = [ore, invoices]
            sums.rows += invoices
    with transaction.atomic():
        services.spend_sums_store(
            actor=None, buyer=buyer, sums=sums, file_name="demo-inkop.csv", keep_rows=False, is_demo=True
        )
    return len(sums.years)
