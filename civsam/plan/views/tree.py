"""Public pages for the action plans, and the region administrator's record of their decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.loading import require

from .. import forms, permissions, selectors, services


@login_not_required
def plan_list_view(request):
    in_force = selectors.plan_in_force(timezone.localdate())
    return render(request, "plan/plan_list.html", {"plans": selectors.plan_list(), "in_force": in_force})


@login_not_required
def plan_detail(request, slug: str):
    plan = selectors.plan_with_tree(slug)
    in_force = selectors.plan_in_force(timezone.localdate())
    context = {
        "plan": plan,
        "decisions": selectors.plan_decisions(plan),
        "in_force": in_force,
        "is_in_force": in_force is not None and in_force.pk == plan.pk,
        "can_decide": permissions.can_decide_plan(request.user, plan) and bool(plan.WORKFLOW.actions(plan.status)),
    }
    return render(request, "plan/plan_detail.html", context)


def plan_decide(request, slug: str):
    """Record the decision that takes the plan its next step (Plan.WORKFLOW)."""
    plan = selectors.plan_with_tree(slug)
    require(permissions.can_decide_plan(request.user, plan))
    form = forms.PlanDecisionForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        decision = services.DecisionIn(
            body=data["body"], decided_on=data["decided_on"], case_number=data["case_number"], note=data["note"]
        )
        try:
            services.plan_status_change(actor=request.user, plan=plan, to=form.target(), decision=decision)
        except ValidationError as exc:
            by_field = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
            for field, errors in by_field.items():
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Beslutet är infört och planen har fått sin nya status."))
            return redirect(plan)
    context = {"plan": plan, "form": form, "decisions": selectors.plan_decisions(plan)}
    return render(request, "plan/plan_decision_form.html", context)


@login_not_required
def focus_area_detail(request, slug: str, number: int):
    focus_area = selectors.focus_area_get(plan_slug=slug, number=number)
    return render(request, "plan/focus_area_detail.html", {"focus_area": focus_area, "plan": focus_area.plan})


@login_not_required
def priority_area_detail(request, slug: str, focus_number: int, number: int):
    priority_area = selectors.priority_area_get(plan_slug=slug, focus_number=focus_number, number=number)
    focus_area = priority_area.focus_area
    initiatives = selectors.initiative_list(selectors.InitiativeFilter(priority_area_id=priority_area.pk))
    context = {
        "priority_area": priority_area,
        "focus_area": focus_area,
        "plan": focus_area.plan,
        "initiatives": initiatives,
    }
    return render(request, "plan/priority_area_detail.html", context)
