"""API: the county's procurement records, also as OCDS release packages; writes for those who act for the buyer."""

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
    paginate,
    request_body_problem,
)
from civsam.core.models import Municipality
from civsam.registry import orgnr as orgnr_rules
from civsam.registry.models import Organisation

from .. import permissions, selectors, services
from ..models import Buyer, Procurement
from .common import BUYER_RIGHTS, _buyer_param, _choice, _cpv

router = Router(tags=["marknad och upphandling"])

ProcurementId = Annotated[int, Path(ge=1, le=2**62, description="Upphandlingens id.")]


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
        package = selectors.ocds_package(result.items, uri=request.build_absolute_uri())
        return JsonResponse(package, json_dumps_params={"ensure_ascii": False})
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
