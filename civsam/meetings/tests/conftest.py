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
