"""API: registering for an event, confirming the address, and self-service cancellation by the
registrant's token. Registering through the API is never tied to a signed-in user (the API is
CSRF-exempt, so a cookie must not vouch for it): every registration waits for its address to be
confirmed, and the rate limits of registering without signing in apply (meetings.limits)."""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Path, Router, Status

from civsam.core.apitools import ApiProblem, ProblemOut
from civsam.core.models import Municipality
from civsam.registry.selectors import public_bodies

from .. import limits, permissions, services
from ..models import Event, Registration, TargetGroup
from .schemas import SERVICE_VALUES, TAGS, ConfirmationIn, RegistrationIn, RegistrationOut, registration_out

router = Router(tags=TAGS)


@router.post(
    "/events/{event_id}/registrations",
    response={201: RegistrationOut, 400: ProblemOut, 404: ProblemOut, 429: ProblemOut},
    by_alias=True,
    operation_id="createRegistration",
    summary="Anmäl till ett evenemang",
    description=(
        "Skapar en anmälan som väntar på att e-postadressen bekräftas med länken i meddelandet som skickas "
        "till den. Svaret anger status: held (en plats är reserverad till confirmBy, 30 minuter) eller "
        "unconfirmed (ingen plats är ledig, eller arrangören godkänner anmälningar; platsen avgörs när adressen "
        "bekräftas). En anmälan med en inbjudans nyckel och inbjudans e-postadress avgörs direkt: confirmed, "
        "waitlisted eller awaiting_approval. En anmälan per e-postadress och evenemang; högst fem anmälningar "
        "i timmen per klient och evenemang (sedan 429 med Retry-After). Överbokning sker aldrig."
    ),
)
def registration_create(request, event_id: Annotated[int, Path(description="Evenemangets id.")], body: RegistrationIn):
    # Those not signed in see the published events only: the service reads the event anyway and
    # answers as if an unpublished one did not exist, so the check costs no query of its own.
    public_only = permissions.sees_only_published_events(request.user)
    if not public_only and not permissions.events_visible_to(request.user).filter(pk=event_id).exists():
        raise ApiProblem(404, _("Evenemanget finns inte."))
    limits.check_anonymous_registration(request, event_id=event_id, email=body.email)
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
    employer = None
    if body.employer is not None:
        employer = public_bodies().filter(pk=body.employer).first()
        if employer is None:
            raise ApiProblem(400, _("Arbetsgivaren måste vara en offentlig aktör i registret."))
    try:
        registration = services.registration_create(
            # Not tied to a session user: the API is CSRF-exempt, so a cookie must not vouch for it.
            event_id=event_id,
            name=body.name,
            email=body.email,
            services=body.services,
            organisation=employer,
            organisation_name=body.organisation_name,
            municipality=municipality,
            target_group=body.target_group,
            registration_type_id=body.registration_type,
            answers=body.answers,
            invitation_token=body.invitation_token,
            public_only=public_only,
        )
    except Event.DoesNotExist as exc:
        raise ApiProblem(404, _("Evenemanget finns inte.")) from exc
    except ValidationError as exc:
        raise ApiProblem(400, " ".join(exc.messages)) from exc
    return Status(201, registration_out(registration))


@router.post(
    "/registration-confirmations",
    response={200: RegistrationOut, 400: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="confirmRegistration",
    summary="Bekräfta e-postadressen för en anmälan",
    description=(
        "Bekräftar adressen med nyckeln från länken i e-postmeddelandet. En reserverad plats (held) blir "
        "bekräftad; en anmälan utan plats (unconfirmed) avgörs nu: confirmed, waitlisted eller awaiting_approval. "
        "Efter confirmBy är det för sent (400) och anmälan har gått ut. Att bekräfta igen ändrar ingenting."
    ),
)
def registration_confirm(request, body: ConfirmationIn):
    try:
        registration = services.registration_confirm(confirm_token=body.token)
    except Registration.DoesNotExist as exc:
        raise ApiProblem(404, _("Ingen anmälan hittades för nyckeln.")) from exc
    except ValidationError as exc:
        raise ApiProblem(400, " ".join(exc.messages)) from exc
    return registration_out(registration)


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
