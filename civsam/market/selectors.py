"""Reads of the market app: offers with search and filters, procurement records, buyers, and the
stored share of spend."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.utils import timezone

from civsam.agreements import selectors as agreement_selectors
from civsam.agreements.models import Agreement, Party
from civsam.core.models import Municipality
from civsam.registry import search
from civsam.registry.models import Organisation

from . import layers, ocds, permissions
from .models import Buyer, CpvCode, Offer, Procurement, SpendLayer, SpendShare, SpendUpload

# SCB's legal form of a municipality (JURFORM 82): the body that is a municipal buyer's party.
MUNICIPALITY_FORM = "82"


@dataclass(frozen=True)
class OfferFilter:
    q: str = ""
    category: str = ""
    municipality: str = ""  # kommunkod
    cpv_division: str = ""  # "85" etc.
    work_integration: bool = False
    verified: str = ""  # social_enterprise, work_integrating, ideburen


def offer_list(*, user, filters: OfferFilter | None = None) -> QuerySet[Offer]:
    filters = filters or OfferFilter()
    qs = permissions.offers_visible_to(user).select_related("organisation", "organisation__municipality")
    terms = search.query_terms(filters.q)
    if terms:
        qs = qs.annotate(_doc=Concat(Value(" "), "search_document", output_field=TextField()))
        for term in terms:
            qs = qs.filter(_doc__contains=f" {term}")
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.municipality:
        qs = qs.filter(municipalities__code=filters.municipality)
    if filters.cpv_division:
        qs = qs.filter(cpv_codes__code__startswith=filters.cpv_division[:2])
    if filters.work_integration:
        qs = qs.filter(work_integration=True)
    if filters.verified == "social_enterprise":
        qs = qs.filter(organisation__social_enterprise=True, organisation__social_enterprise_verified_on__isnull=False)
    elif filters.verified == "work_integrating":
        qs = qs.filter(organisation__work_integrating=True, organisation__work_integrating_verified_on__isnull=False)
    elif filters.verified == "ideburen":
        qs = qs.filter(organisation__ideburen_registered=True)
    return qs.distinct().prefetch_related("municipalities", "cpv_codes").order_by("title", "id")


def offer_detail(*, user, pk: int) -> Offer | None:
    return (
        offer_list(user=user)
        .prefetch_related(Prefetch("organisation__market_offers", queryset=Offer.objects.filter(is_published=True)))
        .filter(pk=pk)
        .first()
    )


def offers_of(organisation: Organisation) -> QuerySet[Offer]:
    return Offer.objects.filter(organisation=organisation).order_by("title", "id")


def offers_due_for_reminder(*, today: datetime.date) -> QuerySet[Offer]:
    """Published offers not confirmed for a year and not reminded in the last year."""
    year_ago = today - datetime.timedelta(days=365)
    return (
        Offer.objects.filter(is_published=True, confirmed_on__lte=year_ago)
        .exclude(reminded_on__gt=year_ago)
        .select_related("organisation")
        .order_by("pk")
    )


def cpv_choices() -> QuerySet[CpvCode]:
    return CpvCode.objects.all()


def cpv_divisions() -> QuerySet[CpvCode]:
    return CpvCode.objects.filter(code__endswith="000000")


def verification(organisation: Organisation) -> list[tuple[str, str, datetime.date | None]]:
    """The organisation's verified statuses as (label, source, date)."""
    from django.utils.translation import gettext as _

    rows = []
    if organisation.social_enterprise and organisation.social_enterprise_verified_on:
        rows.append(
            (_("Socialt företag"), organisation.social_enterprise_source, organisation.social_enterprise_verified_on)
        )
    if organisation.work_integrating and organisation.work_integrating_verified_on:
        rows.append(
            (
                _("Arbetsintegrerande socialt företag"),
                organisation.work_integrating_source,
                organisation.work_integrating_verified_on,
            )
        )
    if organisation.ideburen_registered:
        rows.append(
            (_("Registrerad idéburen organisation"), organisation.ideburen_source, organisation.ideburen_verified_on)
        )
    return rows


# --- Buyers and procurement -------------------------------------------------------------------


def buyer_list() -> QuerySet[Buyer]:
    return Buyer.objects.select_related("municipality", "organisation")


def buyer_for(*, municipality: Municipality | None = None, organisation: Organisation | None = None) -> Buyer | None:
    if municipality is not None:
        return Buyer.objects.filter(municipality=municipality).select_related("municipality").first()
    if organisation is not None:
        return Buyer.objects.filter(organisation=organisation).select_related("organisation").first()
    return None


def procurement_list(*, user, buyer: Buyer | None = None, reserved: bool | None = None) -> QuerySet[Procurement]:
    qs = permissions.procurements_visible_to(user).select_related("buyer", "buyer__municipality", "buyer__organisation")
    if buyer is not None:
        qs = qs.filter(buyer=buyer)
    if reserved is True:
        qs = qs.exclude(reservation="")
    elif reserved is False:
        qs = qs.filter(reservation="")
    return qs.prefetch_related("cpv_codes", "lots", "awards").order_by("-published_on", "-id")


def procurement_detail(*, user, pk: int) -> Procurement | None:
    return procurement_list(user=user).filter(pk=pk).first()


def reserved_suppliers(buyer: Buyer, years: Iterable[int]) -> dict[int, frozenset[str]]:
    """Per year, the orgnr of the suppliers holding a contract of this buyer from a reserved
    procurement that runs in that year (from award or start to the contract's end; open-ended
    contracts count from their start on)."""
    wanted = sorted(set(years))
    result: dict[int, set[str]] = {year: set() for year in wanted}
    procurements = (
        Procurement.objects.filter(buyer=buyer, status=Procurement.Status.AWARDED)
        .exclude(reservation="")
        .prefetch_related("awards")
    )
    for procurement in procurements:
        start = procurement.contract_start or procurement.awarded_on
        first = start.year if start else min(wanted, default=0)
        last = procurement.contract_end.year if procurement.contract_end else max(wanted, default=0)
        for award in procurement.awards.all():
            if not award.supplier_orgnr:
                continue
            for year in wanted:
                if first <= year <= last:
                    result[year].add(award.supplier_orgnr)
    return {year: frozenset(orgnrs) for year, orgnrs in result.items()}


def iop_suppliers(buyer: Buyer, years: Iterable[int]) -> dict[int, frozenset[str]]:
    """Per year, the orgnr of the organisations that are accepted parties with this buyer to an
    IOP in force that year. A municipality buyer is the municipality's own body in the register
    (legal form 82, kommun); an organisation buyer is itself a party."""
    if buyer.organisation_id:
        own = Q(organisation_id=buyer.organisation_id)
    else:
        own = Q(organisation__municipality_id=buyer.municipality_id, organisation__legal_form__code=MUNICIPALITY_FORM)
    accepted = Party.objects.filter(status=Party.Status.ACCEPTED)
    buyer_agreements = accepted.filter(own, agreement__kind=Agreement.Kind.IOP).values("agreement_id")
    result: dict[int, frozenset[str]] = {}
    for year in years:
        in_force = Agreement.objects.filter(agreement_selectors.in_force_q(year), pk__in=buyer_agreements)
        result[year] = frozenset(
            accepted.filter(agreement__in=in_force)
            .exclude(own)
            .exclude(organisation__orgnr__isnull=True)
            .exclude(organisation__orgnr="")
            .values_list("organisation__orgnr", flat=True)
        )
    return result


def supplier_facts(orgnrs: Iterable[str]) -> dict[str, layers.SupplierFacts]:
    """What the register says about each supplier found in it, read in batches."""
    wanted = sorted({orgnr for orgnr in orgnrs if orgnr})
    facts: dict[str, layers.SupplierFacts] = {}
    for start in range(0, len(wanted), 500):
        rows = Organisation.objects.filter(orgnr__in=wanted[start : start + 500]).values_list(
            "orgnr",
            "legal_form__code",
            "ideburen_registered",
            "social_enterprise",
            "social_enterprise_verified_on",
            "work_integrating",
            "work_integrating_verified_on",
        )
        for orgnr, legal_form, ideburen, social, social_on, integrating, integrating_on in rows:
            facts[orgnr] = layers.SupplierFacts(
                legal_form=legal_form or "",
                ideburen=ideburen,
                social_enterprise=social and social_on is not None,
                work_integrating=integrating and integrating_on is not None,
            )
    return facts


# --- Share of spend ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShareCell:
    amount: object  # Decimal
    share: float | None
    suppliers: int


@dataclass(frozen=True)
class ShareYear:
    year: int
    total: object  # Decimal
    cells: list[tuple[str, str, ShareCell]]  # (layer, label, cell) in layer order


@dataclass(frozen=True)
class BuyerShares:
    buyer: Buyer
    years: list[ShareYear]


def spend_share_buyers() -> QuerySet[Buyer]:
    return Buyer.objects.filter(spend_shares__isnull=False).distinct().select_related("municipality", "organisation")


def spend_shares(*, buyer: Buyer | None = None, year: int | None = None) -> list[BuyerShares]:
    """The stored figures per buyer and year, each layer with its share of that year's total."""
    qs = SpendShare.objects.select_related("buyer", "buyer__municipality", "buyer__organisation").order_by(
        "buyer_id", "year"
    )
    if buyer is not None:
        qs = qs.filter(buyer=buyer)
    if year is not None:
        qs = qs.filter(year=year)
    grouped: dict[int, tuple[Buyer, dict[int, dict[str, SpendShare]]]] = {}
    for row in qs:
        entry = grouped.setdefault(row.buyer_id, (row.buyer, {}))
        entry[1].setdefault(row.year, {})[row.layer] = row
    labels = dict(SpendLayer.choices)
    result = []
    for buyer_obj, years in grouped.values():
        share_years = []
        for year_value in sorted(years):
            rows = years[year_value]
            total = rows.get(layers.TOTAL)
            if total is None:
                continue
            cells = []
            for layer in layers.LAYERS:
                row = rows.get(layer)
                if row is None:
                    continue
                cells.append(
                    (
                        layer,
                        str(labels[layer]),
                        ShareCell(
                            amount=row.amount,
                            share=layers.share(int(row.amount * 100), int(total.amount * 100)),
                            suppliers=row.supplier_count,
                        ),
                    )
                )
            share_years.append(ShareYear(year=year_value, total=total.amount, cells=cells))
        result.append(BuyerShares(buyer=buyer_obj, years=share_years))
    result.sort(key=lambda item: item.buyer.name)
    return result


def spend_uploads_of(buyer: Buyer) -> QuerySet[SpendUpload]:
    return SpendUpload.objects.filter(buyer=buyer).order_by("-uploaded_at", "-id")


def ocds_package(procurements: Iterable[Procurement], *, uri: str) -> dict:
    """The procurements as one OCDS release package, published by the Region (the page's download
    and the API's `?format=ocds`)."""
    prefix = settings.CIVSAM_OCID_PREFIX
    return ocds.release_package(
        (ocds.release(p, prefix=prefix, buyer_orgnr=p.buyer.orgnr, buyer_name=p.buyer.name) for p in procurements),
        uri=uri,
        publisher=settings.CIVSAM["REGION_NAME"],
        published=timezone.now(),
    )
