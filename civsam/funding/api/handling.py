"""API: the staff's steps on applications to the Region's own calls (ADR 0104) — the officer starts
the review, assigns reviewers, reads the scores side by side and decides; the reviewer declares
conflicts of interest, scores and hands in; the officer puts due instalments in a payment file and
confirms it paid. Every step is the service the browser uses, with its permission pair and audit
log; a refusal is 403, an object the caller may not see is 404."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Router, Status
from pydantic import Field
from pydantic.alias_generators import to_camel

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
)

from .. import loaders, permissions, selectors, services
from ..models import Application, ApplicationDecision, Instalment, PaymentBatch, ReviewAssignment
from .applications import ApplicationId, ApplicationOut, _fetch, _out, _signed_in

router = Router(tags=["finansiering"])

AssignmentId = Annotated[int, Path(ge=1, le=2**62, description="Bedömningsuppdragets id.")]
BatchId = Annotated[int, Path(ge=1, le=2**62, description="Utbetalningsfilens id.")]
OFFICER = (
    "Kräver inloggning som handläggare hos utlysningens bidragsgivare (skrivningar med CSRF-token i huvudet "
    "X-CSRFToken); andra får 403, eller 404 för en ansökan de inte får se."
)
REVIEWER = (
    "Kräver inloggning som den bedömare uppdraget gäller (skrivningar med CSRF-token i huvudet X-CSRFToken); "
    "andra får 403 eller 404."
)


# --- Shapes ---------------------------------------------------------------------------------------


class ReviewCriterionOut(CamelSchema):
    id: int
    title: str
    description: str
    max_score: int
    weight: Decimal


class ReviewScoreOut(CamelSchema):
    criterion_id: int
    score: int
    comment: str


class ReviewAssignmentOut(CamelSchema):
    """En bedömares uppdrag på en ansökan."""

    id: int
    application_id: int
    case_number: str | None
    application_title: str
    organisation_name: str
    reviewer: str = Field(description="Bedömarens namn.")
    status: str = Field(description="assigned, cleared (inget jäv), recused (jävig) eller submitted")
    conflict_note: str
    comment: str = Field(description="Bedömarens sammanfattning och rekommendation.")
    criteria: list[ReviewCriterionOut]
    scores: list[ReviewScoreOut]
    answers: dict[str, Any] | None = Field(
        None, description="Ansökans svar; bara för en bedömare som har deklarerat att hen inte är jävig."
    )
    assigned_at: datetime.datetime
    submitted_at: datetime.datetime | None


class ReviewerIn(InSchema):
    reviewer_id: int = Field(ge=1, description="Id för en användare med rollen bedömare.")


class DeclarationIn(InSchema):
    conflict: bool = Field(description="true om bedömaren är jävig; då deltar hen inte mer i ärendet.")
    note: str = Field("", max_length=2000, description="Vad jävet består i.")


class ReviewScoreIn(InSchema):
    criterion_id: int = Field(ge=1)
    score: int | None = Field(None, ge=0, le=100, description="Poäng från 0 till kriteriets högsta; null tar bort.")
    comment: str = Field("", max_length=4000)


class ReviewScoresIn(InSchema):
    scores: list[ReviewScoreIn] = Field(max_length=100)
    comment: str = Field("", max_length=8000, description="Sammanfattning och rekommendation.")


class ScoreColumnOut(CamelSchema):
    assignment_id: int
    reviewer: str
    status: str
    comment: str
    scores: list[ReviewScoreOut]
    weighted_percent: Decimal | None = Field(
        None, description="Σ vikt × poäng / Σ vikt × högsta, i procent, när alla kriterier har poäng."
    )


class ScoreTableOut(CamelSchema):
    application_id: int
    criteria: list[ReviewCriterionOut]
    reviewers: list[ScoreColumnOut]
    means: dict[str, Decimal] = Field(description="Medelpoäng per kriteriets id.")
    recused: list[str] = Field(description="Bedömare som har anmält jäv.")


class ApplicationDecisionIn(InSchema):
    outcome: str = Field(description="approved, partly_approved eller rejected")
    amount_granted: Decimal = Field(ge=0, max_digits=12, decimal_places=2, description="Kronor; 0 vid avslag.")
    reasons: str = Field(min_length=1, max_length=8000)
    decision_maker: str = Field(description="committee (nämnden) eller delegation")
    decision_maker_name: str = Field(min_length=1, max_length=200)
    decision_date: datetime.date
    year_from: int = Field(ge=2000, le=2200)
    year_to: int = Field(ge=2000, le=2200)
    conditions: str = Field("", max_length=4000)


class InstalmentOut(CamelSchema):
    id: int
    application_id: int
    case_number: str
    organisation_name: str
    funder_id: int
    number: int
    amount: Decimal
    due_date: datetime.date
    status: str = Field(description="planned, exported eller paid")


class PaymentBatchIn(InSchema):
    instalment_ids: list[int] = Field(min_length=1, max_length=1000, description="Förfallna delbetalningar.")


class PaymentBatchOut(CamelSchema):
    id: int
    funder_id: int
    status: str = Field(description="exported eller paid")
    paid_on: datetime.date | None
    amount: Decimal
    instalments: list[InstalmentOut]
    file_url: str = Field(description="Utbetalningsfilen (CSV) för ekonomisystemet.")


class PaymentConfirmationIn(InSchema):
    paid_on: datetime.date = Field(description="Dagen ekonomisystemet betalade ut filen.")


# --- Helpers --------------------------------------------------------------------------------------


def _refused(exc: ValidationError, property_of=to_camel) -> ApiProblem:
    if not hasattr(exc, "error_dict"):
        return ApiProblem(400, " ".join(exc.messages))
    return ApiProblem(
        400,
        " ".join(exc.messages),
        invalid_parameters=[
            InvalidParameter(
                "body" if name == NON_FIELD_ERRORS else property_of(name),
                " ".join(e.message % (e.params or {}) for e in errors),
            )
            for name, errors in exc.error_dict.items()
        ],
    )


def _handled(request: HttpRequest, pk: int) -> Application:
    """An application the caller handles; 404 for one they may not see, 403 for one they may."""
    application = _fetch(request, pk)
    if not application.case_number or not permissions.can_handle_application(request.user, application):
        raise PermissionDenied
    return application


def _name(user) -> str:
    return user.get_full_name() or user.username


def _criteria(criteria) -> list[ReviewCriterionOut]:
    return [
        ReviewCriterionOut(id=c.pk, title=c.title, description=c.description, max_score=c.max_score, weight=c.weight)
        for c in criteria
    ]


def _assignment_out(assignment: ReviewAssignment) -> ReviewAssignmentOut:
    application = assignment.application
    shows = assignment.status in (ReviewAssignment.Status.CLEARED, ReviewAssignment.Status.SUBMITTED)
    return ReviewAssignmentOut(
        id=assignment.pk,
        application_id=application.pk,
        case_number=application.case_number or None,
        application_title=application.title,
        organisation_name=application.organisation.name,
        reviewer=_name(assignment.reviewer),
        status=assignment.status,
        conflict_note=assignment.conflict_note,
        comment=assignment.comment,
        criteria=_criteria(application.call.criteria.all()),
        scores=[
            ReviewScoreOut(criterion_id=s.criterion_id, score=s.score, comment=s.comment)
            for s in assignment.scores.all()
        ],
        answers=application.answers if shows else None,
        assigned_at=assignment.assigned_at,
        submitted_at=assignment.submitted_at,
    )


def _assignments():
    return ReviewAssignment.objects.select_related(
        "application__call__source__funder", "application__organisation", "reviewer"
    ).prefetch_related("scores", "application__call__criteria")


def _own_assignment(request: HttpRequest, pk: int) -> ReviewAssignment:
    assignment = _assignments().filter(pk=pk).first()
    if assignment is None or not permissions.review_assignments_visible_to(request.user).filter(pk=pk).exists():
        raise ApiProblem(404, _("Bedömningsuppdraget finns inte."))
    if not permissions.can_act_on_review(request.user, assignment):
        raise PermissionDenied
    return assignment


def _instalment_out(row: Instalment) -> InstalmentOut:
    application = row.application
    return InstalmentOut(
        id=row.pk,
        application_id=application.pk,
        case_number=application.case_number,
        organisation_name=application.organisation.name,
        funder_id=application.call.source.funder_id,
        number=row.number,
        amount=row.amount,
        due_date=row.due_date,
        status=row.status,
    )


def _batch_out(request: HttpRequest, batch: PaymentBatch) -> PaymentBatchOut:
    rows = list(
        batch.instalments.select_related("application__organisation", "application__call__source").order_by("pk")
    )
    return PaymentBatchOut(
        id=batch.pk,
        funder_id=batch.funder_id,
        status=batch.status,
        paid_on=batch.paid_on,
        amount=sum((r.amount for r in rows), Decimal(0)),
        instalments=[_instalment_out(r) for r in rows],
        file_url=request.build_absolute_uri(reverse("funding:payment-batch-file", args=[batch.pk])),
    )


# --- The officer: review and decision ---------------------------------------------------------------


@router.post(
    "/applications/{application_id}/start-review",
    response={200: ApplicationOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="startApplicationReview",
    summary="Påbörja bedömningen",
    description="Flyttar en inskickad ansökan till bedömning. " + OFFICER,
)
def application_start_review(request: HttpRequest, application_id: ApplicationId):
    check_query_names(request, ())
    _signed_in(request, write=True)
    application = _handled(request, application_id)
    try:
        services.application_start_review(actor=request.user, application=application)
    except ValidationError as exc:
        raise _refused(exc) from None
    return _out(request, _fetch(request, application_id))


@router.post(
    "/applications/{application_id}/reviewers",
    response={201: ReviewAssignmentOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="assignApplicationReviewer",
    summary="Tilldela en bedömare",
    description="Tilldelar en användare med rollen bedömare; den som företräder den sökande kan inte "
    "tilldelas. Bedömaren deklarerar jäv innan hen ser ansökan. " + OFFICER,
)
def application_assign_reviewer(
    request: HttpRequest, response: HttpResponse, application_id: ApplicationId, payload: ReviewerIn
):
    check_query_names(request, ())
    _signed_in(request, write=True)
    application = _handled(request, application_id)
    reviewer = selectors.reviewers_available().filter(pk=payload.reviewer_id).first()
    if reviewer is None:
        raise invalid_parameters_problem(
            [InvalidParameter("reviewerId", _("är ingen aktiv användare med rollen bedömare"))]
        )
    try:
        assignment = services.review_assign(actor=request.user, application=application, reviewer=reviewer)
    except ValidationError as exc:
        raise _refused(exc) from None
    response["Location"] = request.build_absolute_uri(f"/api/v1/review-assignments/{assignment.pk}")
    return Status(201, _assignment_out(_assignments().get(pk=assignment.pk)))


@router.get(
    "/applications/{application_id}/scores",
    response={200: ScoreTableOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="getApplicationScores",
    summary="Bedömarnas poäng sida vid sida",
    description="Kriterierna, varje bedömares poäng, kommentar och viktade summa, medelpoäng per kriterium "
    "och de bedömare som anmält jäv. " + OFFICER,
)
def application_scores(request: HttpRequest, application_id: ApplicationId):
    check_query_names(request, ())
    _signed_in(request, write=False)
    application = _fetch(request, application_id)
    if not permissions.can_view_scores(request.user, application):
        raise PermissionDenied
    table = selectors.score_table(application)
    return ScoreTableOut(
        application_id=application.pk,
        criteria=_criteria(table.criteria),
        reviewers=[
            ScoreColumnOut(
                assignment_id=column.assignment.pk,
                reviewer=_name(column.assignment.reviewer),
                status=column.assignment.status,
                comment=column.assignment.comment,
                scores=[
                    ReviewScoreOut(criterion_id=s.criterion_id, score=s.score, comment=s.comment)
                    for s in column.scores.values()
                ],
                weighted_percent=column.weighted,
            )
            for column in table.columns
        ],
        means={str(pk): mean for pk, mean in table.means.items()},
        recused=[_name(a.reviewer) for a in table.recused],
    )


@router.post(
    "/applications/{application_id}/decision",
    response={201: ApplicationOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="decideApplication",
    summary="Besluta om en ansökan",
    description="Beslut om en ansökan under bedömning: utfall, belopp, motivering, beslutsfattare och datum. "
    "Utlysningens budget kan aldrig överskridas, inte heller av samtidiga beslut (400 med det som återstår). "
    "Beviljade bidrag förs in i det offentliga bidragsregistret och planeras i delbetalningar och "
    "återrapporter; den sökande får besked med e-post. " + OFFICER,
)
def application_decide(
    request: HttpRequest, response: HttpResponse, application_id: ApplicationId, payload: ApplicationDecisionIn
):
    check_query_names(request, ())
    _signed_in(request, write=True)
    problems = []
    if payload.outcome not in ApplicationDecision.Outcome.values:
        problems.append(InvalidParameter("outcome", _("ska vara approved, partly_approved eller rejected")))
    if payload.decision_maker not in ApplicationDecision.Maker.values:
        problems.append(InvalidParameter("decisionMaker", _("ska vara committee eller delegation")))
    if problems:
        raise invalid_parameters_problem(problems)
    application = _handled(request, application_id)
    try:
        services.application_decide(
            actor=request.user,
            application=application,
            data=services.DecisionData(**payload.model_dump()),
        )
    except ValidationError as exc:
        raise _refused(exc) from None
    response["Location"] = request.build_absolute_uri(f"/api/v1/applications/{application_id}")
    return Status(201, _out(request, _fetch(request, application_id)))


# --- The reviewer -----------------------------------------------------------------------------------


@router.get(
    "/review-assignments",
    response={200: PageOut[ReviewAssignmentOut], 400: ProblemOut, 401: ProblemOut},
    by_alias=True,
    operation_id="listReviewAssignments",
    summary="Bedömningsuppdrag",
    description="Den inloggade bedömarens egna uppdrag, nyast först (handläggaren ser bedömningarna i "
    "/applications/{applicationId}/scores). Svaren visas bara i uppdrag där bedömaren har deklarerat att hen "
    "inte är jävig.",
)
def review_assignment_list(
    request: HttpRequest, response: HttpResponse, limit: Limit = DEFAULT_LIMIT, page: PageNumber = 1
):
    check_query_names(request, PAGING_PARAMS)
    _signed_in(request, write=False)
    visible = permissions.review_assignments_visible_to(request.user).values("pk")
    qs = _assignments().filter(pk__in=visible).order_by("-assigned_at", "-id")
    result = paginate(request, qs, page=page, limit=limit)
    response["Link"] = result.link_header()
    return result.envelope([_assignment_out(a).model_dump(by_alias=True) for a in result.items])


@router.get(
    "/review-assignments/{assignment_id}",
    response={200: ReviewAssignmentOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="getReviewAssignment",
    summary="Ett bedömningsuppdrag",
    description="Uppdraget med kriterierna, bedömarens poäng och, efter deklarationen utan jäv, ansökans svar. "
    + REVIEWER,
)
def review_assignment_detail(request: HttpRequest, assignment_id: AssignmentId):
    check_query_names(request, ())
    _signed_in(request, write=False)
    return _assignment_out(_own_assignment(request, assignment_id))


@router.post(
    "/review-assignments/{assignment_id}/declaration",
    response={200: ReviewAssignmentOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="declareReviewConflict",
    summary="Deklarera jäv",
    description="Bedömaren deklarerar om hen är jävig. Jävig: hen deltar inte mer och ser inga svar. " + REVIEWER,
)
def review_declare(request: HttpRequest, assignment_id: AssignmentId, payload: DeclarationIn):
    check_query_names(request, ())
    _signed_in(request, write=True)
    assignment = _own_assignment(request, assignment_id)
    try:
        services.review_declare(actor=request.user, assignment=assignment, conflict=payload.conflict, note=payload.note)
    except ValidationError as exc:
        raise _refused(exc) from None
    return _assignment_out(_assignments().get(pk=assignment_id))


def _score_property(name: str) -> str:
    return name if name.startswith("scores") else to_camel(name)


@router.put(
    "/review-assignments/{assignment_id}/scores",
    response={200: ReviewAssignmentOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="saveReviewScores",
    summary="Spara poäng och rekommendation",
    description="Poäng per kriterium (högst kriteriets högsta poäng; null tar bort en poäng) och bedömarens "
    "sammanfattning och rekommendation. Bara efter en deklaration utan jäv och innan bedömningen är lämnad. "
    + REVIEWER,
)
def review_scores_save(request: HttpRequest, assignment_id: AssignmentId, payload: ReviewScoresIn):
    check_query_names(request, ())
    _signed_in(request, write=True)
    assignment = _own_assignment(request, assignment_id)
    try:
        services.review_scores_save(
            actor=request.user,
            assignment=assignment,
            scores=[services.ScoreData(s.criterion_id, s.score, s.comment) for s in payload.scores],
            comment=payload.comment,
        )
    except ValidationError as exc:
        raise _refused(exc, _score_property) from None
    return _assignment_out(_assignments().get(pk=assignment_id))


@router.post(
    "/review-assignments/{assignment_id}/submit",
    response={200: ReviewAssignmentOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="submitReview",
    summary="Lämna bedömningen",
    description="Lämnar bedömningen när varje kriterium har poäng; handläggaren ser den då sida vid sida med "
    "de andras. " + REVIEWER,
)
def review_submit(request: HttpRequest, assignment_id: AssignmentId):
    check_query_names(request, ())
    _signed_in(request, write=True)
    assignment = _own_assignment(request, assignment_id)
    try:
        services.review_submit(actor=request.user, assignment=assignment)
    except ValidationError as exc:
        raise _refused(exc) from None
    return _assignment_out(_assignments().get(pk=assignment_id))


# --- Payments -------------------------------------------------------------------------------------


@router.get(
    "/instalments-due",
    response={200: PageOut[InstalmentOut], 400: ProblemOut, 401: ProblemOut, 403: ProblemOut},
    by_alias=True,
    operation_id="listDueInstalments",
    summary="Förfallna delbetalningar",
    description="Planerade delbetalningar som får betalas ut i dag, av bidrag från de bidragsgivare den "
    "inloggade handlägger. " + OFFICER,
)
def instalments_due(request: HttpRequest, response: HttpResponse, limit: Limit = DEFAULT_LIMIT, page: PageNumber = 1):
    check_query_names(request, PAGING_PARAMS)
    _signed_in(request, write=False)
    if not permissions.can_pay_grants(request.user):
        raise PermissionDenied
    qs = selectors.instalments_due(user=request.user, today=timezone.localdate()).order_by("due_date", "pk")
    result = paginate(request, qs, page=page, limit=limit)
    response["Link"] = result.link_header()
    return result.envelope([_instalment_out(i).model_dump(by_alias=True) for i in result.items])


@router.post(
    "/payment-batches",
    response={201: PaymentBatchOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut},
    by_alias=True,
    operation_id="createPaymentBatch",
    summary="Gör en utbetalningsfil",
    description="En utbetalningsfil (CSV) av förfallna delbetalningar från en och samma bidragsgivare, var och "
    "en till organisationens registrerade bankgiro eller plusgiro (kontrollsiffran prövad). " + OFFICER,
)
def payment_batch_create(request: HttpRequest, response: HttpResponse, payload: PaymentBatchIn):
    check_query_names(request, ())
    _signed_in(request, write=True)
    if not permissions.can_pay_grants(request.user):
        raise PermissionDenied
    due = {i.pk: i for i in selectors.instalments_due(user=request.user, today=timezone.localdate())}
    unknown = [pk for pk in payload.instalment_ids if pk not in due]
    if unknown:
        raise invalid_parameters_problem(
            [
                InvalidParameter(
                    "instalmentIds",
                    _("innehåller delbetalningar som inte är förfallna eller inte dina att betala ut: %(ids)s")
                    % {"ids": ", ".join(str(pk) for pk in unknown)},
                )
            ]
        )
    chosen = [due[pk] for pk in dict.fromkeys(payload.instalment_ids)]
    funders = {i.application.call.source.funder for i in chosen}
    if len(funders) != 1:
        raise invalid_parameters_problem(
            [InvalidParameter("instalmentIds", _("hör till flera bidragsgivare; en fil gäller en bidragsgivare"))]
        )
    try:
        batch = services.payment_batch_create(actor=request.user, funder=funders.pop(), instalments=chosen)
    except ValidationError as exc:
        raise _refused(exc) from None
    response["Location"] = request.build_absolute_uri(reverse("funding:payment-batch", args=[batch.pk]))
    return Status(201, _batch_out(request, batch))


@router.post(
    "/payment-batches/{batch_id}/confirmation",
    response={200: PaymentBatchOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="confirmPaymentBatch",
    summary="Bekräfta en utbetalning",
    description="Ekonomisystemet har betalat filen: delbetalningarna blir utbetalda, ett bidrags första "
    "utbetalning gör ansökan utbetald och registrets utbetalda belopp följer med. " + OFFICER,
)
def payment_batch_confirm(request: HttpRequest, batch_id: BatchId, payload: PaymentConfirmationIn):
    check_query_names(request, ())
    _signed_in(request, write=True)
    try:
        batch = loaders.handled_batch(request.user, batch_id)
    except Http404:
        raise ApiProblem(404, _("Utbetalningsfilen finns inte.")) from None
    try:
        batch = services.payment_batch_confirm(actor=request.user, batch=batch, paid_on=payload.paid_on)
    except ValidationError as exc:
        raise _refused(exc) from None
    return _batch_out(request, batch)
