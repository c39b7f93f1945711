"""API: networks, events, registrations (with self-service cancellation by token)."""

from __future__ import annotations

import datetime
from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status
from pydantic import Field

from civsam.core.apitools import (
    DEFAULT_LIMIT,
    PAGING_PARAMS,
    ApiProblem,
    CamelSchema,
    Limit,
    PageLinksOut,
    PageNumber,
    PaginationOut,
    ProblemOut,
    check_query_names,
    paginate,
)
from civsam.core.models import Municipality

from . import selectors, services
from .forms import SERVICE_CHOICES
from .models import Conference, Event, Network, Registration, TargetGroup

router = Router(tags=["nätverk och evenemang"])
SERVICE_VALUES = [value for value, _label in SERVICE_CHOICES]


class NetworkOut(CamelSchema):
    """Ett nätverk eller en stående mötesplats."""

    slug: str
    name: str
    kind: str = Field(
        description="partnership, association_council, user_council, dialogue_forum, thematic, international"
    )
    purpose: str | None = None
    visibility: str
    parent: str | None = Field(None, description="Överordnat nätverks kortnamn.")
    calendar_url: str = Field(description="Nätverkets evenemang som iCalendar-flöde.")


class NetworkPage(CamelSchema):
    items: list[NetworkOut]
    pagination: PaginationOut
    links: PageLinksOut


class EventOut(CamelSchema):
    """Ett evenemang eller möte."""

    id: int
    title: str
    description: str | None = None
    mode: str = Field(description="in_person, online eller hybrid")
    place: str | None = None
    municipality: str | None = Field(None, description="Kommunkod.")
    network: str | None = Field(None, description="Nätverkets kortnamn.")
    organiser: str | None = Field(None, description="Arrangörens organisationsnummer.")
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int | None = Field(None, description="Antal platser; null = obegränsat.")
    seats_taken: int
    registration_opens: datetime.datetime | None = None
    registration_closes: datetime.datetime | None = None
    requires_approval: bool
    invitation_only: bool
    is_conference: bool = Field(description="Sant för en konferens med program (se programUrl).")
    programme_url: str | None = None
    web_url: str
    calendar_url: str


class EventPage(CamelSchema):
    items: list[EventOut]
    pagination: PaginationOut
    links: PageLinksOut


class RegistrationIn(CamelSchema):
    """En anmälan: namn, e-post, önskat stöd och, när evenemanget kräver det, målgrupp,
    anmälningstyp, svar på arrangörens frågor och inbjudans nyckel."""

    name: str = Field(min_length=1, max_length=150)
    email: str = Field(min_length=3, max_length=254, description="E-postadress; kontrolleras vid anmälan.")
    services: list[str] = Field(default_factory=list, description=f"Önskat stöd: {', '.join(SERVICE_VALUES)}.")
    organisation_name: str = Field("", max_length=200, description="Organisationen deltagaren företräder.")
    municipality: str | None = Field(None, description="Kommunkod, t.ex. 1880.")
    target_group: str = Field("", description=f"Målgrupp: {', '.join(TargetGroup.values)}.")
    registration_type: int | None = Field(None, description="Anmälningstypens id (konferenser).")
    answers: dict[str, str] = Field(default_factory=dict, description="Svar på arrangörens frågor, per fråga-id.")
    invitation_token: str | None = Field(None, description="Nyckeln från en inbjudan.")


class RegistrationOut(CamelSchema):
    """Anmälans status. cancelToken är anmälarens egen nyckel för att avboka; visa den inte för andra."""

    status: str = Field(description="confirmed, waitlisted, awaiting_approval, offered, cancelled, …")
    code: str = Field(description="Anmälningskod för incheckning.")
    cancel_token: str
    offer_expires_at: datetime.datetime | None = None


def _network_out(request, network: Network) -> NetworkOut:
    return NetworkOut(
        slug=network.slug,
        name=network.name,
        kind=network.kind,
        purpose=network.purpose or None,
        visibility=network.visibility,
        parent=network.parent.slug if network.parent_id else None,
        calendar_url=request.build_absolute_uri(reverse("meetings:calendar-network", args=[network.slug])),
    )


def _event_out(request, event: Event) -> EventOut:
    return EventOut(
        id=event.pk,
        title=event.title,
        description=event.description or None,
        mode=event.mode,
        place=event.place or None,
        municipality=event.municipality.code if event.municipality_id else None,
        network=event.network.slug if event.network_id else None,
        organiser=event.organiser.orgnr if event.organiser_id else None,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        capacity=event.capacity,
        seats_taken=event.seats_taken,
        registration_opens=event.registration_opens,
        registration_closes=event.registration_closes,
        requires_approval=event.requires_approval,
        invitation_only=event.invitation_only,
        is_conference=event.is_conference,
        programme_url=request.build_absolute_uri(reverse("meetings:conference-programme", args=[event.pk]))
        if event.is_conference
        else None,
        web_url=request.build_absolute_uri(event.get_absolute_url()),
        calendar_url=request.build_absolute_uri(reverse("meetings:calendar-event", args=[event.pk])),
    )


def _registration_out(registration: Registration) -> RegistrationOut:
    return RegistrationOut(
        status=registration.status,
        code=registration.code,
        cancel_token=registration.cancel_token,
        offer_expires_at=registration.offer_expires_at,
    )


@router.get(
    "/networks",
    response={200: NetworkPage, 400: ProblemOut},
    by_alias=True,
    operation_id="listNetworks",
    summary="Nätverk",
    description="Nätverk och stående mötesplatser som inte är dolda för utomstående.",
)
def network_list(request, response: HttpResponse, limit: Limit = DEFAULT_LIMIT, page: PageNumber = 1):
    check_query_names(request, PAGING_PARAMS)
    result = paginate(request, selectors.network_list().select_related("parent"), page=page, limit=limit)
    response["Link"] = result.link_header()
    return result.envelope([_network_out(request, n) for n in result.items])


@router.get(
    "/events",
    response={200: EventPage, 400: ProblemOut},
    by_alias=True,
    operation_id="listEvents",
    summary="Evenemang",
    description="Publicerade evenemang, sorterade på starttid. Utan from visas även tidigare evenemang.",
)
def event_list(
    request,
    response: HttpResponse,
    network: Annotated[str | None, Query(description="Nätverkets kortnamn.")] = None,
    organiser: Annotated[str | None, Query(description="Arrangörens organisationsnummer (tio siffror).")] = None,
    municipality: Annotated[str | None, Query(description="Kommunkod, t.ex. 1880.")] = None,
    from_date: Annotated[
        datetime.date | None, Query(alias="from", description="Från och med datum (ÅÅÅÅ-MM-DD).")
    ] = None,
    to_date: Annotated[datetime.date | None, Query(alias="to", description="Till och med datum (ÅÅÅÅ-MM-DD).")] = None,
    limit: Limit = DEFAULT_LIMIT,
    page: PageNumber = 1,
):
    check_query_names(request, ("network", "organiser", "municipality", "from", "to", *PAGING_PARAMS))
    tz = timezone.get_current_timezone()
    starts_from = datetime.datetime.combine(from_date, datetime.time.min, tz) if from_date else None
    starts_to = datetime.datetime.combine(to_date, datetime.time.max, tz) if to_date else None
    qs = selectors.event_list(
        user=request.user,
        network=network,
        organiser=organiser,
        municipality=municipality,
        starts_from=starts_from,
        starts_to=starts_to,
    )
    result = paginate(request, qs, page=page, limit=limit)
    response["Link"] = result.link_header()
    return result.envelope([_event_out(request, e) for e in result.items])


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
    except DjangoValidationError as exc:
        raise ApiProblem(400, " ".join(exc.messages)) from exc
    return Status(201, _registration_out(registration))


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
    return _registration_out(registration)


class SpeakerOut(CamelSchema):
    name: str
    affiliation: str | None = None
    internal: bool = Field(description="Från regionen eller en kommun i länet.")


class SessionOut(CamelSchema):
    id: int
    title: str
    kind: str = Field(description="plenary, parallel, workshop eller break")
    room: str | None = None
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    speakers: list[SpeakerOut]


class RegistrationTypeOut(CamelSchema):
    id: int
    name: str
    sessions: list[int] = Field(description="Id för programpunkterna som ingår.")


class ProgrammeOut(CamelSchema):
    """En konferens program, anmälningstyper och kvoter per målgrupp."""

    event: int
    sessions: list[SessionOut]
    registration_types: list[RegistrationTypeOut]
    quotas: dict[str, int] = Field(description="Platser per målgrupp (elected, officer, civil_society, other).")


@router.get(
    "/events/{event_id}/programme",
    response={200: ProgrammeOut, 400: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="getProgramme",
    summary="Konferensprogram",
    description="Programpunkter i tidsordning med talare, anmälningstyper (för registrationType) och kvoter.",
)
def programme(request, event_id: Annotated[int, Path(description="Evenemangets id.")]):
    check_query_names(request, ())
    event = selectors.event_list(user=request.user).filter(pk=event_id).first()
    conference = Conference.objects.filter(event=event).first() if event else None
    if conference is None:
        raise ApiProblem(404, _("Konferensen finns inte."))
    sessions = conference.sessions.prefetch_related("speakers").order_by("starts_at", "room", "id")
    return ProgrammeOut(
        event=event.pk,
        sessions=[
            SessionOut(
                id=s.pk,
                title=s.title,
                kind=s.kind,
                room=s.room or None,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                speakers=[
                    SpeakerOut(name=p.name, affiliation=p.affiliation or None, internal=p.is_internal)
                    for p in s.speakers.all()
                ],
            )
            for s in sessions
        ],
        registration_types=[
            RegistrationTypeOut(id=t.pk, name=t.name, sessions=[s.pk for s in t.sessions.all()])
            for t in conference.registration_types.prefetch_related("sessions")
        ],
        quotas=dict(conference.quotas.values_list("target_group", "quota")),
    )
