"""The market's pages: public reading, the owners' forms, the buyer's upload, exports."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civsam.market.models import Offer, Procurement, SpendShare

pytestmark = pytest.mark.django_db


def test_public_pages_for_an_anonymous_buyer(client, market):
    response = client.get(reverse("market:offer-list"), {"q": "lunch"})
    assert response.status_code == 200
    assert "Lunchcatering med arbetsträning" in response.content.decode()
    detail = client.get(market["offer"].get_absolute_url()).content.decode()
    assert "Tillväxtverkets förteckning" in detail and "2026-03-01" in detail
    assert "info@returverket.example" not in detail  # the organisation's address is not shown
    for name in ("procurement-list", "spend-share", "spend-methodology"):
        assert client.get(reverse(f"market:{name}")).status_code == 200


def test_contact_form_sends_without_showing_the_address(client, market, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("market:offer-contact", args=[market["offer"].pk]),
            {"sender_name": "Ina", "sender_email": "ina@example.se", "sender_organisation": "", "message": "Hej!"},
        )
    assert response.status_code == 302
    assert len(mailoutbox) == 2


def test_representative_publishes_an_offer(client, market):
    client.force_login(market["rep"])
    response = client.post(
        reverse("market:offer-create"),
        {
            "organisation": market["social"].pk,
            "title": "Trädgårdsskötsel",
            "kind": "service",
            "category": "green",
            "description": "Gräsklippning och rabatter.",
            "municipalities": [market["orebro"].pk],
            "is_published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Offer.objects.filter(title="Trädgårdsskötsel", organisation=market["social"]).exists()


def test_a_plain_user_cannot_edit_an_offer(client, market):
    client.force_login(market["plain"])
    assert client.get(reverse("market:offer-edit", args=[market["offer"].pk])).status_code == 403
    assert client.get(reverse("market:offer-create")).status_code == 403


def test_officer_records_a_procurement(client, market):
    client.force_login(market["officer"])
    response = client.post(
        reverse("market:procurement-create"),
        {
            "buyer": "m1880",
            "title": "Måltider till äldreboenden",
            "procedure": "open",
            "status": "awarded",
            "reservation": "lou_4_18",
            "awards": f"Returverket; {market['social'].orgnr}; 1 000 000; 1",
            "lots": "1; Hela kommunen; 2 000 000; reserverat",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    procurement = Procurement.objects.get()
    assert procurement.awards.get().lot.reserved


def test_officer_uploads_a_spend_file_and_sees_the_share(client, market):
    client.force_login(market["officer"])
    content = (
        "köpare;leverantör orgnr;belopp;datum\n"
        f"Örebro;{market['social'].orgnr};1 000,00;2025-01-01\nÖrebro;5560001231;3000;2025-02-01\n"
    )
    response = client.post(
        reverse("market:spend-upload"),
        {"buyer": "m1880", "file": SimpleUploadedFile("inkop.csv", content.encode("utf-8"))},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(response["Location"]).content.decode()
    assert "25,0" in page  # the cooperative layer's share, in Swedish format
    assert SpendShare.objects.filter(layer="total", amount=4000).exists()


def test_a_bad_spend_file_shows_row_errors(client, market):
    client.force_login(market["officer"])
    content = "köpare;leverantör orgnr;belopp;datum\nÖrebro;123;1000;2025-01-01\n"
    response = client.post(
        reverse("market:spend-upload"), {"buyer": "m1880", "file": SimpleUploadedFile("inkop.csv", content.encode())}
    )
    assert response.status_code == 200
    assert "Rad 2" in response.content.decode()
    assert not SpendShare.objects.exists()


def test_spend_upload_is_for_buyers_only(client, market):
    client.force_login(market["rep"])
    assert client.get(reverse("market:spend-upload")).status_code == 403


@pytest.mark.parametrize("fmt", ["csv", "csv-sv", "xlsx", "json"])
def test_share_export(client, market, fmt):
    from civsam.market import services

    services.spend_file_import(
        actor=None,
        buyer=market["buyer_orebro"],
        file=io.BytesIO(f"köpare;orgnr;belopp;datum\n1880;{market['social'].orgnr};10;2025-01-01".encode()),
        file_name="a.csv",
    )
    response = client.get(reverse("market:spend-share-export", args=[fmt]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert len(body) > 100
