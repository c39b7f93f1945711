"""The public statistics pages, their downloads and the API: served from the stored figures."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civsam.registry.models import Organisation
from civsam.stats import services
from civsam.stats.models import Figure


@pytest.fixture
def computed(make_org):
    services.population_load_reference()
    for n in range(3):
        made = make_org(name=f"Förening {n}", municipality="1880" if n else "1881")
        Organisation.objects.filter(pk=made.pk).update(registered_on=datetime.date(2021, 1, 1) + datetime.timedelta(n))
    services.statistics_compute(years=[2022, 2023, 2024])


@pytest.mark.django_db
def test_the_county_page_shows_figures_charts_tables_and_downloads(client, computed):
    response = client.get(reverse("stats:county") + "?ar=2023")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Civilsamhället i siffror: Örebro län" in html
    assert "kända av Civsam" in html  # the coverage note
    assert html.count("<svg") >= 5 and 'role="img"' in html
    assert "0,01" in html  # 3 organisations per 308 116 inhabitants, per 1,000, in Swedish
    assert reverse("stats:figure-export", args=["18", "organisations", "xlsx"]) in html
    assert reverse("stats:figure", args=["18", "organisations"]) + "?ar=2023" in html


@pytest.mark.django_db
def test_a_municipality_page_and_a_figure_page(client, computed):
    html = client.get(reverse("stats:area", args=["1880"])).content.decode()
    assert "Civilsamhället i siffror: Örebro" in html and "▶ Örebro" in html
    page = client.get(reverse("stats:figure", args=["1881", "organisations"]) + "?ar=2023")
    assert page.status_code == 200
    assert "http://testserver/statistik/1881/organisations/?ar=2023" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/statistik/1999/",
        "/statistik/18/no-such-figure/",
        "/statistik/1880/organisations.pdf",
        "/statistik/0180/organisations/",
    ],
)
def test_unknown_areas_figures_and_formats_are_not_found(client, computed, url):
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_page_makes_the_same_queries_however_many_figures(client, computed, make_org):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("stats:county")).status_code == 200
        return len(queries)

    before = count()
    for n in range(20):
        make_org(name=f"Extra {n}", municipality="1814")
    services.statistics_compute(years=[2018, 2019, 2020, 2021, 2022, 2023, 2024])
    assert count() == before


@pytest.mark.django_db
def test_the_downloads(client, computed):
    data = json.loads(b"".join(client.get("/statistik/1880/organisations.json").streaming_content))
    assert {row["year"] for row in data} == {2022, 2023, 2024}
    assert all(row["key"] == "1880" for row in data)
    csv = b"".join(client.get("/statistik/18/founded.csv").streaming_content).decode()
    assert csv.lstrip("\ufeff").splitlines()[0].startswith("figure,dimension,key")
    xlsx = client.get("/statistik/18/organisations.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


@pytest.mark.django_db
def test_the_empty_page_says_what_to_do(client, reference_data):
    html = client.get(reverse("stats:county")).content.decode()
    assert "Ingen statistik är beräknad ännu" in html


@pytest.mark.django_db
def test_only_the_region_recomputes_from_the_page(client, users):
    client.force_login(users["officer"])
    assert client.post(reverse("stats:compute")).status_code == 403
    assert not Figure.objects.exists()
    client.force_login(users["admin"])
    assert client.post(reverse("stats:compute")).status_code == 302
    assert Figure.objects.exists()


@pytest.mark.django_db
def test_the_api_lists_and_filters(client, computed):
    body = client.get("/api/v1/statistics", {"municipality": "1880", "year": 2023}).json()
    assert body["pagination"]["totalCount"] >= 1
    items = body["items"]
    assert {item["key"] for item in items} == {"1880"} and {item["year"] for item in items} == {2023}
    organisations = next(item for item in items if item["figure"] == "organisations")
    assert organisations["value"] == 2 and organisations["per1000"] is not None and "computedAt" in organisations
    legal = client.get("/api/v1/statistics", {"dimension": "legal_form", "limit": 100}).json()["items"]
    assert legal and {item["dimension"] for item in legal} == {"legal_form"}
    assert client.get("/api/v1/statistics", {"colour": "red"}).status_code == 400
    assert client.get("/api/v1/statistics", {"municipality": "0180"}).status_code == 400


@pytest.mark.django_db
def test_the_api_gives_one_figure_and_knows_the_grants_are_elsewhere(client, computed):
    body = client.get("/api/v1/statistics/organisations", {"year": 2024, "dimension": "total"}).json()
    assert body["code"] == "organisations" and "Civsam" in body["coverageNote"] and body["per1000"] is True
    assert [v["year"] for v in body["values"]] == [2024]
    missing = client.get("/api/v1/statistics/nothing")
    assert missing.status_code == 404 and missing["Content-Type"].startswith("application/problem+json")
    assert client.get("/api/v1/statistics/grants").status_code == 200  # the grant statistics' own operation


def _kolada(values):
    from decimal import Decimal

    from civsam.stats.kolada_file import ExternalValue

    services.external_figures_set(
        source="kolada",
        values=[
            ExternalValue(
                indicator="N09022",
                title="Nettokostnad kulturverksamhet, kr/inv",
                unit="kr/inv",
                area=code,
                year=year,
                value=Decimal(value),
                citation="Källa: Kolada (RKA), nyckeltal N09022",
            )
            for code, year, value in values
        ],
    )


@pytest.mark.django_db
def test_kolada_and_the_national_figures_stand_beside_civsams(client, computed):
    _kolada([("1880", 2023, 1500), ("1881", 2023, 1234), ("1814", 2023, 900), ("1880", 2022, 1400)])
    services.national_figures_load_reference()
    html = client.get(reverse("stats:county") + "?ar=2023").content.decode()
    assert "Kommunernas nyckeltal från Kolada" in html and "Källa: Kolada (RKA), nyckeltal N09022" in html
    assert "1\u00a0234" in html and "Hämtat till Civsam" in html  # the value in Swedish, and when it was read
    assert "Jämförelse med hela Sverige" in html and "265\u00a0700" in html and "3,3" in html
    assert "statistiknyhet 2025-10-23" in html  # the national figures cite their source
    municipality = client.get(reverse("stats:area", args=["1881"])).content.decode()
    assert "Median för länets kommuner" in municipality and "1\u00a0234" in municipality
    assert "Jämförelse med hela Sverige" not in municipality  # the national comparison is the county's


@pytest.mark.django_db
def test_pages_and_the_api_make_the_same_queries_whatever_the_data(client, computed, make_org):
    urls = ["/statistik/", "/statistik/1880/", "/statistik/18/organisations/", "/api/v1/statistics?limit=100"]

    def counts():
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            out.append(len(queries))
        return out

    before = counts()
    for n in range(15):
        made = make_org(name=f"Ny {n}", municipality="1885", member_count=n)
        Organisation.objects.filter(pk=made.pk).update(registered_on=datetime.date(2019, 1, 1))
    _kolada([(code, year, 1000 + year) for code in ("1880", "1881", "1885") for year in (2021, 2022, 2023)])
    services.national_figures_load_reference()
    services.statistics_compute(years=[2019, 2020, 2021, 2022, 2023, 2024])
    assert counts() == before


def test_the_api_names_every_figure_and_dimension():
    from typing import get_args

    from civsam.stats import api, figures

    assert set(get_args(api.FigureCode)) == set(figures.FIGURES)
    assert set(get_args(api.Dimension)) == set(figures.DIMENSIONS)
