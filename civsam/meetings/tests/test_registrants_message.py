"""The organiser e-mails registrants (issue #14): all, a group or chosen ones; one mail each, Civsam's
words first, only to addresses a registration has proven (ADR 0078), nothing sent on bad input."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from civsam.core.models import AuditEntry
from civsam.meetings import services
from civsam.meetings.models import Registration
from civsam.meetings.tests import support

pytestmark = pytest.mark.django_db
S = Registration.Status


@pytest.fixture
def event_with_people(make_event, users, django_capture_on_commit_callbacks):
    event = make_event(capacity=2, title="Föreningsträff i Kumla")
    with django_capture_on_commit_callbacks(execute=True):
        seated = [support.register(event.pk, n) for n in range(2)]
        waiting = support.register(event.pk, 2)
        held = support.register(event.pk, 3, user=None)  # waits for its address: gets nothing
        gone = support.register(event.pk, 4)
    services.registration_cancel(cancel_token=gone.cancel_token)
    gone.refresh_from_db()
    assert [r.status for r in seated] == [S.CONFIRMED, S.CONFIRMED]
    assert (waiting.status, held.status, gone.status) == (S.WAITLISTED, S.UNCONFIRMED, S.CANCELLED)
    mail.outbox.clear()
    return event, seated, waiting, held


def _send(capture, users, event, **kwargs):
    kwargs.setdefault("subject", "Ändrad lokal")
    kwargs.setdefault("body", "Vi ses i Folkets hus, sal 2, i stället.")
    with capture(execute=True):
        return services.registrants_message(actor=users["admin"], event=event, **kwargs)


@pytest.mark.parametrize(("group", "people"), [("all", {0, 1, 2}), ("seated", {0, 1}), ("waiting", {2})])
def test_a_group_gets_one_mail_each_with_civsams_words_first(
    event_with_people, users, django_capture_on_commit_callbacks, group, people
):
    event, *_rest = event_with_people
    sent = _send(django_capture_on_commit_callbacks, users, event, group=group)
    assert sent == len(people) == len(mail.outbox)
    assert {m.to[0] for m in mail.outbox} == {f"p{n}@example.se" for n in people}
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)
    first = mail.outbox[0]
    assert first.subject == "Meddelande om Föreningsträff i Kumla: Ändrad lokal"
    assert first.body.startswith("Arrangören av Föreningsträff i Kumla")
    assert "Vi ses i Folkets hus, sal 2, i stället." in first.body
    registration = Registration.objects.get(email=first.to[0])
    assert reverse("meetings:registration-cancel", args=[registration.cancel_token]) in first.body
    entry = AuditEntry.objects.filter(object_id=str(event.pk), note__startswith="Meddelande till").get()
    assert entry.actor == users["admin"] and f"{sent} anmälda" in entry.note


def test_chosen_registrants_only(event_with_people, users, django_capture_on_commit_callbacks):
    event, seated, waiting, _held = event_with_people
    assert _send(django_capture_on_commit_callbacks, users, event, registration_ids=[seated[1].pk, waiting.pk]) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["p1@example.se", "p2@example.se"]


def test_an_address_not_yet_confirmed_cannot_be_chosen(event_with_people, users, django_capture_on_commit_callbacks):
    event, seated, _waiting, held = event_with_people
    with pytest.raises(ValidationError):
        _send(django_capture_on_commit_callbacks, users, event, registration_ids=[seated[0].pk, held.pk])
    assert mail.outbox == []


def test_one_mail_per_address(make_event, users, django_capture_on_commit_callbacks):
    event = make_event(title="Nätverksträff")
    with django_capture_on_commit_callbacks(execute=True):
        support.register(event.pk, 1, email="samma@example.se", name="Ann")
        support.register(event.pk, 2, email="SAMMA@example.se", name="Kollega till Ann")
    mail.outbox.clear()
    assert _send(django_capture_on_commit_callbacks, users, event, group="all") == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("subject", "body", "field"),
    [
        ("", "Text", "subject"),
        ("Ämne", "   ", "body"),
        ("x" * 121, "Text", "subject"),
        ("Ämne", "x" * 5001, "body"),
    ],
)
def test_bad_input_sends_nothing(event_with_people, users, django_capture_on_commit_callbacks, subject, body, field):
    event, *_rest = event_with_people
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        _send(django_capture_on_commit_callbacks, users, event, group="all", subject=subject, body=body)
    assert field in error.value.error_dict
    assert mail.outbox == [] and AuditEntry.objects.count() == entries


def test_a_subject_stays_on_one_line(event_with_people, users, django_capture_on_commit_callbacks):
    event, *_rest = event_with_people
    _send(django_capture_on_commit_callbacks, users, event, group="seated", subject="Rad ett\nBcc: x@example.org")
    assert all("\n" not in m.subject and m.subject.endswith("Rad ett Bcc: x@example.org") for m in mail.outbox)
    assert all(not m.bcc for m in mail.outbox)


@pytest.mark.parametrize("who", ["plain", "rep", "reviewer", "officer_kumla"])
def test_only_those_who_manage_the_event_may_write(event_with_people, users, client, who):
    event, *_rest = event_with_people
    with pytest.raises(PermissionDenied):
        services.registrants_message(actor=users[who], event=event, subject="Hej", body="Text", group="all")
    client.force_login(users[who])
    assert client.get(reverse("meetings:registrants-message", args=[event.pk])).status_code == 403
    assert mail.outbox == []


def test_the_page_lists_who_can_be_written_to_and_sends(
    event_with_people, users, client, django_capture_on_commit_callbacks
):
    event, seated, _waiting, _held = event_with_people
    client.force_login(users["admin"])
    url = reverse("meetings:registrants-message", args=[event.pk])
    page = client.get(url).content.decode()
    assert "Person 0" in page and "Person 2" in page and "Person 3" not in page and "Person 4" not in page
    empty = client.post(url, {"group": "chosen", "subject": "Hej", "body": "Text"})
    assert empty.status_code == 400 and "Kryssa i minst en deltagare." in empty.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"group": "chosen", "chosen": [str(seated[0].pk)], "subject": "Hej", "body": "Text"})
    assert done.status_code == 302 and done["Location"] == reverse("meetings:event-manage", args=[event.pk])
    assert [m.to for m in mail.outbox] == [["p0@example.se"]]
    manage = client.get(done["Location"]).content.decode()
    assert "Meddelandet skickas till 1 person." in manage and url in manage
