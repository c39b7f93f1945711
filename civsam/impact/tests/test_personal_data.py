"""Impact's part of a person's data export; analyses stay with their owner, shown as by "borttagen
användare", when the author deletes their account (ADR 0080)."""

from __future__ import annotations

import json

from django.urls import reverse

from civsam.accounts.services import account_delete


def test_the_export_lists_the_analyses_the_person_wrote(client, people, make_analysis):
    analysis = make_analysis(actor=people["rep"], owner_organisation=people["own_org"], title="Läxhjälp")
    client.force_login(people["rep"])
    data = json.loads(client.get(reverse("accounts:personal-data")).content)["impact"]
    assert data["analysesAuthored"] == [{"id": analysis.pk, "title": "Läxhjälp", "status": "draft"}]
    assert data["analysesReviewed"] == []


def test_analyses_stay_after_the_author_deletes_their_account(people, make_analysis):
    analysis = make_analysis(actor=people["rep"], owner_organisation=people["own_org"], title="Läxhjälp")
    account_delete(actor=people["rep"], user=people["rep"])
    analysis.refresh_from_db()
    assert analysis.title == "Läxhjälp" and analysis.owner_organisation == people["own_org"]
    assert str(analysis.author) == "borttagen användare"
