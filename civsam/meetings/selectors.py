"""Reads for events and networks."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import Event, Network, Registration
from .permissions import events_visible_to


def event_list(
    *,
    user,
    network: str | None = None,
    organiser: str | None = None,
    municipality: str | None = None,
    starts_from: datetime | None = None,
    starts_to: datetime | None = None,
) -> QuerySet[Event]:
    qs = events_visible_to(user).select_related("network", "organiser", "municipality")
    if network:
        qs = qs.filter(network__slug=network)
    if organiser:
        qs = qs.filter(organiser__orgnr=organiser)
    if municipality:
        qs = qs.filter(municipality__code=municipality)
    if starts_from:
        qs = qs.filter(ends_at__gte=starts_from)
    if starts_to:
        qs = qs.filter(starts_at__lte=starts_to)
    return qs.annotate(
        seats_taken=Count("registrations", filter=Q(registrations__status__in=Registration.SEAT_HOLDING))
    ).order_by("starts_at", "id")


def upcoming_events(*, user) -> QuerySet[Event]:
    return event_list(user=user, starts_from=timezone.now())


def network_list() -> QuerySet[Network]:
    return Network.objects.exclude(visibility=Network.Visibility.MEMBERS).order_by("name")
