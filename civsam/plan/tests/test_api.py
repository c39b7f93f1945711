"""The plans API: the list, one plan with its whole tree, by slug or by id."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from civsam.core.tests.api_support import assert_problem, items
from civsam.plan.models import FocusArea, Plan, PriorityArea
from civsam.plan.services import PLANS_FILE

SHIPPED = {spec["slug"]: spec for spec in json.loads(PLANS_FILE.read_text(encoding="utf-8"))["plans"]}


@pytest.fixture
def client(reference_data):
    return Client()


def test_list_shows_every_plan_newest_first(client):
    rows = items(client.get("/api/v1/plans"))
    assert [r["slug"] for r in rows] == ["2026-2030", "2022-2025"]
    plan = Plan.objects.get(slug="2022-2025")
    assert rows[1] == {
        "id": plan.pk,
        "slug": "2022-2025",
        "titleSv": plan.title_sv,
        "titleEn": plan.title_en,
        "startYear": 2022,
        "endYear": 2025,
        "status": "adopted",
        "url": "http://testserver/api/v1/plans/2022-2025",
        "webUrl": "http://testserver/handlingsplaner/2022-2025/",
    }
    assert rows[0]["status"] == "draft"


def test_list_pages(client):
    first = client.get("/api/v1/plans?limit=1")
    assert [r["slug"] for r in items(first)] == ["2026-2030"]
    body = first.json()
    assert body["pagination"] == {"page": 1, "limit": 1, "totalCount": 2, "totalCountExact": True, "totalPages": 2}
    second = client.get(body["links"]["next"])
    assert [r["slug"] for r in items(second)] == ["2022-2025"]
    assert second.json()["links"]["next"] is None


@pytest.mark.parametrize("slug", sorted(SHIPPED))
def test_detail_has_the_whole_tree_in_both_languages(client, slug):
    response = client.get(f"/api/v1/plans/{slug}")
    assert response.status_code == 200
    body = response.json()
    spec = SHIPPED[slug]
    assert body["goalSv"] == spec["goal_sv"]
    assert body["goalEn"] == spec["goal_en"]
    assert len(body["focusAreas"]) == len(spec["focus_areas"])
    for fa_number, (focus_area, fa_spec) in enumerate(zip(body["focusAreas"], spec["focus_areas"], strict=True), 1):
        assert focus_area["code"] == str(fa_number)
        assert focus_area["number"] == fa_number
        assert (focus_area["titleSv"], focus_area["titleEn"]) == (fa_spec["title_sv"], fa_spec["title_en"])
        assert [pa["code"] for pa in focus_area["priorityAreas"]] == [
            f"{fa_number}.{n}" for n in range(1, len(fa_spec["priority_areas"]) + 1)
        ]
        for pa, pa_spec in zip(focus_area["priorityAreas"], fa_spec["priority_areas"], strict=True):
            assert (pa["titleSv"], pa["titleEn"]) == (pa_spec["title_sv"], pa_spec["title_en"])
            assert pa["titleSv"] and pa["titleEn"]


def test_priority_area_1_3_is_in_the_tree(client):
    body = client.get("/api/v1/plans/2022-2025").json()
    codes = {pa["code"]: pa for fa in body["focusAreas"] for pa in fa["priorityAreas"]}
    expected = PriorityArea.objects.get(focus_area__plan__slug="2022-2025", focus_area__number=1, number=3)
    assert codes["1.3"]["titleSv"] == expected.title_sv
    assert len(codes) == PriorityArea.objects.filter(focus_area__plan__slug="2022-2025").count()


def test_detail_by_numeric_id_is_the_same_as_by_slug(client):
    plan = Plan.objects.get(slug="2022-2025")
    assert client.get(f"/api/v1/plans/{plan.pk}").json() == client.get("/api/v1/plans/2022-2025").json()


def test_an_all_digit_slug_is_reachable_and_an_id_comes_first(client):
    old = Plan.objects.create(slug="2018", title_sv="Handlingsplan 2018", goal_sv="Mål", start_year=2018, end_year=2021)
    FocusArea.objects.create(plan=old, number=1, title_sv="Dialog")
    assert old.pk != 2018
    body = client.get("/api/v1/plans/2018").json()
    assert body["slug"] == "2018"
    assert [fa["titleSv"] for fa in body["focusAreas"]] == ["Dialog"]
    assert body["focusAreas"][0]["titleEn"] == ""
    first = Plan.objects.order_by("pk").first()
    assert client.get(f"/api/v1/plans/{first.pk}").json()["slug"] == first.slug


@pytest.mark.parametrize("plan_id", ["1999-2000", "999999", "9" * 40, "Plan 2022"])
def test_unknown_plan_is_404_problem(client, plan_id):
    body = assert_problem(client.get(f"/api/v1/plans/{plan_id}"), 404)
    assert plan_id in body["detail"]


def test_detail_takes_no_parameters(client):
    assert_problem(client.get("/api/v1/plans/2022-2025?lang=en"), 400, parameter="lang")


def test_detail_query_count_is_fixed(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/plans/2026-2030").status_code == 200
    # the plan, its focus areas, their priority areas, the strategies and goals of each (two,
    # ADR 0122), its decisions, and the plan in force
    assert len(queries) <= 7, [q["sql"] for q in queries]
