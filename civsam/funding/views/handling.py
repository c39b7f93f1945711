"""The officer's side: a call's queue and budget, asking for completion, assigning reviewers, all
scores side by side, the decision, and the follow-up (reports, recovery, closing)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civsam.core.privacy import personal_data

from .. import loaders, selectors, services
from ..forms import (
    AssignReviewerForm,
    CompletionRequestForm,
    DecisionForm,
    RecoveryForm,
    RecoverySettleForm,
    ReportReviewForm,
)
from ..models import Application
from .common import error_messages, form_errors


@personal_data
def call_queue(request, pk: int):
    call = loaders.handled_call(request.user, pk)
    return render(
        request,
        "funding/call_queue.html",
        {"call": call, "groups": selectors.call_queue(call), "budget": selectors.call_budget(call)},
    )


@require_POST
def application_completion(request, pk: int):
    application = loaders.handled_application(request.user, pk)
    form = CompletionRequestForm(request.POST)
    if form.is_valid():
        try:
            services.application_request_completion(
                actor=request.user, application=application, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            error_messages(request, error)
        else:
            messages.success(request, _("Den sökande har ombetts att komplettera ansökan."))
    else:
        messages.error(request, _("Skriv vad som ska kompletteras."))
    return redirect(application)


@require_POST
def application_start_review(request, pk: int):
    application = loaders.handled_application(request.user, pk)
    try:
        services.application_start_review(actor=request.user, application=application)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("Ansökan är under bedömning."))
    return redirect(application)


@require_POST
def review_assign(request, pk: int):
    application = loaders.handled_application(request.user, pk)
    form = AssignReviewerForm(request.POST, reviewers=selectors.reviewers_available())
    if form.is_valid():
        try:
            services.review_assign(actor=request.user, application=application, reviewer=form.cleaned_data["reviewer"])
        except ValidationError as error:
            error_messages(request, error)
        else:
            messages.success(request, _("Bedömaren är tilldelad."))
    else:
        messages.error(request, _("Välj en bedömare."))
    return redirect(application)


@require_POST
def review_unassign(request, pk: int, assignment_pk: int):
    assignment = loaders.handled_assignment(request.user, pk, assignment_pk)
    try:
        services.review_unassign(actor=request.user, assignment=assignment)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("Bedömaren är borttagen från ansökan."))
    return redirect("funding:application-detail", pk)


@require_POST
def review_reopen(request, pk: int, assignment_pk: int):
    assignment = loaders.handled_assignment(request.user, pk, assignment_pk)
    try:
        services.review_reopen(actor=request.user, assignment=assignment)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("Bedömningen är öppnad igen för bedömaren."))
    return redirect("funding:application-detail", pk)


@personal_data
def application_decide(request, pk: int):
    application = loaders.handled_application(request.user, pk)
    form = DecisionForm(request.POST or None, initial=DecisionForm.initial_for(application))
    if request.method == "POST" and form.is_valid():
        try:
            services.application_decide(actor=request.user, application=application, data=form.decision_data())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Beslutet är fattat. Den sökande har fått besked med e-post."))
            return redirect(application)
    return render(
        request,
        "funding/application_decide.html",
        {
            "application": application,
            "form": form,
            "budget": selectors.call_budget(application.call),
            "scores": selectors.score_table(application),
            "can_decide": application.status == Application.Status.IN_REVIEW,
        },
    )


# --- Follow-up ----------------------------------------------------------------------------------


@require_POST
def followup_review(request, pk: int, report_pk: int):
    report = loaders.handled_report(request.user, pk, report_pk)
    form = ReportReviewForm(request.POST)
    if form.is_valid():
        try:
            services.followup_report_review(
                actor=request.user,
                report=report,
                approve=form.cleaned_data["approve"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            error_messages(request, error)
        else:
            messages.success(request, _("Granskningen av återrapporten är sparad."))
    else:
        messages.error(request, _("Välj godkänn eller skicka tillbaka."))
    return redirect("funding:application-detail", pk)


@require_POST
def recovery_create(request, pk: int):
    application = loaders.handled_application(request.user, pk)
    form = RecoveryForm(request.POST)
    if form.is_valid():
        try:
            services.recovery_claim(actor=request.user, application=application, **form.cleaned_data)
        except ValidationError as error:
            error_messages(request, error)
        else:
            messages.success(request, _("Återkravet är beslutat och den sökande har fått besked."))
    else:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
    return redirect(application)


@require_POST
def recovery_settle(request, pk: int, recovery_pk: int):
    recovery = loaders.handled_recovery(request.user, pk, recovery_pk)
    form = RecoverySettleForm(request.POST)
    if form.is_valid():
        try:
            services.recovery_settle(
                actor=request.user, recovery=recovery, repaid=form.cleaned_data["repaid"], on=form.cleaned_data["on"]
            )
        except ValidationError as error:
            error_messages(request, error)
        else:
            messages.success(request, _("Återkravet är reglerat."))
    else:
        messages.error(request, _("Välj återbetalt eller efterskänkt, och ett datum."))
    return redirect("funding:application-detail", pk)


@require_POST
def application_close(request, pk: int):
    application = loaders.handled_application(request.user, pk)
    try:
        services.application_close(actor=request.user, application=application)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("Ärendet är avslutat."))
    return redirect(application)
