"""The meetings API's request and response bodies, and how a model becomes one."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from pydantic import Field

from civsam.core.apitools import CamelSchema, InSchema
from civsam.core.consequences import ConsequencesIn, ConsequencesOut, consequences_out
from civsam.plan.models import Initiative, PriorityArea

from ..forms import SERVICE_CHOICES
from ..models import Event, Network, Registration, TargetGroup

TAGS = ["nätverk och evenemang"]
SERVICE_VALUES = [value for value, _label in SERVICE_CHOICES]


class NetworkOut(CamelSchema):
    """Ett nätverk eller en stående mötesplats."""

    slug: str
    name: str
    kind: str = Field(description=", ".join(Network.Kind.values))
    purpose: str | None = None
    visibility: str
    parent: str | None = Field(None, description="Överordnat nätverks kortnamn.")
    organisation: str | None = Field(
        None, description="Den samordnande organisationens organisationsnummer; null när personal samordnar."
    )
    status: str = Field(description="active eller closed (avslutat; kan läsas men inte ändras).")
    closed_on: datetime.date | None = Field(None, description="Dagen nätverket avslutades.")
    calendar_url: str = Field(description="Nätverkets evenemang som iCalendar-flöde.")


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
    is_public: bool = Field(description="Publicerat; opublicerade evenemang ser bara de som arrangerar dem.")
    is_conference: bool = Field(description="Sant för en konferens med program (se programUrl).")
    priority_area_ids: list[int] = Field(description="Id för de prioriterade aktivitetsområden mötet bidrar till.")
    initiative_ids: list[int] = Field(description="Id för insatserna i handlingsplanen som mötet hör till.")
    consequences: ConsequencesOut
    programme_url: str | None = None
    url: str = Field(description="Evenemanget i API:et.")
    web_url: str
    calendar_url: str


class EventIn(InSchema):
    """Ett nytt evenemang. Nätverk, arrangör och kommun anges som i svaret (kortnamn,
    organisationsnummer, kommunkod). Tider utan tidszon tolkas som svensk tid."""

    title: str = Field(min_length=1, max_length=200)
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    description: str = ""
    agenda: str = ""
    network: str | None = Field(None, description="Nätverkets kortnamn.")
    organiser: str | None = Field(None, description="Arrangörens organisationsnummer (tio siffror).")
    mode: str = Field(Event.Mode.IN_PERSON.value, description="in_person, online eller hybrid")
    place: str = Field("", max_length=200)
    municipality: str | None = Field(None, description="Kommunkod, t.ex. 1880.")
    online_url: str = Field("", max_length=200, description="Länk till det digitala mötet (https).")
    capacity: int | None = Field(None, ge=0, le=2_147_483_647, description="Antal platser; null = obegränsat.")
    registration_opens: datetime.datetime | None = None
    registration_closes: datetime.datetime | None = None
    requires_approval: bool = False
    invitation_only: bool = False
    offer_window_hours: int = Field(48, ge=0, le=32_767, description="Svarstid för plats från väntelistan.")
    is_public: bool = True
    priority_area_ids: list[int] = Field([], description="Id för prioriterade aktivitetsområden.")
    initiative_ids: list[int] = Field(
        [],
        description=(
            "Id för insatser i handlingsplanen som mötet hör till. Att koppla mötet till en insats kräver "
            "rätt att ändra insatsen."
        ),
    )
    consequences: ConsequencesIn | None = None


class EventPatchIn(InSchema):
    """Ändringar i ett evenemang: bara egenskaperna som skickas ändras. null tömmer network,
    organiser, municipality, capacity, registrationOpens och registrationCloses. Listor ersätts i
    sin helhet, utom kopplingar till insatser som du inte får ändra: de behålls."""

    title: str | None = Field(None, min_length=1, max_length=200)
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    description: str | None = None
    agenda: str | None = None
    network: str | None = Field(None, description="Nätverkets kortnamn.")
    organiser: str | None = Field(None, description="Arrangörens organisationsnummer (tio siffror).")
    mode: str | None = Field(None, description="in_person, online eller hybrid")
    place: str | None = Field(None, max_length=200)
    municipality: str | None = Field(None, description="Kommunkod, t.ex. 1880.")
    online_url: str | None = Field(None, max_length=200)
    capacity: int | None = Field(None, ge=0, le=2_147_483_647)
    registration_opens: datetime.datetime | None = None
    registration_closes: datetime.datetime | None = None
    requires_approval: bool | None = None
    invitation_only: bool | None = None
    offer_window_hours: int | None = Field(None, ge=0, le=32_767)
    is_public: bool | None = None
    priority_area_ids: list[int] | None = None
    initiative_ids: list[int] | None = Field(None, description="Id för insatser i handlingsplanen.")
    consequences: ConsequencesIn | None = Field(None, description="Ersätter alla tre bedömningarna.")


class RegistrationIn(InSchema):
    """En anmälan: namn, e-post, önskat stöd och, när evenemanget kräver det, målgrupp,
    anmälningstyp, svar på arrangörens frågor och inbjudans nyckel."""

    name: str = Field(min_length=1, max_length=150)
    email: str = Field(min_length=3, max_length=254, description="E-postadress; kontrolleras vid anmälan.")
    services: list[str] = Field(default_factory=list, description=f"Önskat stöd: {', '.join(SERVICE_VALUES)}.")
    organisation_name: str = Field("", max_length=200, description="Organisationen deltagaren företräder.")
    employer: int | None = Field(
        None,
        description="Arbetsgivarens id när den är en offentlig aktör i registret (t.ex. Region Örebro län).",
    )
    municipality: str | None = Field(None, description="Kommunkod, t.ex. 1880.")
    target_group: str = Field("", description=f"Målgrupp: {', '.join(TargetGroup.values)}.")
    registration_type: int | None = Field(None, description="Anmälningstypens id (konferenser).")
    answers: dict[str, str] = Field(default_factory=dict, description="Svar på arrangörens frågor, per fråga-id.")
    invitation_token: str | None = Field(None, description="Nyckeln från en inbjudan.")


class RegistrationOut(CamelSchema):
    """Anmälans status. cancelToken är anmälarens egen nyckel för att avboka; visa den inte för andra."""

    status: str = Field(
        description=(
            "held (plats reserverad tills e-postadressen bekräftas), unconfirmed (väntar på att e-postadressen "
            "bekräftas, utan plats), confirmed, waitlisted, awaiting_approval, offered, cancelled, declined, expired."
        )
    )
    code: str = Field(description="Anmälningskod för incheckning.")
    cancel_token: str
    offer_expires_at: datetime.datetime | None = None
    confirm_by: datetime.datetime | None = Field(
        None, description="För held och unconfirmed: bekräfta e-postadressen senast då, annars går anmälan ut."
    )


class ConfirmationIn(InSchema):
    """Nyckeln från länken i e-postmeddelandet som bekräftar adressen."""

    token: str = Field(min_length=1, max_length=64)


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


def network_out(request, network: Network) -> NetworkOut:
    return NetworkOut(
        slug=network.slug,
        name=network.name,
        kind=network.kind,
        purpose=network.purpose or None,
        visibility=network.visibility,
        parent=network.parent.slug if network.parent_id else None,
        organisation=network.organisation.orgnr if network.organisation_id else None,
        status=network.status,
        closed_on=network.closed_on,
        calendar_url=request.build_absolute_uri(reverse("meetings:calendar-network", args=[network.slug])),
    )


def with_links(events: QuerySet[Event]) -> QuerySet[Event]:
    """The prefetches event_out reads: one query each for a whole page."""
    return events.prefetch_related(
        Prefetch("initiatives", queryset=Initiative.objects.only("id").order_by("id")),
        Prefetch("priority_areas", queryset=PriorityArea.objects.only("id").order_by("id")),
    )


def event_out(request, event: Event) -> EventOut:
    """Needs selectors.event_list's joins and annotations and with_links' prefetches."""
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
        is_public=event.is_public,
        is_conference=event.is_conference,
        priority_area_ids=[a.pk for a in event.priority_areas.all()],
        initiative_ids=[i.pk for i in event.initiatives.all()],
        consequences=consequences_out(event),
        programme_url=request.build_absolute_uri(reverse("meetings:conference-programme", args=[event.pk]))
        if event.is_conference
        else None,
        url=request.build_absolute_uri(reverse("api-v1:event-detail", kwargs={"event_id": event.pk})),
        web_url=request.build_absolute_uri(event.get_absolute_url()),
        calendar_url=request.build_absolute_uri(reverse("meetings:calendar-event", args=[event.pk])),
    )


def registration_out(registration: Registration) -> RegistrationOut:
    return RegistrationOut(
        status=registration.status,
        code=registration.code,
        cancel_token=registration.cancel_token,
        offer_expires_at=registration.offer_expires_at,
        confirm_by=registration.confirm_by,
    )
