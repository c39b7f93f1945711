"""The organiser moves a registration (issue #14): to the end of the waitlist, or to another event;
seat counts stay right, the freed seat is offered on, the registrant is told, and only those who
manage both events may do it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from civsam.core.models import AuditEntry
from civsam.meetings import services
from civsam.meetings.models import EventSeats, Registration
from civsam.meetings.tests import support

pytestmark = pytest.mark.django_db
S = Registration.Status


def _counts(event):
    seats = EventSeats.objects.get(pk=event.pk)
    held = event.registrations.filter(status__in=Registration.SEAT_HOLDING).count()
    waiting = event.registrations.filter(status=S.WAITLISTED).count()
    assert (seats.taken, seats.waiting) == (held, waiting)  # the counter row agrees with the rows
    return held, waiting


def _at(*, days: int) -> dict:
    start = timezone.now() + timedelta(days=days)
    return {"starts_at": start, "ends_at": start + timedelta(hours=2)}


@pytest.fixture
def full_event(make_event, django_capture_on_commit_callbacks):
    event = make_event(capacity=2, title="Workshop om föreningsstöd")
    with django_capture_on_commit_callbacks(execute=True):
        people = [support.register(event.pk, n) for n in range(3)]
    assert [p.status for p in people] == [S.CONFIRMED, S.CONFIRMED, S.WAITLISTED]
    mail.outbox.clear()
    return event, people


def test_moving_a_seat_to_the_waitlist_offers_it_to_the_next_in_line(
    full_event, users, django_capture_on_commit_callbacks
):
    event, (first, _second, third) = full_event
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_move_to_waitlist(actor=users["admin"], registration=first)
    first.refresh_from_db()
    third.refresh_from_db()
    assert (first.status, third.status) == (S.WAITLISTED, S.OFFERED)  # the moved one is last in the queue
    assert _counts(event) == (2, 1)
    told = {m.to[0]: m for m in mail.outbox}
    assert "flyttat din anmälan till väntelistan" in told["p0@example.se"].body
    assert "Anmälningskod" not in told["p0@example.se"].body  # no check-in code without a seat
    assert "Ledig plats" in told["p2@example.se"].subject


def test_moving_to_another_event_takes_a_seat_there_and_frees_one_here(
    full_event, make_event, users, django_capture_on_commit_callbacks
):
    event, (first, _second, third) = full_event
    other = make_event(capacity=5, title="Workshop, extra tillfälle", **_at(days=20))
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.registration_move(actor=users["admin"], registration=first, to_event=other)
    first.refresh_from_db()
    third.refresh_from_db()
    assert (moved.event, moved.status, moved.name, moved.email) == (other, S.CONFIRMED, "Person 0", "p0@example.se")
    assert moved.code != first.code and moved.cancel_token != first.cancel_token
    assert (first.status, third.status) == (S.CANCELLED, S.OFFERED)
    assert _counts(event) == (2, 0) and _counts(other) == (1, 0)
    mail_to_moved = next(m for m in mail.outbox if m.to == ["p0@example.se"])
    assert "från Workshop om föreningsstöd till Workshop, extra tillfälle" in mail_to_moved.body
    assert reverse("meetings:registration-cancel", args=[moved.cancel_token]) in mail_to_moved.body
    assert AuditEntry.objects.filter(object_id=str(first.pk), note__startswith="Flyttad till").exists()


def test_a_full_target_puts_the_moved_registration_on_its_waitlist(full_event, make_event, users):
    _event, (first, *_rest) = full_event
    other = make_event(capacity=1, title="Fullt")
    support.register(other.pk, 9)
    moved = services.registration_move(actor=users["admin"], registration=first, to_event=other)
    assert moved.status == S.WAITLISTED and _counts(other) == (1, 1)


@pytest.mark.parametrize("case", ["same_event", "already_there", "started", "cancelled"])
def test_moves_that_cannot_be_made_change_nothing(full_event, make_event, users, case):
    event, (first, second, _third) = full_event
    other = make_event(capacity=5, title="Annat")
    if case == "already_there":
        support.register(other.pk, 0)
    if case == "started":
        other.starts_at = timezone.now() - timedelta(hours=1)
        other.save()
    if case == "cancelled":
        services.registration_cancel(cancel_token=second.cancel_token)
        first = Registration.objects.get(pk=second.pk)
    target = event if case == "same_event" else other
    before = (_counts(event), _counts(other) if EventSeats.objects.filter(pk=other.pk).exists() else None)
    with pytest.raises(ValidationError):
        services.registration_move(actor=users["admin"], registration=first, to_event=target)
    after = (_counts(event), _counts(other) if EventSeats.objects.filter(pk=other.pk).exists() else None)
    assert before == after


def test_only_a_confirmed_seat_moves_to_the_waitlist(full_event, users):
    _event, (_first, _second, third) = full_event
    with pytest.raises(ValidationError):
        services.registration_move_to_waitlist(actor=users["admin"], registration=third)


def test_the_target_must_be_an_event_the_organiser_manages(full_event, make_event, users):
    from civsam.core.models import Municipality

    orebro = Municipality.objects.get(code="1880")
    event, (first, *_rest) = full_event
    event.municipality = orebro
    event.save()
    elsewhere = make_event(title="Kumlas träff", municipality=Municipality.objects.get(code="1881"))
    with pytest.raises(PermissionDenied):
        services.registration_move(actor=users["officer"], registration=first, to_event=elsewhere)
    with pytest.raises(PermissionDenied):
        services.registration_move_to_waitlist(actor=users["officer_kumla"], registration=first)
    first.refresh_from_db()
    assert first.status == S.CONFIRMED


def test_the_page_offers_the_waitlist_and_the_organisers_other_events(
    full_event, make_event, users, client, django_capture_on_commit_callbacks
):
    event, (first, *_rest) = full_event
    other = make_event(capacity=5, title="Extra tillfälle", **_at(days=30))
    past = make_event(title="Förra året", **_at(days=-300))
    client.force_login(users["admin"])
    manage = client.get(reverse("meetings:event-manage", args=[event.pk])).content.decode()
    url = reverse("meetings:registration-move", args=[first.pk])
    assert url in manage
    page = client.get(url).content.decode()
    assert "Sist på väntelistan" in page and "Extra tillfälle" in page and "Förra året" not in page
    assert past.pk  # a past event is never offered
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"to": str(other.pk)})
    assert done.status_code == 302
    assert other.registrations.get().name == "Person 0"
    client.force_login(users["plain"])
    assert client.get(reverse("meetings:registration-move", args=[first.pk])).status_code == 403
