"""/api/v1/applications: the applicant writes a draft and sends it in; staff who handle the call
read it; nobody else sees it; the organisation binds, so only one the user acts for."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from civsam.core.tests.api_support import assert_problem, items
from civsam.funding.models import Application

from .conftest import INNOVATION_ANSWERS

pytestmark = pytest.mark.django_db
URL = "/api/v1/applications"


def _client(users, role: str) -> Client:
    client = Client()
    if users.get(role) is not None:
        client.force_login(users[role])
    return client


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def _draft(programmes, **overrides):
    return {
        "callId": programmes["innovation_call"].pk,
        "organisation": programmes["own_org"].orgnr,
        "title": "Språkcafé",
        "amountApplied": 30000,
        "answers": {"idea": "Ett språkcafé"},
        **overrides,
    }


def test_the_applicant_writes_a_draft_and_sends_it_in(programmes, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    rep = _client(programmes, "rep")
    response = _post(rep, URL, _draft(programmes))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["caseNumber"] is None and body["answers"] == {"idea": "Ett språkcafé"}
    assert body["problems"] and response["Location"].endswith(f"{URL}/{body['id']}")
    url = f"{URL}/{body['id']}"
    # Sending in too early says what is missing, and changes nothing.
    problem = assert_problem(_post(rep, url + "/submit", {}), 400)
    assert "Svara på frågan" in problem["detail"]
    response = _patch(rep, url, {"answers": {**INNOVATION_ANSWERS, "voluntary_hours": "many"}})
    assert_problem(response, 400, parameter="answers.voluntary_hours")
    response = _patch(rep, url, {"answers": INNOVATION_ANSWERS, "contactEmail": "kansli@example.se"})
    assert response.status_code == 200 and response.json()["problems"] == []
    assert response.json()["answers"]["idea"] == INNOVATION_ANSWERS["idea"]
    response = _post(rep, url + "/submit", {})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted" and response.json()["caseNumber"]
    # Sent in: no longer writable.
    assert_problem(_patch(rep, url, {"title": "Annat"}), 403)
    assert Application.objects.get().title == "Språkcafé"


@pytest.mark.parametrize(
    "role, listed, detail",
    [
        ("anonymous", 401, 401),
        ("plain", 0, 404),
        ("officer_kumla", 0, 404),
        ("reviewer", 0, 404),
        ("rep", 1, 200),
        ("officer", 1, 200),
        ("admin", 1, 200),
    ],
)
def test_who_reads_applications(programmes, make_application, role, listed, detail):
    """The Region's calls are handled by region staff; an officer of Örebro acts for the applicant."""
    application = make_application()
    client = _client(programmes, role)
    response = client.get(URL)
    if listed == 401:
        assert_problem(response, 401)
    else:
        assert len(items(response)) == listed
    assert client.get(f"{URL}/{application.pk}").status_code == detail


@pytest.mark.parametrize(
    "role, organisation, status",
    [
        ("rep", "other_org", 403),  # represents another organisation
        ("officer_kumla", "own_org", 403),  # an organisation in another municipality
        ("plain", "own_org", 403),
        ("anonymous", "own_org", 401),
        ("rep", "own_org", 201),
        ("officer", "own_org", 201),
    ],
)
def test_the_organisation_binds_the_application(programmes, role, organisation, status):
    client = _client(programmes, role)
    response = _post(client, URL, _draft(programmes, organisation=programmes[organisation].orgnr))
    assert response.status_code == status, response.content
    assert Application.objects.count() == (1 if status == 201 else 0)


def test_others_cannot_change_an_application(programmes, make_application):
    application = make_application()
    for role in ("officer_kumla", "plain", "reviewer"):
        assert _patch(_client(programmes, role), f"{URL}/{application.pk}", {"title": "X"}).status_code in (403, 404)
    assert_problem(_post(_client(programmes, "officer_kumla"), f"{URL}/{application.pk}/submit", {}), 404)
    application.refresh_from_db()
    assert application.title == "Språkcafé" and application.status == Application.Status.DRAFT


@pytest.mark.parametrize(
    "body, parameter",
    [
        ({"callId": 999999}, "callId"),
        ({"organisation": "12"}, "organisation"),
        ({"organisation": "8020009999"}, "organisation"),
        ({"years": 3}, "years"),
        ({"answers": {"nope": "x"}}, "answers.nope"),
        ({"amountApplied": -5}, "amountApplied"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_bad_bodies_are_refused_by_name(programmes, body, parameter):
    response = _post(_client(programmes, "rep"), URL, _draft(programmes, **body))
    assert_problem(response, 400, parameter=parameter)
    assert Application.objects.count() == 0
