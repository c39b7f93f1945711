"""Meetings' part of a person's data export, and what an account's deletion does to it (ADR 0080)."""

from __future__ import annotations

import json

from django.urls import reverse

from civsam.accounts.services import account_delete
from civsam.meetings.models import Registration


def _registration(event, user, **fields):
    fields.setdefault("status", Registration.Status.CONFIRMED)
    return Registration.objects.create(
        event=event,
        user=user,
        name="Rebecka Ek",
        email="rebecka@example.se",
        answers={"kost": "vegetarisk"},
        code=f"R{Registration.objects.count() + 1:05d}",
        cancel_token=f"token-{Registration.objects.count() + 1}",
        **fields,
    )


def test_the_export_lists_the_person_s_registrations(client, users, make_event):
    event = make_event(title="Dialogmöte i Kumla", created_by=users["rep"])
    _registration(event, users["rep"])
    _registration(event, users["plain"])  # someone else's
    client.force_login(users["rep"])
    data = json.loads(client.get(reverse("accounts:personal-data")).content)["meetings"]
    [registration] = data["registrations"]
    assert registration["event"]["title"] == "Dialogmöte i Kumla"
    assert (registration["name"], registration["email"]) == ("Rebecka Ek", "rebecka@example.se")
    assert registration["answers"] == {"kost": "vegetarisk"} and registration["status"] == "confirmed"
    assert data["eventsCreated"] == [{"id": event.pk, "title": "Dialogmöte i Kumla"}]


def test_deleting_the_account_de_identifies_the_registrations(users, make_event):
    event = make_event(created_by=users["rep"])
    mine = _registration(event, users["rep"])
    theirs = _registration(event, users["plain"])
    erased = account_delete(actor=users["rep"], user=users["rep"])
    assert erased["meetings"] == {"registrations": 1}
    mine.refresh_from_db()
    # The seat's history stays (the event's figures); who it was does not.
    assert (mine.name, mine.email, mine.answers) == ("borttagen användare", "", {})
    assert mine.status == Registration.Status.CONFIRMED
    theirs.refresh_from_db()
    assert theirs.name == "Rebecka Ek"
    event.refresh_from_db()
    assert str(event.created_by) == "borttagen användare"
