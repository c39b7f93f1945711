"""API: events (read, register a new one, change one) and a conference's programme."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Annotated

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status
from pydantic.alias_generators import to_camel

from civsam.core.apiguards import require_signed_in
from civsam.core.apitools import (
    DEFAULT_LIMIT,
    PAGING_PARAMS,
    ApiProblem,
    InvalidParameter,
    Limit,
    OptionalIsoDate,
    PageNumber,
    PageOut,
    ProblemOut,
    check_query_names,
    paginate,
    request_body_problem,
)
from civsam.core.consequences import ConsequencesIn
from civsam.core.models import Municipality
from civsam.plan.models import Initiative, PriorityArea
from civsam.registry.models import Organisation

from .. import loaders, permissions, selectors, services
from ..models import Conference
from .schemas import (
    TAGS,
    EventIn,
    EventOut,
    EventPatchIn,
    ProgrammeOut,
    RegistrationTypeOut,
    SessionOut,
    SpeakerOut,
    event_out,
    with_links,
)

router = Router(tags=TAGS)


@router.get(
    "/events",
    response={200: PageOut[EventOut], 400: ProblemOut},
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
        OptionalIsoDate, Query(None, alias="from", description="Från och med datum (ÅÅÅÅ-MM-DD).")
    ] = None,
    to_date: Annotated[OptionalIsoDate, Query(None, alias="to", description="Till och med datum (ÅÅÅÅ-MM-DD).")] = None,
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
    result = paginate(request, with_links(qs), page=page, limit=limit)
    response["Link"] = result.link_header()
    return result.envelope([event_out(request, e) for e in result.items])


def _event_body(request, event_id: int) -> EventOut:
    event = with_links(selectors.event_list(user=request.user)).filter(pk=event_id).first()
    if event is None:
        raise ApiProblem(404, _("Det finns inget evenemang med id %(id)s.") % {"id": event_id})
    return event_out(request, event)


@router.get(
    "/events/{event_id}",
    response={200: EventOut, 400: ProblemOut, 404: ProblemOut},
    by_alias=True,
    url_name="event-detail",
    operation_id="getEvent",
    summary="Ett evenemang",
    description="Ett evenemang som du får se: publicerade evenemang för alla, opublicerade för dem som arrangerar dem.",
)
def event_detail(request, event_id: Annotated[int, Path(description="Evenemangets id.")]):
    check_query_names(request, ())
    return _event_body(request, event_id)


# Registering and changing events ------------------------------------------------------------------

# Properties that may be null; the others must have a value when they are sent.
NULLABLE = frozenset(
    {"network", "organiser", "municipality", "capacity", "registration_opens", "registration_closes", "consequences"}
)
# Properties sent as keys of other rows, and how to find the row.
REFERENCES = {
    "network": lambda user: (permissions.networks_visible_to(user), "slug"),
    "organiser": lambda user: (Organisation.objects.all(), "orgnr"),
    "municipality": lambda user: (Municipality.objects.all(), "code"),
}
LISTS = {"priority_area_ids": ("priority_areas", PriorityArea), "initiative_ids": ("initiatives", Initiative)}
# The service's field names as the API's property names, for its validation errors.
SERVICE_NAMES = {"priority_areas": "priorityAreaIds", "initiatives": "initiativeIds", NON_FIELD_ERRORS: "body"}


def _camel(name: str) -> str:
    return SERVICE_NAMES.get(name) or to_camel(name)


def _check_write(request: HttpRequest, message: str) -> None:
    require_signed_in(request, message)
    check_query_names(request, ())


def _resolve(request, payload, sent: set[str]) -> tuple[dict, dict]:
    """The sent properties as the service's arguments: (the event's own fields, its lists by service
    name). Unknown references and nulls where a value is needed answer 400, each property named."""
    problems: list[InvalidParameter] = []
    fields: dict = {}
    lists: dict = {}
    for name in sent:
        value = getattr(payload, name)
        if value is None and name not in NULLABLE:
            problems.append(InvalidParameter(_camel(name), _("får inte vara null")))
        elif name in LISTS:
            service_name, model = LISTS[name]
            found = model.objects.in_bulk(value)
            missing = [str(v) for v in value if v not in found]
            if missing:
                reason = _("okända värden: %(v)s") % {"v": ", ".join(missing)}
                problems.append(InvalidParameter(_camel(name), reason, ",".join(missing)))
            lists[service_name] = [found[v] for v in dict.fromkeys(value) if v in found]
        elif name == "consequences":
            # null (or, when registering, left out): none of the three is assessed.
            fields.update((value or ConsequencesIn()).service_values())
        elif name in REFERENCES and value is not None:
            rows, key = REFERENCES[name](request.user)
            fields[name] = rows.filter(**{key: value}).first()
            if fields[name] is None:
                problems.append(InvalidParameter(_camel(name), _("är okänd"), str(value)))
        elif isinstance(value, datetime.datetime) and timezone.is_naive(value):
            fields[name] = timezone.make_aware(value)
        else:
            fields[name] = value
    if problems:
        raise request_body_problem(problems)
    return fields, lists


def _service_problem(exc: ValidationError) -> ApiProblem:
    """The service's validation errors as a 400 naming each property."""
    errors = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    return ApiProblem(
        400,
        " ".join(exc.messages),
        invalid_parameters=[
            InvalidParameter(_camel(name), " ".join(e.message % (e.params or {}) for e in errs))
            for name, errs in errors.items()
        ],
    )


WRITE_RIGHTS = (
    "Kräver inloggning (sessionscookie med CSRF-token i huvudet X-CSRFToken). Att knyta evenemanget till en "
    "arrangör (organiser), en kommun (municipality) eller ett nätverk (network), eller ta bort en sådan koppling, "
    "kräver att du företräder organisationen, handlägger för kommunen respektive samordnar nätverket; annars blir "
    "svaret 403. Att koppla mötet till en insats (initiativeIds) kräver också rätt att ändra insatsen; kopplingar "
    "till insatser som du inte får ändra behålls."
)


@router.post(
    "/events",
    response={201: EventOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut},
    by_alias=True,
    operation_id="createEvent",
    summary="Registrera ett evenemang",
    description=(
        "Registrerar ett evenemang. Regionens samordnare och kommunernas handläggare får registrera evenemang, "
        "företrädare för en organisation evenemang som organisationen arrangerar. Handläggare får ange som "
        "arrangör organisationer i sin kommun. " + WRITE_RIGHTS
    ),
)
def event_create(request: HttpRequest, response: HttpResponse, payload: EventIn):
    _check_write(request, _("Logga in för att registrera ett evenemang."))
    fields, lists = _resolve(request, payload, set(EventIn.model_fields))
    try:
        event = services.event_create(actor=request.user, details=services.EventDetails(**fields), **lists)
    except ValidationError as exc:
        raise _service_problem(exc) from None
    body = _event_body(request, event.pk)
    response["Location"] = body.url
    return Status(201, body)


@router.patch(
    "/events/{event_id}",
    response={200: EventOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="updateEvent",
    summary="Ändra ett evenemang",
    description=(
        "Ändrar bara de egenskaper som skickas med. Den som arrangerar evenemanget får ändra det: regionens "
        "samordnare, handläggare i evenemangets kommun, den som företräder arrangören, nätverkets samordnare "
        "och den som registrerade evenemanget. " + WRITE_RIGHTS
    ),
)
def event_update(
    request: HttpRequest,
    event_id: Annotated[int, Path(description="Evenemangets id.")],
    payload: EventPatchIn,
):
    _check_write(request, _("Logga in för att ändra ett evenemang."))
    with transaction.atomic():
        event = loaders.managed_event(request.user, event_id)
        fields, lists = _resolve(request, payload, set(payload.model_fields_set))
        details = dataclasses.replace(services.EventDetails.of(event), **fields) if fields else None
        try:
            services.event_update(actor=request.user, event=event, details=details, **lists)
        except ValidationError as exc:
            raise _service_problem(exc) from None
    return _event_body(request, event_id)


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
