"""The agreements API: public reads with filters, writes by the parties who own the records."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest

from civsam.agreements import services

pytestmark = pytest.mark.django_db


def _client(client, user):
    from tests.api.support import session_client

    return session_client(user)


@pytest.fixture
def signed_iop(make_agreement, world, complete_assessment):
    agreement = make_agreement(starts_on=datetime.date(2025, 1, 1))
    services.party_add(actor=world["officer"], agreement=agreement, organisation=world["own_org"], role="ideburen")
    complete_assessment(agreement, world["officer"])
    return services.agreement_transition(
        actor=world["officer"], agreement=agreement, action="sign", on=datetime.date(2025, 1, 1)
    )


def test_list_filters(client, signed_iop, make_agreement):
    make_agreement(title="Utkastet")
    body = client.get("/api/v1/agreements").json()
    assert [a["title"] for a in body["items"]] == ["Mötesplats Vivalla"]
    item = body["items"][0]
    assert item["kind"] == "iop" and {p["role"] for p in item["parties"]} == {"public", "ideburen"}
    assert client.get("/api/v1/agreements", {"kind": "local"}).json()["items"] == []
    assert len(client.get("/api/v1/agreements", {"year": 2025, "sector": "public"}).json()["items"]) == 1
    assert client.get("/api/v1/agreements", {"year": 2024}).json()["items"] == []
    bad = client.get("/api/v1/agreements", {"kind": "avtal"})
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    assert client.get("/api/v1/agreements", {"nonsense": 1}).status_code == 400


def test_writes_need_signing_in(client, world):
    body = {"title": "X", "kind": "iop", "owner": world["kommun"].key, "challenge": "X", "startsOn": "2026-01-01"}
    response = client.post("/api/v1/agreements", json.dumps(body), content_type="application/json")
    assert response.status_code == 401


def test_an_officer_creates_adds_a_party_and_a_contribution(world):
    api, csrf = _client(None, world["officer"])
    body = {
        "title": "Läxhjälp",
        "kind": "iop",
        "owner": world["kommun"].key,
        "challenge": "Skolresultat",
        "startsOn": "2026-01-01",
        "municipality": "1880",
    }
    created = api.post("/api/v1/agreements", json.dumps(body), content_type="application/json", **csrf)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    party = api.post(
        f"/api/v1/agreements/{pk}/parties",
        json.dumps({"organisation": world["own_org"].orgnr, "role": "ideburen"}),
        content_type="application/json",
        **csrf,
    )
    assert party.status_code == 201
    contribution = api.post(
        f"/api/v1/agreements/{pk}/contributions",
        json.dumps(
            {
                "organisation": world["own_org"].orgnr,
                "year": 2026,
                "kind": "staff_hours",
                "quantity": "10",
                "rate": "400",
            }
        ),
        content_type="application/json",
        **csrf,
    )
    assert contribution.status_code == 201, contribution.content
    assert [Decimal(c["valueSek"]) for c in contribution.json()["contributions"]] == [Decimal("4000.00")]
    no_rate = api.post(
        f"/api/v1/agreements/{pk}/contributions",
        json.dumps({"organisation": world["own_org"].orgnr, "year": 2026, "kind": "staff_hours", "quantity": "10"}),
        content_type="application/json",
        **csrf,
    )
    assert no_rate.status_code == 400
    assert no_rate.json()["invalidParameters"][0]["name"] == "rate"


def test_a_report_on_a_signed_agreement(world, signed_iop):
    api, csrf = _client(None, world["rep"])
    response = api.put(
        f"/api/v1/agreements/{signed_iop.pk}/reports/2025",
        json.dumps({"activities": "Öppet varje onsdag."}),
        content_type="application/json",
        **csrf,
    )
    assert response.status_code == 200, response.content
    assert response.json()["reports"][0]["activities"] == "Öppet varje onsdag."
    other, other_csrf = _client(None, world["officer_kumla"])
    refused = other.put(
        f"/api/v1/agreements/{signed_iop.pk}/reports/2025",
        json.dumps({"activities": "x"}),
        content_type="application/json",
        **other_csrf,
    )
    assert refused.status_code == 403


def test_the_list_reads_a_page_in_the_same_queries_whatever_its_length(world, make_agreement):
    """Contributions and the rest of each agreement come in per-page queries, not one per agreement."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api, _csrf = _client(None, world["officer"])

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            body = api.get("/api/v1/agreements").json()
        return len(body["items"]), len(captured)

    make_agreement(title="Första")
    one = queries()
    for title in ("Andra", "Tredje"):
        make_agreement(title=title)
    three = queries()
    assert (one[0], three[0]) == (1, 3)
    assert three[1] == one[1]
