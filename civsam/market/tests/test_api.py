"""The market's API: public reads, and writes only for those who act for the organisation or buyer."""

from __future__ import annotations

import json

import pytest

from civsam.market import services
from civsam.market.models import Offer, Procurement

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def _post(client, url, body, method="post"):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_offers_are_public_with_filters(client, market):
    response = client.get("/api/v1/offers", {"q": "lunch", "verified": "work_integrating"})
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["title"] == "Lunchcatering med arbetsträning"
    assert item["verification"][0]["status"] == "work_integrating"
    assert "email" not in json.dumps(item)  # contact goes through the platform
    assert client.get("/api/v1/offers", {"municipality": "1881"}).json()["items"] == []
    bad = client.get("/api/v1/offers", {"category": "vapen"})
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"


def test_create_offer_as_representative(client, market):
    body = {
        "organisation": market["social"].orgnr,
        "title": "Cykelreparationer",
        "kind": "service",
        "category": "reuse",
        "description": "Vi lagar cyklar.",
        "municipalities": ["1880", "1881"],
        "cpvCodes": ["50000000-5"],
    }
    assert _post(client, "/api/v1/offers", body).status_code == 401
    response = _post(_login(client, market["rep"]), "/api/v1/offers", body)
    assert response.status_code == 201, response.content
    assert response.json()["cpvCodes"] == ["50000000-5"]
    assert Offer.objects.filter(title="Cykelreparationer").exists()


def test_create_offer_for_another_organisation_is_refused(client, market):
    body = {
        "organisation": market["other_org"].orgnr,
        "title": "X",
        "kind": "service",
        "category": "other",
        "description": "X",
        "municipalities": ["1881"],
    }
    response = _post(_login(client, market["rep"]), "/api/v1/offers", body)
    assert response.status_code == 403
    assert not Offer.objects.filter(title="X").exists()


def test_update_offer(client, market):
    offer = market["offer"]
    assert (
        _post(
            _login(client, market["officer_kumla"]), f"/api/v1/offers/{offer.pk}", {"title": "B"}, "patch"
        ).status_code
        == 403
    )
    client.logout()
    response = _post(
        _login(client, market["rep"]), f"/api/v1/offers/{offer.pk}", {"capacity": "300 portioner"}, "patch"
    )
    assert response.status_code == 200, response.content
    assert response.json()["capacity"] == "300 portioner"
    assert response.json()["title"] == offer.title


def test_procurement_write_for_the_buyer_only(client, market):
    body = {"buyer": "1880", "title": "Catering", "procedure": "direct", "reservation": "lou_19_25"}
    response = _post(_login(client, market["officer_kumla"]), "/api/v1/procurements", body)
    assert response.status_code == 403
    client.logout()
    response = _post(_login(client, market["officer"]), "/api/v1/procurements", body)
    assert response.status_code == 201, response.content
    assert response.json()["reservation"] == "lou_19_25"
    assert response.json()["buyer"] == "Örebro kommun"
    bad = _post(client, "/api/v1/procurements", {**body, "procedure": "lotteri"})
    assert bad.status_code == 400 and "procedure" in bad.content.decode()
    assert Procurement.objects.count() == 1


def test_procurement_list_and_detail(client, market):
    procurement = services.procurement_create(
        actor=None,
        buyer=market["buyer_orebro"],
        data=services.ProcurementData(title="Snöröjning", procedure="open"),
    )
    items = client.get("/api/v1/procurements", {"buyer": "1880"}).json()["items"]
    assert [item["id"] for item in items] == [procurement.pk]
    assert client.get("/api/v1/procurements", {"buyer": "1881"}).json()["items"] == []
    assert client.get(f"/api/v1/procurements/{procurement.pk}").json()["title"] == "Snöröjning"
    assert client.get("/api/v1/procurements", {"format": "xml"}).status_code == 400


def test_spend_share_api(client, market):
    import io

    services.spend_file_import(
        actor=None,
        buyer=market["buyer_orebro"],
        file=io.BytesIO(
            f"köpare;orgnr;belopp;datum\n1880;{market['social'].orgnr};400;2025-01-01\n1880;5560001231;600;2025-01-02".encode()
        ),
        file_name="a.csv",
    )
    response = client.get("/api/v1/statistics/spend-share", {"buyer": "1880", "layer": "cooperative"})
    assert response.status_code == 200, response.content
    [row] = response.json()["items"]
    assert row["year"] == 2025 and row["share"] == 0.4 and row["total"] == "1000.00"
    assert client.get("/api/v1/statistics/spend-share", {"layer": "blandat"}).status_code == 400
