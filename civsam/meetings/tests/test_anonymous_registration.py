"""Registering without signing in (issue #11): the seat is held only until the e-mail address is
confirmed, one active registration per address and event, rate limits per client and per address,
and no mail that starts with, or is titled by, what the anonymous form said."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civsam.meetings import limits, services
from civsam.meetings.models import EventSeats, Registration
from civsam.meetings.tests import support

pytestmark = pytest.mark.django_db(transaction=True)  # mails go on commit
S = Registration.Status
HOSTILE = "Vinn en iPhone! Klicka på https://example.invalid/"


def anonymous(event, n, **kwargs):
    return support.register(event.pk, n, user=None, **kwargs)


def _counts_match(event) -> bool:
    stored = Registration.objects.filter(event=event)
    seats = EventSeats.objects.get(pk=event.pk)
    return (seats.taken, seats.waiting) == (
        stored.filter(status__in=Registration.SEAT_HOLDING).count(),
        stored.filter(status=S.WAITLISTED).count(),
    )


# Holding the seat ---------------------------------------------------------------------------------


def test_a_seat_is_held_briefly_and_becomes_the_registrants_once_the_address_is_confirmed(make_event):
    event = make_event(capacity=1)
    before = timezone.now()
    held = anonymous(event, 1)
    assert held.status == S.HELD
    assert before + services.HOLD <= held.confirm_by <= timezone.now() + services.HOLD
    assert anonymous(event, 2).status == S.UNCONFIRMED  # the only seat is held
    confirmed = services.registration_confirm(confirm_token=held.confirm_token)
    assert (confirmed.status, confirmed.confirm_by) == (S.CONFIRMED, None)
    assert services.registration_confirm(confirm_token=held.confirm_token).status == S.CONFIRMED  # again: nothing
    assert _counts_match(event)


def test_a_hold_that_runs_out_goes_back_to_the_pool_and_the_queue_moves(make_event):
    event = make_event(capacity=1)
    held = anonymous(event, 1)
    queued = support.register(event.pk, 2)  # signed in: waits in the queue at once
    assert queued.status == S.WAITLISTED
    assert services.registrations_expire(now=timezone.now() + services.HOLD - timedelta(minutes=1)) == 0
    assert services.registrations_expire(now=timezone.now() + services.HOLD + timedelta(minutes=1)) == 1
    held.refresh_from_db()
    queued.refresh_from_db()
    assert (held.status, queued.status) == (S.EXPIRED, S.OFFERED)
    with pytest.raises(ValidationError):
        services.registration_confirm(confirm_token=held.confirm_token)
    assert _counts_match(event)


def test_confirming_too_late_expires_the_hold_and_passes_the_seat_on(make_event):
    event = make_event(capacity=1)
    held = anonymous(event, 1)
    queued = support.register(event.pk, 2)
    later = timezone.now() + services.HOLD + timedelta(seconds=1)
    with pytest.raises(ValidationError, match="gått ut"):
        services.registration_confirm(confirm_token=held.confirm_token, now=later)
    held.refresh_from_db()
    queued.refresh_from_db()
    assert (held.status, queued.status) == (S.EXPIRED, S.OFFERED)


def test_a_registration_without_a_seat_is_decided_when_confirmed(make_event):
    event = make_event(capacity=1)
    first, second = anonymous(event, 1), anonymous(event, 2)
    assert (first.status, second.status) == (S.HELD, S.UNCONFIRMED)
    services.registration_cancel(cancel_token=first.cancel_token)  # the link in the mail: not mine
    # The seat came back before the second confirmed: it is theirs now.
    assert services.registration_confirm(confirm_token=second.confirm_token).status == S.CONFIRMED
    approval = make_event(capacity=5, requires_approval=True)
    waiting = anonymous(approval, 3)
    assert waiting.status == S.UNCONFIRMED
    assert services.registration_confirm(confirm_token=waiting.confirm_token).status == S.AWAITING_APPROVAL


def test_an_invitation_to_the_same_address_counts_as_confirmed(make_event):
    event = make_event(capacity=5, invitation_only=True)
    invitation = services.invitation_create(actor=None, event=event, name="Ina", email="Ina@Example.se")
    other = services.invitation_create(actor=None, event=event, name="Ola", email="ola@example.se")
    assert anonymous(event, 1, email="ina@example.se", invitation_token=invitation.token).status == S.CONFIRMED
    # A token used with another address proves nothing about that address.
    assert anonymous(event, 2, email="someone@example.se", invitation_token=other.token).status == S.HELD


def test_one_active_registration_per_address_and_event_without_signing_in(make_event):
    event, other_event = make_event(capacity=5), make_event(capacity=5)
    first = anonymous(event, 1, email="Anna@Example.se")
    with pytest.raises(ValidationError, match="redan anmäld"):
        anonymous(event, 2, email="anna@example.se")
    services.registration_confirm(confirm_token=first.confirm_token)
    with pytest.raises(ValidationError, match="redan anmäld"):
        anonymous(event, 3, email="ANNA@example.se")
    assert anonymous(other_event, 4, email="anna@example.se").status == S.HELD
    services.registration_cancel(cancel_token=first.cancel_token)
    assert anonymous(event, 5, email="anna@example.se").status == S.HELD  # cancelled: free to register again
    # Signed-in registrations work as before: one account may register several people.
    support.register(event.pk, 6, email="anna@example.se")


# The mails ----------------------------------------------------------------------------------------


def test_the_only_mail_before_confirmation_asks_to_confirm_and_carries_none_of_the_form(make_event):
    event = make_event(capacity=3, title="Dialogmöte om föreningsstöd")
    question = services.question_add(actor=None, event=event, label="Övrigt", kind="text")
    held = anonymous(event, 1, name=HOSTILE, organisation_name=HOSTILE, answers={str(question.pk): HOSTILE})
    (message,) = mail.outbox
    assert message.to == [held.email]
    assert message.subject == "Bekräfta anmälan: Dialogmöte om föreningsstöd"
    assert message.body.startswith("Civsam har tagit emot en anmälan")
    assert HOSTILE not in message.body and "iPhone" not in message.subject
    assert message.attachments == []
    assert held.confirm_token in message.body and held.cancel_token in message.body
    assert "/e-post/" in re.search(r"https?://\S+", message.body).group(0)


def test_after_confirmation_the_name_comes_further_down_after_a_label(make_event):
    event = make_event(capacity=3, title="Dialogmöte")
    held = anonymous(event, 1, name=HOSTILE)
    mail.outbox.clear()
    services.registration_confirm(confirm_token=held.confirm_token)
    (receipt,) = mail.outbox
    assert receipt.subject == "Anmälan: Dialogmöte"
    lines = receipt.body.splitlines()
    assert HOSTILE not in lines[0] and lines[0].startswith("Din anmälan till Dialogmöte")
    assert f"Namn i anmälan: {HOSTILE}" in lines
    assert receipt.attachments[0][2] == "text/calendar"


def test_no_registrant_mail_starts_with_the_name(make_event):
    """Offers, reminders and surveys go to people who registered through the same forms."""
    event = make_event(capacity=1, starts_at=timezone.now() + timedelta(hours=20), offer_window_hours=2)
    first = support.register(event.pk, 1, name=HOSTILE)
    second = support.register(event.pk, 2, name=HOSTILE)
    services.registration_cancel(cancel_token=first.cancel_token)  # second is offered the seat
    services.registration_accept_offer(cancel_token=second.cancel_token)
    services.reminders_send()
    survey = services.survey_create(actor=None, event=event, kind="knowledge")
    services.survey_send(actor=None, survey=survey, phase="before")
    assert len(mail.outbox) >= 5
    for message in mail.outbox:
        assert HOSTILE not in message.subject
        assert HOSTILE not in message.body.splitlines()[0]


# Rate limits --------------------------------------------------------------------------------------


def _post(client, event, n, **headers):
    return client.post(event.get_absolute_url(), {"name": f"P {n}", "email": f"p{n}@example.se"}, **headers)


def test_the_page_limits_registrations_per_client_and_event(make_event, reference_data):
    event, other = make_event(capacity=50), make_event(capacity=50)
    client = Client()
    count = int(limits.PER_CLIENT_AND_EVENT.split("/")[0])
    assert [_post(client, event, n).status_code for n in range(count)] == [201] * count
    refused = _post(client, event, count)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "för många" in refused.content.decode() or "många anmälningar" in refused.content.decode()
    assert Registration.objects.filter(event=event).count() == count
    # Another client, or the same client for another event, is not affected.
    assert _post(client, other, 100).status_code == 201
    assert _post(Client(REMOTE_ADDR="10.0.0.2"), event, 101).status_code == 201


def test_the_api_limits_registrations_per_address_over_events(client, make_event):
    count = int(limits.PER_ADDRESS.split("/")[0])
    events = [make_event(capacity=5) for _ in range(count + 1)]
    for n, event in enumerate(events):
        response = client.post(
            f"/api/v1/events/{event.pk}/registrations",
            {"name": "Anna", "email": "anna@example.se"},
            content_type="application/json",
            REMOTE_ADDR=f"10.0.1.{n}",  # a new client each time: the address is what repeats
        )
        assert response.status_code == (201 if n < count else 429), response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert int(response["Retry-After"]) > 0
    assert len(mail.outbox) == count


def test_signed_in_registrations_are_not_limited(make_event, users):
    event = make_event(capacity=50)
    client = Client()
    client.force_login(users["plain"])
    statuses = [_post(client, event, n).status_code for n in range(int(limits.PER_CLIENT_AND_EVENT.split("/")[0]) + 3)]
    assert set(statuses) == {201}
    assert set(Registration.objects.filter(event=event).values_list("status", flat=True)) == {S.CONFIRMED}


# The counter row ----------------------------------------------------------------------------------

STEPS = st.lists(
    st.tuples(st.sampled_from(["signed_in", "anonymous", "confirm", "cancel", "expire", "accept"]), st.integers(0, 30)),
    min_size=1,
    max_size=25,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS, capacity=st.integers(1, 4))
def test_the_counter_row_agrees_with_the_registrations_after_any_steps(make_event, steps, capacity):
    event = make_event(capacity=capacity)
    for n, (step, pick) in enumerate(steps):
        existing = list(Registration.objects.filter(event=event).order_by("id"))
        chosen = existing[pick % len(existing)] if existing else None
        try:
            if step == "signed_in":
                support.register(event.pk, n, email=f"s{n}@example.se")
            elif step == "anonymous":
                anonymous(event, n, email=f"a{n}@example.se")
            elif chosen is None:
                continue
            elif step == "confirm" and chosen.confirm_token:
                services.registration_confirm(confirm_token=chosen.confirm_token)
            elif step == "cancel":
                services.registration_cancel(cancel_token=chosen.cancel_token)
            elif step == "accept" and chosen.status == S.OFFERED:
                services.registration_accept_offer(cancel_token=chosen.cancel_token)
            elif step == "expire":
                services.registrations_expire(now=timezone.now() + timedelta(days=3))
        except ValidationError:
            pass
        assert _counts_match(event), (n, step)
        held = Registration.objects.filter(event=event, status__in=Registration.SEAT_HOLDING).count()
        assert held <= capacity
