"""No overbooking: many registrations at once, each in its own thread and database connection."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from civsam.meetings import selectors, services
from civsam.meetings.models import EventSeats, Registration
from civsam.meetings.tests import support

# Row locks decide these races; SQLite serialises writers anyway, so only PostgreSQL can fail them.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow, pytest.mark.postgres]


def _register(event_id: int, n: int, *, signed_in: bool = True) -> str:
    try:
        return support.register(
            event_id, n, email=f"d{n}@example.se", user=support.participant() if signed_in else None
        )
    finally:
        connections.close_all()


def _in_parallel(call, items) -> list:
    # On SQLite writers queue on the database lock; on PostgreSQL they really run in parallel and
    # the event's counter row decides.
    workers = 32 if connection.vendor == "postgresql" else 8
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(call, items))


def _assert_counts_match(event):
    """The counter row agrees with the registrations it counts."""
    stored = Registration.objects.filter(event=event)
    seats = EventSeats.objects.get(pk=event.pk)
    assert seats.taken == stored.filter(status__in=Registration.SEAT_HOLDING).count()
    assert seats.waiting == stored.filter(status="waitlisted").count()


def test_400_parallel_registrations_for_300_seats(make_event, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    event = make_event(capacity=300)
    support.participant()
    statuses = [r.status for r in _in_parallel(lambda n: _register(event.pk, n), range(400))]
    assert statuses.count("confirmed") == 300
    assert statuses.count("waitlisted") == 100
    stored = Registration.objects.filter(event=event)
    assert stored.count() == 400
    assert stored.filter(status="confirmed").count() == 300
    assert stored.filter(status="waitlisted").count() == 100
    _assert_counts_match(event)


def _confirm(token: str) -> str:
    try:
        return services.registration_confirm(confirm_token=token).status
    except ValidationError:
        return "too late"
    finally:
        connections.close_all()


def _expire(_n: int) -> int:
    try:
        return services.registrations_expire()
    finally:
        connections.close_all()


def test_holds_pending_confirmation_under_parallel_registration_confirmation_and_expiry(make_event, settings):
    """400 registrations without signing in for 300 seats: exactly 300 seats are held. The 100 without
    a seat confirm and join the queue. Then, all at once, 200 holders confirm while 100 holds run out
    and the expiry job runs in several workers: every hold is either confirmed or expired, never both,
    and the 100 seats that came back go to the 100 in the queue."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    event = make_event(capacity=300)
    statuses = [r.status for r in _in_parallel(lambda n: _register(event.pk, n, signed_in=False), range(400))]
    assert (statuses.count("held"), statuses.count("unconfirmed")) == (300, 100)
    _assert_counts_match(event)
    stored = Registration.objects.filter(event=event)
    waiting = list(stored.filter(status="unconfirmed").values_list("confirm_token", flat=True))
    assert _in_parallel(_confirm, waiting) == ["waitlisted"] * 100
    held = list(stored.filter(status="held").order_by("id").values_list("pk", "confirm_token"))
    run_out = [pk for pk, _token in held[200:]]
    Registration.objects.filter(pk__in=run_out).update(confirm_by=timezone.now() - timedelta(minutes=1))
    confirming = [token for _pk, token in held[:200]]
    results = _in_parallel(
        lambda item: _confirm(item) if isinstance(item, str) else _expire(item), [*confirming, *range(8)]
    )
    assert results[:200] == ["confirmed"] * 200
    assert sum(results[200:]) == 100  # each run-out hold expired once, by one of the workers
    assert stored.filter(status="confirmed").count() == 200
    assert stored.filter(status="expired").count() == 100
    assert stored.filter(status="offered").count() == 100
    assert stored.filter(status="waitlisted").count() == 0
    _assert_counts_match(event)


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
        return support.register(event_id, n, email=f"g{n}@example.se", target_group=group).status
    finally:
        connections.close_all()


def test_parallel_registrations_respect_target_group_quotas(make_conference, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The quotas add up to the capacity, so the outcome is the same in any arrival order.
    conference = make_conference(capacity=100, quotas={"elected": 30, "officer": 30, "civil_society": 40})
    support.participant()
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
    _assert_counts_match(conference.event)
