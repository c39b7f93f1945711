"""API: initiatives (insatser) — list with filters, one initiative, registering a new one and changing one
(PUT replaces, PATCH changes the properties sent).

One initiative carries an ETag; PUT and PATCH honour If-Match (412 when the initiative has changed since
the client read it) and GET honours If-None-Match (304). See docs/adr/0048-initiative-etags.md."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import parse_etags, quote_etag
from django.utils.translation import gettext as _
from ninja import Header, Path, Query, Router, Status
from ninja.utils import check_csrf
from pydantic import Field
from pydantic.alias_generators import to_camel

from civsam.core.apitools import (
    DEFAULT_LIMIT,
    PAGING_PARAMS,
    ApiProblem,
    CamelSchema,
    InvalidParameter,
    Limit,
    PageLinksOut,
    PageNumber,
    PaginationOut,
    ProblemOut,
    check_query_names,
    paginate,
    request_body_problem,
)
from civsam.core.models import Municipality, Principle, SocietalRole
from civsam.meetings.permissions import events_visible_to
from civsam.registry.models import Organisation

from .. import permissions, selectors, services
from ..models import Initiative, InitiativeStatus, Plan, PriorityArea

router = Router(tags=["insatser"])

FILTERS = ("plan", "focus-area", "priority-area", "organisation", "municipality", "status", "year")


class MilestoneOut(CamelSchema):
    """Ett delmål med datum och, när det är klart, datum då det blev klart."""

    title: str
    due_date: datetime.date
    completed_on: datetime.date | None = None


class AreaRefOut(CamelSchema):
    """Ett prioriterat aktivitetsområde som insatsen bidrar till."""

    id: int
    code: str
    plan: str = Field(description="Planens kortnamn.")
    title_sv: str


class InitiativeOut(CamelSchema):
    """En insats med ansvarig, område, period, status och andel genomförd."""

    id: int
    ref: str | None = None
    title: str
    description: str
    lead_organisation_id: int | None = None
    lead_municipality_code: str | None = None
    lead: str = Field(description="Ansvarig aktör i klartext.")
    partner_organisation_ids: list[int]
    partner_names: str
    priority_areas: list[AreaRefOut]
    principles: list[str] = Field(description="Principernas koder.")
    roles: list[str] = Field(description="Rollernas koder.")
    municipality_codes: list[str]
    event_ids: list[int] = Field(description="Id för möten (evenemang) som hör till insatsen och som du kan se.")
    start_date: datetime.date
    end_date: datetime.date | None = None
    budget: Decimal | None = Field(None, description="Budget i kronor.")
    status: str = Field(description="Statusens kod.")
    status_kind: str = Field(description="planned, ongoing, completed eller cancelled.")
    progress: int = Field(description="Andel genomförd, 0–100.")
    weight: Decimal
    parent_id: int | None = None
    verified: bool
    milestones: list[MilestoneOut]
    url: str
    web_url: str


class InitiativePage(CamelSchema):
    """En sida insatser med sidinformation och länkar."""

    items: list[InitiativeOut]
    pagination: PaginationOut
    links: PageLinksOut


class MilestoneIn(CamelSchema):
    title: str = Field(min_length=1, max_length=300)
    due_date: datetime.date
    completed_on: datetime.date | None = None


class InitiativeIn(CamelSchema):
    """En ny insats. Ansvarig anges med leadOrganisationId, leadMunicipalityCode eller leadName."""

    ref: str | None = Field(None, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")
    title: str = Field(min_length=1, max_length=300)
    description: str = ""
    lead_organisation_id: int | None = None
    lead_municipality_code: str | None = None
    lead_name: str = Field("", max_length=200)
    partner_organisation_ids: list[int] = []
    partner_names: str = Field("", max_length=500)
    priority_area_ids: list[int] = Field(min_length=1)
    principles: list[str] = []
    roles: list[str] = []
    municipality_codes: list[str] = []
    event_ids: list[int] = Field([], description="Id för möten (evenemang) som du kan se.")
    start_date: datetime.date
    end_date: datetime.date | None = None
    budget: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    status: str = Field(description="Statusens kod, t.ex. planned, ongoing, completed.")
    progress: int | None = Field(None, ge=0, le=100)
    weight: Decimal = Field(Decimal(1), gt=0, max_digits=8, decimal_places=2)
    parent_id: int | None = None
    milestones: list[MilestoneIn] = []


def initiative_out(request, initiative: Initiative) -> InitiativeOut:
    """Needs initiative_list's joins and prefetches (plus milestones, principles, roles, partners)."""
    return InitiativeOut(
        id=initiative.pk,
        ref=initiative.ref,
        title=initiative.title,
        description=initiative.description,
        lead_organisation_id=initiative.lead_organisation_id,
        lead_municipality_code=initiative.lead_municipality.code if initiative.lead_municipality_id else None,
        lead=initiative.lead_display,
        partner_organisation_ids=[o.pk for o in initiative.partner_organisations.all()],
        partner_names=initiative.partner_names,
        priority_areas=[
            AreaRefOut(id=pa.pk, code=pa.code, plan=pa.focus_area.plan.slug, title_sv=pa.title_sv)
            for pa in initiative.priority_areas.all()
        ],
        principles=[p.code for p in initiative.principles.all()],
        roles=[r.code for r in initiative.roles.all()],
        municipality_codes=[m.code for m in initiative.municipalities.all()],
        event_ids=[e.pk for e in initiative.visible_events],
        start_date=initiative.start_date,
        end_date=initiative.end_date,
        budget=initiative.budget,
        status=initiative.status.code,
        status_kind=initiative.status.kind,
        progress=initiative.progress,
        weight=initiative.weight,
        parent_id=initiative.parent_id,
        verified=initiative.is_verified,
        milestones=[
            MilestoneOut(title=m.title, due_date=m.due_date, completed_on=m.completed_on)
            for m in initiative.milestones.all()
        ],
        url=request.build_absolute_uri(reverse("api-v1:initiative-detail", kwargs={"initiative_id": initiative.pk})),
        web_url=request.build_absolute_uri(initiative.get_absolute_url()),
    )


def _with_details(qs, request):
    return qs.prefetch_related(
        "milestones", "principles", "roles", "partner_organisations", selectors.visible_events_prefetch(request.user)
    )


def _int_param(name: str, value: str | None) -> int | None:
    if value in (None, ""):
        return None
    if not value.isdigit() or len(value) > 18:
        raise ApiProblem(
            400,
            _("Parametern ”%(name)s” måste vara ett heltal.") % {"name": name},
            invalid_parameters=[InvalidParameter(name, _("måste vara ett heltal"), value)],
        )
    return int(value)


@router.get(
    "",
    response={200: InitiativePage, 400: ProblemOut},
    by_alias=True,
    operation_id="listInitiatives",
    summary="Insatser",
    description=(
        "Insatser som genomförs för handlingsplanen, i titelordning. Filter: plan (kortnamn eller id), "
        "focus-area (insatsområdets nummer, kräver plan), priority-area (aktivitetsområdets id), organisation "
        "(id, ansvarig eller partner), municipality (kommunkod; ansvarig eller omfattad), status (statusens kod) "
        "och year (insatser som pågår någon gång under året)."
    ),
)
def initiative_list(
    request,
    response: HttpResponse,
    plan: Annotated[str | None, Query(None, description="Planens kortnamn eller id.")] = None,
    focus_area: Annotated[str | None, Query(None, alias="focus-area", description="Insatsområdets nummer.")] = None,
    priority_area: Annotated[
        str | None, Query(None, alias="priority-area", description="Aktivitetsområdets id.")
    ] = None,
    organisation: Annotated[str | None, Query(None, description="Organisationens id.")] = None,
    municipality: Annotated[str | None, Query(None, description="Kommunkod, t.ex. 1880.")] = None,
    status: Annotated[str | None, Query(None, description="Statusens kod.")] = None,
    year: Annotated[str | None, Query(None, description="Året, t.ex. 2024.")] = None,
    limit: Limit = DEFAULT_LIMIT,
    page: PageNumber = 1,
):
    check_query_names(request, (*FILTERS, *PAGING_PARAMS))
    plan_obj = None
    if plan:
        plan_obj = Plan.objects.filter(pk=int(plan)).first() if plan.isdigit() and len(plan) < 18 else None
        plan_obj = plan_obj or Plan.objects.filter(slug=plan).first()
        if plan_obj is None:
            raise ApiProblem(
                400,
                _("Det finns ingen handlingsplan ”%(id)s”.") % {"id": plan},
                invalid_parameters=[InvalidParameter("plan", _("är okänd"), plan)],
            )
    focus_number = _int_param("focus-area", focus_area)
    if focus_number is not None and plan_obj is None:
        raise ApiProblem(
            400,
            _("Filtret focus-area kräver plan."),
            invalid_parameters=[InvalidParameter("focus-area", _("kräver parametern plan"), focus_area)],
        )
    year_value = _int_param("year", year)
    if year_value is not None and not 1900 <= year_value <= 2100:
        raise ApiProblem(
            400,
            _("Året är orimligt."),
            invalid_parameters=[InvalidParameter("year", _("måste vara mellan 1900 och 2100"), year)],
        )
    flt = selectors.InitiativeFilter(
        plan=plan_obj,
        focus_area=focus_number,
        priority_area_id=_int_param("priority-area", priority_area),
        organisation_id=_int_param("organisation", organisation),
        municipality=municipality or None,
        status=status or None,
        year=year_value,
    )
    result = paginate(request, _with_details(selectors.initiative_list(flt), request), page=page, limit=limit)
    response["Link"] = result.link_header()
    return result.envelope([initiative_out(request, i) for i in result.items])


# --- Validators: ETag, If-Match, If-None-Match --------------------------------------------------

ETAG_HEADER = {"description": "Insatsens nuvarande ETag (stark validerare).", "schema": {"type": "string"}}
IF_MATCH_DOC = (
    "ETag från en tidigare hämtning. Stämmer den inte med insatsens nuvarande ETag har någon annan ändrat "
    "insatsen under tiden, och svaret blir 412 utan att något ändras. * godtar varje befintlig insats. "
    "Svaga taggar (W/) stämmer aldrig. Utan huvudet ändras insatsen utan kontroll; klienter bör skicka det."
)


def _fetch(request, initiative_id: int) -> tuple[Initiative, InitiativeOut] | None:
    """The initiative and its representation for this caller, or None."""
    initiative = _with_details(
        selectors.initiative_list(selectors.InitiativeFilter(ids=(initiative_id,))), request
    ).first()
    if initiative is None:
        return None
    return initiative, initiative_out(request, initiative)


def initiative_etag(initiative: Initiative, body: InitiativeOut) -> str:
    """A strong validator of what the caller is shown and of the stored row behind it.

    The representation covers changes that leave the row's updated_at alone (a renamed lead organisation,
    a meeting deleted or hidden); updated_at covers stored changes the API does not show (funding,
    outputs, links), which every write through services.initiative_update and initiative_verify bumps.
    """
    state = f"{initiative.pk}|{initiative.updated_at.isoformat()}|{body.model_dump_json(by_alias=True)}"
    return quote_etag(hashlib.sha256(state.encode()).hexdigest()[:32])


def _if_match_passes(header: str, etag: str) -> bool:
    """RFC 9110 13.1.1: strong comparison; * matches any current representation."""
    tags = parse_etags(header)
    return tags == ["*"] or etag in tags


def _if_none_match_fails(header: str, etag: str) -> bool:
    """RFC 9110 13.1.2: weak comparison; * matches any current representation."""
    tags = parse_etags(header)
    return tags == ["*"] or etag.removeprefix("W/") in {tag.removeprefix("W/") for tag in tags}


def precondition_failed() -> ApiProblem:
    return ApiProblem(
        412,
        _(
            "Insatsen har ändrats sedan du hämtade den: If-Match stämmer inte med insatsens nuvarande ETag. "
            "Hämta insatsen igen och gör om ändringen."
        ),
        title=_("Villkoret är inte uppfyllt"),
    )


@router.get(
    "/{initiative_id}",
    response={200: InitiativeOut, 304: None, 400: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="getInitiative",
    url_name="initiative-detail",
    summary="En insats",
    description=(
        "En insats med delmål, områden, principer, roller och kommuner. Svaret har huvudet ETag; skicka det "
        "i If-Match när insatsen ändras (PUT, PATCH), eller i If-None-Match för att få 304 om insatsen inte "
        "har ändrats."
    ),
    openapi_extra={
        "responses": {
            200: {"headers": {"ETag": ETAG_HEADER}},
            304: {
                "description": "Insatsen har inte ändrats sedan hämtningen med den ETag som skickades i If-None-Match.",
                "headers": {"ETag": ETAG_HEADER},
            },
        }
    },
)
def initiative_detail(
    request,
    response: HttpResponse,
    initiative_id: Annotated[int, Path(description="Insatsens id.")],
    if_none_match: Annotated[
        str | None,
        Header(
            None,
            alias="If-None-Match",
            description="ETag från en tidigare hämtning; stämmer den (svag jämförelse) blir svaret 304 utan innehåll.",
        ),
    ] = None,
):
    check_query_names(request, ())
    found = _fetch(request, initiative_id)
    if found is None:
        raise ApiProblem(404, _("Det finns ingen insats med id %(id)s.") % {"id": initiative_id})
    etag = initiative_etag(*found)
    if if_none_match is not None and _if_none_match_fails(if_none_match, etag):
        not_modified = HttpResponse(status=304)
        not_modified["ETag"] = etag
        return not_modified
    response["ETag"] = etag
    return found[1]


def _lookup(problems, name, model, values, field="pk"):
    """`model` is a model or a queryset (to look among the rows the user may see)."""
    rows = getattr(model, "objects", model)
    found = {getattr(o, field): o for o in rows.filter(**{f"{field}__in": values})}
    missing = [str(v) for v in values if v not in found]
    if missing:
        problems.append(
            InvalidParameter(name, _("okända värden: %(v)s") % {"v": ", ".join(missing)}, ",".join(missing))
        )
    return [found[v] for v in values if v in found]


class InitiativePatchIn(CamelSchema):
    """Ändringar i en insats: bara egenskaperna som skickas med ändras, med samma regler som när en insats
    registreras. null tömmer ref, leadOrganisationId, leadMunicipalityCode, endDate, budget och parentId;
    progress null ger statusens förvalda andel. Listor ersätts i sin helhet."""

    ref: str | None = Field(None, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = None
    lead_organisation_id: int | None = None
    lead_municipality_code: str | None = None
    lead_name: str | None = Field(None, max_length=200)
    partner_organisation_ids: list[int] | None = None
    partner_names: str | None = Field(None, max_length=500)
    priority_area_ids: list[int] | None = Field(None, min_length=1)
    principles: list[str] | None = None
    roles: list[str] | None = None
    municipality_codes: list[str] | None = None
    event_ids: list[int] | None = Field(None, description="Id för möten (evenemang) som du kan se.")
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    budget: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    status: str | None = Field(None, description="Statusens kod, t.ex. planned, ongoing, completed.")
    progress: int | None = Field(None, ge=0, le=100)
    weight: Decimal | None = Field(None, gt=0, max_digits=8, decimal_places=2)
    parent_id: int | None = None
    milestones: list[MilestoneIn] | None = None


# Properties that may be null; the others must have a value when they are sent.
NULLABLE = frozenset(
    {"ref", "lead_organisation_id", "lead_municipality_code", "end_date", "budget", "progress", "parent_id"}
)
# The service's field names as the API's property names, for its validation errors.
SERVICE_NAMES = {
    "lead_organisation": "leadOrganisationId",
    "lead_municipality": "leadMunicipalityCode",
    "priority_areas": "priorityAreaIds",
    "partner_organisations": "partnerOrganisationIds",
    "municipalities": "municipalityCodes",
    "events": "eventIds",
    "parent": "parentId",
    NON_FIELD_ERRORS: "body",
}


def _camel(name: str) -> str:
    return SERVICE_NAMES.get(name) or to_camel(name)


def _resolve(request, payload, fields: set[str], problems: list, *, initiative: Initiative | None = None) -> dict:
    """The sent properties looked up and named as the service's keyword arguments. Unknown references
    are added to `problems`, each named by its property."""
    out: dict = {}
    sent = [name for name in type(payload).model_fields if name in fields]
    for name in sent:
        if getattr(payload, name) is None and name not in NULLABLE:
            problems.append(InvalidParameter(_camel(name), _("får inte vara null")))
    fields = {name for name in sent if getattr(payload, name) is not None or name in NULLABLE}
    for name in ("title", "description", "lead_name", "partner_names", "start_date", "end_date", "budget"):
        if name in fields:
            out[name] = getattr(payload, name)
    if "weight" in fields:
        out["weight"] = payload.weight
    if "progress" in fields:
        out["progress"] = payload.progress
    if "status" in fields:
        out["status"] = InitiativeStatus.objects.filter(code=payload.status).first()
        if out["status"] is None:
            problems.append(InvalidParameter("status", _("är okänd"), payload.status))
    # Single references: property sent, service argument, how to find the row, the key as sent.
    references = (
        ("lead_organisation_id", "lead_organisation", Organisation.objects, "pk"),
        ("lead_municipality_code", "lead_municipality", Municipality.objects, "code"),
        ("parent_id", "parent", Initiative.objects, "pk"),
    )
    for name, service_name, rows, key in references:
        if name not in fields:
            continue
        value = getattr(payload, name)
        out[service_name] = None
        if value is not None and value != "":
            out[service_name] = rows.filter(**{key: value}).first()
            if out[service_name] is None:
                problems.append(InvalidParameter(_camel(name), _("är okänd"), str(value)))
    if "ref" in fields:
        out["ref"] = payload.ref or None
        others = Initiative.objects.filter(ref=payload.ref)
        if initiative is not None:
            others = others.exclude(pk=initiative.pk)
        if payload.ref and others.exists():
            problems.append(InvalidParameter("ref", _("används redan av en annan insats"), payload.ref))
    lists = (
        ("priority_area_ids", "priority_areas", PriorityArea, "pk"),
        ("partner_organisation_ids", "partner_organisations", Organisation, "pk"),
        ("principles", "principles", Principle, "code"),
        ("roles", "roles", SocietalRole, "code"),
        ("municipality_codes", "municipalities", Municipality, "code"),
        # Meetings the user cannot see are reported as unknown, so that their existence is not revealed.
        ("event_ids", "events", events_visible_to(request.user), "pk"),
    )
    for name, service_name, model, key in lists:
        if name in fields:
            out[service_name] = _lookup(problems, _camel(name), model, getattr(payload, name), key)
    if "milestones" in fields:
        out["milestones"] = [services.MilestoneIn(m.title, m.due_date, m.completed_on) for m in payload.milestones]
    return out


def _service_problem(exc: ValidationError) -> ApiProblem:
    """The service's validation errors as a 400 naming each property."""
    fields = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    return ApiProblem(
        400,
        " ".join(exc.messages),
        invalid_parameters=[
            InvalidParameter(_camel(name), " ".join(e.message % (e.params or {}) for e in errs))
            for name, errs in fields.items()
        ],
    )


def _check_write(request: HttpRequest, message: str) -> None:
    if not request.user.is_authenticated:
        raise ApiProblem(401, message)
    if check_csrf(request) is not None:
        raise ApiProblem(403, _("CSRF-kontrollen misslyckades: skicka med CSRF-token i huvudet X-CSRFToken."))
    check_query_names(request, ())


def _detail_out(request, initiative_id: int) -> InitiativeOut:
    return _fetch(request, initiative_id)[1]


@router.post(
    "",
    response={201: InitiativeOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut},
    by_alias=True,
    operation_id="createInitiative",
    summary="Registrera en insats",
    description=(
        "Registrerar en insats. Kräver inloggning (sessionscookie med CSRF-token i huvudet X-CSRFToken) och "
        "behörighet för den ansvariga aktören: företrädare för organisationen, handläggare i kommunen (för "
        "kommunen och organisationer i den) eller regionens samordnare (alla, även andra aktörer via leadName)."
    ),
)
def initiative_create(request: HttpRequest, response: HttpResponse, payload: InitiativeIn):
    _check_write(request, _("Logga in för att registrera en insats."))
    problems: list[InvalidParameter] = []
    data = _resolve(request, payload, set(InitiativeIn.model_fields), problems)
    if problems:
        raise request_body_problem(problems)
    try:
        initiative = services.initiative_create(actor=request.user, **data)
    except PermissionDenied as exc:
        raise ApiProblem(403, str(exc) or _("Du får inte registrera insatsen.")) from None
    except ValidationError as exc:
        raise _service_problem(exc) from None
    body = _detail_out(request, initiative.pk)
    response["Location"] = body.url
    return Status(201, body)


def _update(
    request: HttpRequest,
    response: HttpResponse,
    initiative_id: int,
    payload,
    fields: set[str],
    *,
    replace: bool,
    if_match: str | None,
) -> InitiativeOut:
    _check_write(request, _("Logga in för att ändra en insats."))
    # One transaction from the If-Match check to the change, with the row locked: a concurrent request
    # with the same If-Match waits here and then finds a new ETag (412) instead of overwriting.
    with transaction.atomic():
        if not Initiative.objects.select_for_update().filter(pk=initiative_id).values_list("pk", flat=True):
            raise ApiProblem(404, _("Det finns ingen insats med id %(id)s.") % {"id": initiative_id})
        related = ("status", "lead_organisation", "lead_municipality")
        initiative = Initiative.objects.select_related(*related).get(pk=initiative_id)
        if not permissions.can_change_initiative(request.user, initiative):
            raise ApiProblem(403, _("Du får inte ändra den här insatsen."))
        if if_match is not None and not _if_match_passes(if_match, initiative_etag(*_fetch(request, initiative_id))):
            raise precondition_failed()
        problems: list[InvalidParameter] = []
        changes = _resolve(request, payload, fields, problems, initiative=initiative)
        if problems:
            raise request_body_problem(problems)
        if "progress" in changes and changes["progress"] is None:
            # As when registering: no share given means the status's default share.
            changes["progress"] = (changes.get("status") or initiative.status).default_progress
        milestones = changes.pop("milestones", None)
        if replace:
            milestones = milestones or []
        try:
            services.initiative_update(actor=request.user, initiative=initiative, milestones=milestones, **changes)
        except PermissionDenied as exc:
            raise ApiProblem(403, str(exc) or _("Du får inte ändra den här insatsen.")) from None
        except ValidationError as exc:
            raise _service_problem(exc) from None
        # Read inside the transaction: the body and its ETag are the state this request left.
        fresh, body = _fetch(request, initiative_id)
        response["ETag"] = initiative_etag(fresh, body)
    return body


IfMatch = Annotated[str | None, Header(None, alias="If-Match", description=IF_MATCH_DOC)]
UPDATE_RESPONSES = {
    200: InitiativeOut,
    400: ProblemOut,
    401: ProblemOut,
    403: ProblemOut,
    404: ProblemOut,
    412: ProblemOut,
}
UPDATE_OPENAPI = {
    "responses": {
        200: {"headers": {"ETag": ETAG_HEADER}},
        412: {
            "description": (
                "Insatsen har ändrats sedan den hämtades: If-Match stämmer inte med insatsens nuvarande ETag. "
                "Ingenting har ändrats; hämta insatsen igen."
            )
        },
    }
}


UPDATE_RIGHTS = (
    "Kräver inloggning (sessionscookie med CSRF-token i huvudet X-CSRFToken) och rätt att ändra insatsen: "
    "företrädare för den ansvariga organisationen, handläggare i den ansvariga kommunen (eller kommunen där "
    "den ansvariga organisationen finns) eller regionens samordnare. Statusen följer insatsens arbetsflöde. "
    "Finansiering, resultat och länkar ändras inte här. En ändring av någon annan än samordnaren tar bort "
    "verifieringen. Skicka insatsens ETag från GET i If-Match, så att en ändring som någon annan hunnit göra "
    "inte skrivs över: då blir svaret 412 och ingenting ändras. Svaret har insatsens nya ETag."
)


@router.put(
    "/{initiative_id}",
    response=UPDATE_RESPONSES,
    by_alias=True,
    operation_id="replaceInitiative",
    summary="Ersätt en insats",
    description=(
        "Ersätter insatsens uppgifter med de som skickas, med samma regler som när en insats registreras: "
        "utelämnade egenskaper får sina standardvärden (tomma listor, inga delmål, progress enligt statusen). "
        + UPDATE_RIGHTS
    ),
    openapi_extra=UPDATE_OPENAPI,
)
def initiative_replace(
    request: HttpRequest,
    response: HttpResponse,
    initiative_id: Annotated[int, Path(description="Insatsens id.")],
    payload: InitiativeIn,
    if_match: IfMatch = None,
):
    fields = set(InitiativeIn.model_fields)
    return _update(request, response, initiative_id, payload, fields, replace=True, if_match=if_match)


@router.patch(
    "/{initiative_id}",
    response=UPDATE_RESPONSES,
    by_alias=True,
    operation_id="updateInitiative",
    summary="Ändra delar av en insats",
    description="Ändrar bara de egenskaper som skickas med. " + UPDATE_RIGHTS,
    openapi_extra=UPDATE_OPENAPI,
)
def initiative_update(
    request: HttpRequest,
    response: HttpResponse,
    initiative_id: Annotated[int, Path(description="Insatsens id.")],
    payload: InitiativePatchIn,
    if_match: IfMatch = None,
):
    fields = set(payload.model_fields_set)
    return _update(request, response, initiative_id, payload, fields, replace=False, if_match=if_match)
