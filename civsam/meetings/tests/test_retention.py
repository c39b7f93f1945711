"""Meetings' part of the retention job and of the staff tool for a person's data (ADR 0085): a
year after an event, its registrations and invitations lose who they were; registrations without
an account are found by e-mail address."""

from __future__ import annotations

import datetime

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log
from civsam.meetings.models import Invitation, Registration
from civsam.meetings.personal_data import export_by_email
from civsam.privacy.services import retention_apply

NOW = datetime.datetime(2027, 3, 1, 3, 0, tzinfo=datetime.UTC)


def _registration(event, number, **fields):
    fields.setdefault("status", Registration.Status.CONFIRMED)
    fields.setdefault("email", f"deltagare{number}@example.se")
    return Registration.objects.create(
        event=event,
        name=f"Deltagare {number}",
        answers={"kost": "vegetarisk"},
        services=["tolk"],
        organisation_name="Föreningen",
        code=f"R{number:05d}",
        cancel_token=f"token-{number}",
        **fields,
    )


def _event(make_event, ended: datetime.datetime):
    return make_event(starts_at=ended - datetime.timedelta(hours=2), ends_at=ended)


def test_a_year_after_the_event_registrations_and_invitations_lose_who_they_were(db, make_event):
    old = _event(make_event, NOW - datetime.timedelta(days=400))
    recent = _event(make_event, NOW - datetime.timedelta(days=200))
    gone = [_registration(old, n) for n in range(3)]
    kept = _registration(recent, 9)
    audit_log(actor=None, action=AuditEntry.Action.CREATE, obj=gone[0], note=f"event {old.pk}")
    Invitation.objects.create(event=old, name="Inbjuden Ett", email="ett@example.se", token="t1")
    Invitation.objects.create(event=old, name="Inbjuden Två", email="tva@example.se", token="t2")

    assert retention_apply(now=NOW, dry_run=True, kinds=["event_registrations"]).counts == {"event_registrations": 5}
    run = retention_apply(now=NOW, batch_size=2, kinds=["event_registrations"])
    assert run.counts == {"event_registrations": 5}
    for registration in gone:
        registration.refresh_from_db()
        assert (registration.name, registration.email, registration.answers, registration.services) == ("", "", {}, [])
        assert registration.organisation_name == ""
        assert registration.status == Registration.Status.CONFIRMED  # the seat stays for the figures
    kept.refresh_from_db()
    assert kept.email == "deltagare9@example.se"
    assert set(Invitation.objects.values_list("name", flat=True)) == {""}
    assert not Invitation.objects.filter(email__endswith="@example.se").exists()
    entry = AuditEntry.objects.get(content_type__model="registration", object_id=str(gone[0].pk))
    assert entry.object_repr == "" and entry.note == f"event {old.pk}"
    # Done once: the next run finds nothing.
    assert retention_apply(now=NOW, kinds=["event_registrations"]).counts == {"event_registrations": 0}


def test_registrations_without_an_account_are_found_by_e_mail(users, make_event):
    event = make_event(title="Dialogmöte i Kumla")
    _registration(event, 1, email="Kim@Example.se")
    _registration(event, 2, email="kim@example.se", user=users["plain"])  # an account's: its own export
    Invitation.objects.create(event=event, name="Kim", email="kim@example.se", token="t1")
    data = export_by_email("kim@example.se")
    [registration] = data["registrations"]
    assert registration["event"]["title"] == "Dialogmöte i Kumla" and registration["answers"] == {"kost": "vegetarisk"}
    assert data["invitations"] == [
        {"event": {"id": event.pk, "title": "Dialogmöte i Kumla"}, "name": "Kim", "email": "kim@example.se"}
    ]
    assert export_by_email("eva@example.se") == {"registrations": [], "invitations": []}
