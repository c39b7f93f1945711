"""Everything Civsam holds about a person, as one JSON file gathered from every app's provider
(accounts.personal_data, ADR 0080). Each app tests its own part in its tests/test_personal_data.py."""

from __future__ import annotations

import json

import pytest
from axes.models import AccessLog
from django.urls import reverse

from civsam.accounts import personal_data
from civsam.accounts.eid.models import EidLink
from civsam.accounts.models import Role
from civsam.accounts.services import role_assign
from civsam.core.models import AuditEntry

from .helpers import totp_enable

PNR_HASH = "ab" * 32


@pytest.fixture
def extra_provider():
    """A provider of a made-up app, as an app registers one from its AppConfig.ready()."""
    calls = []

    def export(user):
        calls.append(("export", user.pk))
        return {"things": [{"owner": user.username}]}

    def erase(user):
        calls.append(("erase", user.pk))
        return {"things": 1}

    personal_data.register("zz-test", export=export, erase=erase)
    yield calls
    personal_data._providers.pop("zz-test")


def _download(client) -> dict:
    response = client.get(reverse("accounts:personal-data"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="civsam-mina-uppgifter-')
    assert "no-store" in response["Cache-Control"]
    return json.loads(response.content)


def test_the_download_needs_a_login(client, db):
    response = client.get(reverse("accounts:personal-data"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_every_app_contributes_and_a_new_app_joins_by_registering(client, users, extra_provider):
    client.force_login(users["rep"])
    data = _download(client)
    assert data["format"] == "civsam-personal-data/1"
    # accounts first, then the apps that registered a provider from their AppConfig.ready()
    assert [key for key in data if key not in ("format", "generatedAt")] == [
        "accounts",
        "funding",
        "impact",
        "meetings",
        "plan",
        "registry",
        "zz-test",
    ]
    assert data["zz-test"] == {"things": [{"owner": "rep"}]}
    assert extra_provider == [("export", users["rep"].pk)]


def test_the_accounts_part(client, users):
    rep = users["rep"]
    rep.first_name, rep.last_name, rep.email = "Rebecka", "Ek", "rebecka@example.se"
    rep.save()
    role_assign(actor=users["admin"], user=rep, role=Role.REVIEWER)
    EidLink.objects.create(user=rep, pnr_hash=PNR_HASH)
    totp_enable(rep)
    client.post(reverse("accounts:login"), {"login": "rep", "password": "secret-pass-123"}, REMOTE_ADDR="192.0.2.44")
    client.post(reverse("mfa_authenticate"), {"code": "000000"})  # wrong: not logged in
    client.force_login(rep)

    raw = client.get(reverse("accounts:personal-data")).content.decode()
    assert PNR_HASH not in raw  # the e-ID's hash never leaves Civsam
    data = json.loads(raw)["accounts"]
    assert data["profile"]["username"] == "rep"
    assert (data["profile"]["firstName"], data["profile"]["lastName"]) == ("Rebecka", "Ek")
    assert data["profile"]["email"] == "rebecka@example.se"
    roles = {(r["role"], (r["organisation"] or {}).get("name")) for r in data["roles"]}
    assert roles == {("organisation_rep", "Egna föreningen"), ("reviewer", None)}
    assert data["eid"]["linked"] is True and data["eid"]["linkedAt"]
    assert [f["type"] for f in data["secondFactors"]] == ["totp"]
    assert "secret" not in json.dumps(data["secondFactors"])
    assert data["sessions"]  # this one, at least
    about = data["auditEntriesAboutYou"]
    assert any(e["object"] == "accounts.roleassignment" and e["action"] == "create" for e in about)
    assert data["auditEntriesByYou"] == []  # rep has done nothing yet; the download is logged after it


def test_logins_and_own_actions_are_in_it(client, users):
    client.post(reverse("accounts:login"), {"login": "rep", "password": "secret-pass-123"}, REMOTE_ADDR="192.0.2.44")
    assert AccessLog.objects.filter(username="rep").exists()
    data = _download(client)["accounts"]
    assert [login["ip"] for login in data["logins"]] == ["192.0.2.44"]
    # The download itself is a read of personal data, logged with the person as actor.
    entry = AuditEntry.objects.filter(actor=users["rep"], action=AuditEntry.Action.READ).get()
    assert entry.note == "personal data exported"
    assert any(e["note"] == "personal data exported" for e in _download(client)["accounts"]["auditEntriesByYou"])
