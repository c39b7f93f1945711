from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def make_event():
    from civsam.meetings.models import Event

    def make(**fields):
        start = timezone.now() + timedelta(days=14)
        fields.setdefault("title", "Dialogmöte om föreningsstöd")
        fields.setdefault("starts_at", start)
        fields.setdefault("ends_at", start + timedelta(hours=2))
        fields.setdefault("place", "Länsmuseet")
        return Event.objects.create(**fields)

    return make


@pytest.fixture
def make_conference(make_event):
    """An event made a conference through the service, with a budget and optional quotas."""
    from decimal import Decimal

    from civsam.meetings import services

    def make(*, budget="100000", quotas=None, **event_fields):
        event_fields.setdefault("title", "Regional konferens")
        event = make_event(**event_fields)
        conference = services.conference_create(
            actor=None, event=event, budget_amount=Decimal(budget), budget_decision_reference="24RS4154"
        )
        for group, quota in (quotas or {}).items():
            services.quota_set(actor=None, conference=conference, target_group=group, quota=quota)
        return conference

    return make
