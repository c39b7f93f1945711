"""No overbooking: many registrations at once, each in its own thread and database connection."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from civsam.meetings import services
from civsam.meetings.models import Registration

pytestmark = pytest.mark.django_db(transaction=True)


def _register(event_id: int, n: int) -> str:
    try:
        return services.registration_create(event_id=event_id, name=f"Deltagare {n}", email=f"d{n}@example.se").status
    finally:
        connections.close_all()


def test_400_parallel_registrations_for_300_seats(make_event, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    event = make_event(capacity=300)
    # On SQLite writers queue on the database lock; on PostgreSQL they really run in parallel and
    # the row lock on the event decides.
    workers = 32 if connection.vendor == "postgresql" else 8
    with ThreadPoolExecutor(max_workers=workers) as pool:
        statuses = list(pool.map(lambda n: _register(event.pk, n), range(400)))
    assert statuses.count("confirmed") == 300
    assert statuses.count("waitlisted") == 100
    stored = Registration.objects.filter(event=event)
    assert stored.count() == 400
    assert stored.filter(status="confirmed").count() == 300
    assert stored.filter(status="waitlisted").count() == 100
