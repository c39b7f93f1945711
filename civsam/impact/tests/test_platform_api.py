"""API: GET/POST /api/v1/social-value/analyses and GET /api/v1/social-value/analyses/{id}, through the
whole stack (middleware, session login, CSRF, problem+json)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from civsam.impact.models import SocialValueAnalysis

LIST = "/api/v1/social-value/analyses"
PROBLEM = "application/problem+json"


def detail(pk: int) -> str:
    return f"{LIST}/{pk}"


def post(client, body) -> object:
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(LIST, data=data, content_type="application/json")


def body_for(people, example_map, **overrides) -> dict:
    body = {
        "title": "Språkcafé i Örebro",
        "ownerMunicipality": "1880",
        "activities": ["Samtalsgrupper", "Läxhjälp"],
        "impactMap": example_map,
    }
    body.update(overrides)
    return body


def test_list_shows_published_to_anyone_and_own_drafts_to_their_people(client, people, make_analysis):
    published = make_analysis(title="Publicerad", status="published")
    draft = make_analysis(title="Utkast")
    response = client.get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body["items"]] == [published.pk]
    item = body["items"][0]
    assert item["status"] == "published" and item["owner"] == {"type": "municipality", "code": "1880", "name": "Örebro"}
    assert item["sroiRatio"] == pytest.approx(published.results["sroiRatio"])
    assert item["url"].endswith(detail(published.pk)) and item["webUrl"].endswith(f"/samhallsnytta/{published.pk}/")
    assert "author" not in json.dumps(body) and "reviewer" not in json.dumps(body)
    assert body["pagination"] == {"page": 1, "limit": 20, "totalCount": 1, "totalCountExact": True, "totalPages": 1}

    client.force_login(people["officer2"])
    ids = {item["id"] for item in client.get(LIST).json()["items"]}
    assert ids == {published.pk, draft.pk}


def test_list_pages_and_refuses_unknown_parameters(client, people, make_analysis):
    for number in range(3):
        make_analysis(title=f"Analys {number}", status="published")
    page = client.get(LIST, {"limit": 2, "page": 2})
    assert [len(page.json()["items"]), page.json()["pagination"]["totalPages"]] == [1, 2]
    assert 'rel="prev"' in page["Link"]
    wrong = client.get(LIST, {"status": "draft"})
    assert wrong.status_code == 400 and wrong["Content-Type"] == PROBLEM
    assert wrong.json()["invalidParameters"][0]["name"] == "status"


def test_detail_has_the_map_and_the_frozen_results(client, people, make_analysis):
    analysis = make_analysis(status="published", activities="Samtalsgrupper")
    body = client.get(detail(analysis.pk)).json()
    assert body["impactMap"] == analysis.impact_map
    assert body["resultsFrozen"] is True
    assert body["results"]["totalInputs"] == 660000.0
    assert body["results"]["monteCarlo"]["ratio"]["percentiles"]["5"] == pytest.approx(
        analysis.results["monteCarlo"]["ratio"]["percentiles"]["5"]
    )
    assert body["activities"] == ["Samtalsgrupper"]


def test_a_draft_is_404_to_those_who_may_not_see_it(client, people, make_analysis):
    analysis = make_analysis()
    response = client.get(detail(analysis.pk))
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM
    client.force_login(people["officer_kumla"])
    assert client.get(detail(analysis.pk)).status_code == 404
    client.force_login(people["officer2"])
    body = client.get(detail(analysis.pk)).json()
    assert body["status"] == "draft" and body["resultsFrozen"] is False
    assert body["results"]["sroiRatio"] is not None  # computed now from the map


def test_create_a_draft(client, people, example_map):
    from civsam.plan.models import PriorityArea

    area = PriorityArea.objects.order_by("pk").first()
    client.force_login(people["officer"])
    response = post(client, body_for(people, example_map, priorityAreas=[area.pk], relatedRecords="IOP 24RS4154"))
    assert response.status_code == 201, response.content
    body = response.json()
    analysis = SocialValueAnalysis.objects.get(pk=body["id"])
    assert response["Location"] == body["url"]
    assert analysis.status == "draft" and analysis.author == people["officer"]
    assert analysis.activities == "Samtalsgrupper\nLäxhjälp"
    assert [a["id"] for a in body["priorityAreas"]] == [area.pk]
    assert body["relatedRecords"] == "IOP 24RS4154"
    assert body["results"]["totalInputs"] == 660000.0


def test_create_for_an_organisation_by_organisation_number(client, people, example_map):
    client.force_login(people["rep"])
    response = post(
        client,
        body_for(people, example_map, ownerMunicipality=None, ownerOrganisation=people["own_org"].orgnr_display),
    )
    assert response.status_code == 201
    assert response.json()["owner"]["type"] == "organisation"


def test_create_needs_a_login(client, reference_data, example_map):
    response = post(client, {"title": "X", "ownerMunicipality": "1880", "impactMap": example_map})
    assert response.status_code == 401 and response["Content-Type"] == PROBLEM
    assert response.json()["title"] == "Inloggning krävs"


def test_create_needs_permission_on_the_owner(client, people, example_map):
    client.force_login(people["officer_kumla"])
    response = post(client, body_for(people, example_map))
    assert response.status_code == 403 and response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == "Du får inte göra analyser för den ägaren."
    assert not SocialValueAnalysis.objects.exists()


def test_create_checks_csrf_for_session_callers(people, example_map):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["officer"])
    response = post(client, body_for(people, example_map))
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"title": ""}, {"title": "Får inte vara tomt."}),
        (
            {"ownerMunicipality": None},
            {"ownerOrganisation": "Ange precis en ägare: ownerOrganisation, ownerMunicipality eller ownerRegion."},
        ),
        ({"ownerMunicipality": "9999"}, {"ownerMunicipality": "Det finns ingen sådan kommun."}),
        ({"priorityAreas": [987654]}, {"priorityAreas": "Okända id: 987654."}),
        ({"colour": "röd"}, {"colour": "Okänt fält."}),
        (
            {"impactMap": {"name": "X"}},
            {"impactMap.stakeholders": "Fältet krävs.", "impactMap.outcomes": "Fältet krävs."},
        ),
    ],
)
def test_invalid_bodies_are_one_problem_naming_each_field(client, people, example_map, change, expected):
    client.force_login(people["officer"])
    response = post(client, body_for(people, example_map, **change))
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    problem = response.json()
    assert {p["name"]: p["reason"] for p in problem["invalidParameters"]} == expected
    assert problem["detail"].startswith("Begäran innehåller")


def test_the_map_errors_carry_their_path(client, people, example_map):
    example_map["outcomes"][1]["dropOff"] = "mycket"
    client.force_login(people["officer"])
    problem = post(client, body_for(people, example_map)).json()
    assert problem["invalidParameters"] == [{"name": "impactMap.outcomes[1].dropOff", "reason": "Måste vara ett tal."}]


@pytest.mark.parametrize(
    ("raw", "detail"),
    [(b"{nej", "Begärans innehåll är inte giltig JSON."), (b"[1]", "Begärans innehåll måste vara ett JSON-objekt.")],
)
def test_not_an_object(client, people, raw, detail):
    client.force_login(people["officer"])
    response = post(client, raw)
    assert response.status_code == 400 and response.json()["detail"] == detail


def test_the_openapi_document_describes_the_request_body(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"][LIST]["post"]
    assert operation["operationId"] == "createSocialValueAnalysis"
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert {"title", "ownerOrganisation", "ownerMunicipality", "impactMap"} <= set(body["properties"])
    assert "outcomes" in body["properties"]["impactMap"]["properties"]
    assert set(operation["responses"]) >= {"201", "400", "401", "403"}


@pytest.mark.parametrize("url", ["/api/v1/social-value/calculations", LIST])
def test_posts_refuse_unknown_query_parameters(client, people, example_map, url):
    client.force_login(people["officer"])
    response = client.post(f"{url}?draws=5", data=json.dumps(example_map), content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert [p["name"] for p in response.json()["invalidParameters"]] == ["draws"]


def test_create_a_draft_owned_by_the_region(client, people, example_map):
    client.force_login(people["admin"])
    body = body_for(people, example_map, ownerMunicipality=None, ownerRegion=True)
    response = post(client, body)
    assert response.status_code == 201, response.content
    assert response.json()["owner"] == {"type": "region", "code": "18", "name": "Region Örebro län"}
    client.force_login(people["officer"])
    response = post(client, body_for(people, example_map, ownerMunicipality=None, ownerRegion=True))
    assert response.status_code == 403
    both = post(client, body_for(people, example_map, ownerRegion=True))
    assert both.status_code == 400
    assert both.json()["invalidParameters"][0]["name"] == "ownerOrganisation"
