"""The API for representation requests and invitations (ADR 0090, 0099): the same rules as the
pages, answered as problem+json."""

from __future__ import annotations

import json

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from civsam.accounts.models import Role, RoleAssignment, User
from civsam.registry.models import RepresentationInvitation, RepresentationRequest


def _client(user) -> tuple[Client, dict[str, str]]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/")
    return client, {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}


def _post(user, url: str, body: dict):
    client, csrf = _client(user)
    return client.post(url, json.dumps(body), content_type="application/json", **csrf)


def person(name: str) -> User:
    user = User.objects.create_user(username=name, password="secret-pass-123", email=f"{name}@example.se")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.mark.django_db
def test_ask_decide_and_see_it_through_the_api(users, django_capture_on_commit_callbacks):
    org = users["own_org"]
    asker = person("asker")
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(asker, "/api/v1/representation-requests", {"organisation": org.orgnr, "mandate": "signatory"})
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "pending" and created["mine"] is True and created["organisation"]["orgnr"] == org.orgnr
    assert response["Location"].endswith(f"/api/v1/representation-requests/{created['id']}")
    # A second one is refused with a Swedish reason, and nothing is written.
    again = _post(asker, "/api/v1/representation-requests", {"organisation": org.orgnr, "mandate": "signatory"})
    assert again.status_code == 400 and "väntar på beslut" in again.json()["detail"]
    assert RepresentationRequest.objects.filter(user=asker).count() == 1
    # The asker cannot decide their own request; Kumla's officer cannot see it.
    assert (
        _post(asker, f"/api/v1/representation-requests/{created['id']}/decision", {"status": "approved"}).status_code
        == 403
    )
    kumla, _ = _client(users["officer_kumla"])
    assert kumla.get(f"/api/v1/representation-requests/{created['id']}").status_code == 404
    # The officer sees it waiting and rejects without a reason: 400 naming the field.
    officer, _ = _client(users["officer"])
    waiting = officer.get("/api/v1/representation-requests", {"mine": "false", "status": "pending"}).json()
    assert [item["id"] for item in waiting["items"]] == [created["id"]]
    refused = _post(
        users["officer"], f"/api/v1/representation-requests/{created['id']}/decision", {"status": "rejected"}
    )
    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["invalidParameters"][0]["name"] == "reason"
    with django_capture_on_commit_callbacks(execute=True):
        approved = _post(
            users["officer"], f"/api/v1/representation-requests/{created['id']}/decision", {"status": "approved"}
        )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert RoleAssignment.objects.get(user=asker, organisation=org).mandate == "signatory"
    assert mail.outbox[-1].to == ["asker@example.se"]
    mine, _ = _client(asker)
    assert mine.get("/api/v1/representation-requests", {"mine": "true"}).json()["items"][0]["status"] == "approved"


@pytest.mark.django_db
def test_invite_answer_and_revoke_through_the_api(users):
    org, rep = users["own_org"], users["rep"]
    invitee = person("invitee")
    response = _post(
        rep,
        "/api/v1/representation-invitations",
        {"organisation": org.orgnr, "email": invitee.email, "mandate": "employee"},
    )
    assert response.status_code == 201, response.content
    invitation = response.json()
    assert invitation["status"] == "pending" and invitation["toMe"] is False
    client, _ = _client(invitee)
    listed = client.get("/api/v1/representation-invitations").json()["items"]
    assert [(i["id"], i["toMe"]) for i in listed] == [(invitation["id"], True)]
    # The inviter cannot accept in the invitee's place; the invitee cannot revoke.
    assert (
        _post(rep, f"/api/v1/representation-invitations/{invitation['id']}/status", {"status": "accepted"}).status_code
        == 403
    )
    assert (
        _post(
            invitee, f"/api/v1/representation-invitations/{invitation['id']}/status", {"status": "revoked"}
        ).status_code
        == 403
    )
    accepted = _post(invitee, f"/api/v1/representation-invitations/{invitation['id']}/status", {"status": "accepted"})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert RoleAssignment.objects.filter(user=invitee, organisation=org, role=Role.ORGANISATION_REP).exists()
    # Answered once: a second step is a 400, not a second role.
    again = _post(invitee, f"/api/v1/representation-invitations/{invitation['id']}/status", {"status": "declined"})
    assert again.status_code == 400
    assert RepresentationInvitation.objects.get(pk=invitation["id"]).status == "accepted"


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ({"organisation": "nej", "email": "a@example.se", "mandate": "employee"}, "organisation"),
        ({"organisation": None, "email": "inte-en-adress", "mandate": "employee"}, "email"),
        ({"organisation": None, "email": "a@example.se", "mandate": "kung"}, "mandate"),
    ],
)
@pytest.mark.django_db
def test_bad_invitations_name_the_field(users, body, name):
    body = {**body, "organisation": body["organisation"] or users["own_org"].orgnr}
    response = _post(users["rep"], "/api/v1/representation-invitations", body)
    assert response.status_code == 400
    assert name in {p["name"] for p in response.json()["invalidParameters"]}
    assert not RepresentationInvitation.objects.exists()


@pytest.mark.django_db
def test_anonymous_callers_are_told_to_log_in(users):
    assert Client().get("/api/v1/representation-requests").status_code == 401
    assert Client().get("/api/v1/representation-invitations").status_code == 401
