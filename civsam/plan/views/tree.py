"""Public pages for the action plans, and the region administrator's record of their decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.loading import require
from civsam.core.privacy import personal_data

from .. import forms, permissions, selectors, services
from ..models import PeriodEvaluation


@login_not_required
def plan_list_view(request):
    in_force = selectors.plan_in_force(timezone.localdate())
    return render(request, "plan/plan_list.html", {"plans": selectors.plan_list(), "in_force": in_force})


@login_not_required
@personal_data  # the plan's contact people
def plan_detail(request, slug: str):
    plan = selectors.plan_with_tree(slug)
    in_force = selectors.plan_in_force(timezone.localdate())
    context = {
        "plan": plan,
        "decisions": selectors.plan_decisions(plan),
        "in_force": in_force,
        "is_in_force": in_force is not None and in_force.pk == plan.pk,
        "can_decide": permissions.can_decide_plan(request.user, plan) and bool(plan.WORKFLOW.actions(plan.status)),
        "text": selectors.plan_texts(plan.pk, ("plan",)).get("plan"),
        "target": "plan",
        "about": _("planen"),
        "can_write_texts": permissions.can_write_plan_texts(request.user, plan),
        "document": selectors.plan_document(plan),
        "contacts": selectors.plan_contacts(plan),
        "can_manage_document": permissions.can_manage_plan_document(request.user, plan),
        "evaluation": _visible_evaluation(request.user, plan),
    }
    return render(request, "plan/plan_detail.html", context)


def _visible_evaluation(user, plan):
    evaluation = PeriodEvaluation.objects.filter(plan=plan).first()
    if evaluation is None or not permissions.can_view_evaluation(user, evaluation):
        return None
    return evaluation


def plan_text_edit(request, slug: str, target: str):
    """Write a new version of the text about the plan or one of its areas, with a preview."""
    plan = selectors.plan_with_tree(slug)
    require(permissions.can_write_plan_texts(request.user, plan))
    targets = services.plan_text_targets(plan)
    if target not in targets:
        raise Http404
    current = selectors.plan_texts(plan.pk, (target,)).get(target)
    initial = {"body_sv": current.body_sv, "body_en": current.body_en} if current else None
    form = forms.PlanTextForm(request.POST or None, initial=initial)
    back_url = _target_url(plan, target)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("action") == "preview":
            preview = data
        else:
            try:
                services.plan_text_save(
                    actor=request.user, plan=plan, target=target, body_sv=data["body_sv"], body_en=data["body_en"]
                )
            except ValidationError as exc:
                by_field = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
                for field, errors in by_field.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Texten är sparad som en ny version."))
                return redirect(back_url)
    context = {
        "plan": plan,
        "form": form,
        "label": targets[target],
        "preview": preview,
        "versions": selectors.plan_text_versions(plan.pk, target),
        "back_url": back_url,
    }
    return render(request, "plan/plan_text_form.html", context)


def _area_for(plan, target: str):
    """The focus area ("2") or priority area ("2.3") of `plan` that `target` names, or 404."""
    for fa in plan.focus_areas.all():
        if target == fa.code:
            return fa
        for pa in fa.priority_areas.all():
            if target == f"{fa.number}.{pa.number}":
                return pa
    raise Http404


def area_frame_edit(request, slug: str, target: str):
    """Say which strategies and Agenda 2030 goals a focus area or priority area serves."""
    plan = selectors.plan_with_tree(slug)
    require(permissions.can_tag_plan_areas(request.user, plan))
    area = _area_for(plan, target)
    initial = {"frame_tags": [t.pk for t in area.frame_tags.all()]}
    form = forms.AreaFrameForm(request.POST or None, initial=initial)
    back_url = _target_url(plan, target)
    if request.method == "POST" and form.is_valid():
        changed = services.area_frame_tags_set(actor=request.user, area=area, tags=form.tags())
        messages.success(request, _("Strategier och mål är sparade.") if changed else _("Inget ändrades."))
        return redirect(back_url)
    context = {"plan": plan, "area": area, "form": form, "back_url": back_url}
    return render(request, "plan/area_frame_form.html", context)


def _target_url(plan, target: str) -> str:
    if target == "plan":
        return plan.get_absolute_url()
    if "." in target:
        fa, pa = target.split(".")
        return reverse("plan:priority-area-detail", args=[plan.slug, int(fa), int(pa)])
    return reverse("plan:focus-area-detail", args=[plan.slug, int(target)])


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
    plan = focus_area.plan
    context = {
        "focus_area": focus_area,
        "plan": plan,
        "text": selectors.plan_texts(plan.pk, (focus_area.code,)).get(focus_area.code),
        "target": focus_area.code,
        "about": _("insatsområdet"),
        "can_write_texts": permissions.can_write_plan_texts(request.user, plan),
        "frame_tags": focus_area.frame_tags.all(),
        "can_tag": permissions.can_tag_plan_areas(request.user, plan),
    }
    return render(request, "plan/focus_area_detail.html", context)


@login_not_required
def priority_area_detail(request, slug: str, focus_number: int, number: int):
    priority_area = selectors.priority_area_get(plan_slug=slug, focus_number=focus_number, number=number)
    focus_area = priority_area.focus_area
    initiatives = selectors.initiative_list(selectors.InitiativeFilter(priority_area_id=priority_area.pk))
    plan = focus_area.plan
    context = {
        "priority_area": priority_area,
        "focus_area": focus_area,
        "plan": plan,
        "initiatives": initiatives,
        "text": selectors.plan_texts(plan.pk, (priority_area.code,)).get(priority_area.code),
        "target": priority_area.code,
        "about": _("aktivitetsområdet"),
        "can_write_texts": permissions.can_write_plan_texts(request.user, plan),
        "frame_tags": priority_area.frame_tags.all(),
        "inherited_frame_tags": focus_area.frame_tags.all(),
        "can_tag": permissions.can_tag_plan_areas(request.user, plan),
    }
    return render(request, "plan/priority_area_detail.html", context)
