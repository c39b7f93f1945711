"""API: running a network (issue #12, ADR 0101). Create, change and close a network; ask to join or
invite a member; decide a request or answer an invitation; end a membership; appoint and end a
member's representatives. The same services as the pages: the rights, the workflow and the audit
log are theirs, and a refusal is 403."""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Router, Status

from civsam.accounts.permissions import organisations_actable_q
from civsam.core.apiguards import problem_from_validation, require_signed_in
from civsam.core.apitools import (
    DEFAULT_LIMIT,
    PAGING_PARAMS,
    ApiProblem,
    InvalidParameter,
    Limit,
    PageNumber,
    PageOut,
    ProblemOut,
    check_query_names,
    paginate,
    request_body_problem,
)
from civsam.registry.models import Organisation

from .. import loaders, permissions, selectors, services
from ..models import Network, NetworkMembership, NetworkRepresentative
from .network_schemas import (
    NetworkCloseIn,
    NetworkIn,
    NetworkMembershipDecisionIn,
    NetworkMembershipIn,
    NetworkMembershipOut,
    NetworkPatchIn,
    NetworkRepresentativeEndIn,
    NetworkRepresentativeIn,
    NetworkRepresentativeOut,
    membership_out,
)
from .schemas import TAGS, NetworkOut, network_out

router = Router(tags=TAGS)
MStatus = NetworkMembership.Status

Slug = Annotated[str, Path(description="Nätverkets kortnamn.")]
MembershipId = Annotated[int, Path(description="Medlemskapets id.")]
RepresentativeId = Annotated[int, Path(description="Representantens id.")]

RIGHTS = (
    "Kräver inloggning (sessionscookie med CSRF-token i huvudet X-CSRFToken). Nätverket hanteras av dem som "
    "företräder den samordnande organisationen, nätverkets samordnare och regionens administratörer; annars "
    "blir svaret 403. Ett avslutat nätverk kan läsas men inte ändras (400)."
)


def _check_write(request: HttpRequest, message: str) -> None:
    require_signed_in(request, message)
    check_query_names(request, ())


def _problem(exc: ValidationError) -> ApiProblem:
    return problem_from_validation(exc)


def _choice(name: str, value: str | None, allowed: list[str]) -> None:
    if value is not None and value not in allowed:
        raise request_body_problem([InvalidParameter(name, _("okänt värde"), value)])


def _organisation(request, name: str, orgnr: str | None) -> Organisation | None:
    """An organisation the user can see, by its organisationsnummer (400 when unknown)."""
    if orgnr is None:
        return None
    from civsam.registry.permissions import organisations_visible_to

    found = organisations_visible_to(request.user).filter(orgnr=orgnr).first()
    if found is None:
        raise request_body_problem([InvalidParameter(name, _("är okänd"), orgnr)])
    return found


def _parent(request, slug: str | None) -> Network | None:
    if slug is None:
        return None
    found = permissions.networks_visible_to(request.user).filter(slug=slug).first()
    if found is None:
        raise request_body_problem([InvalidParameter("parent", _("är okänd"), slug)])
    return found


def _network_body(request, network: Network) -> NetworkOut:
    network = Network.objects.select_related("parent", "organisation").get(pk=network.pk)
    return network_out(request, network)


def _membership(pk: int) -> NetworkMembership:
    return NetworkMembership.objects.select_related("network", "organisation").get(pk=pk)


def _visible_membership(request, pk: int) -> NetworkMembership:
    """A membership of a network the user may see (404 otherwise); the service then checks the step."""
    return get_object_or_404(
        NetworkMembership.objects.select_related("network", "organisation").filter(
            network__in=permissions.networks_visible_to(request.user)
        ),
        pk=pk,
    )


@router.get(
    "/networks",
    response={200: PageOut[NetworkOut], 400: ProblemOut},
    by_alias=True,
    operation_id="listNetworks",
    summary="Nätverk",
    description="Nätverk och stående mötesplatser som inte är dolda för utomstående.",
)
def network_list(request, response: HttpResponse, limit: Limit = DEFAULT_LIMIT, page: PageNumber = 1):
    check_query_names(request, PAGING_PARAMS)
    result = paginate(
        request, selectors.network_list().select_related("parent", "organisation"), page=page, limit=limit
    )
    response["Link"] = result.link_header()
    return result.envelope([network_out(request, n) for n in result.items])


@router.post(
    "/networks",
    response={201: NetworkOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut},
    by_alias=True,
    operation_id="createNetwork",
    summary="Starta ett nätverk",
    description=(
        "Startar ett nätverk som samordnas av organisationen du anger. Den som företräder en organisation "
        "får starta nätverk som organisationen samordnar (ett forum som en förening driver utan regionen); "
        "regionens och kommunernas personal får också starta nätverk utan samordnande organisation. " + RIGHTS
    ),
)
def network_create(request: HttpRequest, response: HttpResponse, payload: NetworkIn):
    _check_write(request, _("Logga in för att starta ett nätverk."))
    _choice("kind", payload.kind, Network.Kind.values)
    _choice("visibility", payload.visibility, Network.Visibility.values)
    organisation = _organisation(request, "organisation", payload.organisation)
    parent = _parent(request, payload.parent)
    try:
        network = services.network_create(
            actor=request.user,
            name=payload.name,
            kind=payload.kind,
            purpose=payload.purpose,
            visibility=payload.visibility,
            organisation=organisation,
            coordinator=request.user if organisation is not None else None,
            parent=parent,
        )
    except ValidationError as exc:
        raise _problem(exc) from None
    response["Location"] = request.build_absolute_uri(network.get_absolute_url())
    return Status(201, _network_body(request, network))


@router.patch(
    "/networks/{slug}",
    response={200: NetworkOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="updateNetwork",
    summary="Ändra ett nätverk",
    description="Ändrar bara de egenskaper som skickas med. " + RIGHTS,
)
def network_update(request: HttpRequest, slug: Slug, payload: NetworkPatchIn):
    _check_write(request, _("Logga in för att ändra ett nätverk."))
    sent = payload.model_fields_set
    values = {}
    for name in ("name", "kind", "purpose", "visibility"):
        if name in sent:
            if getattr(payload, name) is None:
                raise request_body_problem([InvalidParameter(name, _("får inte vara null"))])
            values[name] = getattr(payload, name)
    _choice("kind", values.get("kind"), Network.Kind.values)
    _choice("visibility", values.get("visibility"), Network.Visibility.values)
    with transaction.atomic():
        network = loaders.managed_network(request.user, slug)
        if "organisation" in sent:
            values["organisation"] = _organisation(request, "organisation", payload.organisation)
        if "parent" in sent:
            values["parent"] = _parent(request, payload.parent)
        try:
            network = services.network_update(
                actor=request.user, network=network, changes=services.NetworkChanges(**values)
            )
        except ValidationError as exc:
            raise _problem(exc) from None
    return _network_body(request, network)


@router.post(
    "/networks/{slug}/close",
    response={200: NetworkOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="closeNetwork",
    summary="Avsluta ett nätverk",
    description=(
        "Avslutar nätverket: medlemskapen och representanternas uppdrag avslutas samma dag, obesvarade "
        "ansökningar och inbjudningar stängs. Nätverket och dess historik finns kvar att läsa. " + RIGHTS
    ),
)
def network_close(request: HttpRequest, slug: Slug, payload: NetworkCloseIn):
    _check_write(request, _("Logga in för att avsluta ett nätverk."))
    network = loaders.managed_network(request.user, slug)
    try:
        network = services.network_close(actor=request.user, network=network, on=payload.closed_on)
    except ValidationError as exc:
        raise _problem(exc) from None
    return _network_body(request, network)


@router.get(
    "/networks/{slug}/memberships",
    response={200: PageOut[NetworkMembershipOut], 400: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="listNetworkMemberships",
    summary="Ett nätverks medlemskap",
    description=(
        "Nätverkets medlemmar, med tidigare medlemskap och deras datum. Den som hanterar nätverket ser även "
        "ansökningar och inbjudningar; den som företräder en organisation ser organisationens egna. "
        "Representanternas namn visas för nätverkets samordnare och medlemmar."
    ),
)
def network_memberships(
    request: HttpRequest, response: HttpResponse, slug: Slug, limit: Limit = DEFAULT_LIMIT, page: PageNumber = 1
):
    check_query_names(request, PAGING_PARAMS)
    network = loaders.visible_network(request.user, slug)
    memberships = network.memberships.select_related("network", "organisation").prefetch_related("representatives")
    if not permissions.can_manage_network(request.user, network):
        own = organisations_actable_q(request.user, via="organisation")
        public = Q(status__in=[MStatus.ACTIVE, MStatus.ENDED], joined_on__isnull=False)
        memberships = memberships.filter(public if own is None else public | own)
    result = paginate(request, memberships.order_by("organisation__name", "pk"), page=page, limit=limit)
    response["Link"] = result.link_header()
    return result.envelope([membership_out(request.user, m) for m in result.items])


@router.post(
    "/networks/{slug}/memberships",
    response={201: NetworkMembershipOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="createNetworkMembership",
    summary="Bjud in en medlem eller ansök om medlemskap",
    description=(
        "Den som hanterar nätverket bjuder in organisationen (status invited; active direkt om du också "
        "företräder organisationen). Andra ansöker för en organisation de företräder (status requested). "
        "Medlemmar kan komma från alla sektorer, offentliga aktörer också. " + RIGHTS
    ),
)
def membership_create(request: HttpRequest, response: HttpResponse, slug: Slug, payload: NetworkMembershipIn):
    _check_write(request, _("Logga in för att bjuda in eller ansöka."))
    network = loaders.visible_network(request.user, slug)
    organisation = _organisation(request, "organisation", payload.organisation)
    try:
        if permissions.can_add_member(request.user, network):
            membership = services.membership_invite(actor=request.user, network=network, organisation=organisation)
        else:
            membership = services.membership_request(actor=request.user, network=network, organisation=organisation)
    except ValidationError as exc:
        raise _problem(exc) from None
    return Status(201, membership_out(request.user, _membership(membership.pk)))


@router.post(
    "/network-memberships/{membership_id}/decision",
    response={200: NetworkMembershipOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="decideNetworkMembership",
    summary="Besluta om en ansökan eller svara på en inbjudan",
    description=(
        "En ansökan (requested) avgörs av den som hanterar nätverket; en inbjudan (invited) besvaras av den som "
        "företräder organisationen. approve: true gör organisationen till medlem i dag. " + RIGHTS
    ),
)
def membership_decision(request: HttpRequest, membership_id: MembershipId, payload: NetworkMembershipDecisionIn):
    _check_write(request, _("Logga in för att besluta."))
    membership = _visible_membership(request, membership_id)
    try:
        if membership.status == NetworkMembership.Status.INVITED:
            services.membership_answer(actor=request.user, membership=membership, accept=payload.approve)
        else:
            services.membership_decide(actor=request.user, membership=membership, approve=payload.approve)
    except ValidationError as exc:
        raise _problem(exc) from None
    return membership_out(request.user, _membership(membership_id))


@router.post(
    "/network-memberships/{membership_id}/end",
    response={200: NetworkMembershipOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="endNetworkMembership",
    summary="Avsluta ett medlemskap",
    description=(
        "Avslutar medlemskapet i dag (eller tar tillbaka en ansökan eller inbjudan som inte är besvarad). "
        "Medlemskapet finns kvar med sina datum. Den som hanterar nätverket eller företräder organisationen. " + RIGHTS
    ),
)
def membership_end(request: HttpRequest, membership_id: MembershipId):
    _check_write(request, _("Logga in för att avsluta ett medlemskap."))
    membership = _visible_membership(request, membership_id)
    try:
        services.membership_end(actor=request.user, membership=membership)
    except ValidationError as exc:
        raise _problem(exc) from None
    return membership_out(request.user, _membership(membership_id))


@router.post(
    "/network-memberships/{membership_id}/representatives",
    response={201: NetworkRepresentativeOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="createNetworkRepresentative",
    summary="Utse en representant",
    description=(
        "Utser en namngiven representant för medlemsorganisationen, med uppdrag och period. Den som hanterar "
        "nätverket eller företräder medlemmen. " + RIGHTS
    ),
)
def representative_create(request: HttpRequest, membership_id: MembershipId, payload: NetworkRepresentativeIn):
    _check_write(request, _("Logga in för att utse en representant."))
    _choice("position", payload.position, NetworkRepresentative.Position.values)
    membership = _visible_membership(request, membership_id)
    try:
        representative = services.representative_add(
            actor=request.user,
            membership=membership,
            name=payload.name,
            position=payload.position,
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
        )
    except ValidationError as exc:
        raise _problem(exc) from None
    return Status(
        201,
        NetworkRepresentativeOut(
            id=representative.pk,
            name=representative.name,
            position=representative.position,
            starts_on=representative.starts_on,
            ends_on=representative.ends_on,
        ),
    )


@router.post(
    "/network-representatives/{representative_id}/end",
    response={200: NetworkRepresentativeOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="endNetworkRepresentative",
    summary="Avsluta en representants uppdrag",
    description="Sätter uppdragets sista dag; uppgiften finns kvar. " + RIGHTS,
)
def representative_end(request: HttpRequest, representative_id: RepresentativeId, payload: NetworkRepresentativeEndIn):
    _check_write(request, _("Logga in för att avsluta ett uppdrag."))
    representative = get_object_or_404(
        NetworkRepresentative.objects.select_related("membership__network", "membership__organisation").filter(
            membership__network__in=permissions.networks_visible_to(request.user)
        ),
        pk=representative_id,
    )
    try:
        representative = services.representative_end(
            actor=request.user, representative=representative, on=payload.ends_on
        )
    except ValidationError as exc:
        raise _problem(exc) from None
    return NetworkRepresentativeOut(
        id=representative.pk,
        name=representative.name,
        position=representative.position,
        starts_on=representative.starts_on,
        ends_on=representative.ends_on,
    )
