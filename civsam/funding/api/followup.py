"""API: the follow-up of a grant (ADR 0141) — the reports the recipient owes and sends, the
officer's review of each report, recovery (återkrav) of money unused or not accounted for, and
closing the case. Every step is the service the browser uses, with its permission pair and audit
log; the recipient and the officers who keep the call's funder see the follow-up, nobody else."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Router, Status
from pydantic import Field

from civsam.core.apiguards import problem_from_validation
from civsam.core.apitools import (
    ApiProblem,
    CamelSchema,
    InSchema,
    InvalidParameter,
    ProblemOut,
    check_query_names,
    invalid_parameters_problem,
)

from .. import permissions, services
from ..models import Application, FollowUpReport, Recovery, ReportRequirement
from .applications import ApplicationId, ApplicationOut, _fetch, _out, _signed_in

router = Router(tags=["finansiering"])

RequirementId = Annotated[int, Path(ge=1, le=2**62, description="Återrapportkravets id.")]
ReportId = Annotated[int, Path(ge=1, le=2**62, description="Återrapportens id.")]
RecoveryId = Annotated[int, Path(ge=1, le=2**62, description="Återkravets id.")]
BOTH = (
    "Kräver inloggning (skrivningar med CSRF-token i huvudet X-CSRFToken). Mottagarens företrädare och "
    "handläggare hos utlysningens bidragsgivare ser uppföljningen; andra får 404."
)
RECIPIENT = "Bara mottagarens företrädare får lämna återrapporten (andra får 403). " + BOTH
OFFICER = "Bara handläggare hos utlysningens bidragsgivare får ta steget (andra får 403). " + BOTH


# --- Shapes ---------------------------------------------------------------------------------------


class FollowUpReportOut(CamelSchema):
    """En återrapport och handläggarens granskning av den."""

    id: int
    requirement_id: int
    text: str
    amount_used: Decimal = Field(description="Det mottagaren uppger har använts av bidraget, i kronor.")
    submitted_at: datetime.datetime
    verdict: str = Field(description="pending (ej granskad), approved eller returned (åter för komplettering)")
    review_comment: str
    reviewed_at: datetime.datetime | None


class ReportRequirementOut(CamelSchema):
    """En återrapport som mottagaren är skyldig, med de rapporter som har lämnats."""

    id: int
    title: str
    due_date: datetime.date
    status: str = Field(description="open (väntar), received (inkommen) eller approved (godkänd)")
    reports: list[FollowUpReportOut]


class RecoveryOut(CamelSchema):
    """Ett återkrav av bidrag."""

    id: int
    amount: Decimal
    reason: str = Field(description="unused, unaccounted eller conditions")
    explanation: str
    due_date: datetime.date
    status: str = Field(description="claimed (krävs tillbaka), repaid (återbetald) eller waived (efterskänkt)")
    decided_on: datetime.date
    settled_on: datetime.date | None


class FollowUpOut(CamelSchema):
    """Uppföljningen av ett beviljat bidrag."""

    application_id: int
    status: str = Field(description="Ansökans status (se getApplication).")
    requirements: list[ReportRequirementOut]
    recoveries: list[RecoveryOut]


class FollowUpReportIn(InSchema):
    text: str = Field(min_length=1, max_length=20000, description="Vad som har gjorts för bidraget.")
    amount_used: Decimal = Field(ge=0, max_digits=14, decimal_places=2, description="Använt belopp i kronor.")


class ReportReviewIn(InSchema):
    approve: bool = Field(description="true godkänner rapporten; false skickar den åter för komplettering.")
    comment: str = Field("", max_length=4000, description="Vad som ska kompletteras (krävs när approve är false).")


class RecoveryIn(InSchema):
    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2, description="Belopp i kronor.")
    reason: str = Field(description="unused, unaccounted eller conditions")
    explanation: str = Field(min_length=1, max_length=4000)
    due_date: datetime.date = Field(description="Dagen då beloppet ska vara återbetalt.")


class RecoverySettleIn(InSchema):
    repaid: bool = Field(description="true: beloppet är återbetalt; false: kravet efterskänks.")
    on: datetime.date = Field(description="Dagen kravet reglerades.")


# --- Helpers --------------------------------------------------------------------------------------


def _report_out(report: FollowUpReport) -> FollowUpReportOut:
    return FollowUpReportOut(
        id=report.pk,
        requirement_id=report.requirement_id,
        text=report.text,
        amount_used=report.amount_used,
        submitted_at=report.submitted_at,
        verdict=report.verdict,
        review_comment=report.review_comment,
        reviewed_at=report.reviewed_at,
    )


def _recovery_out(recovery: Recovery) -> RecoveryOut:
    return RecoveryOut(
        id=recovery.pk,
        amount=recovery.amount,
        reason=recovery.reason,
        explanation=recovery.explanation,
        due_date=recovery.due_date,
        status=recovery.status,
        decided_on=recovery.decided_on,
        settled_on=recovery.settled_on,
    )


def _followed(request: HttpRequest, pk: int) -> Application:
    """An application whose follow-up the caller sees: its recipient or its officers. A reviewer
    sees the application but not what came after the decision."""
    application = _fetch(request, pk)
    user = request.user
    if not (
        permissions.can_report_on_application(user, application)
        or (application.case_number and permissions.can_handle_application(user, application))
    ):
        raise ApiProblem(404, _("Ansökan finns inte."))
    return application


def _followup_out(application: Application) -> FollowUpOut:
    requirements = ReportRequirement.objects.filter(application=application).prefetch_related("reports")
    return FollowUpOut(
        application_id=application.pk,
        status=application.status,
        requirements=[
            ReportRequirementOut(
                id=r.pk,
                title=r.title,
                due_date=r.due_date,
                status=r.status,
                reports=[_report_out(report) for report in r.reports.all()],
            )
            for r in requirements
        ],
        recoveries=[_recovery_out(r) for r in Recovery.objects.filter(application=application)],
    )


def _requirement(request: HttpRequest, pk: int) -> ReportRequirement:
    requirement = ReportRequirement.objects.select_related("application").filter(pk=pk).first()
    if requirement is None:
        raise ApiProblem(404, _("Återrapportkravet finns inte."))
    _followed(request, requirement.application_id)
    return requirement


def _report(request: HttpRequest, pk: int) -> FollowUpReport:
    report = FollowUpReport.objects.select_related("requirement").filter(pk=pk).first()
    if report is None:
        raise ApiProblem(404, _("Återrapporten finns inte."))
    _followed(request, report.requirement.application_id)
    return report


def _recovery(request: HttpRequest, pk: int) -> Recovery:
    recovery = Recovery.objects.filter(pk=pk).first()
    if recovery is None:
        raise ApiProblem(404, _("Återkravet finns inte."))
    _followed(request, recovery.application_id)
    return recovery


def _officer(request: HttpRequest, application: Application) -> None:
    if not permissions.can_handle_application(request.user, application):
        raise PermissionDenied


# --- Reading ----------------------------------------------------------------------------------------


@router.get(
    "/applications/{application_id}/follow-up",
    response={200: FollowUpOut, 400: ProblemOut, 401: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="getApplicationFollowUp",
    summary="Uppföljningen av ett bidrag",
    description="Återrapporterna som mottagaren är skyldig med förfallodag och status, rapporterna som har "
    "lämnats med handläggarens granskning, och återkraven. " + BOTH,
)
def followup_detail(request: HttpRequest, application_id: ApplicationId):
    check_query_names(request, ())
    _signed_in(request, write=False)
    return _followup_out(_followed(request, application_id))


# --- The recipient ------------------------------------------------------------------------------------


@router.post(
    "/report-requirements/{requirement_id}/reports",
    response={201: FollowUpReportOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="submitFollowUpReport",
    summary="Lämna en återrapport",
    description="Mottagarens återrapport för ett år av bidraget: vad som har gjorts och hur mycket som har "
    "använts. Kan lämnas när bidraget är utbetalt; handläggaren granskar den. " + RECIPIENT,
)
def followup_report_submit(
    request: HttpRequest, response: HttpResponse, requirement_id: RequirementId, payload: FollowUpReportIn
):
    check_query_names(request, ())
    _signed_in(request, write=True)
    requirement = _requirement(request, requirement_id)
    try:
        report = services.followup_report_submit(
            actor=request.user, requirement=requirement, text=payload.text, amount_used=payload.amount_used
        )
    except ValidationError as exc:
        raise problem_from_validation(exc) from None
    response["Location"] = request.build_absolute_uri(
        f"/api/v1/applications/{requirement.application_id}/follow-up"
    )
    return Status(201, _report_out(report))


# --- The officer --------------------------------------------------------------------------------------


@router.post(
    "/follow-up-reports/{report_id}/review",
    response={200: FollowUpReportOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="reviewFollowUpReport",
    summary="Granska en återrapport",
    description="Godkänner en inkommen återrapport eller skickar den åter för komplettering med en kommentar "
    "(mottagaren får e-post). En rapport granskas en gång. " + OFFICER,
)
def followup_report_review(request: HttpRequest, report_id: ReportId, payload: ReportReviewIn):
    check_query_names(request, ())
    _signed_in(request, write=True)
    report = _report(request, report_id)
    _officer(request, report.requirement.application)
    try:
        report = services.followup_report_review(
            actor=request.user, report=report, approve=payload.approve, comment=payload.comment
        )
    except ValidationError as exc:
        raise problem_from_validation(exc) from None
    return _report_out(report)


@router.post(
    "/applications/{application_id}/recoveries",
    response={201: RecoveryOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="claimGrantRecovery",
    summary="Kräva tillbaka bidrag",
    description="Beslutar om återkrav av pengar som inte har använts, inte har redovisats eller använts mot "
    "villkoren: aldrig mer än det som är utbetalt och inte redan krävt. Delbetalningar som återstår stoppas "
    "och mottagaren får e-post. " + OFFICER,
)
def recovery_claim(request: HttpRequest, response: HttpResponse, application_id: ApplicationId, payload: RecoveryIn):
    check_query_names(request, ())
    _signed_in(request, write=True)
    if payload.reason not in Recovery.Reason.values:
        raise invalid_parameters_problem(
            [InvalidParameter("reason", _("ska vara unused, unaccounted eller conditions"), payload.reason)]
        )
    application = _followed(request, application_id)
    _officer(request, application)
    try:
        recovery = services.recovery_claim(
            actor=request.user,
            application=application,
            amount=payload.amount,
            reason=payload.reason,
            explanation=payload.explanation,
            due_date=payload.due_date,
        )
    except ValidationError as exc:
        raise problem_from_validation(exc) from None
    response["Location"] = request.build_absolute_uri(f"/api/v1/applications/{application_id}/follow-up")
    return Status(201, _recovery_out(recovery))


@router.post(
    "/recoveries/{recovery_id}/settlement",
    response={200: RecoveryOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="settleGrantRecovery",
    summary="Reglera ett återkrav",
    description="Registrerar att återkravet är återbetalt (registrets utbetalda belopp minskar) eller "
    "efterskänkt. Ett krav regleras en gång. " + OFFICER,
)
def recovery_settle(request: HttpRequest, recovery_id: RecoveryId, payload: RecoverySettleIn):
    check_query_names(request, ())
    _signed_in(request, write=True)
    recovery = _recovery(request, recovery_id)
    _officer(request, recovery.application)
    try:
        recovery = services.recovery_settle(actor=request.user, recovery=recovery, repaid=payload.repaid, on=payload.on)
    except ValidationError as exc:
        raise problem_from_validation(exc) from None
    return _recovery_out(recovery)


@router.post(
    "/applications/{application_id}/close",
    response={200: ApplicationOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="closeApplication",
    summary="Avsluta ärendet",
    description="Avslutar uppföljningen när alla återrapporter är godkända, eller det som inte har redovisats "
    "är återkrävt, och inget återkrav är oreglerat; annars 400 med det som saknas. " + OFFICER,
)
def application_close(request: HttpRequest, application_id: ApplicationId):
    check_query_names(request, ())
    _signed_in(request, write=True)
    application = _followed(request, application_id)
    _officer(request, application)
    try:
        services.application_close(actor=request.user, application=application)
    except ValidationError as exc:
        raise problem_from_validation(exc) from None
    return _out(request, _fetch(request, application_id))
