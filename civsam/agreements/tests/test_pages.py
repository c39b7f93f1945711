"""Agreement pages: the public list, overview and page, exports, creating and running one, the
legal assessment page, and the organisation's page listing its agreements."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from civsam.agreements import services
from civsam.agreements.models import Agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(make_agreement, world, complete_assessment):
    agreement = make_agreement(title="Mötesplats Vivalla", starts_on=datetime.date(2025, 1, 1))
    services.party_add(actor=world["officer"], agreement=agreement, organisation=world["own_org"], role="ideburen")
    assoc = agreement.parties.get(organisation=world["own_org"])
    services.contribution_add(actor=world["officer"], party=assoc, year=2025, kind="money", quantity=Decimal("125000"))
    complete_assessment(agreement, world["officer"])
    return services.agreement_transition(
        actor=world["officer"], agreement=agreement, action="sign", on=datetime.date(2025, 1, 1)
    )


def test_the_public_sees_signed_public_agreements_only(client, signed, make_agreement):
    make_agreement(title="Hemligt utkast")
    response = client.get("/overenskommelser/")
    assert response.status_code == 200
    assert "Mötesplats Vivalla" in response.text and "Hemligt utkast" not in response.text
    page = client.get(f"/overenskommelser/{signed.pk}/")
    assert page.status_code == 200 and "Egna föreningen" in page.text and "125\u00a0000" in page.text
    draft = Agreement.objects.get(title="Hemligt utkast")
    assert client.get(f"/overenskommelser/{draft.pk}/").status_code == 404


def test_group_members_are_named_only_to_the_agreements_people(client, signed, world):
    group = services.group_add(actor=world["officer"], agreement=signed, kind="steering", name="Styrgruppen")
    services.group_member_add(
        actor=world["officer"],
        group=group,
        party=signed.parties.get(organisation=world["kommun"]),
        name="Anna Andersson",
    )
    assert "Anna Andersson" not in client.get(f"/overenskommelser/{signed.pk}/").text
    client.force_login(world["officer"])
    assert "Anna Andersson" in client.get(f"/overenskommelser/{signed.pk}/").text


def test_overview_counts_and_sums(client, signed):
    response = client.get("/overenskommelser/oversikt/", {"year": 2025})
    assert response.status_code == 200
    text = response.text
    assert "Egna föreningen" in text and "125\u00a0000" in text and "Kunskap och utbildningar" in text


@pytest.mark.parametrize("fmt", ["csv", "csv-sv", "xlsx"])
def test_exports(client, signed, fmt):
    response = client.get(f"/overenskommelser/overenskommelser.{fmt}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt != "xlsx":
        assert "Mötesplats Vivalla".encode() in body
    totals = client.get(f"/overenskommelser/bidrag.{fmt}")
    assert totals.status_code == 200


def test_unknown_export_format_is_404(client):
    assert client.get("/overenskommelser/overenskommelser.pdf").status_code == 404


def test_an_officer_creates_an_agreement_on_the_page(client, world):
    client.force_login(world["officer"])
    assert client.get("/overenskommelser/ny/").status_code == 200
    data = {
        "title": "Frukostklubben",
        "kind": "iop",
        "owner": world["kommun"].pk,
        "challenge": "Barn som kommer till skolan utan frukost.",
        "starts_on": "2026-01-01",
        "notice_months": "6",
        "is_public": "on",
    }
    bad = client.post("/overenskommelser/ny/", {**data, "is_public": "", "non_public_reason": ""})
    assert bad.status_code == 400 and "Skriv varför" in bad.text
    response = client.post("/overenskommelser/ny/", data)
    agreement = Agreement.objects.get(title="Frukostklubben")
    assert response.status_code == 302 and response["Location"] == f"/overenskommelser/{agreement.pk}/hantera/"
    manage = client.post(
        f"/overenskommelser/{agreement.pk}/hantera/",
        {"action": "party", "party-organisation": world["own_org"].pk, "party-role": "ideburen"},
    )
    assert manage.status_code == 302
    assert agreement.parties.filter(organisation=world["own_org"], status="accepted").exists()
    refused = client.post(f"/overenskommelser/{agreement.pk}/hantera/", {"action": "step", "step-step": "sign"})
    assert refused.status_code == 400 and "rättsliga bedömningen" in refused.text
    assert client.get(f"/overenskommelser/{agreement.pk}/rattslig-bedomning/").status_code == 200
    saved = client.post(
        f"/overenskommelser/{agreement.pk}/rattslig-bedomning/",
        {"procurement": "partnership", "state_aid": "no_economic_activity", "general_interest": "on", "memo": "Skäl."},
    )
    assert saved.status_code == 302
    signed = client.post(f"/overenskommelser/{agreement.pk}/hantera/", {"action": "step", "step-step": "sign"})
    assert signed.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == "active"


def test_the_manage_page_is_for_the_agreements_people(client, signed, world):
    client.force_login(world["officer_kumla"])
    assert client.get(f"/overenskommelser/{signed.pk}/hantera/").status_code == 403
    client.force_login(world["rep"])
    assert client.get(f"/overenskommelser/{signed.pk}/hantera/").status_code == 200
    # The association's representative runs it but does not assess.
    assert client.get(f"/overenskommelser/{signed.pk}/rattslig-bedomning/").status_code == 403


def test_an_invited_party_answers_on_the_page(client, make_agreement, world):
    agreement = make_agreement()
    party = services.party_add(
        actor=world["officer"], agreement=agreement, organisation=world["other_org"], role="other"
    )
    client.force_login(world["officer_kumla"])
    page = client.get(f"/overenskommelser/{agreement.pk}/")
    assert "Tacka ja" in page.text
    client.post(f"/overenskommelser/part/{party.pk}/svar/", {"answer": "accept"})
    party.refresh_from_db()
    assert party.status == "accepted"


def test_the_organisation_page_lists_its_agreements(client, signed, world):
    response = client.get(world["own_org"].get_absolute_url())
    assert response.status_code == 200 and "Mötesplats Vivalla" in response.text
