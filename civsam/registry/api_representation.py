"""API: requests to represent an organisation (ADR 0090) and invitations to represent one (ADR
0099), for the signed-in person and for those who decide. The same services as the pages, so the
same rules: asking is open to everyone signed in, deciding to those who act for the organisation,
answering an invitation to the holder of the invited address, verified."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status
from pydantic import Field

from civsam.core.apiguards import require_signed_in
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

from . import orgnr as orgnr_rules
from . import permissions, services
from .models import Organisation, RepresentationInvitation, RepresentationRequest

router = Router(tags=["företrädare"])

RIGHTS = "Kräver inloggning (sessionscookie; skrivningar med CSRF-token i huvudet X-CSRFToken)."
MANDATES = ", ".join(RepresentationRequest.Mandate.values)
RequestId = Annotated[int, Path(ge=1, le=2**62, description="Begärans id.")]
InvitationId = Annotated[int, Path(ge=1, le=2**62, description="Inbjudans id.")]


class RepresentedOrganisationOut(CamelSchema):
    id: int
    orgnr: str
    name: str
    municipality: str = Field(description="Hemkommunens kod.")


class RepresentationRequestOut(CamelSchema):
    """En begäran om att företräda en organisation."""

    id: int
    organisation: RepresentedOrganisationOut
    requester: str = Field(description="Den sökandes namn.")
    mine: bool = Field(description="Om den inloggade är den som bad.")
    mandate: str = Field(description=MANDATES)
    message: str
    status: str = Field(description="pending, approved, rejected eller withdrawn")
    created_at: datetime.datetime
    decided_at: datetime.datetime | None
    reason: str = Field(description="Motiveringen när begäran är avslagen.")


class RepresentationRequestIn(InSchema):
    organisation: str = Field(min_length=1, max_length=20, description="Organisationsnumret.")
    mandate: str = Field(description=MANDATES)
    message: str = Field("", max_length=1000, description="Till den som beslutar, till exempel när du valdes.")


class RepresentationDecisionIn(InSchema):
    status: Literal["approved", "rejected", "withdrawn"] = Field(
        description="approved eller rejected (den som beslutar), withdrawn (den som bad)."
    )
    reason: str = Field("", max_length=1000, description="Krävs vid rejected; den som bad får läsa den.")


class RepresentationInvitationOut(CamelSchema):
    """En inbjudan att företräda en organisation, som medföreträdare eller för att ta över."""

    id: int
    organisation: RepresentedOrganisationOut
    email: str = Field(description="Adressen inbjudan gick till.")
    kind: str = Field(description="co_representative eller handover")
    mandate: str = Field(description=MANDATES)
    invited_by: str = Field(description="Namnet på den som bjöd in.")
    status: str = Field(description="pending, accepted, declined, revoked; expired när en väntande har gått ut.")
    created_at: datetime.datetime
    expires_at: datetime.datetime
    to_me: bool = Field(description="Om inbjudan gick till en av den inloggades bekräftade adresser.")


class RepresentationInvitationIn(InSchema):
    organisation: str = Field(min_length=1, max_length=20, description="Organisationsnumret.")
    email: str = Field(min_length=3, max_length=254, description="Den inbjudnas e-postadress.")
    mandate: str = Field(description=MANDATES)
    handover: bool = Field(False, description="true: lämna över organisationen; din roll upphör när hen tackar ja.")


class InvitationStatusIn(InSchema):
    status: Literal["accepted", "declined", "revoked"] = Field(
        description="accepted eller declined (den inbjudna), revoked (den som företräder organisationen)."
    )


def _signed_in(request: HttpRequest, *, write: bool) -> None:
    require_signed_in(request, _("Logga in för att se och skriva begäranden och inbjudningar."), write=write)


def _problem_from(exc: ValidationError) -> ApiProblem:
    if not hasattr(exc, "error_dict"):
        return ApiProblem(400, " ".join(exc.messages))
    problems = [
        InvalidParameter("body" if name == NON_FIELD_ERRORS else name, " ".join(messages))
        for name, messages in exc.message_dict.items()
    ]
    return request_body_problem(problems)


def _organisation(request: HttpRequest, value: str) -> Organisation:
    try:
        found = permissions.organisations_visible_to(request.user).filter(orgnr=orgnr_rules.normalise(value)).first()
    except orgnr_rules.OrgnrError as exc:
        raise invalid_parameters_problem([InvalidParameter("organisation", str(exc).rstrip("."), value)]) from None
    if found is None:
        raise invalid_parameters_problem([InvalidParameter("organisation", _("finns inte i registret"), value)])
    return found


def _org_out(organisation: Organisation) -> RepresentedOrganisationOut:
    return RepresentedOrganisationOut(
        id=organisation.pk,
        orgnr=organisation.orgnr,
        name=organisation.name,
        municipality=organisation.municipality.code,
    )


def _request_out(request: HttpRequest, req: RepresentationRequest) -> RepresentationRequestOut:
    return RepresentationRequestOut(
        id=req.pk,
        organisation=_org_out(req.organisation),
        requester=str(req.user),
        mine=req.user_id == request.user.pk,
        mandate=req.mandate,
        message=req.message,
        status=req.status,
        created_at=req.created_at,
        decided_at=req.decided_at,
        reason=req.reason,
    )


def _fetch_request(request: HttpRequest, pk: int) -> RepresentationRequest:
    req = RepresentationRequest.objects.select_related("organisation__municipality", "user").filter(pk=pk).first()
    if req is None or not permissions.can_view_representation_request(request.user, req):
        raise ApiProblem(404, _("Begäran finns inte."))
    return req


@router.get(
    "/representation-requests",
    response={200: PageOut[RepresentationRequestOut], 400: ProblemOut, 401: ProblemOut},
    by_alias=True,
    operation_id="listRepresentationRequests",
    summary="Begäranden om att företräda",
    description="Den inloggades egna begäranden och de som hen får besluta om (som organisationens företrädare, "
    "handläggare i dess kommun eller regionadministratör), nyast först. " + RIGHTS,
)
def representation_request_list(
    request: HttpRequest,
    response: HttpResponse,
    status: Annotated[
        Literal["pending", "approved", "rejected", "withdrawn"] | None,
        Query(description="Bara begäranden med denna status."),
    ] = None,
    mine: Annotated[
        bool | None, Query(description="true: bara egna; false: bara de som väntar på den inloggades beslut.")
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
    page: PageNumber = 1,
):
    check_query_names(request, ("status", "mine", *PAGING_PARAMS))
    _signed_in(request, write=False)
    own = RepresentationRequest.objects.filter(user_id=request.user.pk)
    decidable = permissions.representation_requests_decidable_by(request.user)
    qs = own if mine else decidable if mine is False else (own | decidable)
    if status:
        qs = qs.filter(status=status)
    qs = qs.select_related("organisation__municipality", "user").order_by("-created_at", "-pk")
    result = paginate(request, qs, page=page, limit=limit)
    response["Link"] = result.link_header()
    return result.envelope([_request_out(request, r).model_dump(by_alias=True) for r in result.items])


@router.get(
    "/representation-requests/{request_id}",
    response={200: RepresentationRequestOut, 400: ProblemOut, 401: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="getRepresentationRequest",
    summary="En begäran om att företräda",
    description="Den som bad och de som får besluta ser begäran; för andra finns den inte (404). " + RIGHTS,
)
def representation_request_detail(request: HttpRequest, request_id: RequestId):
    check_query_names(request, ())
    _signed_in(request, write=False)
    return _request_out(request, _fetch_request(request, request_id))


@router.post(
    "/representation-requests",
    response={201: RepresentationRequestOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut},
    by_alias=True,
    operation_id="createRepresentationRequest",
    summary="Be om att företräda en organisation",
    description="Skickar en begäran till organisationens företrädare, eller om den saknar sådana till "
    "handläggarna i dess kommun och regionen, som får ett e-postmeddelande. Begäran ger ingen rätt förrän den "
    "är godkänd. Den som redan agerar för organisationen får 403; en andra väntande begäran ger 400. " + RIGHTS,
)
def representation_request_create(request: HttpRequest, response: HttpResponse, payload: RepresentationRequestIn):
    check_query_names(request, ())
    _signed_in(request, write=True)
    organisation = _organisation(request, payload.organisation)
    try:
        created = services.representation_request_create(
            actor=request.user, organisation=organisation, mandate=payload.mandate, message=payload.message
        )
    except ValidationError as exc:
        raise _problem_from(exc) from None
    response["Location"] = request.build_absolute_uri(f"/api/v1/representation-requests/{created.pk}")
    return Status(201, _request_out(request, _fetch_request(request, created.pk)))


@router.post(
    "/representation-requests/{request_id}/decision",
    response={200: RepresentationRequestOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="decideRepresentationRequest",
    summary="Besluta om en begäran om att företräda",
    description="Godkänn (approved) eller avslå med motivering (rejected) som den som får besluta; ta tillbaka "
    "(withdrawn) som den som bad. Godkännande ger rollen som organisationsföreträdare med uppdraget; den som bad "
    "får besked per e-post. En begäran som redan är avgjord ger 400. " + RIGHTS,
)
def representation_request_decide(request: HttpRequest, request_id: RequestId, payload: RepresentationDecisionIn):
    check_query_names(request, ())
    _signed_in(request, write=True)
    req = _fetch_request(request, request_id)
    try:
        services.representation_request_decide(
            actor=request.user, request=req, status=payload.status, reason=payload.reason
        )
    except ValidationError as exc:
        raise _problem_from(exc) from None
    return _request_out(request, _fetch_request(request, request_id))


# Invitations (ADR 0099) -------------------------------------------------------------------------


def _invitation_out(request: HttpRequest, inv: RepresentationInvitation) -> RepresentationInvitationOut:
    return RepresentationInvitationOut(
        id=inv.pk,
        organisation=_org_out(inv.organisation),
        email=inv.email,
        kind=inv.kind,
        mandate=inv.mandate,
        invited_by=str(inv.invited_by) if inv.invited_by else "",
        status="expired" if inv.is_expired else inv.status,
        created_at=inv.created_at,
        expires_at=inv.expires_at,
        to_me=permissions.can_answer_invitation(request.user, inv),
    )


def _fetch_invitation(request: HttpRequest, pk: int) -> RepresentationInvitation:
    inv = (
        RepresentationInvitation.objects.select_related("organisation__municipality", "invited_by")
        .filter(pk=pk)
        .first()
    )
    if inv is None or not permissions.can_view_invitation(request.user, inv):
        raise ApiProblem(404, _("Inbjudan finns inte."))
    return inv


@router.get(
    "/representation-invitations",
    response={200: PageOut[RepresentationInvitationOut], 400: ProblemOut, 401: ProblemOut},
    by_alias=True,
    operation_id="listRepresentationInvitations",
    summary="Inbjudningar att företräda",
    description="Inbjudningar till den inloggades bekräftade e-postadresser, och inbjudningar från de "
    "organisationer hen agerar för, nyast först. " + RIGHTS,
)
def invitation_list(
    request: HttpRequest,
    response: HttpResponse,
    status: Annotated[
        Literal["pending", "accepted", "declined", "revoked"] | None,
        Query(description="Bara inbjudningar med denna status (pending tar med utgångna)."),
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
    page: PageNumber = 1,
):
    check_query_names(request, ("status", *PAGING_PARAMS))
    _signed_in(request, write=False)
    qs = permissions.invitations_visible_to(request.user)
    if status:
        qs = qs.filter(status=status)
    qs = qs.select_related("organisation__municipality", "invited_by").order_by("-created_at", "-pk")
    result = paginate(request, qs, page=page, limit=limit)
    response["Link"] = result.link_header()
    return result.envelope([_invitation_out(request, i).model_dump(by_alias=True) for i in result.items])


@router.post(
    "/representation-invitations",
    response={201: RepresentationInvitationOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut},
    by_alias=True,
    operation_id="createRepresentationInvitation",
    summary="Bjud in en medföreträdare eller lämna över",
    description="Skickar en inbjudan per e-post. Den inbjudna blir företrädare först när hen tackar ja, inloggad "
    "med adressen bekräftad, inom 14 dagar. Bara den som agerar för organisationen bjuder in (annars 403); bara "
    "dess företrädare lämnar över (handover). " + RIGHTS,
)
def invitation_create(request: HttpRequest, response: HttpResponse, payload: RepresentationInvitationIn):
    check_query_names(request, ())
    _signed_in(request, write=True)
    organisation = _organisation(request, payload.organisation)
    try:
        created = services.representative_invite(
            actor=request.user,
            organisation=organisation,
            email=payload.email,
            mandate=payload.mandate,
            handover=payload.handover,
        )
    except ValidationError as exc:
        raise _problem_from(exc) from None
    response["Location"] = request.build_absolute_uri(f"/api/v1/representation-invitations/{created.pk}")
    return Status(201, _invitation_out(request, _fetch_invitation(request, created.pk)))


@router.post(
    "/representation-invitations/{invitation_id}/status",
    response={200: RepresentationInvitationOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="changeRepresentationInvitationStatus",
    summary="Svara på eller återkalla en inbjudan",
    description="accepted eller declined av den inbjudna (inloggad med den inbjudna adressen bekräftad); "
    "revoked av den som agerar för organisationen. En utgången eller redan besvarad inbjudan ger 400. " + RIGHTS,
)
def invitation_status(request: HttpRequest, invitation_id: InvitationId, payload: InvitationStatusIn):
    check_query_names(request, ())
    _signed_in(request, write=True)
    inv = _fetch_invitation(request, invitation_id)
    try:
        services.representation_invitation_answer(actor=request.user, invitation=inv, status=payload.status)
    except ValidationError as exc:
        raise _problem_from(exc) from None
    return _invitation_out(request, _fetch_invitation(request, invitation_id))
