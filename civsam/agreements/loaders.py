"""The objects a page or the API acts on, found by id and checked: 404 when the user may not see
them, 403 when they may see but not act."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from civsam.plan.models import PriorityArea
from civsam.plan.selectors import plan_in_force

from . import permissions, selectors
from .models import Agreement


def visible_agreement(user, pk: int) -> Agreement:
    try:
        return selectors.agreement_detail(pk, permissions.agreements_visible_to(user))
    except Agreement.DoesNotExist:
        raise Http404 from None


def managed_agreement(user, pk: int) -> Agreement:
    agreement = visible_agreement(user, pk)
    if not permissions.can_manage_agreement(user, agreement):
        raise PermissionDenied
    return agreement


def priority_areas(on: datetime.date | None = None) -> QuerySet[PriorityArea]:
    """The priority areas of the plan in force (every plan's, when none is)."""
    qs = PriorityArea.objects.select_related("focus_area__plan").order_by(
        "-focus_area__plan__start_year", "focus_area__number", "number"
    )
    plan = plan_in_force(on or timezone.localdate())
    return qs.filter(focus_area__plan=plan) if plan is not None else qs
