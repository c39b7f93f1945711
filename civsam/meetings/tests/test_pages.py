import csv
import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from civsam.meetings.models import Event, Registration


def test_register_in_the_browser_confirm_by_mail_then_cancel_by_link(
    client, make_event, reference_data, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):  # the mail goes once the registration is stored
        response = client.post(
            event.get_absolute_url(), {"name": "Anna", "email": "anna@example.se", "services": ["childcare"]}
        )
    assert response.status_code == 201
    registration = Registration.objects.get(event=event)
    assert (registration.status, registration.services) == ("held", ["childcare"])
    page = response.content.decode()
    assert "Bekräfta anmälan med länken som vi har skickat till anna@example.se" in page
    assert registration.code not in page  # the code comes once the address is confirmed
    (message,) = mail.outbox
    confirm_url = re.search(r"https?://\S+/e-post/", message.body).group(0)
    confirm_path = confirm_url.split("://", 1)[1].split("/", 1)[1]
    # Opening the link (as a mail program checking it might) confirms nothing; the button does.
    assert client.get("/" + confirm_path).status_code == 200
    registration.refresh_from_db()
    assert registration.status == "held"
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post("/" + confirm_path)
    registration.refresh_from_db()
    assert registration.status == "confirmed" and registration.code in confirmed.content.decode()
    _request, receipt = mail.outbox  # then the receipt, with the code
    assert receipt.subject.startswith("Anmälan: ") and registration.code in receipt.body
    cancel_url = f"/evenemang/anmalan/{registration.cancel_token}/avboka/"
    assert client.get(cancel_url).status_code == 200
    client.post(cancel_url)
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_registration_form_errors_are_swedish(client, make_event, reference_data):
    event = make_event(capacity=1)
    response = client.post(event.get_absolute_url(), {"name": "", "email": "nej"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Fyll i en giltig e-postadress" in page
    assert "Detta fält måste fyllas i" in page


@pytest.mark.parametrize(("role", "status"), [("officer", 200), ("rep", 200), ("reviewer", 403), ("anonymous", 302)])
def test_event_create_page_access(client, users, role, status):
    if users[role]:
        client.force_login(users[role])
    assert client.get("/evenemang/nytt/").status_code == status


def test_officer_creates_event_checks_in_and_exports(client, users):
    client.force_login(users["officer"])
    start = (timezone.localtime() + timedelta(days=3)).replace(microsecond=0)
    response = client.post(
        "/evenemang/nytt/",
        {
            "title": "Dialogmöte i Örebro",
            "mode": "in_person",
            "municipality": users["own_org"].municipality_id,
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "capacity": 10,
            "offer_window_hours": 48,
            "is_public": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(title="Dialogmöte i Örebro")
    client.post(event.get_absolute_url(), {"name": "Bo", "email": "bo@example.se"})
    registration = Registration.objects.get(event=event)
    response = client.post(f"/evenemang/{event.pk}/hantera/", {"code": registration.code})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    export = client.get(f"/evenemang/{event.pk}/anmalningar.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert [(r["namn"], r["status"]) for r in rows] == [("Bo", "Bekräftad")]
    client.force_login(users["officer_kumla"])
    assert client.get(f"/evenemang/{event.pk}/hantera/").status_code == 403
    assert client.get(f"/evenemang/{event.pk}/anmalningar.csv").status_code == 403


def test_organiser_edits_event_and_the_change_is_audited(client, users, make_event):
    from civsam.core.models import AuditEntry

    event = make_event(title="Gammal rubrik", municipality=users["own_org"].municipality, capacity=10)
    client.force_login(users["officer"])
    url = f"/evenemang/{event.pk}/hantera/redigera/"
    page = client.get(url)
    assert page.status_code == 200
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None and k != "priority_areas"}
    data.update(
        title="Ny rubrik",
        agenda="1. Välkommen",
        starts_at=timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
        ends_at=timezone.localtime(event.ends_at).strftime("%Y-%m-%dT%H:%M"),
        is_public="on",
    )
    for key in ("requires_approval", "invitation_only"):
        data.pop(key, None)
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:1500]
    event.refresh_from_db()
    assert (event.title, event.agenda) == ("Ny rubrik", "1. Välkommen")
    entry = AuditEntry.objects.filter(object_id=str(event.pk), action="update").latest("at")
    assert entry.changes["title"] == ["Gammal rubrik", "Ny rubrik"]
    client.force_login(users["officer_kumla"])
    assert client.get(url).status_code == 403
