"""POST /social-value/calculations, on a throwaway API that mounts the router as civsam/api.py will."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ninja import NinjaAPI
from ninja.testing import TestClient

from civsam.core.apitools import ApiProblem, problem_from
from civsam.impact.api import MAX_API_DRAWS, router

from .factories import document

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "impact-map-example.json"
URL = "/social-value/calculations"


@pytest.fixture(scope="module")
def api():
    api = NinjaAPI(urls_namespace="impact-test-api")
    api.add_exception_handler(ApiProblem, lambda request, exc: problem_from(request, exc))
    api.add_router("", router)
    return api


@pytest.fixture(scope="module")
def client(api):
    return TestClient(api)


def test_every_figure_comes_back(client):
    response = client.post(URL, json=json.loads(EXAMPLE.read_text(encoding="utf-8")))
    assert response.status_code == 200
    body = response.json()
    for key in (
        "totalInputs",
        "annualImpact",
        "totalPresentValue",
        "netPresentValue",
        "sroiRatio",
        "netSroiRatio",
        "paybackMonths",
        "paybackMonthsDiscounted",
        "outcomes",
        "inputs",
        "stakeholders",
        "years",
        "warnings",
        "tornado",
        "breakEven",
        "monteCarlo",
    ):
        assert key in body, key
    assert body["totalInputs"] == 660000.0
    assert body["sroiRatio"] == pytest.approx(body["totalPresentValue"] / body["totalInputs"], abs=1e-4)
    assert body["monteCarlo"]["seed"] == 2026 and set(body["monteCarlo"]["ratio"]["percentiles"]) >= {"5", "50", "95"}
    assert body["tornado"]["bars"][0]["label"]
    assert body["years"][0]["presentValue"] == pytest.approx(body["years"][0]["value"] / 1.035, abs=0.01)


def test_the_same_seed_gives_the_same_answer(client):
    data = document(
        distributions=[{"assumption": "outcomes.o1.deadweight", "type": "uniform", "min": 0, "max": 40}],
        monteCarlo={"draws": 500, "seed": 9},
    )
    first = client.post(URL, json=data).json()["monteCarlo"]
    assert client.post(URL, json=data).json()["monteCarlo"] == first


def test_without_draws_there_is_no_monte_carlo(client):
    body = client.post(URL, json=document()).json()
    assert body["monteCarlo"] is None
    assert body["totalPresentValue"] == 1194.07  # 720/1.035 + 360/1.035² + 180/1.035³


def test_invalid_map_is_a_swedish_problem(client):
    data = document()
    data["outcomes"][0]["quantity"] = "tio"
    del data["name"]
    response = client.post(URL, json=data)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["title"] == "Felaktig begäran"
    assert problem["detail"] == "Effektkartan innehåller 2 fel; se invalidParameters."
    assert {p["name"]: p["reason"] for p in problem["invalidParameters"]} == {
        "name": "Fältet krävs.",
        "outcomes[0].quantity": "Måste vara ett tal.",
    }


@pytest.mark.parametrize(("body", "detail"), [(b"{not json", "Begärans innehåll är inte giltig JSON."), (b"", None)])
def test_not_json(client, body, detail):
    response = client.post(URL, data=body, content_type="application/json")
    assert response.status_code == 400
    problem = response.json()
    if detail:
        assert problem["detail"] == detail
    else:
        assert problem["invalidParameters"][0]["reason"] == "Effektkartan måste vara ett JSON-objekt."


def test_too_many_draws(client):
    response = client.post(URL, json=document(monteCarlo={"draws": MAX_API_DRAWS + 1}))
    assert response.status_code == 400
    assert response.json()["invalidParameters"][0]["name"] == "monteCarlo.draws"


def test_openapi_documents_the_request_schema(api):
    schema = api.get_openapi_schema(path_prefix="")
    operation = schema["paths"][URL]["post"]
    assert operation["operationId"] == "createSocialValueCalculation"
    assert operation["tags"] == ["social-value"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    outcome = body["properties"]["outcomes"]["items"]
    assert {"dropOff", "proxySource", "deadweight"} <= set(outcome["properties"])
    assert "$ref" not in json.dumps(body)
    assert operation["responses"][200]["content"]["application/json"]["schema"]["$ref"].endswith("/CalculationOut")
    assert "monteCarlo" in schema["components"]["schemas"]["CalculationOut"]["properties"]


@pytest.mark.parametrize(
    ("change", "name"),
    [
        ({"discountRate": -100}, "discountRate"),
        ({"inputs": [{"id": "i", "stakeholder": "s2", "money": 1e-300}]}, "inputs"),
    ],
)
def test_maps_that_cannot_be_computed_are_a_problem_not_a_crash(client, change, name):
    response = client.post(URL, json=document(**change))
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParameters"]] == [name]
