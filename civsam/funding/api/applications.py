"""API: applications to the Region's own calls, readable and writable by their applicant and by
the staff who handle the call (docs/adr/0069-*). A draft is made and changed here and sent in
with its own operation; the steps after that (review, decision, payment) are the officer's, in the
browser."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Router, Status
from pydantic import Field
from pydantic.alias_generators import to_camel

from civsam.core.apiguards import problem_from_validation, require_signed_in
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
from civsam.registry import orgnr as orgnr_rules
from civsam.registry.models import Organisation

from .. import permissions, selectors, services
from ..models import Application

router = Router(tags=["finansiering"])

ApplicationId = Annotated[int, Path(ge=1, le=2**62, description="Ansökans id.")]
RIGHTS = (
    "Kräver inloggning (sessionscookie; skrivningar med CSRF-token i huvudet X-CSRFToken). Den sökande "
    "organisationens företrädare ser och skriver dess ansökningar; handläggare hos utlysningens bidragsgivare "
    "och tilldelade bedömare ser dem."
)


class DecisionOut(CamelSchema):
    outcome: str = Field(description="approved, partly_approved eller rejected")
    amount_granted: Decimal
    decision_date: datetime.date
    decision_maker: str = Field(description="committee (nämnden) eller delegation")
    decision_maker_name: str
    reasons: str


class ApplicationOut(CamelSchema):
    """En ansökan till en av Regionens utlysningar."""

    id: int
    call_id: int
    call_title: str
    organisation: str = Field(description="Den sökande organisationens organisationsnummer.")
    organisation_name: str
    title: str
    status: str = Field(
        description="draft, submitted, completion_requested, in_review, approved, partly_approved, rejected, "
        "paid, follow_up_due, follow_up_received, closed eller withdrawn"
    )
    case_number: str | None = Field(None, description="Diarienummer, när ansökan är inskickad.")
    amount_applied: Decimal | None = None
    years: int
    answers: dict[str, Any] = Field(description="Svaren per frågans nyckel i utlysningens formulär.")
    contact_email: str | None = None
    submitted_at: datetime.datetime | None = None
    decision: DecisionOut | None = None
    problems: list[str] = Field(description="Det som saknas eller inte uppfyller reglerna innan den kan skickas in.")
    web_url: str


class ApplicationIn(InSchema):
    """En ny ansökan, som utkast."""

    call_id: int = Field(description="Utlysningens id.")
    organisation: str = Field(description="Den sökande organisationens organisationsnummer.")
    title: str = Field(min_length=1, max_length=200)
    amount_applied: Decimal | None = Field(None, description="Sökt belopp i kronor.")
    years: int = Field(1, description="Antal år bidraget söks för (programmets alternativ).")
    answers: dict[str, Any] = Field(default_factory=dict, description="Svar per frågans nyckel.")
    contact_email: str = Field("", max_length=254, description="E-post för kvitto och beslut.")


class ApplicationPatchIn(InSchema):
    """Ändringar i ett utkast (eller en ansökan med begärd komplettering); bara egenskaperna som skickas."""

    title: str | None = Field(None, min_length=1, max_length=200)
    amount_applied: Decimal | None = None
    years: int | None = None
    answers: dict[str, Any] | None = Field(None, description="Ersätter svaren på de frågor som skickas.")
    contact_email: str | None = Field(None, max_length=254)


def _property(name: str) -> str:
    """A service's error key as the body's property: an answer is named inside `answers`."""
    if name == NON_FIELD_ERRORS:
        return "body"
    if name in ("title", "amount_applied", "years", "contact_email"):
        return to_camel(name)
    return f"answers.{name}"


def _problem_from(exc: ValidationError) -> ApiProblem:
    return problem_from_validation(exc, name=_property)


def _out(request: HttpRequest, application: Application) -> ApplicationOut:
    decision = getattr(application, "decision", None)
    editable = permissions.can_edit_application(request.user, application)
    return ApplicationOut(
        id=application.pk,
        call_id=application.call_id,
        call_title=application.call.title,
        organisation=application.organisation.orgnr,
        organisation_name=application.organisation.name,
        title=application.title,
        status=application.status,
        case_number=application.case_number or None,
        amount_applied=application.amount_applied,
        years=application.years,
        answers=application.answers,
        contact_email=application.contact_email or None,
        submitted_at=application.submitted_at,
        decision=DecisionOut(
            outcome=decision.outcome,
            amount_granted=decision.amount_granted,
            decision_date=decision.decision_date,
            decision_maker=decision.decision_maker,
            decision_maker_name=decision.decision_maker_name,
            reasons=decision.reasons,
        )
        if decision is not None
        else None,
        problems=services.applications.problems(application) if editable else [],
        web_url=request.build_absolute_uri(application.get_absolute_url()),
    )


def _signed_in(request: HttpRequest, *, write: bool) -> None:
    require_signed_in(request, _("Logga in för att se och skriva ansökningar."), write=write)


def _fetch(request: HttpRequest, pk: int) -> Application:
    application = selectors.application_detail(pk)
    if application is None or not permissions.can_view_application(request.user, application):
        raise ApiProblem(404, _("Ansökan finns inte."))
    return application


@router.get(
    "/applications",
    response={200: PageOut[ApplicationOut], 400: ProblemOut, 401: ProblemOut},
    by_alias=True,
    operation_id="listApplications",
    summary="Ansökningar",
    description="Ansökningarna som den inloggade får se, nyast först. " + RIGHTS,
)
def application_list(request: HttpRequest, response: HttpResponse, limit: Limit = DEFAULT_LIMIT, page: PageNumber = 1):
    check_query_names(request, PAGING_PARAMS)
    _signed_in(request, write=False)
    result = paginate(request, selectors.application_list(user=request.user), page=page, limit=limit)
    response["Link"] = result.link_header()
    return result.envelope([_out(request, a).model_dump(by_alias=True) for a in result.items])


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationOut, 400: ProblemOut, 401: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="getApplication",
    summary="En ansökan",
    description="En ansökan med svar, status, diarienummer och beslut. " + RIGHTS,
)
def application_detail(request: HttpRequest, application_id: ApplicationId):
    check_query_names(request, ())
    _signed_in(request, write=False)
    return _out(request, _fetch(request, application_id))


@router.post(
    "/applications",
    response={201: ApplicationOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut},
    by_alias=True,
    operation_id="createApplication",
    summary="Påbörja en ansökan",
    description="Sparar ett utkast till en ansökan i en öppen utlysning. Organisationen binder ansökan: bara den "
    "som företräder organisationen (eller handläggare i dess kommun) får söka för den, annars 403. " + RIGHTS,
)
def application_create(request: HttpRequest, response: HttpResponse, payload: ApplicationIn):
    check_query_names(request, ())
    _signed_in(request, write=True)
    problems: list[InvalidParameter] = []
    call = selectors.call_list(user=request.user).filter(pk=payload.call_id).first()
    if call is None or call.programme_id is None:
        problems.append(InvalidParameter("callId", _("är ingen utlysning som tar emot ansökningar i Civsam")))
    organisation = None
    try:
        organisation = Organisation.objects.filter(orgnr=orgnr_rules.normalise(payload.organisation)).first()
    except orgnr_rules.OrgnrError as exc:
        problems.append(InvalidParameter("organisation", str(exc).rstrip("."), payload.organisation))
    else:
        if organisation is None:
            problems.append(InvalidParameter("organisation", _("finns inte i registret"), payload.organisation))
    if problems:
        raise invalid_parameters_problem(problems)
    if not permissions.can_apply_for(request.user, organisation):
        raise ApiProblem(403, _("Du kan bara söka för en organisation som du företräder."))
    try:
        application = services.application_create(
            actor=request.user,
            call=call,
            organisation=organisation,
            data=services.ApplicationData(
                title=payload.title,
                amount_applied=payload.amount_applied,
                years=payload.years,
                answers=payload.answers,
                contact_email=payload.contact_email,
            ),
        )
    except ValidationError as exc:
        raise _problem_from(exc) from None
    body = _out(request, _fetch(request, application.pk))
    response["Location"] = request.build_absolute_uri(f"/api/v1/applications/{application.pk}")
    return Status(201, body)


@router.patch(
    "/applications/{application_id}",
    response={200: ApplicationOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="updateApplication",
    summary="Ändra en ansökan",
    description="Ändrar egenskaperna som skickas i ett utkast eller i en ansökan där komplettering är begärd. "
    "answers ersätter svaren på de frågor som skickas; övriga svar står kvar. " + RIGHTS,
)
def application_update(request: HttpRequest, application_id: ApplicationId, payload: ApplicationPatchIn):
    check_query_names(request, ())
    _signed_in(request, write=True)
    with transaction.atomic():
        application = _fetch(request, application_id)
        if not permissions.can_edit_application(request.user, application):
            raise ApiProblem(403, _("Du får inte ändra den här ansökan nu."))
        sent = payload.model_fields_set
        for name in ("title", "years"):
            if name in sent and getattr(payload, name) is None:
                raise request_body_problem([InvalidParameter(to_camel(name), _("får inte vara null"))])
        merged = {**application.answers, **(payload.answers or {})}
        data = services.ApplicationData(
            title=payload.title if "title" in sent else application.title,
            amount_applied=payload.amount_applied if "amount_applied" in sent else application.amount_applied,
            years=payload.years if "years" in sent else application.years,
            answers={key: value for key, value in merged.items() if value is not None},
            contact_email=(payload.contact_email or "") if "contact_email" in sent else application.contact_email,
        )
        try:
            services.application_update(actor=request.user, application=application, data=data)
        except ValidationError as exc:
            raise _problem_from(exc) from None
    return _out(request, _fetch(request, application_id))


@router.post(
    "/applications/{application_id}/submit",
    response={200: ApplicationOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="submitApplication",
    summary="Skicka in en ansökan",
    description="Skickar in utkastet (eller kompletteringen). Allt som krävs ska vara besvarat och programmets "
    "regler uppfyllda; annars 400 med det som saknas. Första gången får ansökan ett diarienummer och den sökande "
    "ett kvitto med e-post. " + RIGHTS,
)
def application_submit(request: HttpRequest, application_id: ApplicationId):
    check_query_names(request, ())
    _signed_in(request, write=True)
    application = _fetch(request, application_id)
    if not permissions.can_edit_application(request.user, application):
        raise ApiProblem(403, _("Du får inte skicka in den här ansökan."))
    try:
        services.application_submit(actor=request.user, application=application)
    except ValidationError as exc:
        raise _problem_from(exc) from None
    return _out(request, _fetch(request, application_id))
