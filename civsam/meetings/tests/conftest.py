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


@pytest.fixture
def make_initiative(reference_data):
    """An initiative of the plan, made through the plan's service (led by the Region unless told)."""
    import datetime

    from civsam.plan.models import InitiativeStatus, PriorityArea
    from civsam.plan.services import initiative_create

    area = PriorityArea.objects.filter(focus_area__plan__slug="2022-2025").order_by("focus_area__number", "number")[0]
    counter = {"n": 0}

    def make(**fields):
        counter["n"] += 1
        fields.setdefault("title", f"Insats {counter['n']}")
        if not any(fields.get(k) for k in ("lead_organisation", "lead_municipality", "lead_name")):
            fields["lead_name"] = "Region Örebro län"
        return initiative_create(
            actor=None,
            status=InitiativeStatus.objects.get(code="ongoing"),
            priority_areas=[area],
            start_date=datetime.date(2023, 1, 1),
            **fields,
        )

    return make
