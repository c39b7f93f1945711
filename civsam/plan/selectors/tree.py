"""Reads of the plan tree, with the joins done up front."""

from __future__ import annotations

import datetime

from django.db.models import Max, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from .. import in_force
from ..models import FocusArea, Plan, PlanContact, PlanDecision, PlanDocument, PlanText, PriorityArea


def plan_list() -> QuerySet[Plan]:
    return Plan.objects.all()


def plan_with_tree(slug_or_id: str | int) -> Plan:
    """One plan with its focus areas and their priority areas prefetched, each with its strategies and
    goals (five queries)."""
    qs = Plan.objects.prefetch_related(
        Prefetch(
            "focus_areas",
            queryset=FocusArea.objects.order_by("number").prefetch_related(
                "frame_tags",
                Prefetch(
                    "priority_areas", queryset=PriorityArea.objects.order_by("number").prefetch_related("frame_tags")
                ),
            ),
        )
    )
    if isinstance(slug_or_id, int) or str(slug_or_id).isdigit():
        return get_object_or_404(qs, pk=int(slug_or_id))
    return get_object_or_404(qs, slug=slug_or_id)


def focus_area_get(*, plan_slug: str, number: int) -> FocusArea:
    return get_object_or_404(
        FocusArea.objects.select_related("plan").prefetch_related("priority_areas"),
        plan__slug=plan_slug,
        number=number,
    )


def priority_area_get(*, plan_slug: str, focus_number: int, number: int) -> PriorityArea:
    return get_object_or_404(
        PriorityArea.objects.select_related("focus_area__plan"),
        focus_area__plan__slug=plan_slug,
        focus_area__number=focus_number,
        number=number,
    )


def plan_decisions(plan: Plan) -> QuerySet[PlanDecision]:
    return plan.decisions.order_by("decided_on", "id")


def plan_in_force(on: datetime.date) -> Plan | None:
    """The plan in force on `on` (plan/in_force.py), from every plan's period and decisions: one query."""
    plans = {
        plan.pk: plan
        for plan in Plan.objects.annotate(
            adopted_on=Max("decisions__decided_on", filter=Q(decisions__action="adopt")),
            superseded_on=Max("decisions__decided_on", filter=Q(decisions__action="supersede")),
        )
    }
    lives = [
        in_force.PlanLife(
            key=pk,
            start_year=plan.start_year,
            status=plan.status,
            adopted_on=plan.adopted_on,  # type: ignore[attr-defined]
            superseded_on=plan.superseded_on,  # type: ignore[attr-defined]
        )
        for pk, plan in plans.items()
    ]
    found = in_force.plan_in_force(lives, on)
    return plans[found.key] if found is not None else None  # type: ignore[index]


def plan_texts(plan_id: int, targets: tuple[str, ...] | None = None) -> dict[str, PlanText]:
    """The newest text of each part of the plan (or of the parts named), by target."""
    rows = PlanText.objects.filter(plan_id=plan_id).order_by("target", "-version")
    if targets is not None:
        rows = rows.filter(target__in=targets)
    newest: dict[str, PlanText] = {}
    for row in rows:
        newest.setdefault(row.target, row)
    return newest


def plan_text_versions(plan_id: int, target: str) -> QuerySet[PlanText]:
    return PlanText.objects.filter(plan_id=plan_id, target=target).select_related("author").order_by("-version")


def plan_document(plan: Plan) -> PlanDocument | None:
    """The adopted plan's document (a PDF or a link), if any."""
    return PlanDocument.objects.filter(plan=plan).first()


def plan_contacts(plan: Plan) -> list[PlanContact]:
    return list(PlanContact.objects.filter(plan=plan).order_by("sort_order", "id"))
