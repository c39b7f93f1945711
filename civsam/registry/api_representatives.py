"""API: who represents an organisation, and ending a representative's role (ADR 0099, 0113).

The same service as the page's remove button (services.representative_remove), so the same rules:
those who act for the organisation see its representatives and remove them, a representative may
leave, and the last representative goes only by staff (a representative hands over instead)."""

from __future__ import annotations

import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Router
from pydantic import Field

from civsam.accounts.models import Mandate, Role, RoleAssignment
from civsam.accounts.selectors import representatives_of
from civsam.core.apiguards import problem_from_validation, require_signed_in
from civsam.core.apitools import ApiProblem, CamelSchema, InvalidParameter, ProblemOut, check_query_names

from . import orgnr as orgnr_rules
from . import permissions, selectors, services
from .models import Organisation, pk_from_civsam_id

router = Router(tags=["företrädare"])

RIGHTS = (
    "För den som agerar för organisationen: dess företrädare, handläggare i dess hemkommun och "
    "regionadministratörer (sessionscookie; skrivningar med CSRF-token i huvudet X-CSRFToken)."
)
OrganisationKey = Annotated[
    str,
    Path(
        min_length=1,
        max_length=20,
        description="Organisationsnummer (med eller utan bindestreck) eller Civsam-id (CS-000123).",
    ),
]
RepresentativeId = Annotated[int, Path(ge=1, le=2**62, description="Företrädarrollens id.")]


class RepresentativeOut(CamelSchema):
    """En person som företräder organisationen."""

    id: int = Field(description="Företrädarrollens id; används för att ta bort rollen.")
    name: str = Field(description="Personens namn.")
    mandate: str = Field(description="Uppdraget: " + ", ".join(Mandate.values) + "; tomt för äldre roller.")
    since: datetime.datetime = Field(description="När rollen började.")
    me: bool = Field(description="Om det är den inloggade.")


class RepresentativeListOut(CamelSchema):
    items: list[RepresentativeOut]


def _organisation(request: HttpRequest, key: str) -> Organisation:
    require_signed_in(
        request, _("Logga in för att se och ändra vem som företräder en organisation."), write=request.method != "GET"
    )
    value = key.strip().upper()
    if pk_from_civsam_id(value) is None:
        try:
            value = orgnr_rules.normalise(key)
        except orgnr_rules.OrgnrError as exc:
            problem = InvalidParameter("organisation", str(exc), key)
            raise ApiProblem(400, str(exc), invalid_parameters=[problem]) from exc
    organisation = selectors.organisation_detail(user=request.user, orgnr_value=value)
    if organisation is None:
        raise ApiProblem(404, _("Organisationen finns inte."))
    if not permissions.can_manage_representatives(request.user, organisation):
        raise ApiProblem(403, _("Bara den som agerar för organisationen ser och ändrar dess företrädare."))
    return organisation


def _out(request: HttpRequest, assignment: RoleAssignment) -> RepresentativeOut:
    return RepresentativeOut(
        id=assignment.pk,
        name=str(assignment.user),
        mandate=assignment.mandate,
        since=assignment.since,
        me=assignment.user_id == request.user.pk,
    )


@router.get(
    "/organisations/{organisation}/representatives",
    response={200: RepresentativeListOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="listOrganisationRepresentatives",
    summary="Organisationens företrädare",
    description="Alla som företräder organisationen, äldst först, med uppdrag och sedan när. " + RIGHTS,
)
def representative_list(request: HttpRequest, organisation: OrganisationKey):
    check_query_names(request, ())
    found = _organisation(request, organisation)
    return RepresentativeListOut(items=[_out(request, a) for a in representatives_of(found.pk)])


@router.delete(
    "/organisations/{organisation}/representatives/{representative_id}",
    response={200: RepresentativeListOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="removeOrganisationRepresentative",
    summary="Ta bort en företrädare",
    description="Avslutar personens roll som företrädare för organisationen (den egna rollen också) och "
    "återkallar de inbjudningar hen har skickat för den; svaret är de företrädare som är kvar. Den sista "
    "företrädaren tas bara bort av handläggare i hemkommunen eller regionadministratörer (annars 400: "
    "lämna över i stället). " + RIGHTS,
)
def representative_delete(request: HttpRequest, organisation: OrganisationKey, representative_id: RepresentativeId):
    check_query_names(request, ())
    found = _organisation(request, organisation)
    assignment = (
        RoleAssignment.objects.filter(pk=representative_id, role=Role.ORGANISATION_REP, organisation=found)
        .select_related("user")
        .first()
    )
    if assignment is None:
        raise ApiProblem(404, _("Personen företräder inte organisationen."))
    try:
        services.representative_remove(actor=request.user, assignment=assignment)
    except PermissionDenied as exc:
        raise ApiProblem(403, str(exc)) from None
    except ValidationError as exc:
        raise problem_from_validation(exc) from None
    return RepresentativeListOut(items=[_out(request, a) for a in representatives_of(found.pk)])
