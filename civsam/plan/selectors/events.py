"""Reads joining initiatives and meetings (meetings.Event) in both directions."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from civsam.meetings.permissions import events_visible_to

from ..models import Initiative


def visible_events_prefetch(user) -> Prefetch:
    """An initiative's meetings that the user may see, as `initiative.visible_events` (one query)."""
    return Prefetch(
        "events",
        queryset=events_visible_to(user).select_related("network").order_by("starts_at", "id"),
        to_attr="visible_events",
    )


def initiatives_for_event(event) -> QuerySet[Initiative]:
    """The initiatives an event belongs to (initiatives are public), in one query."""
    return Initiative.objects.filter(events=event).select_related("status").order_by("title", "id")
