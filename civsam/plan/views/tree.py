"""Public pages for the action plans."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from .. import selectors


@login_not_required
def plan_list_view(request):
    return render(request, "plan/plan_list.html", {"plans": selectors.plan_list()})


@login_not_required
def plan_detail(request, slug: str):
    return render(request, "plan/plan_detail.html", {"plan": selectors.plan_with_tree(slug)})


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
