"""API: offers of the social economy — public reads, writes for those who act for the organisation."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
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
from ..models import Offer, OfferCategory
from .common import _choice, _cpv

router = Router(tags=["marknad och upphandling"])

OfferId = Annotated[int, Path(ge=1, le=2**62, description="Erbjudandets id.")]
OFFER_RIGHTS = (
    "Kräver inloggning (sessionscookie; skrivningar med CSRF-token i huvudet X-CSRFToken). Bara den som företräder "
    "organisationen (eller handläggare i dess hemkommun) får skriva dess erbjudanden."
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
