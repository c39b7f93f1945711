"""API: changing an initiative with PUT (replace) and PATCH (the properties sent), with the rules and
rights of registering one."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client

from civsam.core.models import AuditEntry
from civsam.core.selectors import history_for
from civsam.plan import services
from civsam.plan.models import Initiative
from civsam.plan.services import MilestoneIn


@pytest.fixture
def own(make_initiative, users, area):
    """An initiative led by the representative's organisation, with a milestone and two areas."""
    return make_initiative(
        areas=("1.1", "2.2"),
        title="Läxhjälp",
        lead_organisation=users["own_org"],
        lead_name="",
        principles=[],
        milestones=[MilestoneIn("Start", datetime.date(2023, 2, 1))],
    )


def _client(user) -> tuple[Client, dict]:
    """A client that checks CSRF like a browser, logged in, with the token header to send."""
    client = Client(enforce_csrf_checks=True)
    if user is None:
        return client, {}
    client.force_login(user)
    client.get("/")
    return client, {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}


def _send(client, method: str, pk: int, body, headers):
    call = getattr(client, method.lower())
    return call(f"/api/v1/initiatives/{pk}", json.dumps(body), content_type="application/json", **headers)


def _full(area, **overrides):
    body = {
        "title": "Läxhjälp i Vivalla",
        "priorityAreaIds": [area("2.2").pk],
        "startDate": "2024-01-15",
        "endDate": "2025-06-30",
        "status": "ongoing",
        "municipalityCodes": ["1880", "1881"],
        "principles": ["dialogue"],
        "milestones": [{"title": "Terminsstart", "dueDate": "2024-08-20"}],
        "budget": "50000",
    }
    body.update(overrides)
    return body


def test_get_one_initiative(client, own):
    body = client.get(f"/api/v1/initiatives/{own.pk}").json()
    assert body["id"] == own.pk and body["title"] == "Läxhjälp"
    missing = client.get("/api/v1/initiatives/999999")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"


def test_put_replaces_the_initiative_and_logs_it(users, own, area):
    client, headers = _client(users["rep"])
    body = _full(area, leadOrganisationId=users["own_org"].pk)
    response = _send(client, "PUT", own.pk, body, headers)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["title"] == "Läxhjälp i Vivalla" and data["endDate"] == "2025-06-30"
    assert [a["code"] for a in data["priorityAreas"]] == ["2.2"]
    assert sorted(data["municipalityCodes"]) == ["1880", "1881"] and data["principles"] == ["dialogue"]
    assert data["milestones"] == [{"title": "Terminsstart", "dueDate": "2024-08-20", "completedOn": None}]
    assert data["progress"] == 50  # not sent: the status's default, as when registering
    assert data["budget"] == "50000.00"
    entry = history_for(own).filter(action=AuditEntry.Action.UPDATE).get()
    assert entry.actor == users["rep"]
    assert entry.changes["title"] == ["Läxhjälp", "Läxhjälp i Vivalla"]
    assert entry.changes["milestones"][1] == ["2024-08-20 Terminsstart"]


def test_put_needs_every_required_property(users, own):
    client, headers = _client(users["admin"])
    response = _send(client, "PUT", own.pk, {"title": "Bara titel"}, headers)
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    names = {p["name"] for p in response.json()["invalidParameters"]}
    assert {"priorityAreaIds", "startDate", "status"} <= names
    own.refresh_from_db()
    assert own.title == "Läxhjälp"


def test_patch_changes_only_what_is_sent(users, own):
    client, headers = _client(users["rep"])
    response = _send(client, "PATCH", own.pk, {"title": "Läxhjälp och språkcafé", "progress": 70}, headers)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["title"] == "Läxhjälp och språkcafé" and data["progress"] == 70
    assert [a["code"] for a in data["priorityAreas"]] == ["1.1", "2.2"]
    assert data["milestones"][0]["title"] == "Start" and data["leadOrganisationId"] == users["own_org"].pk
    entry = history_for(own).filter(action=AuditEntry.Action.UPDATE).get()
    assert set(entry.changes) == {"title", "progress"}
    unchanged = _send(client, "PATCH", own.pk, {}, headers)
    assert unchanged.status_code == 200
    assert history_for(own).filter(action=AuditEntry.Action.UPDATE).count() == 1


def test_patch_clears_nullable_properties_and_a_null_progress_means_the_default(users, own):
    client, headers = _client(users["rep"])
    _send(client, "PATCH", own.pk, {"endDate": "2024-12-31", "budget": "1000", "progress": 10}, headers)
    response = _send(client, "PATCH", own.pk, {"endDate": None, "budget": None, "progress": None}, headers)
    data = response.json()
    assert response.status_code == 200 and data["endDate"] is None and data["budget"] is None
    assert data["progress"] == 50


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ({"title": None}, {"title"}),
        ({"title": ""}, {"title"}),
        ({"priorityAreaIds": []}, {"priorityAreaIds"}),
        ({"priorityAreaIds": [999999]}, {"priorityAreaIds"}),
        ({"status": "klar"}, {"status"}),
        ({"status": "planned", "progress": 0}, set()),  # allowed: ongoing back to planned
        ({"endDate": "2022-01-01"}, {"endDate"}),  # before the start date
        ({"progress": 120}, {"progress"}),
        ({"weight": "0"}, {"weight"}),
        ({"parentId": 999999}, {"parentId"}),
        ({"municipalityCodes": ["0000"], "roles": ["nope"]}, {"municipalityCodes", "roles"}),
        ({"leadOrganisationId": None}, {"leadOrganisationId"}),  # no lead left
        ({"startDate": "i morgon"}, {"startDate"}),
    ],
)
def test_patch_reports_each_bad_property(users, own, body, names):
    client, headers = _client(users["admin"])
    response = _send(client, "PATCH", own.pk, body, headers)
    if not names:
        assert response.status_code == 200, response.content
        return
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400 and problem["instance"] == f"/api/v1/initiatives/{own.pk}"
    assert {p["name"] for p in problem["invalidParameters"]} == names
    own.refresh_from_db()
    assert own.title == "Läxhjälp" and own.progress == 50


def test_the_status_workflow_holds(users, own, status):
    services.initiative_update(actor=None, initiative=own, status=status("completed"))
    client, headers = _client(users["admin"])
    response = _send(client, "PATCH", own.pk, {"status": "planned"}, headers)
    assert response.status_code == 400
    (problem,) = response.json()["invalidParameters"]
    assert problem["name"] == "status" and "kan inte få status" in problem["reason"]


def test_ref_must_stay_unique_but_may_be_kept(users, own, make_initiative):
    make_initiative(ref="annan", title="Annan")
    services.initiative_update(actor=None, initiative=own, ref="egen")
    client, headers = _client(users["admin"])
    assert _send(client, "PATCH", own.pk, {"ref": "egen", "title": "Ny"}, headers).status_code == 200
    taken = _send(client, "PATCH", own.pk, {"ref": "annan"}, headers)
    assert taken.status_code == 400 and taken.json()["invalidParameters"][0]["name"] == "ref"


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_login_csrf_and_existence(users, own, area, method):
    body = _full(area, leadName="Region Örebro län")
    anonymous, _ = _client(None)
    assert _send(anonymous, method, own.pk, body, {}).status_code == 401
    rep, headers = _client(users["rep"])
    no_token = _send(rep, method, own.pk, body, {})
    assert no_token.status_code == 403 and "CSRF" in no_token.json()["detail"]
    missing = _send(rep, method, 999999, body, headers)
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("role", ["officer_kumla", "reviewer", "plain"])
@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_others_initiatives_are_forbidden(users, own, area, role, method):
    client, headers = _client(users[role])
    response = _send(client, method, own.pk, _full(area, leadOrganisationId=users["own_org"].pk), headers)
    assert response.status_code == 403 and response["Content-Type"] == "application/problem+json"
    own.refresh_from_db()
    assert own.title == "Läxhjälp" and not history_for(own).filter(action=AuditEntry.Action.UPDATE).exists()


def test_officers_change_their_municipalitys_initiatives_but_cannot_give_them_away(users, own):
    client, headers = _client(users["officer"])  # Örebro, where the representative's organisation is
    assert _send(client, "PATCH", own.pk, {"title": "Av handläggaren"}, headers).status_code == 200
    away = _send(client, "PATCH", own.pk, {"leadOrganisationId": users["other_org"].pk}, headers)
    assert away.status_code == 403
    own.refresh_from_db()
    assert own.lead_organisation == users["own_org"]


def test_a_representatives_change_clears_the_verification(users, own):
    services.initiative_verify(actor=users["admin"], initiative=own)
    client, headers = _client(users["rep"])
    assert _send(client, "PATCH", own.pk, {"progress": 60}, headers).json()["verified"] is False
    services.initiative_verify(actor=users["admin"], initiative=own)
    admin, admin_headers = _client(users["admin"])
    assert _send(admin, "PATCH", own.pk, {"progress": 65}, admin_headers).json()["verified"] is True


def test_put_keeps_funding_and_links_it_does_not_show(users, own, area):
    services.initiative_update(
        actor=None,
        initiative=own,
        funding=[services.FundingIn("Allmänna arvsfonden")],
        links=[services.LinkIn("document", "Rapport", "https://example.org/r")],
    )
    client, headers = _client(users["rep"])
    response = _send(client, "PUT", own.pk, _full(area, leadOrganisationId=users["own_org"].pk), headers)
    assert response.status_code == 200
    fresh = Initiative.objects.get(pk=own.pk)
    assert fresh.funding.count() == 1 and fresh.links.count() == 1
