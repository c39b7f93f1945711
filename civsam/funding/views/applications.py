"""The applicant's side: find a call, apply, write the answers and attach files, send in, see the
decision, withdraw; report on a grant; register the organisation's bankgiro or plusgiro."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civsam.accounts import permissions as seam
from civsam.core.loading import require
from civsam.core.privacy import personal_data
from civsam.core.storage import serve_file
from civsam.registry import orgnr as orgnr_rules
from civsam.registry.models import Organisation

from .. import loaders, permissions, rules, selectors, services
from ..forms import (
    ApplicationForm,
    ApplyForm,
    AssignReviewerForm,
    AttachmentForm,
    CompletionRequestForm,
    FollowUpReportForm,
    PaymentAccountForm,
    RecoveryForm,
    RecoverySettleForm,
    ReportReviewForm,
)
from ..models import Application, PaymentAccount
from ..services.applications import field_specs, labels_for, problems
from .common import answers_shown, error_messages, form_errors


def _rules_explained(call) -> list[str]:
    if call.programme is None:
        return []
    return rules.explain(rules.parse(call.programme.rules), labels_for(call))


def _organisations_to_apply_for(user) -> list[Organisation]:
    """The organisations offered in the form: those the user represents (staff give an orgnr)."""
    ids = seam.represented_organisation_ids(user)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name_key"))


@personal_data
def application_create(request, pk: int):
    """Apply to a call: choose the organisation (and take up its answers from last time)."""
    call = loaders.visible_call(request.user, pk)
    require(permissions.can_apply_for_some_organisation(request.user))
    if not services.applications.call_open_for_applications(call, today=timezone.localdate()):
        messages.error(request, _("Utlysningen tar inte emot ansökningar nu."))
        return redirect(call)
    organisations = _organisations_to_apply_for(request.user)
    form = ApplyForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation = _chosen_organisation(request, form)
        if organisation is not None:
            carry = selectors.previous_application(organisation, call.programme) if form.cleaned_data["carry"] else None
            try:
                application = services.application_create(
                    actor=request.user,
                    call=call,
                    organisation=organisation,
                    data=services.ApplicationData(
                        title="" if carry else call.title,
                        years=min(call.programme.durations) if call.programme else 1,
                    ),
                    carry_from=carry,
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                if carry is not None:
                    messages.info(
                        request,
                        _("Svaren från ansökan %(case)s är ifyllda. Gå igenom dem innan du skickar in.")
                        % {"case": carry.case_number},
                    )
                return redirect("funding:application-edit", application.pk)
    previous = {o.pk: selectors.previous_application(o, call.programme) for o in organisations}
    return render(
        request,
        "funding/application_create.html",
        {
            "call": call,
            "form": form,
            "organisations": organisations,
            "previous": {pk: app for pk, app in previous.items() if app},
            "staff": seam.is_staff(request.user),
            "rules": _rules_explained(call),
        },
    )


def _chosen_organisation(request, form: ApplyForm) -> Organisation | None:
    data = form.cleaned_data
    if data.get("organisation"):
        organisation = Organisation.objects.filter(pk=data["organisation"]).first()
    elif data.get("orgnr"):
        try:
            number = orgnr_rules.normalise(data["orgnr"])
        except orgnr_rules.OrgnrError as exc:
            form.add_error("orgnr", str(exc))
            return None
        organisation = Organisation.objects.filter(orgnr=number).first()
        if organisation is None:
            form.add_error("orgnr", _("Organisationen finns inte i registret."))
            return None
    else:
        form.add_error("organisation", _("Välj organisationen som söker."))
        return None
    if organisation is None or not permissions.can_apply_for(request.user, organisation):
        form.add_error(None, _("Du kan bara söka för en organisation som du företräder."))
        return None
    return organisation


@personal_data
def application_list(request):
    """The applications the user sees: their organisations', and for staff and reviewers those they handle."""
    applications = list(selectors.application_list(user=request.user)[:200])
    return render(
        request,
        "funding/application_list.html",
        {
            "applications": applications,
            "calls": [
                c
                for c in selectors.call_list(user=request.user).filter(programme__isnull=False)
                if permissions.can_handle_applications(request.user, c)
            ],
            "can_pay": permissions.can_pay_grants(request.user),
            "is_reviewer": seam.is_reviewer(request.user),
        },
    )


@personal_data
def application_detail(request, pk: int):
    application = loaders.visible_application(request.user, pk)
    application = selectors.application_detail(application.pk)
    user = request.user
    can_edit = permissions.can_edit_application(user, application)
    handles = permissions.can_handle_application(user, application) and bool(application.case_number)
    decision = getattr(application, "decision", None)
    context = {
        "application": application,
        "answers": answers_shown(application),
        "can_edit": can_edit,
        "can_withdraw": permissions.can_withdraw_application(user, application)
        and Application.Status.WITHDRAWN in Application.WORKFLOW.targets(application.status),
        "reportable": permissions.can_report_on_application(user, application)
        and application.status in (Application.Status.PAID, Application.Status.FOLLOW_UP_DUE),
        "handles": handles,
        "problems": problems(application) if can_edit else [],
        "rules": _rules_explained(application.call),
        "decision": decision,
        "attachment_form": AttachmentForm() if can_edit else None,
        "account": PaymentAccount.objects.filter(organisation=application.organisation).first()
        if permissions.can_view_payment_account(user, application.organisation)
        else None,
        "can_edit_account": permissions.can_edit_payment_account(user, application.organisation),
        "assignment": permissions.review_assignment_of(user, application),
    }
    if handles:
        context.update(
            {
                "budget": selectors.call_budget(application.call),
                "completion_form": CompletionRequestForm(),
                "assign_form": AssignReviewerForm(reviewers=selectors.reviewers_available()),
                "scores": selectors.score_table(application),
                "review_form": ReportReviewForm(),
                "recovery_form": RecoveryForm(initial={"due_date": timezone.localdate() + datetime.timedelta(days=30)}),
                "settle_form": RecoverySettleForm(initial={"on": timezone.localdate()}),
                "actions": Application.WORKFLOW.actions(application.status),
            }
        )
    return render(request, "funding/application_detail.html", context)


@personal_data
def application_edit(request, pk: int):
    """Write the answers; "Spara" keeps a draft, "Skicka in" sends it in if nothing is missing."""
    application = loaders.editable_application(request.user, pk)
    call = application.call
    form = ApplicationForm(request.POST or None, call=call, initial=ApplicationForm.initial_for(application))
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_update(
                actor=request.user, application=application, data=form.application_data()
            )
            if request.POST.get("submit") == "1":
                application = services.application_submit(actor=request.user, application=application)
        except ValidationError as error:
            form_errors(form, error)
        else:
            if application.status == Application.Status.SUBMITTED:
                messages.success(
                    request,
                    _("Ansökan är inskickad med diarienummer %(case)s. Ett kvitto har skickats med e-post.")
                    % {"case": application.case_number},
                )
                return redirect(application)
            messages.success(request, _("Utkastet är sparat."))
            return redirect("funding:application-edit", application.pk)
    return render(
        request,
        "funding/application_form.html",
        {
            "application": application,
            "call": call,
            "form": form,
            "rules": _rules_explained(call),
            "problems": problems(application),
            "attachment_form": AttachmentForm(),
            "attachments": list(application.attachments.all()),
            "specs": field_specs(call),
        },
    )


@require_POST
def application_submit(request, pk: int):
    application = loaders.editable_application(request.user, pk)
    try:
        application = services.application_submit(actor=request.user, application=application)
    except ValidationError as error:
        error_messages(request, error)
        return redirect("funding:application-edit", application.pk)
    messages.success(
        request,
        _("Ansökan är inskickad med diarienummer %(case)s. Ett kvitto har skickats med e-post.")
        % {"case": application.case_number},
    )
    return redirect(application)


@require_POST
def application_withdraw(request, pk: int):
    application = loaders.own_application(request.user, pk)
    try:
        services.application_withdraw(actor=request.user, application=application)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Ansökan är återtagen."))
    return redirect(application)


# --- Attachments --------------------------------------------------------------------------------


@require_POST
def attachment_add(request, pk: int):
    application = loaders.editable_application(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.attachment_add(
                actor=request.user, application=application, name=upload.name, stream=upload, size=upload.size
            )
        except ValidationError as error:
            error_messages(request, error)
        else:
            messages.success(request, _("Filen %(name)s är bifogad.") % {"name": upload.name})
    else:
        for error in form.errors.get("file", []):
            messages.error(request, error)
    return redirect("funding:application-edit", application.pk)


@personal_data
def attachment_file(request, pk: int, attachment_pk: int):
    attachment = loaders.visible_attachment(request.user, pk, attachment_pk)
    return serve_file(
        attachment.file,
        filename=attachment.original_name,
        content_type=attachment.content_type,
        as_attachment=True,
        private=True,
    )


@require_POST
def attachment_delete(request, pk: int, attachment_pk: int):
    application = loaders.editable_application(request.user, pk)
    attachment = loaders.visible_attachment(request.user, pk, attachment_pk)
    try:
        services.attachment_delete(actor=request.user, attachment=attachment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Bilagan är borttagen."))
    return redirect("funding:application-edit", application.pk)


# --- Follow-up reports --------------------------------------------------------------------------


@personal_data
def followup_report(request, pk: int, requirement_pk: int):
    requirement = loaders.own_requirement(request.user, pk, requirement_pk)
    application = requirement.application
    form = FollowUpReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.followup_report_submit(
                actor=request.user,
                requirement=requirement,
                text=form.cleaned_data["text"],
                amount_used=form.cleaned_data["amount_used"],
            )
            upload = form.cleaned_data.get("file")
            if upload:
                services.attachment_add(
                    actor=request.user,
                    application=application,
                    name=upload.name,
                    stream=upload,
                    size=upload.size,
                    report=report,
                )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Återrapporten är inskickad."))
            return redirect(application)
    return render(
        request,
        "funding/followup_report.html",
        {"application": application, "requirement": requirement, "form": form},
    )


# --- The organisation's account -----------------------------------------------------------------


@personal_data
def payment_account(request, orgnr: str):
    organisation = loaders.paid_organisation(request.user, orgnr)
    account = PaymentAccount.objects.filter(organisation=organisation).first()
    initial = {"kind": account.kind, "number": account.display} if account else {"kind": PaymentAccount.Kind.BANKGIRO}
    form = PaymentAccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_account_set(
                actor=request.user,
                organisation=organisation,
                kind=form.cleaned_data["kind"],
                number=form.cleaned_data["number"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Kontot är sparat. Bidrag betalas ut till det."))
            back = request.POST.get("next", "")
            if back.startswith("/") and not back.startswith("//"):
                return redirect(back)
            return redirect("funding:payment-account", orgnr=organisation.orgnr)
    return render(
        request,
        "funding/payment_account.html",
        {"organisation": organisation, "account": account, "form": form, "next": request.GET.get("next", "")},
    )
