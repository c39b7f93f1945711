"""The registry's part of a person's data export, and the register's history after the person who
changed an organisation deleted their account (ADR 0080)."""

from __future__ import annotations

import json

from django.urls import reverse

from civsam.accounts.services import account_delete
from civsam.registry.models import ImportRun
from civsam.registry.services import organisation_update


def test_the_export_lists_the_person_s_imports(client, users):
    ImportRun.objects.create(actor=users["officer"], filename="foreningar.csv", created=12)
    client.force_login(users["officer"])
    data = json.loads(client.get(reverse("accounts:personal-data")).content)["registry"]
    [run] = data["imports"]
    assert (run["filename"], run["created"]) == ("foreningar.csv", 12)


def test_the_history_shows_a_deleted_account_as_deleted_not_as_the_system(client, users):
    organisation = users["own_org"]
    organisation_update(actor=users["rep"], organisation=organisation, description="Ny beskrivning")
    account_delete(actor=users["rep"], user=users["rep"])
    client.force_login(users["admin"])
    html = client.get(reverse("registry:organisation-history", args=[organisation.orgnr])).content.decode()
    assert "borttagen användare" in html
