"""API: registering an initiative (POST), replacing one (PUT) and changing the properties sent (PATCH).

PUT and PATCH honour If-Match: services.initiative_update compares it under the row lock and a
stale tag gives 412 (docs/adr/0048-*)."""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Header, Path, Status
from ninja.utils import check_csrf
from pydantic.alias_generators import to_camel

from civsam.core.apitools import (
    ApiProblem,
    InvalidParameter,
    ProblemOut,
    check_query_names,
    request_body_problem,
)
from civsam.core.consequences import ConsequencesIn
from civsam.core.models import Municipality, Principle, SocietalRole
from civsam.registry.models import Organisation

from ... import loaders, services
from ...models import FrameTag, Initiative, InitiativeStatus, PriorityArea
from .common import ETAG_HEADER, IF_MATCH_DOC, expected_versions, fetch, initiative_etag, precondition_failed, router
from .schemas import InitiativeIn, InitiativeOut, InitiativePatchIn


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


# Properties that may be null; the others must have a value when they are sent.
NULLABLE = frozenset(
    {
        "ref",
        "lead_organisation_id",
        "lead_municipality_code",
        "end_date",
        "budget",
        "progress",
        "parent_id",
        "consequences",
    }
)
# The service's field names as the API's property names, for its validation errors.
SERVICE_NAMES = {
    "lead_organisation": "leadOrganisationId",
    "lead_municipality": "leadMunicipalityCode",
    "priority_areas": "priorityAreaIds",
    "partner_organisations": "partnerOrganisationIds",
    "municipalities": "municipalityCodes",
    "parent": "parentId",
    NON_FIELD_ERRORS: "body",
}


def _camel(name: str) -> str:
    return SERVICE_NAMES.get(name) or to_camel(name)


def _resolve(payload, fields: set[str], problems: list, *, initiative: Initiative | None = None) -> dict:
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
        ("frame_tags", "frame_tags", FrameTag, "code"),
        ("municipality_codes", "municipalities", Municipality, "code"),
    )
    for name, service_name, model, key in lists:
        if name in fields:
            out[service_name] = _lookup(problems, _camel(name), model, getattr(payload, name), key)
    if "consequences" in fields:
        # null (or, with PUT, left out): none of the three is assessed.
        out["consequences"] = (payload.consequences or ConsequencesIn()).service_values()
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


# A sub-initiative's progress replaces its parent's in the roll-up: the link binds to the parent.
PARENT_RIGHTS = (
    "Att lägga insatsen under en annan insats (parentId), eller ta den därifrån, kräver rätt att ändra "
    "den andra insatsen; annars blir svaret 403. Med PUT tar en utelämnad parentId insatsen därifrån."
)


def _check_write(request: HttpRequest, message: str) -> None:
    if not request.user.is_authenticated:
        raise ApiProblem(401, message)
    if check_csrf(request) is not None:
        raise ApiProblem(403, _("CSRF-kontrollen misslyckades: skicka med CSRF-token i huvudet X-CSRFToken."))
    check_query_names(request, ())


@router.post(
    "",
    response={201: InitiativeOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut},
    by_alias=True,
    operation_id="createInitiative",
    summary="Registrera en insats",
    description=(
        "Registrerar en insats. Kräver inloggning (sessionscookie med CSRF-token i huvudet X-CSRFToken) och "
        "behörighet för den ansvariga aktören: företrädare för organisationen, handläggare i kommunen (för "
        "kommunen och organisationer i den) eller regionens samordnare (alla, även andra aktörer via leadName). "
        + PARENT_RIGHTS
    ),
)
def initiative_create(request: HttpRequest, response: HttpResponse, payload: InitiativeIn):
    _check_write(request, _("Logga in för att registrera en insats."))
    problems: list[InvalidParameter] = []
    data = _resolve(payload, set(InitiativeIn.model_fields), problems)
    if problems:
        raise request_body_problem(problems)
    try:
        initiative = services.initiative_create(actor=request.user, **data)
    except ValidationError as exc:
        raise _service_problem(exc) from None
    _initiative, body = fetch(request, initiative.pk)
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
    # One transaction to the response, so that the body and its ETag are the state this request left.
    with transaction.atomic():
        initiative = loaders.changeable_initiative(
            request.user, initiative_id, message=_("Du får inte ändra den här insatsen.")
        )
        problems: list[InvalidParameter] = []
        changes = _resolve(payload, fields, problems, initiative=initiative)
        if problems:
            raise request_body_problem(problems)
        if "progress" in changes and changes["progress"] is None:
            # As when registering: no share given means the status's default share.
            changes["progress"] = (changes.get("status") or initiative.status).default_progress
        milestones = changes.pop("milestones", None)
        if replace:
            milestones = milestones or []
        try:
            services.initiative_update(
                actor=request.user,
                initiative=initiative,
                expected_version=expected_versions(if_match),
                milestones=milestones,
                **changes,
            )
        except services.InitiativeChanged:
            raise precondition_failed() from None
        except ValidationError as exc:
            raise _service_problem(exc) from None
        fresh, body = fetch(request, initiative_id)
        response["ETag"] = initiative_etag(fresh)
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
    "inte skrivs över: då blir svaret 412 och ingenting ändras. Svaret har insatsens nya ETag. " + PARENT_RIGHTS
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
