"""API: offers of the social economy, the county's procurement records (also as OCDS release
packages) and the share of spend. Reads are public; writes are for those who act for the offer's
organisation or the procurement's buyer."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from pydantic import Field

from civsam.core.apiguards import problem_from_validation, require_signed_in
from civsam.core.apitools import (
    DEFAULT_LIMIT,
    PAGING_PARAMS,
    ApiProblem,
    CamelSchema,
    InSchema,
    InvalidParameter,
    Limit,
    PageNumber,
    PageOut,
    ProblemOut,
    check_query_names,
    invalid_parameters_problem,
    paginate,
    request_body_problem,
)
from civsam.core.models import Municipality
from civsam.registry import orgnr as orgnr_rules
from civsam.registry.models import Organisation

from . import layers, permissions, selectors, services
from .models import Buyer, CpvCode, Offer, OfferCategory, Procurement, SpendLayer

router = Router(tags=["marknad och upphandling"])

OfferId = Annotated[int, Path(ge=1, le=2**62, description="Erbjudandets id.")]
ProcurementId = Annotated[int, Path(ge=1, le=2**62, description="Upphandlingens id.")]
OFFER_RIGHTS = (
    "Kräver inloggning (sessionscookie; skrivningar med CSRF-token i huvudet X-CSRFToken). Bara den som företräder "
    "organisationen (eller handläggare i dess hemkommun) får skriva dess erbjudanden."
)
BUYER_RIGHTS = (
    "Kräver inloggning (sessionscookie; skrivningar med CSRF-token i huvudet X-CSRFToken). Bara den som får agera "
    "för köparen (kommunens handläggare; för Regionen eller ett kommunalt bolag den som företräder det) får skriva."
)


# --- Offers ---------------------------------------------------------------------------------------------


class VerificationOut(CamelSchema):
    """En verifierad status med källa och datum."""

    status: str = Field(description="social_enterprise, work_integrating eller ideburen")
    source: str | None = None
    verified_on: datetime.date | None = None


class OfferOut(CamelSchema):
    """Ett erbjudande från en organisation i den sociala ekonomin."""

    id: int
    title: str
    kind: str = Field(description="service, product eller both")
    category: str = Field(description="Kategorins kod, t.ex. food eller cleaning.")
    category_label: str
    description: str
    organisation: str = Field(description="Organisationens namn.")
    organisation_number: str | None = Field(None, description="Organisationsnummer, om det finns.")
    municipalities: list[str] = Field(description="Kommunkoder där organisationen levererar.")
    cpv_codes: list[str] = Field(description="CPV-koder med kontrollsiffra, t.ex. 85300000-2.")
    capacity: str | None = None
    work_integration: bool = Field(description="Tar emot arbetsintegrerande uppdrag.")
    is_published: bool
    confirmed_on: datetime.date = Field(description="När organisationen senast bekräftade uppgifterna.")
    verification: list[VerificationOut]
    web_url: str


def _verification(organisation: Organisation) -> list[VerificationOut]:
    rows = []
    if organisation.social_enterprise and organisation.social_enterprise_verified_on:
        rows.append(
            VerificationOut(
                status="social_enterprise",
                source=organisation.social_enterprise_source or None,
                verified_on=organisation.social_enterprise_verified_on,
            )
        )
    if organisation.work_integrating and organisation.work_integrating_verified_on:
        rows.append(
            VerificationOut(
                status="work_integrating",
                source=organisation.work_integrating_source or None,
                verified_on=organisation.work_integrating_verified_on,
            )
        )
    if organisation.ideburen_registered:
        rows.append(
            VerificationOut(
                status="ideburen",
                source=organisation.ideburen_source or None,
                verified_on=organisation.ideburen_verified_on,
            )
        )
    return rows


def _offer_out(request: HttpRequest, offer: Offer) -> dict[str, Any]:
    return OfferOut(
        id=offer.pk,
        title=offer.title,
        kind=offer.kind,
        category=offer.category,
        category_label=str(offer.get_category_display()),
        description=offer.description,
        organisation=offer.organisation.name,
        organisation_number=offer.organisation.orgnr,
        municipalities=sorted(m.code for m in offer.municipalities.all()),
        cpv_codes=[c.full_code for c in offer.cpv_codes.all()],
        capacity=offer.capacity or None,
        work_integration=offer.work_integration,
        is_published=offer.is_published,
        confirmed_on=offer.confirmed_on,
        verification=_verification(offer.organisation),
        web_url=request.build_absolute_uri(offer.get_absolute_url()),
    ).model_dump(by_alias=True)


def _choice(name: str, value: str | None, allowed: list[str]) -> str:
    if value and value not in allowed:
        raise invalid_parameters_problem(
            [InvalidParameter(name, _("måste vara ett av: %(values)s") % {"values": ", ".join(allowed)}, value)]
        )
    return value or ""


@router.get(
    "/offers",
    response={200: PageOut[OfferOut], 400: ProblemOut},
    by_alias=True,
    operation_id="listOffers",
    summary="Erbjudanden",
    description="Varor och tjänster som sociala företag, föreningar och andra organisationer erbjuder köpare i "
    "länet, med sökning (svenska ordstammar) och filter.",
)
def offer_list(
    request,
    response: HttpResponse,
    q: Annotated[str | None, Query(description="Sökord i rubrik, beskrivning och organisationens namn.")] = None,
    category: Annotated[str | None, Query(description="Kategorins kod, t.ex. food.")] = None,
    municipality: Annotated[str | None, Query(description="Kommunkod där organisationen levererar.")] = None,
    cpv: Annotated[str | None, Query(description="CPV-huvudgrupp: de två första siffrorna, t.ex. 85.")] = None,
    work_integration: Annotated[
        bool | None, Query(alias="work-integration", description="true: bara de som tar arbetsintegrerande uppdrag.")
    ] = None,
    verified: Annotated[str | None, Query(description="social_enterprise, work_integrating eller ideburen.")] = None,
    limit: Limit = DEFAULT_LIMIT,
    page: PageNumber = 1,
):
    check_query_names(request, ("q", "category", "municipality", "cpv", "work-integration", "verified", *PAGING_PARAMS))
    filters = selectors.OfferFilter(
        q=q or "",
        category=_choice("category", category, list(OfferCategory.values)),
        municipality=_choice("municipality", municipality, list(Municipality.objects.values_list("code", flat=True))),
        cpv_division=(cpv or "")[:2] if not cpv or cpv.isdigit() else _choice("cpv", cpv, ["två siffror"]),
        work_integration=bool(work_integration),
        verified=_choice("verified", verified, ["social_enterprise", "work_integrating", "ideburen"]),
    )
    result = paginate(request, selectors.offer_list(user=request.user, filters=filters), page=page, limit=limit)
    response["Link"] = result.link_header()
    return result.envelope([_offer_out(request, offer) for offer in result.items])


@router.get(
    "/offers/{offer_id}",
    response={200: OfferOut, 400: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="getOffer",
    summary="Ett erbjudande",
    description="Ett erbjudande med organisationens verifierade status. Kontakt sker via webbsidan; "
    "organisationens e-postadress lämnas inte ut.",
)
def offer_detail(request, offer_id: OfferId):
    check_query_names(request, ())
    offer = selectors.offer_detail(user=request.user, pk=offer_id)
    if offer is None:
        raise ApiProblem(404, _("Det finns inget erbjudande med id %(id)s.") % {"id": offer_id})
    return JsonResponse(_offer_out(request, offer))


class OfferIn(InSchema):
    """Ett nytt erbjudande. organisation är organisationsnumret; den som skickar ska företräda organisationen."""

    organisation: str = Field(description="Organisationsnummer för organisationen som erbjuder.")
    title: str = Field(min_length=1, max_length=150)
    kind: str = Field(description="service, product eller both")
    category: str = Field(description="Kategorins kod, t.ex. food.")
    description: str = Field(min_length=1, max_length=4000)
    municipalities: list[str] = Field(description="Kommunkoder där organisationen levererar (minst en).")
    cpv_codes: list[str] = Field(default_factory=list, description="CPV-koder, t.ex. 85300000-2.")
    capacity: str = Field("", max_length=300)
    work_integration: bool = False
    is_published: bool = True


class OfferPatchIn(InSchema):
    """Ändringar i ett erbjudande; egenskaper som inte skickas står kvar."""

    title: str | None = Field(None, min_length=1, max_length=150)
    kind: str | None = None
    category: str | None = None
    description: str | None = Field(None, min_length=1, max_length=4000)
    municipalities: list[str] | None = None
    cpv_codes: list[str] | None = None
    capacity: str | None = Field(None, max_length=300)
    work_integration: bool | None = None
    is_published: bool | None = None


def _municipalities(codes: list[str]) -> list[Municipality]:
    found = {m.code: m for m in Municipality.objects.filter(code__in=codes)}
    missing = [code for code in codes if code not in found]
    if missing:
        raise request_body_problem(
            [InvalidParameter("municipalities", _("okända kommunkoder: %(codes)s") % {"codes": ", ".join(missing)})]
        )
    return [found[code] for code in codes]


def _cpv(values: list[str], name: str = "cpvCodes") -> list[CpvCode]:
    codes = [value.strip().split("-")[0] for value in values]
    found = {c.code: c for c in CpvCode.objects.filter(code__in=codes)}
    missing = [value for value, code in zip(values, codes, strict=True) if code not in found]
    if missing:
        raise request_body_problem(
            [InvalidParameter(name, _("okända CPV-koder: %(codes)s") % {"codes": ", ".join(missing)})]
        )
    return [found[code] for code in codes]


def _offer_data(payload: Any, offer: Offer | None = None) -> services.OfferData:
    sent = payload.model_fields_set

    def pick(name: str, current: Any) -> Any:
        value = getattr(payload, name)
        if offer is not None and (name not in sent or value is None):
            return current
        return value

    return services.OfferData(
        title=pick("title", offer.title if offer else ""),
        kind=pick("kind", offer.kind if offer else ""),
        category=pick("category", offer.category if offer else ""),
        description=pick("description", offer.description if offer else ""),
        municipalities=_municipalities(payload.municipalities)
        if payload.municipalities is not None
        else list(offer.municipalities.all())
        if offer
        else [],
        cpv_codes=_cpv(payload.cpv_codes)
        if payload.cpv_codes is not None
        else list(offer.cpv_codes.all())
        if offer
        else [],
        capacity=pick("capacity", offer.capacity if offer else "") or "",
        work_integration=pick("work_integration", offer.work_integration if offer else False),
        is_published=pick("is_published", offer.is_published if offer else True),
    )


@router.post(
    "/offers",
    response={201: OfferOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut},
    by_alias=True,
    operation_id="createOffer",
    summary="Publicera ett erbjudande",
    description="Skapar ett erbjudande för en organisation. Organisationen binder erbjudandet: bara den som "
    "företräder den får publicera för den, annars 403. " + OFFER_RIGHTS,
)
def offer_create(request: HttpRequest, payload: OfferIn):
    check_query_names(request, ())
    require_signed_in(request, _("Logga in för att publicera erbjudanden."))
    try:
        organisation = Organisation.objects.filter(orgnr=orgnr_rules.normalise(payload.organisation)).first()
    except orgnr_rules.OrgnrError as exc:
        raise request_body_problem([InvalidParameter("organisation", str(exc).rstrip("."))]) from exc
    if organisation is None:
        raise request_body_problem([InvalidParameter("organisation", _("finns inte i registret"))])
    if not permissions.can_publish_offer_for(request.user, organisation):
        raise ApiProblem(403, _("Du kan bara publicera erbjudanden för en organisation som du företräder."))
    try:
        offer = services.offer_create(actor=request.user, organisation=organisation, data=_offer_data(payload))
    except ValidationError as exc:
        raise problem_from_validation(exc) from exc
    return JsonResponse(_offer_out(request, selectors.offer_detail(user=request.user, pk=offer.pk)), status=201)


@router.patch(
    "/offers/{offer_id}",
    response={200: OfferOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="updateOffer",
    summary="Ändra ett erbjudande",
    description="Ändrar egenskaperna som skickas. Att spara bekräftar också att erbjudandet är aktuellt. "
    + OFFER_RIGHTS,
)
def offer_update(request: HttpRequest, offer_id: OfferId, payload: OfferPatchIn):
    check_query_names(request, ())
    require_signed_in(request, _("Logga in för att ändra erbjudanden."))
    offer = selectors.offer_detail(user=request.user, pk=offer_id)
    if offer is None:
        raise ApiProblem(404, _("Det finns inget erbjudande med id %(id)s.") % {"id": offer_id})
    if not permissions.can_edit_offer(request.user, offer):
        raise ApiProblem(403, _("Du får inte ändra det här erbjudandet."))
    try:
        services.offer_update(actor=request.user, offer=offer, data=_offer_data(payload, offer))
    except ValidationError as exc:
        raise problem_from_validation(exc) from exc
    return JsonResponse(_offer_out(request, selectors.offer_detail(user=request.user, pk=offer.pk)))


# --- Procurement ---------------------------------------------------------------------------------------------


class LotOut(CamelSchema):
    number: int
    title: str
    estimated_value: Decimal | None = None
    reserved: bool


class AwardOut(CamelSchema):
    supplier_name: str
    supplier_organisation_number: str | None = None
    value: Decimal | None = None
    lot: int | None = Field(None, description="Delområdets nummer.")


class ProcurementOut(CamelSchema):
    """En upphandling hos en offentlig köpare i länet."""

    id: int
    title: str
    buyer: str = Field(description="Köparens namn.")
    buyer_organisation_number: str | None = None
    buyer_municipality: str | None = Field(None, description="Kommunkod, när köparen är en kommun.")
    reference: str | None = None
    description: str | None = None
    procedure: str = Field(description="LOU-förfarandets kod, t.ex. open eller direct.")
    status: str = Field(description="planned, active, awarded eller cancelled")
    cpv_codes: list[str]
    estimated_value: Decimal | None = None
    awarded_value: Decimal | None = None
    published_on: datetime.date | None = None
    tender_deadline: datetime.date | None = None
    awarded_on: datetime.date | None = None
    contract_start: datetime.date | None = None
    contract_end: datetime.date | None = None
    reservation: str | None = Field(None, description="lou_4_18, lou_19_25 eller lou_19_25a; null om ingen.")
    employment_requirement: bool
    employment_requirement_text: str | None = None
    employment_positions: int | None = None
    social_award_criteria: bool
    social_award_criteria_text: str | None = None
    lots: list[LotOut]
    awards: list[AwardOut]
    web_url: str


def _procurement_out(request: HttpRequest, p: Procurement) -> dict[str, Any]:
    return ProcurementOut(
        id=p.pk,
        title=p.title,
        buyer=p.buyer.name,
        buyer_organisation_number=p.buyer.orgnr or None,
        buyer_municipality=p.buyer.municipality.code if p.buyer.municipality_id else None,
        reference=p.reference or None,
        description=p.description or None,
        procedure=p.procedure,
        status=p.status,
        cpv_codes=[c.full_code for c in p.cpv_codes.all()],
        estimated_value=p.estimated_value,
        awarded_value=p.awarded_value,
        published_on=p.published_on,
        tender_deadline=p.tender_deadline,
        awarded_on=p.awarded_on,
        contract_start=p.contract_start,
        contract_end=p.contract_end,
        reservation=p.reservation or None,
        employment_requirement=p.employment_requirement,
        employment_requirement_text=p.employment_requirement_text or None,
        employment_positions=p.employment_positions,
        social_award_criteria=p.social_award_criteria,
        social_award_criteria_text=p.social_award_criteria_text or None,
        lots=[
            LotOut(number=lot.number, title=lot.title, estimated_value=lot.estimated_value, reserved=lot.reserved)
            for lot in p.lots.all()
        ],
        awards=[
            AwardOut(
                supplier_name=a.supplier_name,
                supplier_organisation_number=a.supplier_orgnr or None,
                value=a.value,
                lot=a.lot.number if a.lot_id else None,
            )
            for a in p.awards.all()
        ],
        web_url=request.build_absolute_uri(p.get_absolute_url()),
    ).model_dump(by_alias=True, mode="json")


def _buyer_param(value: str) -> Buyer | None:
    """A buyer named by kommunkod (4 digits) or organisationsnummer; None if it has no records."""
    value = value.strip()
    if len(value) == 4 and value.isdigit():
        return selectors.buyer_list().filter(municipality__code=value).first()
    try:
        number = orgnr_rules.normalise(value)
    except orgnr_rules.OrgnrError as exc:
        raise invalid_parameters_problem([InvalidParameter("buyer", str(exc).rstrip("."), value)]) from exc
    return selectors.buyer_list().filter(organisation__orgnr=number).first()


@router.get(
    "/procurements",
    response={200: PageOut[ProcurementOut], 400: ProblemOut},
    by_alias=True,
    operation_id="listProcurements",
    summary="Upphandlingar",
    description="Upphandlingar hos Regionen, länets kommuner och deras bolag, med reserverat deltagande och "
    "sociala hänsyn. format=ocds ger ett OCDS 1.1-releasepaket (med tilläggen lots, otherRequirements och "
    "sustainability) för samma urval och sida.",
)
def procurement_list(
    request,
    response: HttpResponse,
    format_: Annotated[
        str | None, Query(alias="format", description="ocds: svaret är ett OCDS-releasepaket i stället för en lista.")
    ] = None,
    buyer: Annotated[str | None, Query(description="Köparens kommunkod eller organisationsnummer.")] = None,
    reserved: Annotated[bool | None, Query(description="true: bara reserverade; false: bara övriga.")] = None,
    limit: Limit = DEFAULT_LIMIT,
    page: PageNumber = 1,
):
    check_query_names(request, ("format", "buyer", "reserved", *PAGING_PARAMS))
    _choice("format", format_, ["ocds"])
    buyer_obj = _buyer_param(buyer) if buyer else None
    qs = selectors.procurement_list(user=request.user, buyer=buyer_obj, reserved=reserved)
    if buyer and buyer_obj is None:
        qs = qs.none()
    result = paginate(request, qs, page=page, limit=limit)
    response["Link"] = result.link_header()
    if format_ == "ocds":
        from .views import ocds_package

        return JsonResponse(ocds_package(request, result.items), json_dumps_params={"ensure_ascii": False})
    return result.envelope([_procurement_out(request, p) for p in result.items])


@router.get(
    "/procurements/{procurement_id}",
    response={200: ProcurementOut, 400: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="getProcurement",
    summary="En upphandling",
    description="En upphandling med delområden, leverantörer, reserverat deltagande och sociala hänsyn.",
)
def procurement_detail(request, procurement_id: ProcurementId):
    check_query_names(request, ())
    procurement = selectors.procurement_detail(user=request.user, pk=procurement_id)
    if procurement is None:
        raise ApiProblem(404, _("Det finns ingen upphandling med id %(id)s.") % {"id": procurement_id})
    return JsonResponse(_procurement_out(request, procurement))


class LotIn(InSchema):
    number: int = Field(ge=1, le=999)
    title: str = Field(min_length=1, max_length=200)
    estimated_value: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    reserved: bool = False


class AwardIn(InSchema):
    supplier_name: str = Field(min_length=1, max_length=200)
    supplier_organisation_number: str = Field("", description="Leverantörens organisationsnummer, om det finns.")
    value: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    lot: int | None = Field(None, description="Delområdets nummer.")


class ProcurementIn(InSchema):
    """En upphandling. buyer är köparens kommunkod eller organisationsnummer; den som skickar ska få
    agera för köparen."""

    buyer: str = Field(description="Köparens kommunkod (fyra siffror) eller organisationsnummer.")
    title: str = Field(min_length=1, max_length=200)
    procedure: str = Field(
        description="open, restricted, negotiated, dialogue, innovation, negotiated_no_notice, "
        "simplified, selection eller direct"
    )
    status: str = Field("planned", description="planned, active, awarded eller cancelled")
    reference: str = Field("", max_length=50)
    description: str = Field("", max_length=4000)
    cpv_codes: list[str] = Field(default_factory=list)
    estimated_value: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    awarded_value: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    published_on: datetime.date | None = None
    tender_deadline: datetime.date | None = None
    awarded_on: datetime.date | None = None
    contract_start: datetime.date | None = None
    contract_end: datetime.date | None = None
    reservation: str | None = Field(None, description="lou_4_18, lou_19_25, lou_19_25a eller null")
    employment_requirement: bool = False
    employment_requirement_text: str = Field("", max_length=2000)
    employment_positions: int | None = Field(None, ge=0, le=100000)
    social_award_criteria: bool = False
    social_award_criteria_text: str = Field("", max_length=2000)
    lots: list[LotIn] = Field(default_factory=list)
    awards: list[AwardIn] = Field(default_factory=list)


def _buyer_for_write(user, value: str) -> Buyer:
    value = value.strip()
    if len(value) == 4 and value.isdigit():
        municipality = Municipality.objects.filter(code=value).first()
        if municipality is None:
            raise request_body_problem([InvalidParameter("buyer", _("är ingen kommunkod"))])
        if not permissions.buyer_municipalities_for(user).filter(pk=municipality.pk).exists():
            raise ApiProblem(403, _("Du kan bara registrera upphandlingar för en köpare som du företräder."))
        return services.buyer_get_or_create(municipality=municipality)
    try:
        number = orgnr_rules.normalise(value)
    except orgnr_rules.OrgnrError as exc:
        raise request_body_problem([InvalidParameter("buyer", str(exc).rstrip("."))]) from exc
    organisation = Organisation.objects.filter(orgnr=number).first()
    if organisation is None:
        raise request_body_problem([InvalidParameter("buyer", _("finns inte i registret"))])
    if organisation.sector != Organisation.Sector.PUBLIC:
        raise request_body_problem([InvalidParameter("buyer", _("är ingen offentlig organisation"))])
    if not permissions.buyer_organisations_for(user).filter(pk=organisation.pk).exists():
        raise ApiProblem(403, _("Du kan bara registrera upphandlingar för en köpare som du företräder."))
    return services.buyer_get_or_create(organisation=organisation)


@router.post(
    "/procurements",
    response={201: ProcurementOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut},
    by_alias=True,
    operation_id="createProcurement",
    summary="Registrera en upphandling",
    description="Registrerar en upphandling för en offentlig köpare. Köparen binder posten: bara den som får agera "
    "för köparen får registrera, annars 403. " + BUYER_RIGHTS,
)
def procurement_create(request: HttpRequest, payload: ProcurementIn):
    check_query_names(request, ())
    require_signed_in(request, _("Logga in för att registrera upphandlingar."))
    buyer = _buyer_for_write(request.user, payload.buyer)
    data = services.ProcurementData(
        title=payload.title,
        procedure=payload.procedure,
        status=payload.status,
        reference=payload.reference,
        description=payload.description,
        cpv_codes=_cpv(payload.cpv_codes),
        estimated_value=payload.estimated_value,
        awarded_value=payload.awarded_value,
        published_on=payload.published_on,
        tender_deadline=payload.tender_deadline,
        awarded_on=payload.awarded_on,
        contract_start=payload.contract_start,
        contract_end=payload.contract_end,
        reservation=payload.reservation or "",
        employment_requirement=payload.employment_requirement,
        employment_requirement_text=payload.employment_requirement_text,
        employment_positions=payload.employment_positions,
        social_award_criteria=payload.social_award_criteria,
        social_award_criteria_text=payload.social_award_criteria_text,
        lots=[
            services.LotData(
                number=lot.number, title=lot.title, estimated_value=lot.estimated_value, reserved=lot.reserved
            )
            for lot in payload.lots
        ],
        awards=[
            services.AwardData(
                supplier_name=a.supplier_name,
                supplier_orgnr=a.supplier_organisation_number,
                value=a.value,
                lot_number=a.lot,
            )
            for a in payload.awards
        ],
    )
    try:
        procurement = services.procurement_create(actor=request.user, buyer=buyer, data=data)
    except PermissionDenied as exc:
        raise ApiProblem(403, str(exc)) from exc
    except ValidationError as exc:
        raise problem_from_validation(exc) from exc
    return JsonResponse(
        _procurement_out(request, selectors.procurement_detail(user=request.user, pk=procurement.pk)), status=201
    )


# --- Share of spend -----------------------------------------------------------------------------------------


class SpendShareOut(CamelSchema):
    """En köpares inköp ett år i ett lager, med andelen av alla köparens inköp det året."""

    buyer: str
    buyer_organisation_number: str | None = None
    buyer_municipality: str | None = Field(None, description="Kommunkod, när köparen är en kommun.")
    year: int
    layer: str = Field(
        description="nonprofit, cooperative, ideburen, social_enterprise, work_integrating, "
        "reserved eller iop. Lagren överlappar och ska inte läggas ihop."
    )
    layer_label: str
    amount: Decimal = Field(description="Belopp i kronor.")
    total: Decimal = Field(description="Alla köparens inköp samma år, i kronor.")
    share: float | None = Field(None, description="amount / total, som bråk (0–1).")
    suppliers: int


@router.get(
    "/statistics/spend-share",
    response={200: PageOut[SpendShareOut], 400: ProblemOut},
    by_alias=True,
    operation_id="listSpendShares",
    summary="Den sociala ekonomins andel av inköpen",
    description="Per köpare, år och lager, från köparnas egna fakturarader. Varje lager redovisas för sig; "
    "metoden och vad varje lager över- och underskattar beskrivs på webbsidan Så räknar vi.",
)
def spend_share_list(
    request,
    response: HttpResponse,
    buyer: Annotated[str | None, Query(description="Köparens kommunkod eller organisationsnummer.")] = None,
    year: Annotated[int | None, Query(ge=1990, le=2100, description="Bara detta år.")] = None,
    layer: Annotated[str | None, Query(description="Bara detta lager.")] = None,
    limit: Limit = DEFAULT_LIMIT,
    page: PageNumber = 1,
):
    check_query_names(request, ("buyer", "year", "layer", *PAGING_PARAMS))
    _choice("layer", layer, list(layers.LAYERS))
    buyer_obj = _buyer_param(buyer) if buyer else None
    shares = [] if buyer and buyer_obj is None else selectors.spend_shares(buyer=buyer_obj, year=year)
    labels = dict(SpendLayer.choices)
    rows = [
        SpendShareOut(
            buyer=item.buyer.name,
            buyer_organisation_number=item.buyer.orgnr or None,
            buyer_municipality=item.buyer.municipality.code if item.buyer.municipality_id else None,
            year=share_year.year,
            layer=name,
            layer_label=str(labels[name]),
            amount=cell.amount,
            total=share_year.total,
            share=None if cell.share is None else round(cell.share, 6),
            suppliers=cell.suppliers,
        ).model_dump(by_alias=True, mode="json")
        for item in shares
        for share_year in item.years
        for name, _label, cell in share_year.cells
        if not layer or name == layer
    ]
    result = paginate(request, rows, page=page, limit=limit)
    response["Link"] = result.link_header()
    return result.envelope(list(result.items))
