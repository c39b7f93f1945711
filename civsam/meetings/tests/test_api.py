"""The events API, including 400 parallel HTTP registrations against a running server."""

import json
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from icalendar import Calendar

from civsam.meetings import services
from civsam.meetings.models import Registration

pytestmark = pytest.mark.django_db(transaction=True)


def post_json(url: str, payload: dict) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310 - a local test server over http
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - local test server
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _confirm(client, email: str):
    """Confirm the address with the token from the link mailed to it."""
    token = Registration.objects.get(email=email).confirm_token
    return client.post("/api/v1/registration-confirmations", {"token": token}, content_type="application/json")


def test_register_confirm_waitlist_and_cancel_via_api(client, make_event):
    event = make_event(capacity=1)
    url = f"/api/v1/events/{event.pk}/registrations"
    first = client.post(url, {"name": "Anna", "email": "anna@example.se"}, content_type="application/json")
    second = client.post(url, {"name": "Bo", "email": "bo@example.se"}, content_type="application/json")
    assert (first.status_code, first.json()["status"]) == (201, "held")
    assert first.json()["confirmBy"] is not None
    assert (second.status_code, second.json()["status"]) == (201, "unconfirmed")  # no seat free
    assert "confirmToken" not in first.json()  # it only ever goes to the address
    assert _confirm(client, "anna@example.se").json()["status"] == "confirmed"
    assert _confirm(client, "bo@example.se").json()["status"] == "waitlisted"
    assert _confirm(client, "bo@example.se").json()["status"] == "waitlisted"  # twice changes nothing
    unknown = client.post("/api/v1/registration-confirmations", {"token": "nej"}, content_type="application/json")
    assert unknown.status_code == 404 and unknown["Content-Type"].startswith("application/problem+json")
    cancelled = client.delete(f"/api/v1/registrations/{first.json()['cancelToken']}")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert Registration.objects.get(code=second.json()["code"]).status == "offered"
    assert client.delete("/api/v1/registrations/nonsense").status_code == 404


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"name": "Anna"}, 400),
        ({"name": "Anna", "email": "inte-en-adress"}, 400),
        ({"name": "", "email": "a@example.se"}, 400),
        ({"name": "Anna", "email": "a@example.se", "services": ["helikopter"]}, 400),
    ],
)
def test_bad_registration_is_a_problem(client, make_event, payload, status):
    event = make_event(capacity=5)
    response = client.post(f"/api/v1/events/{event.pk}/registrations", payload, content_type="application/json")
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/problem+json")
    assert Registration.objects.count() == 0


def test_unknown_event_is_404_problem(client, reference_data):
    response = client.post(
        "/api/v1/events/999999/registrations", {"name": "A", "email": "a@example.se"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


def test_event_list_filters(client, make_event, reference_data):
    from civsam.core.models import Municipality

    kumla = Municipality.objects.get(code="1881")
    make_event(title="Kumla-mötet", municipality=kumla)
    make_event(title="Utan kommun")
    body = client.get("/api/v1/events", {"municipality": "1881"}).json()
    assert [e["title"] for e in body["items"]] == ["Kumla-mötet"]
    assert client.get("/api/v1/events", {"bogus": "1"}).status_code == 400


def test_ics_feeds_parse_and_link_back(client, make_event):
    event = make_event(title="Regional konferens")
    for url in ("/evenemang/kalender.ics", f"/evenemang/{event.pk}.ics"):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        calendar = Calendar.from_ical(response.content)
        entries = [c for c in calendar.walk() if c.name == "VEVENT"]
        assert [str(e["summary"]) for e in entries] == ["Regional konferens"]
        assert str(entries[0]["url"]).endswith(event.get_absolute_url())


@pytest.mark.slow
@pytest.mark.postgres  # the counter row decides; SQLite serialises writers anyway
def test_400_parallel_http_registrations_and_confirmations_for_300_seats(live_server, make_event, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CIVSAM_RATE_LIMITS = False  # one client address here; the limits have their own tests
    event = make_event(capacity=300)
    url = f"{live_server.url}/api/v1/events/{event.pk}/registrations"
    # PostgreSQL takes the requests truly in parallel; SQLite queues writers, so fewer at a time
    # keeps each one's wait for the write lock well inside its busy timeout.
    workers = 32 if connection.vendor == "postgresql" else 8
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(lambda n: post_json(url, {"name": f"P{n}", "email": f"p{n}@example.se"}), range(400)))
    codes = [code for code, _ in results]
    statuses = [body.get("status") for _, body in results]
    assert codes.count(201) == 400, [body for code, body in results if code != 201][:3]
    assert statuses.count("held") == 300
    assert statuses.count("unconfirmed") == 100
    # Every address confirmed at once: the held seats become confirmed, the others join the queue.
    tokens = list(Registration.objects.filter(event=event).values_list("confirm_token", flat=True))
    confirm_url = f"{live_server.url}/api/v1/registration-confirmations"
    with ThreadPoolExecutor(max_workers=workers) as pool:
        confirmed = list(pool.map(lambda token: post_json(confirm_url, {"token": token}), tokens))
    assert [code for code, _ in confirmed].count(200) == 400
    stored = Registration.objects.filter(event=event)
    assert stored.filter(status="confirmed").count() == 300
    assert stored.filter(status="waitlisted").count() == 100
    assert (event.seats.taken, event.seats.waiting) == (300, 100)


def test_conference_registration_via_api(client, make_conference, reference_data):
    conference = make_conference(capacity=5, quotas={"elected": 1})
    event = conference.event
    question = services.question_add(actor=None, event=event, label="Kost", kind="text", required=True)
    url = f"/api/v1/events/{event.pk}/registrations"
    payload = {
        "name": "Eva",
        "email": "eva@example.se",
        "targetGroup": "elected",
        "municipality": "1881",
        "organisationName": "Kumla kommun",
        "answers": {str(question.pk): "vegan"},
    }
    first = client.post(url, payload, content_type="application/json")
    assert (first.status_code, first.json()["status"]) == (201, "held")
    second = client.post(url, {**payload, "email": "ove@example.se"}, content_type="application/json")
    assert second.json()["status"] == "unconfirmed"  # the elected officials' quota is held by Eva
    assert _confirm(client, "ove@example.se").json()["status"] == "waitlisted"
    stored = Registration.objects.get(code=first.json()["code"])
    assert (stored.municipality.code, stored.organisation_name, stored.answers) == (
        "1881",
        "Kumla kommun",
        {str(question.pk): "vegan"},
    )
    for bad in ({"targetGroup": "kungligheter"}, {"municipality": "9999"}, {"answers": {}}):
        response = client.post(url, {**payload, **bad}, content_type="application/json")
        assert response.status_code == 400, bad
        assert response["Content-Type"].startswith("application/problem+json")
    listed = client.get("/api/v1/events").json()["items"][0]
    assert listed["isConference"] is True
    assert listed["programmeUrl"].endswith(f"/evenemang/{event.pk}/program/")


def test_invitation_token_via_api(client, make_event):
    event = make_event(capacity=5, invitation_only=True)
    invitation = services.invitation_create(actor=None, event=event, name="Ina", email="ina@example.se")
    url = f"/api/v1/events/{event.pk}/registrations"
    refused = client.post(url, {"name": "Ina", "email": "ina@example.se"}, content_type="application/json")
    assert refused.status_code == 400
    accepted = client.post(
        url,
        {"name": "Ina", "email": "ina@example.se", "invitationToken": invitation.token},
        content_type="application/json",
    )
    assert accepted.json()["status"] == "confirmed"


def test_network_and_organiser_feeds_parse_and_link_back(client, users, make_event):
    network = services.network_create(actor=None, name="Rådet", slug="radet", kind="user_council")
    in_network = make_event(title="Rådsmöte", network=network)
    by_org = make_event(title="Föreningens träff", organiser=users["own_org"])
    make_event(title="Annat")
    for url, expected in (
        ("/natverk/radet/kalender.ics", in_network),
        (f"/evenemang/arrangor/{users['own_org'].orgnr}/kalender.ics", by_org),
    ):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
        entries = list(Calendar.from_ical(response.content).walk("VEVENT"))
        assert [str(e["summary"]) for e in entries] == [expected.title]
        assert str(entries[0]["url"]).endswith(expected.get_absolute_url())
    networks = client.get("/api/v1/networks").json()["items"]
    assert networks[0]["calendarUrl"].endswith("/natverk/radet/kalender.ics")


def test_programme_api(client, make_conference):
    from datetime import timedelta

    conference = make_conference(capacity=50, quotas={"officer": 20})
    start = conference.event.starts_at
    session = services.session_add(
        actor=None, conference=conference, title="Inledning", starts_at=start, ends_at=start + timedelta(hours=1)
    )
    services.speaker_add(actor=None, conference=conference, name="Karin Ek", is_internal=True, sessions=[session])
    kind = services.registration_type_add(actor=None, conference=conference, name="Dag 1", sessions=[session])
    body = client.get(f"/api/v1/events/{conference.event_id}/programme").json()
    assert body["sessions"][0]["title"] == "Inledning"
    assert body["sessions"][0]["speakers"] == [{"name": "Karin Ek", "affiliation": None, "internal": True}]
    assert body["registrationTypes"] == [{"id": kind.pk, "name": "Dag 1", "sessions": [session.pk]}]
    assert body["quotas"] == {"officer": 20}
    plain = services.event_create(
        actor=None, details=services.EventDetails(title="Vanligt möte", starts_at=start, ends_at=start)
    )
    missing = client.get(f"/api/v1/events/{plain.pk}/programme")
    assert missing.status_code == 404 and missing["Content-Type"].startswith("application/problem+json")
    assert client.get(f"/api/v1/events/{conference.event_id}/programme", {"x": "1"}).status_code == 400
