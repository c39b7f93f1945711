from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from civsam.meetings import services
from civsam.meetings.models import Registration
from civsam.meetings.tests import support

pytestmark = pytest.mark.django_db(transaction=True)
S = Registration.Status


def register(event, n, **kwargs):
    """Signed in: decided at once (registrations without signing in: test_anonymous_registration.py)."""
    return support.register(event.pk, n, **kwargs)


def test_seats_fill_then_waitlist_in_order(make_event):
    event = make_event(capacity=2)
    statuses = [register(event, n).status for n in range(4)]
    assert statuses == [S.CONFIRMED, S.CONFIRMED, S.WAITLISTED, S.WAITLISTED]


def test_cancellation_offers_seat_to_head_of_queue_with_deadline(make_event):
    event = make_event(capacity=1, offer_window_hours=24)
    first, second, third = (register(event, n) for n in range(3))
    before = timezone.now()
    services.registration_cancel(cancel_token=first.cancel_token)
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == S.OFFERED
    assert before + timedelta(hours=23) < second.offer_expires_at <= timezone.now() + timedelta(hours=24)
    assert third.status == S.WAITLISTED
    # A newcomer may not jump the queue while the seat is on offer.
    assert register(event, 9).status == S.WAITLISTED
    accepted = services.registration_accept_offer(cancel_token=second.cancel_token)
    assert accepted.status == S.CONFIRMED


def test_expired_offer_passes_seat_on(make_event):
    event = make_event(capacity=1, offer_window_hours=1)
    first, second, third = (register(event, n) for n in range(3))
    services.registration_cancel(cancel_token=first.cancel_token)
    later = timezone.now() + timedelta(hours=2)
    assert services.registrations_expire(now=later) == 1
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == S.EXPIRED
    assert third.status == S.OFFERED
    with pytest.raises(ValidationError):
        services.registration_accept_offer(cancel_token=second.cancel_token)


def test_cancel_is_idempotent_and_unknown_token_fails(make_event):
    event = make_event(capacity=5)
    registration = register(event, 1)
    services.registration_cancel(cancel_token=registration.cancel_token)
    assert services.registration_cancel(cancel_token=registration.cancel_token).status == S.CANCELLED
    with pytest.raises(Registration.DoesNotExist):
        services.registration_cancel(cancel_token="nope")


@pytest.mark.parametrize(
    ("opens_delta", "closes_delta", "message"),
    [(timedelta(days=1), None, "inte öppnat"), (None, timedelta(days=-1), "stängd")],
)
def test_registration_window(make_event, opens_delta, closes_delta, message):
    now = timezone.now()
    event = make_event(
        registration_opens=now + opens_delta if opens_delta else None,
        registration_closes=now + closes_delta if closes_delta else None,
    )
    with pytest.raises(ValidationError, match=message):
        register(event, 1)
    assert Registration.objects.count() == 0


def test_approval_flow(make_event, users):
    event = make_event(capacity=1, requires_approval=True, municipality=users["own_org"].municipality)
    registration = register(event, 1)
    assert registration.status == S.AWAITING_APPROVAL
    with pytest.raises(services.PermissionDenied):
        services.registration_decide(actor=users["officer_kumla"], registration=registration, approve=True)
    decided = services.registration_decide(actor=users["officer"], registration=registration, approve=True)
    assert decided.status == S.CONFIRMED


def test_receipt_email_has_valid_ics_and_cancel_link(make_event):
    event = make_event(capacity=3)
    registration = register(event, 1)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert registration.code in message.body
    assert registration.cancel_token in message.body
    _name, content, mimetype = message.attachments[0]
    assert mimetype == "text/calendar"
    calendar = Calendar.from_ical(content)
    vevents = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert len(vevents) == 1
    assert str(vevents[0]["summary"]) == event.title
    assert str(vevents[0]["url"]).endswith(f"/evenemang/{event.pk}/")


def test_check_in_by_code(make_event, users):
    event = make_event(capacity=3, municipality=users["own_org"].municipality)
    registration = register(event, 1)
    checked = services.registration_check_in(actor=users["officer"], event=event, code=registration.code.lower())
    assert checked.checked_in_at is not None
    with pytest.raises(ValidationError):
        services.registration_check_in(actor=users["officer"], event=event, code="XXXXXXXX")
