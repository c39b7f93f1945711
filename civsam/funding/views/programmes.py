"""Programmes: their rules explained, budgets per year and calls; a programme call's form and
criteria, kept by the officers of its funder."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import loaders, permissions, rules, selectors, services
from ..forms import CallCriterionForm, CallFieldForm, ProgrammeBudgetForm, ProgrammeForm
from ..services.programmes import built_in_labels
from .common import error_messages, form_errors


@login_not_required
def programme_list(request):
    return render(request, "funding/programme_list.html", {"programmes": selectors.programme_list(user=request.user)})


@login_not_required
def programme_detail(request, slug: str):
    programme = loaders.visible_programme(request.user, slug)
    labels = {**built_in_labels(), **{item["key"]: item["label"] for item in programme.form_template}}
    calls = programme.calls.select_related("source").order_by("-budget_year", "-pk")
    can_edit = permissions.can_edit_programme(request.user, programme)
    budgets = []
    for row in programme.budgets.order_by("-year"):
        held = sum((c.budget or 0) for c in calls if c.budget_year == row.year)
        budgets.append({"row": row, "held": held, "free": row.amount - held})
    return render(
        request,
        "funding/programme_detail.html",
        {
            "programme": programme,
            "rules": rules.explain(rules.parse(programme.rules), labels),
            "calls": [c for c in calls if permissions.can_view_funding_call(request.user, c)],
            "budgets": budgets,
            "can_edit": can_edit,
            "budget_form": ProgrammeBudgetForm(initial={"year": timezone.localdate().year + 1}) if can_edit else None,
        },
    )


def programme_edit(request, slug: str):
    programme = loaders.editable_programme(request.user, slug)
    form = ProgrammeForm(request.POST or None, initial=ProgrammeForm.initial_for(programme))
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(actor=request.user, programme=programme, data=form.programme_data())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Programmet är sparat."))
            return redirect(programme)
    return render(request, "funding/programme_form.html", {"programme": programme, "form": form})


@require_POST
def programme_budget(request, slug: str):
    programme = loaders.editable_programme(request.user, slug)
    form = ProgrammeBudgetForm(request.POST)
    if form.is_valid():
        try:
            services.programme_budget_set(actor=request.user, programme=programme, **form.cleaned_data)
        except ValidationError as error:
            error_messages(request, error)
        else:
            messages.success(request, _("Budgeten för %(year)s är sparad.") % {"year": form.cleaned_data["year"]})
    else:
        messages.error(request, _("Ange år och belopp."))
    return redirect(programme)


# --- A call's form and criteria -----------------------------------------------------------------


def call_form(request, pk: int):
    """The call's questions and criteria, each editable; new ones added at the end."""
    call = loaders.editable_call(request.user, pk)
    field_form = CallFieldForm(request.POST if request.POST.get("add") == "field" else None)
    criterion_form = CallCriterionForm(request.POST if request.POST.get("add") == "criterion" else None)
    if request.method == "POST":
        try:
            if request.POST.get("add") == "field" and field_form.is_valid():
                services.call_field_add(actor=request.user, call=call, data=field_form.field_data())
                messages.success(request, _("Frågan är tillagd."))
                return redirect("funding:call-form", pk)
            if request.POST.get("add") == "criterion" and criterion_form.is_valid():
                services.call_criterion_add(actor=request.user, call=call, data=criterion_form.criterion_data())
                messages.success(request, _("Kriteriet är tillagt."))
                return redirect("funding:call-form", pk)
        except ValidationError as error:
            form_errors(field_form if request.POST.get("add") == "field" else criterion_form, error)
    return render(
        request,
        "funding/call_form_fields.html",
        {
            "call": call,
            "fields": list(call.form_fields.all()),
            "criteria": list(call.criteria.all()),
            "field_form": field_form,
            "criterion_form": criterion_form,
            "rule_fields": rules.fields_read(rules.parse(call.programme.rules)) if call.programme else frozenset(),
        },
    )


def call_field_edit(request, pk: int, field_pk: int):
    field = loaders.editable_call_field(request.user, pk, field_pk)
    form = CallFieldForm(request.POST or None, initial=CallFieldForm.initial_for(field))
    if request.method == "POST" and form.is_valid():
        try:
            services.call_field_update(actor=request.user, field=field, data=form.field_data())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Frågan är sparad."))
            return redirect("funding:call-form", pk)
    return render(request, "funding/call_field_form.html", {"call": field.call, "field": field, "form": form})


@require_POST
def call_field_delete(request, pk: int, field_pk: int):
    field = loaders.editable_call_field(request.user, pk, field_pk)
    try:
        services.call_field_delete(actor=request.user, field=field)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("Frågan är borttagen."))
    return redirect("funding:call-form", pk)


@require_POST
def call_field_move(request, pk: int, field_pk: int):
    field = loaders.editable_call_field(request.user, pk, field_pk)
    services.call_field_move(actor=request.user, field=field, up=request.POST.get("direction") == "up")
    return redirect("funding:call-form", pk)


def call_criterion_edit(request, pk: int, criterion_pk: int):
    criterion = loaders.editable_criterion(request.user, pk, criterion_pk)
    form = CallCriterionForm(request.POST or None, initial=CallCriterionForm.initial_for(criterion))
    if request.method == "POST" and form.is_valid():
        try:
            services.call_criterion_update(actor=request.user, criterion=criterion, data=form.criterion_data())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Kriteriet är sparat."))
            return redirect("funding:call-form", pk)
    return render(
        request, "funding/call_criterion_form.html", {"call": criterion.call, "criterion": criterion, "form": form}
    )


@require_POST
def call_criterion_delete(request, pk: int, criterion_pk: int):
    criterion = loaders.editable_criterion(request.user, pk, criterion_pk)
    try:
        services.call_criterion_delete(actor=request.user, criterion=criterion)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("Kriteriet är borttaget."))
    return redirect("funding:call-form", pk)
