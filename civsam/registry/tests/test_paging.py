"""The capped count of the directory (registry/paging.py, ADR 0041): web page and API.

Runs on both backends. The real cap is 1,000; here it is lowered to 50 so that a register of
130 organisations goes past it.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from civsam.core.collation import sort_key
from civsam.core.models import Municipality
from civsam.registry import demo, paging
from civsam.registry.imports.bulk import demo_organisations_insert
from civsam.registry.models import Organisation

LIST = "/api/v1/organisations"
CAP = 50


@pytest.fixture
def many(reference_data):
    populations = dict(Municipality.objects.values_list("code", "population"))
    demo_organisations_insert(demo.generate(130, populations, seed=7))
    return Organisation.objects.count()


@pytest.fixture
def capped(monkeypatch):
    monkeypatch.setattr(paging, "COUNT_CAP", CAP)


@pytest.mark.parametrize("cap", [0, 1, 10, 129, 130, 131, 500])
def test_capped_count_stops_one_past_the_cap(many, cap):
    assert paging.capped_count(Organisation.objects.order_by("name_key"), cap) == min(many, cap + 1)


def test_page_above_the_cap_says_more_than_and_pages_the_first_matches(client, many, capped):
    response = client.get(reverse("registry:directory"), {"per_page": 20})
    paginator = response.context["page"].paginator
    assert not paginator.exact
    assert paginator.num_pages == 3  # the first 50 matches, 20 a page
    html = response.content.decode()
    assert "Fler än 50 organisationer" in html
    assert "Sida 1 av 3 bland de första 50" in html
    assert "Bläddringen slutar" not in html


def test_last_page_above_the_cap_has_no_next_link_and_says_why(client, many, capped):
    response = client.get(reverse("registry:directory"), {"per_page": 20, "page": 3})
    page = response.context["page"]
    assert page.number == 3 and not page.has_next() and len(page.object_list) == 10  # rows 41–50
    html = response.content.decode()
    assert 'rel="next"' not in html and 'rel="prev"' in html
    assert "Bläddringen slutar efter de första 50 träffarna" in html
    # A page number past the window falls back to its last page, as past the end of any list.
    assert client.get(reverse("registry:directory"), {"per_page": 20, "page": 99}).context["page"].number == 3


def test_pages_above_the_cap_are_the_start_of_the_full_list(client, many, capped):
    names = []
    for number in (1, 2, 3):
        response = client.get(reverse("registry:directory"), {"per_page": 20, "page": number})
        names += [o.name for o in response.context["page"].object_list]
    everything = sorted(Organisation.objects.values_list("name", flat=True), key=sort_key)
    assert names == everything[:CAP]


def test_below_the_cap_the_count_is_exact(client, many, capped):
    response = client.get(reverse("registry:directory"), {"municipality": "1885", "per_page": 20})
    paginator = response.context["page"].paginator
    expected = Organisation.objects.filter(municipality__code="1885", is_public=True).count()
    assert expected <= CAP
    assert paginator.exact and paginator.count == expected
    assert f"{expected} organisation" in response.content.decode()


def test_api_above_the_cap_is_honest_and_walks_the_whole_list(many, capped):
    body = Client().get(LIST, {"limit": 20}).json()
    assert body["pagination"] == {
        "page": 1,
        "limit": 20,
        "totalCount": CAP,
        "totalCountExact": False,
        "totalPages": None,
    }
    assert body["links"]["last"] is None
    seen = [row["name"] for row in body["items"]]
    pages = 1
    while body["links"]["next"]:
        response = Client().get(body["links"]["next"])
        assert 'rel="last"' not in response["Link"]
        body = response.json()
        seen += [row["name"] for row in body["items"]]
        pages += 1
    public = Organisation.objects.filter(is_public=True).values_list("name", flat=True)
    assert len(seen) == len(public) > CAP
    assert seen == sorted(public, key=sort_key)
    assert pages == -(-len(public) // 20)


def test_api_below_the_cap_counts_exactly(many, capped):
    expected = Organisation.objects.filter(municipality__code="1885", is_public=True).count()
    body = Client().get(LIST, {"municipality": "1885", "limit": 5}).json()
    assert body["pagination"]["totalCount"] == expected
    assert body["pagination"]["totalCountExact"] is True
    assert body["pagination"]["totalPages"] == -(-expected // 5)
    assert body["links"]["last"].endswith(f"page={-(-expected // 5)}")


@pytest.mark.parametrize("page", [10**6, 10**15, 10**20])
def test_api_above_the_cap_answers_absurd_page_numbers_with_an_empty_page(many, capped, page):
    response = Client().get(LIST, {"limit": 20, "page": page})
    assert response.status_code == 200
    body = response.json()
    assert body["items"] == [] and body["links"]["next"] is None
    assert body["pagination"]["totalCountExact"] is False
