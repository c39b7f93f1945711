"""The pages that run an agreement: create and edit, the management page with its forms (parties,
contributions, goals, governance, documents, follow-up, the workflow's steps), the legal assessment,
and a party's answer to an invitation. The services check every right; the forms offer only what
the user may choose."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civsam.core.loading import require
from civsam.core.models import Municipality
from civsam.registry.permissions import organisations_visible_to

from .. import loaders, permissions, selectors, services
from ..forms import (
    AgreementForm,
    AssessmentForm,
    ContributionForm,
    DocumentForm,
    GoalForm,
    GroupForm,
    MemberForm,
    PartyForm,
    ReportForm,
    StepForm,
)
from ..models import Agreement, LegalAssessment, Party


def add_errors(form: Form, exc: ValidationError) -> None:
    """A service's ValidationError on the form: on the named field where the form has it."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _municipalities(user, current: Municipality | None = None):
    qs = permissions.municipalities_for(user)
    return qs | Municipality.objects.filter(pk=current.pk) if current is not None else qs


def _agreement_form(request, agreement: Agreement | None = None):
    owners = permissions.agreement_owners_for(request.user)
    if agreement is not None:
        owners = owners | owners.model.objects.filter(pk=agreement.owner_id)
    initial = {}
    if agreement is not None:
        initial = {f: getattr(agreement, f) for f in services.agreement.SIMPLE_FIELDS}
        initial.update(
            owner=agreement.owner,
            municipality=agreement.municipality,
            priority_areas=list(agreement.priority_areas.all()),
        )
    return AgreementForm(
        request.POST or None,
        initial=initial,
        owners=owners.order_by("name_key"),
        municipalities=_municipalities(request.user, agreement.municipality if agreement else None).order_by(
            "name_key"
        ),
        areas=loaders.priority_areas(),
    )


def agreement_create_view(request):
    require(permissions.can_create_some_agreement(request.user))
    form = _agreement_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Överenskommelsen är sparad som utkast. Lägg till parter och bidrag."))
            return redirect("agreements:manage", agreement.pk)
    return render(request, "agreements/agreement_form.html", {"form": form}, status=400 if form.errors else 200)


def agreement_edit_view(request, pk: int):
    agreement = loaders.managed_agreement(request.user, pk)
    form = _agreement_form(request, agreement)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if not agreement.is_editable:
            data = {k: v for k, v in data.items() if k in services.agreement.CHANGEABLE_WHEN_SIGNED}
        try:
            services.agreement_update(
                actor=request.user, agreement=agreement, changes=services.AgreementChanges(**data)
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect("agreements:manage", agreement.pk)
    context = {"form": form, "agreement": agreement}
    return render(request, "agreements/agreement_form.html", context, status=400 if form.errors else 200)


STEP_MESSAGES = {
    "submit": _("Överenskommelsen är skickad till rättslig bedömning."),
    "return": _("Överenskommelsen är tillbaka som utkast."),
    "sign": _("Överenskommelsen är undertecknad och gäller."),
    "end": _("Överenskommelsen är avslutad."),
    "terminate": _("Överenskommelsen är uppsagd."),
}


def _manage_forms(request, agreement: Agreement) -> dict[str, Form]:
    data = request.POST if request.method == "POST" else None
    action = request.POST.get("action") if data else None

    def bound(name):
        return data if action == name else None

    accepted = agreement.parties.filter(status=Party.Status.ACCEPTED).select_related("organisation")
    recordable = Party.objects.filter(
        pk__in=[p.pk for p in accepted if permissions.can_record_for_party(request.user, p)]
    )
    recordable = recordable.select_related("organisation").order_by("organisation__name_key")
    existing = agreement.parties.values_list("organisation_id", flat=True)
    return {
        "party": PartyForm(
            bound("party"),
            prefix="party",
            organisations=organisations_visible_to(request.user).exclude(pk__in=existing).order_by("name_key"),
        ),
        "contribution": ContributionForm(
            bound("contribution"),
            prefix="contribution",
            parties=recordable,
            volunteer_rate=selectors.volunteer_hour_rate(),
        ),
        "goal": GoalForm(bound("goal"), prefix="goal", areas=loaders.priority_areas()),
        "group": GroupForm(bound("group"), prefix="group"),
        "member": MemberForm(bound("member"), prefix="member", groups=agreement.groups.all(), parties=recordable),
        "report": ReportForm(bound("report"), prefix="report"),
        "document": DocumentForm(bound("document"), request.FILES if action == "document" else None, prefix="document"),
        "step": StepForm(bound("step"), prefix="step"),
    }


def _actions(request, agreement: Agreement) -> dict[str, Callable[[Form], str]]:
    user = request.user

    def party(form):
        p = services.party_add(actor=user, agreement=agreement, **form.cleaned_data)
        if p.status == Party.Status.ACCEPTED:
            return _("%(org)s är part i överenskommelsen.") % {"org": p.organisation.name}
        return _("%(org)s är inbjuden och blir part när den tackar ja.") % {"org": p.organisation.name}

    def contribution(form):
        services.contribution_add(actor=user, **form.cleaned_data)
        return _("Bidraget är sparat.")

    def goal(form):
        services.goal_add(actor=user, agreement=agreement, **form.cleaned_data)
        return _("Målet är sparat.")

    def group(form):
        services.group_add(actor=user, agreement=agreement, **form.cleaned_data)
        return _("Gruppen är sparad.")

    def member(form):
        services.group_member_add(actor=user, **form.cleaned_data)
        return _("Ledamoten är sparad.")

    def report(form):
        services.report_save(actor=user, agreement=agreement, **form.cleaned_data)
        return _("Uppföljningen är sparad.")

    def document(form):
        upload = form.cleaned_data["file"]
        services.document_add(
            actor=user,
            agreement=agreement,
            title=form.cleaned_data["title"],
            name=upload.name,
            stream=upload,
            size=upload.size,
        )
        return _("Dokumentet är sparat.")

    def step(form):
        action = form.cleaned_data["step"]
        services.agreement_transition(
            actor=user,
            agreement=agreement,
            action=action,
            on=form.cleaned_data.get("on"),
            reason=form.cleaned_data.get("reason") or "",
        )
        return str(STEP_MESSAGES[action])

    return {
        "party": party,
        "contribution": contribution,
        "goal": goal,
        "group": group,
        "member": member,
        "report": report,
        "document": document,
        "step": step,
    }


def agreement_manage_view(request, pk: int):
    agreement = loaders.managed_agreement(request.user, pk)
    forms = _manage_forms(request, agreement)
    if request.method == "POST":
        action = request.POST.get("action", "")
        actions = _actions(request, agreement)
        if action in actions:
            form = forms[action]
            if form.is_valid():
                try:
                    message = actions[action](form)
                except ValidationError as exc:
                    add_errors(form, exc)
                else:
                    messages.success(request, message)
                    return redirect("agreements:manage", agreement.pk)
    agreement = loaders.managed_agreement(request.user, pk)
    steps = [
        (action, target)
        for action, target in Agreement.WORKFLOW.actions(agreement.status).items()
        if permissions.can_take_step(request.user, agreement, action)
    ]
    context = {
        "agreement": agreement,
        "forms": forms,
        "steps": steps,
        "status_labels": dict(Agreement.Status.choices),
        "parties": list(agreement.parties.all()),
        "can_assess": permissions.can_assess_agreement(request.user, agreement),
        "has_errors": any(f.errors for f in forms.values()),
    }
    return render(request, "agreements/agreement_manage.html", context, status=400 if context["has_errors"] else 200)


def assessment_view(request, pk: int):
    agreement = loaders.managed_agreement(request.user, pk)
    require(permissions.can_assess_agreement(request.user, agreement))
    try:
        current = agreement.assessment
    except LegalAssessment.DoesNotExist:
        current = None
    initial = {}
    if current is not None:
        initial = {
            f: getattr(current, f)
            for f in (
                "procurement",
                "state_aid",
                "general_interest",
                "memo",
                "aid_amount_sek",
                "sek_per_eur",
                "rate_source",
            )
        }
        initial["aid_recipient"] = current.aid_recipient
    parties = agreement.parties.filter(status=Party.Status.ACCEPTED).select_related("organisation")
    form = AssessmentForm(request.POST or None, initial=initial, parties=parties)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.assessment_save(actor=request.user, agreement=agreement, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            gaps = services.assessment_gaps(agreement, saved)
            messages.success(
                request,
                _("Bedömningen är klar. Överenskommelsen kan undertecknas.")
                if not gaps
                else _("Bedömningen är sparad men inte klar."),
            )
            return redirect("agreements:manage", agreement.pk)
    gaps = services.gap_messages(services.assessment_gaps(agreement, current))
    verdict = services.ceiling_verdict(agreement, current, on=agreement.starts_on) if current else None
    context = {"agreement": agreement, "form": form, "gaps": gaps, "verdict": verdict}
    return render(request, "agreements/assessment.html", context, status=400 if form.errors else 200)


@require_POST
def party_answer_view(request, pk: int):
    party = get_object_or_404(Party.objects.select_related("agreement", "organisation"), pk=pk)
    accept = request.POST.get("answer") == "accept"
    try:
        services.party_answer(actor=request.user, party=party, accept=accept)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(org)s är part i överenskommelsen.") % {"org": party.organisation.name}
            if accept
            else _("Inbjudan är avböjd."),
        )
    if permissions.can_view_agreement(request.user, party.agreement):
        return redirect("agreements:detail", party.agreement_id)
    return redirect("agreements:list")
