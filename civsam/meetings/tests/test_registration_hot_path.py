"""A registration without signing in costs two queries, and on PostgreSQL its writes are one
statement (ADR 0094): the registration, its audit entry and the seat, or nothing at all."""

from __future__ import annotations

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from civsam.core.models import AuditEntry
from civsam.meetings import permissions, services
from civsam.meetings.models import Event, EventSeats, Registration
from civsam.meetings.services.registrations import ensure_seats, hot_path

pytestmark = pytest.mark.django_db
S = Registration.Status


def _post(client: Client, event: Event, n: int):
    return client.post(
        f"/api/v1/events/{event.pk}/registrations",
        data=json.dumps({"name": f"Deltagare {n}", "email": f"d{n}@example.se"}),
        content_type="application/json",
        REMOTE_ADDR=f"10.0.0.{n}",
    )


def _statements(captured) -> list[str]:
    """The statements the request ran, without the savepoints of the test's own transaction."""
    return [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"].upper()]


def test_an_api_registration_reads_once_and_writes_once(make_event):
    event = make_event(capacity=1, is_public=True)
    ensure_seats(event.pk)
    ContentType.objects.get_for_model(Registration)  # cached in a running server, as here
    client = Client()
    for n, status in ((1, S.HELD), (2, S.UNCONFIRMED)):
        with CaptureQueriesContext(connection) as captured:
            response = _post(client, event, n)
        assert response.status_code == 201, response.content
        assert response.json()["status"] == status
        statements = _statements(captured)
        # The event with its visibility, flags and the address check; then the writes.
        assert statements[0].startswith("SELECT e.*")
        if connection.vendor == "postgresql":
            assert len(statements) == 2, [s[:80] for s in statements]
            assert statements[1].startswith("WITH seat AS (UPDATE")
    registrations = list(Registration.objects.filter(event=event).order_by("pk"))
    assert [r.status for r in registrations] == [S.HELD, S.UNCONFIRMED]
    assert EventSeats.objects.get(pk=event.pk).taken == 1
    for registration in registrations:
        entry = AuditEntry.objects.get(object_id=str(registration.pk), content_type__model="registration")
        assert (entry.action, entry.actor_id, entry.note) == ("create", None, f"event {event.pk}")
        assert entry.object_repr == str(registration)


def test_an_unpublished_event_is_not_found_without_a_query_of_its_own(make_event):
    event = make_event(capacity=10, is_public=False)
    with CaptureQueriesContext(connection) as captured:
        response = _post(Client(), event, 1)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert len(_statements(captured)) == 1
    assert not Registration.objects.filter(event=event).exists()


def test_those_not_signed_in_see_exactly_the_published_events(make_event, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    published = make_event(is_public=True)
    make_event(is_public=False)
    anonymous = AnonymousUser()
    assert permissions.sees_only_published_events(anonymous)
    assert set(permissions.events_visible_to(anonymous)) == {published}
    assert not permissions.sees_only_published_events(django_user_model.objects.create(username="x"))


@pytest.mark.postgres
def test_a_refused_statement_writes_nothing_not_even_the_seat(make_event):
    event = make_event(capacity=5, is_public=True)
    first = services.registration_create(event_id=event.pk, name="Ada", email="ada@example.se")
    assert first.status == S.HELD
    entries = AuditEntry.objects.count()
    # The same code again: the unique constraint refuses the whole statement.
    twin = Registration(
        event=event,
        name="Bo",
        email="bo@example.se",
        code=first.code,
        cancel_token="another-token",
        confirm_token="another-confirm-token",
        confirm_by=first.confirm_by,
    )
    with pytest.raises(IntegrityError):
        hot_path.insert_held_or_unconfirmed(twin, note="event")
    assert EventSeats.objects.get(pk=event.pk).taken == 1
    assert Registration.objects.filter(event=event).count() == 1
    assert AuditEntry.objects.count() == entries


@pytest.mark.postgres
def test_the_hot_path_is_taken_only_where_one_statement_decides(make_event):
    event = make_event(is_public=True)
    for kwargs, expected in (
        ({"address_confirmed": False, "has_quotas": False, "requires_approval": False}, True),
        ({"address_confirmed": True, "has_quotas": False, "requires_approval": False}, False),
        ({"address_confirmed": False, "has_quotas": True, "requires_approval": False}, False),
        ({"address_confirmed": False, "has_quotas": False, "requires_approval": True}, False),
    ):
        assert hot_path.applies(event=event, **kwargs) is expected
