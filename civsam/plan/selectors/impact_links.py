"""Reads that the social-value app (impact) needs from the plan: the initiatives an analysis may link to.

Read-only; impact reaches initiatives only through this module, the plan's models and its services.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from ..models import Initiative
from ..permissions import initiatives_visible_to


def initiatives_linkable(*, user) -> QuerySet[Initiative]:
    """The initiatives the user may see, with what a choice label shows (title and lead), by title."""
    return (
        initiatives_visible_to(user)
        .select_related("lead_organisation", "lead_municipality", "status")
        .order_by("title", "id")
    )


def initiatives_by_ids(*, user, ids: Iterable[int]) -> QuerySet[Initiative]:
    """Those of the given ids that the user may see; ids the user may not see, or that do not exist, are left out."""
    return initiatives_linkable(user=user).filter(pk__in=list(ids))
