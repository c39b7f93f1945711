"""Pages of funders, funding sources and calls, and call subscriptions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civsam.core.loading import require
from civsam.core.privacy import personal_data
from civsam.core.selectors import history_for

from .. import permissions, rules, schedule, selectors, services
from ..forms import FunderForm, FundingCallForm, FundingSourceForm, SubscriptionForm
from ..loaders import editable_call, editable_source, subscribing_organisation, visible_call, visible_source
from ..models import CallSubscription, FundingCall
from ..services.programmes import built_in_labels


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Sources ------------------------------------------------------------------------------------


@login_not_required
def source_list(request):
    today = timezone.localdate()
    return render(
        request,
        "funding/source_list.html",
        {
            "sources": selectors.source_list(user=request.user),
            "open_calls": [
                (c, selectors.call_window(c, today)) for c in selectors.calls_open(user=request.user, today=today)
            ],
            "can_create": permissions.can_create_funding_source(request.user),
            "can_create_funder": permissions.can_create_funder(request.user),
            "can_import": permissions.can_import_some_grant_decisions(request.user),
        },
    )


@login_not_required
def source_detail(request, slug: str):
    source = visible_source(request.user, slug)
    today = timezone.localdate()
    calls = [
        (c, selectors.call_window(c, today))
        for c in selectors.call_list(user=request.user).filter(source=source).order_by("-deadline", "-pk")
    ]
    return render(
        request,
        "funding/source_detail.html",
        {
            "source": source,
            "calls": calls,
            "today": today,
            "can_edit": permissions.can_edit_funding_source(request.user, source),
            "history": history_for(source)[:20] if permissions.can_edit_funding_source(request.user, source) else (),
        },
    )


def source_create(request):
    require(permissions.can_create_funding_source(request.user))
    form = FundingSourceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            source = services.funding_source_create(actor=request.user, data=form.source_data())
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Finansieringskällan är sparad."))
            return redirect(source)
    return render(request, "funding/source_form.html", {"form": form, "source": None})


def source_edit(request, slug: str):
    source = editable_source(request.user, slug)
    form = FundingSourceForm(request.POST or None, instance=source, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            source = services.funding_source_update(actor=request.user, source=source, data=form.source_data())
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(source)
    return render(request, "funding/source_form.html", {"form": form, "source": source})


def funder_create(request):
    require(permissions.can_create_funder(request.user))
    form = FunderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.funder_create(actor=request.user, data=form.funder_data())
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Bidragsgivaren är sparad."))
            return redirect("funding:source-list")
    return render(request, "funding/funder_form.html", {"form": form})


# --- Calls --------------------------------------------------------------------------------------


@login_not_required
def call_list(request):
    today = timezone.localdate()
    calls = sorted(selectors.call_list(user=request.user), key=lambda c: selectors.deadline_order(c, today))
    rows = [
        (c, selectors.call_window(c, today), schedule.is_open(c.status, selectors.call_window(c, today), today))
        for c in calls
    ]
    return render(request, "funding/call_list.html", {"rows": rows, "today": today})


@login_not_required
def call_detail(request, pk: int):
    call = visible_call(request.user, pk)
    today = timezone.localdate()
    window = selectors.call_window(call, today)
    can_edit = permissions.can_edit_funding_call(request.user, call)
    is_open = schedule.is_open(call.status, window, today)
    explained = []
    if call.programme is not None:
        labels = {**built_in_labels(), **{f.key: f.label for f in call.form_fields.all()}}
        explained = rules.explain(rules.parse(call.programme.rules), labels)
    return render(
        request,
        "funding/call_detail.html",
        {
            "call": call,
            "window": window,
            "is_open": is_open,
            "rules": explained,
            "can_apply": (
                is_open and call.takes_applications and permissions.can_apply_for_some_organisation(request.user)
            ),
            "can_handle": permissions.can_handle_applications(request.user, call),
            "can_edit": can_edit,
            "actions": FundingCall.WORKFLOW.actions(call.status) if can_edit else {},
        },
    )


def call_create(request, slug: str):
    source = editable_source(request.user, slug)
    form = FundingCallForm(request.POST or None, source=source)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.funding_call_create(actor=request.user, data=form.call_data(source))
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Utlysningen är sparad som utkast. Publicera den när den ska synas."))
            return redirect(call)
    return render(request, "funding/call_form.html", {"form": form, "source": source, "call": None})


def call_edit(request, pk: int):
    call = editable_call(request.user, pk)
    form = FundingCallForm(request.POST or None, instance=call, source=call.source)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.funding_call_update(actor=request.user, call=call, data=form.call_data(call.source))
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(call)
    return render(request, "funding/call_form.html", {"form": form, "source": call.source, "call": call})


@require_POST
def call_status(request, pk: int):
    call = editable_call(request.user, pk)
    target = FundingCall.WORKFLOW.actions(call.status).get(request.POST.get("action", ""))
    if target is None:
        messages.error(request, _("Steget kan inte tas när utlysningen har den här statusen."))
        return redirect(call)
    services.funding_call_change_status(actor=request.user, call=call, status=target)
    messages.success(request, _("Utlysningen är nu: %(status)s.") % {"status": FundingCall.Status(target).label})
    return redirect(call)


# --- Subscriptions ------------------------------------------------------------------------------


@personal_data
def subscriptions(request, orgnr: str):
    """The addresses that hear about new calls the organisation may apply for."""
    organisation = subscribing_organisation(request.user, orgnr)
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST":
        remove = request.POST.get("remove")
        if remove:
            subscription = get_object_or_404(CallSubscription, pk=remove, organisation=organisation)
            services.call_subscription_delete(actor=request.user, subscription=subscription)
            messages.success(request, _("Bevakningen för %(email)s är avslutad.") % {"email": subscription.email})
            return redirect("funding:subscriptions", orgnr=orgnr)
        if form.is_valid():
            try:
                services.call_subscription_create(
                    actor=request.user, organisation=organisation, email=form.cleaned_data["email"]
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(
                    request, _("Adressen får nu e-post när en utlysning som organisationen kan söka öppnar.")
                )
                return redirect("funding:subscriptions", orgnr=orgnr)
    return render(
        request,
        "funding/subscriptions.html",
        {
            "organisation": organisation,
            "form": form,
            "subscriptions": selectors.subscriptions_for(organisation),
            "open_calls": selectors.calls_open_for(
                selectors.organisation_for_eligibility(pk=organisation.pk),
                user=request.user,
                today=timezone.localdate(),
            ),
        },
    )


@login_not_required
@personal_data
def unsubscribe(request, token: str):
    """The link in every notice: a GET shows what will stop, the POST stops it."""
    subscription = get_object_or_404(CallSubscription.objects.select_related("organisation"), token=token)
    if request.method == "POST":
        services.call_subscription_delete(actor=None, subscription=subscription)
        return render(request, "funding/unsubscribed.html", {"email": subscription.email})
    return render(request, "funding/unsubscribe.html", {"subscription": subscription})
