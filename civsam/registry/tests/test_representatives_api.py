"""The API for who represents an organisation (ADR 0113): list and remove, by the same rules as
the page — those who act for it remove, the last representative goes only by staff."""

from __future__ import annotations

import pytest
from django.test import Client

from civsam.accounts.models import Role, RoleAssignment, User
from civsam.accounts.services import role_assign
from civsam.core.models import AuditEntry


def _client(user) -> tuple[Client, dict[str, str]]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/")
    return client, {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}


def _url(org, pk: int | None = None) -> str:
    base = f"/api/v1/organisations/{org.orgnr}/representatives"
    return base if pk is None else f"{base}/{pk}"


@pytest.fixture
def second(users) -> RoleAssignment:
    other = User.objects.create_user(username="andra", first_name="Anna", last_name="Andersson")
    return role_assign(user=other, role=Role.ORGANISATION_REP, organisation=users["own_org"], mandate="board_member")


@pytest.mark.django_db
def test_the_representatives_are_listed_for_those_who_act_for_the_organisation(users, second):
    org = users["own_org"]
    client, _ = _client(users["rep"])
    response = client.get(_url(org))
    assert response.status_code == 200, response.content
    items = response.json()["items"]
    assert [(i["name"], i["me"]) for i in items] == [("rep", True), ("Anna Andersson", False)]
    assert items[1]["mandate"] == "board_member" and items[1]["id"] == second.pk
    # The officer of its municipality sees them too; Kumla's officer and a plain user do not.
    assert _client(users["officer"])[0].get(_url(org)).status_code == 200
    for name in ("officer_kumla", "plain"):
        refused = _client(users[name])[0].get(_url(org))
        assert refused.status_code in {403, 404}, name
        assert refused["Content-Type"] == "application/problem+json"
    assert Client().get(_url(org)).status_code == 401


@pytest.mark.django_db
def test_a_representative_removes_another_and_it_is_in_the_audit_log(users, second):
    client, csrf = _client(users["rep"])
    response = client.delete(_url(users["own_org"], second.pk), **csrf)
    assert response.status_code == 200, response.content
    assert [i["name"] for i in response.json()["items"]] == ["rep"]  # those who remain
    assert not RoleAssignment.objects.filter(pk=second.pk).exists()
    entry = AuditEntry.objects.get(object_id=str(second.pk), action=AuditEntry.Action.DELETE)
    assert entry.actor == users["rep"]
    # Gone: a second removal is 404.
    assert client.delete(_url(users["own_org"], second.pk), **csrf).status_code == 404


@pytest.mark.django_db
def test_the_last_representative_stays_unless_staff_remove_them(users):
    org = users["own_org"]
    only = RoleAssignment.objects.get(user=users["rep"], organisation=org)
    client, csrf = _client(users["rep"])
    refused = client.delete(_url(org, only.pk), **csrf)
    assert refused.status_code == 400
    assert "Lämna över" in refused.json()["detail"]
    assert RoleAssignment.objects.filter(pk=only.pk).exists()
    officer, officer_csrf = _client(users["officer"])
    emptied = officer.delete(_url(org, only.pk), **officer_csrf)
    assert emptied.status_code == 200 and emptied.json()["items"] == []
    assert not RoleAssignment.objects.filter(organisation=org, role=Role.ORGANISATION_REP).exists()


@pytest.mark.django_db
def test_removal_needs_csrf_and_the_right_organisation(users, second):
    client, csrf = _client(users["rep"])
    assert client.delete(_url(users["own_org"], second.pk)).status_code == 403  # no CSRF token
    # The role's id under another organisation's path is not found there.
    assert client.delete(_url(users["other_org"], second.pk), **csrf).status_code in {403, 404}
    assert RoleAssignment.objects.filter(pk=second.pk).exists()
    bad = client.get("/api/v1/organisations/123/representatives")
    assert bad.status_code == 400 and bad.json()["invalidParameters"][0]["name"] == "organisation"
