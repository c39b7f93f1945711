"""No overbooking: many registrations at once, each in its own thread and database connection."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from civsam.meetings import selectors, services
from civsam.meetings.models import Registration

# Row locks decide these races; SQLite serialises writers anyway, so only PostgreSQL can fail them.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow, pytest.mark.postgres]


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


def _commit(line_id: int, n: int) -> str:
    from decimal import Decimal

    from django.core.exceptions import ValidationError

    from civsam.meetings.models import BudgetLine

    try:
        line = BudgetLine.objects.get(pk=line_id)
        services.commitment_add(actor=None, line=line, description=f"Åtagande {n}", amount=Decimal("1000"))
        return "ok"
    except ValidationError:
        return "refused"
    finally:
        connections.close_all()


def test_parallel_budget_commitments_never_over_commit(make_conference):
    from decimal import Decimal

    from civsam.meetings.models import BudgetCommitment

    conference = make_conference(budget="100000")
    line = services.budget_line_add(actor=None, conference=conference, title="Lokal", planned=Decimal("100000"))
    workers = 32 if connection.vendor == "postgresql" else 8
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(lambda n: _commit(line.pk, n), range(150)))
    assert results.count("ok") == 100
    assert results.count("refused") == 50
    assert BudgetCommitment.objects.filter(line=line).count() == 100
    assert selectors.budget_state(conference).remaining == Decimal("0")


def _register_group(event_id: int, n: int, group: str) -> str:
    try:
        return services.registration_create(
            event_id=event_id, name=f"D {n}", email=f"g{n}@example.se", target_group=group
        ).status
    finally:
        connections.close_all()


def test_parallel_registrations_respect_target_group_quotas(make_conference, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The quotas add up to the capacity, so the outcome is the same in any arrival order.
    conference = make_conference(capacity=100, quotas={"elected": 30, "officer": 30, "civil_society": 40})
    groups = ["elected", "officer", "civil_society"]
    workers = 32 if connection.vendor == "postgresql" else 8
    with ThreadPoolExecutor(max_workers=workers) as pool:
        statuses = list(pool.map(lambda n: _register_group(conference.event_id, n, groups[n % 3]), range(180)))
    stored = Registration.objects.filter(event_id=conference.event_id)
    assert stored.count() == 180 and len(statuses) == 180
    confirmed = stored.filter(status="confirmed")
    assert confirmed.filter(target_group="elected").count() == 30
    assert confirmed.filter(target_group="officer").count() == 30
    assert confirmed.filter(target_group="civil_society").count() == 40
    assert confirmed.count() == 100
    assert stored.filter(status="waitlisted").count() == 80
