"""The organisation page's "what it does" part: its initiatives, events, networks and analyses.

The registry sits below plan, meetings and impact in the layers (pyproject, import-linter), so its
page cannot read them itself; this tag, in the site layer above them all, does, and the page loads
it by name: {% load organisation_activity %}{% organisation_activity organisation user %}."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Q
from django.utils import timezone

from civsam.impact.selectors import analyses_published
from civsam.meetings.models import NetworkMembership
from civsam.meetings.permissions import events_visible_to, networks_visible_to
from civsam.plan.models import Initiative

register = template.Library()

LIMIT = 10


@register.inclusion_tag("site/_organisation_activity.html")
def organisation_activity(organisation, user) -> dict[str, Any]:
    initiatives = (
        Initiative.objects.filter(Q(lead_organisation=organisation) | Q(partner_organisations=organisation))
        .distinct()
        .select_related("status")
        .order_by("title", "pk")
    )
    events = (
        events_visible_to(user).filter(organiser=organisation, ends_at__gte=timezone.now()).order_by("starts_at", "pk")
    )
    memberships = (
        NetworkMembership.objects.filter(
            organisation=organisation,
            status=NetworkMembership.Status.ACTIVE,
            network__in=networks_visible_to(user),
        )
        .select_related("network")
        .order_by("network__name")
    )
    analyses = analyses_published().filter(owner_organisation=organisation)
    return {
        "organisation": organisation,
        "initiatives": list(initiatives[:LIMIT]),
        "initiative_count": initiatives.count(),
        "events": list(events[:LIMIT]),
        "networks": [m.network for m in memberships],
        "analyses": list(analyses[:LIMIT]),
    }
