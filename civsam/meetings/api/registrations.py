"""API: registering for an event, and self-service cancellation by the registrant's token."""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Path, Router, Status

from civsam.core.apitools import ApiProblem, ProblemOut
from civsam.core.models import Municipality

from .. import selectors, services
from ..models import Registration, TargetGroup
from .schemas import SERVICE_VALUES, TAGS, RegistrationIn, RegistrationOut, registration_out

router = Router(tags=TAGS)


@router.post(
    "/events/{event_id}/registrations",
    response={201: RegistrationOut, 400: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="createRegistration",
    summary="Anmäl till ett evenemang",
    description=(
        "Skapar en anmälan. Svaret anger status: confirmed (plats), waitlisted (väntelista) eller "
        "awaiting_approval (arrangören godkänner). Överbokning sker aldrig: platserna räknas under lås."
    ),
)
def registration_create(request, event_id: Annotated[int, Path(description="Evenemangets id.")], body: RegistrationIn):
    if not selectors.event_list(user=request.user).filter(pk=event_id).exists():
        raise ApiProblem(404, _("Evenemanget finns inte."))
    unknown = sorted(set(body.services) - set(SERVICE_VALUES))
    if unknown:
        raise ApiProblem(400, _("Okänt stöd: %(values)s.") % {"values": ", ".join(unknown)})
    if body.target_group and body.target_group not in TargetGroup.values:
        raise ApiProblem(400, _("Okänd målgrupp: %(value)s.") % {"value": body.target_group})
    municipality = None
    if body.municipality:
        municipality = Municipality.objects.filter(code=body.municipality).first()
        if municipality is None:
            raise ApiProblem(400, _("Okänd kommunkod: %(value)s.") % {"value": body.municipality})
    try:
        registration = services.registration_create(
            # Not tied to a session user: the API is CSRF-exempt, so a cookie must not vouch for it.
            event_id=event_id,
            name=body.name,
            email=body.email,
            services=body.services,
            organisation_name=body.organisation_name,
            municipality=municipality,
            target_group=body.target_group,
            registration_type_id=body.registration_type,
            answers=body.answers,
            invitation_token=body.invitation_token,
        )
    except ValidationError as exc:
        raise ApiProblem(400, " ".join(exc.messages)) from exc
    return Status(201, registration_out(registration))


@router.delete(
    "/registrations/{cancel_token}",
    response={200: RegistrationOut, 404: ProblemOut},
    by_alias=True,
    operation_id="cancelRegistration",
    summary="Avboka en anmälan",
    description="Avbokar den anmälan som nyckeln hör till. Frigörs en plats erbjuds den först i väntelistan.",
)
def registration_cancel(request, cancel_token: Annotated[str, Path(description="Nyckeln från anmälan.")]):
    try:
        registration = services.registration_cancel(cancel_token=cancel_token)
    except Registration.DoesNotExist as exc:
        raise ApiProblem(404, _("Ingen anmälan hittades för nyckeln.")) from exc
    return registration_out(registration)
