"""POST /api/v1/social-value/calculations through the whole stack: middleware, the API's edge, the
limits and a calculation worker (the limits themselves: test_calculation_limits.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .factories import document

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "impact-map-example.json"
URL = "/api/v1/social-value/calculations"

pytestmark = pytest.mark.django_db


def post(client, data, **extra):
    body = data if isinstance(data, (bytes, str)) else json.dumps(data)
    return client.post(URL, body, content_type="application/json", **extra)


def test_every_figure_comes_back(client):
    response = post(client, json.loads(EXAMPLE.read_text(encoding="utf-8")))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
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


def test_the_answer_is_the_engines_own(client):
    from civsam.impact.engine import analyse_document, parse_impact_map, to_json_dict

    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    impact_map, parsed = parse_impact_map(data)
    assert post(client, data).json() == to_json_dict(analyse_document(parsed, impact_map))


def test_the_same_seed_gives_the_same_answer(client):
    data = document(
        distributions=[{"assumption": "outcomes.o1.deadweight", "type": "uniform", "min": 0, "max": 40}],
        monteCarlo={"draws": 500, "seed": 9},
    )
    first = post(client, data).json()["monteCarlo"]
    assert post(client, data).json()["monteCarlo"] == first


def test_without_draws_there_is_no_monte_carlo(client):
    body = post(client, document()).json()
    assert body["monteCarlo"] is None
    assert body["totalPresentValue"] == 1194.07  # 720/1.035 + 360/1.035² + 180/1.035³


def test_warnings_and_labels_come_in_the_callers_language(client):
    data = document(outcomes=[{**document()["outcomes"][0], "proxySource": ""}])
    swedish = post(client, data, HTTP_ACCEPT_LANGUAGE="sv").json()
    english = post(client, data, HTTP_ACCEPT_LANGUAGE="en").json()
    assert swedish["tornado"]["bars"][0]["label"] != english["tornado"]["bars"][0]["label"]
    assert [w["code"] for w in swedish["warnings"]] == [w["code"] for w in english["warnings"]]
    assert "saknar källa" in swedish["warnings"][0]["message"]
    assert "saknar källa" not in english["warnings"][0]["message"]


def test_invalid_map_is_a_swedish_problem(client):
    data = document()
    data["outcomes"][0]["quantity"] = "tio"
    del data["name"]
    response = post(client, data)
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
    response = post(client, body)
    assert response.status_code == 400
    problem = response.json()
    if detail:
        assert problem["detail"] == detail
    else:
        assert problem["invalidParameters"][0]["reason"] == "Effektkartan måste vara ett JSON-objekt."


@pytest.mark.parametrize(
    ("change", "name"),
    [
        ({"discountRate": -100}, "discountRate"),
        ({"inputs": [{"id": "i", "stakeholder": "s2", "money": 1e-300}]}, "inputs"),
    ],
)
def test_maps_that_cannot_be_computed_are_a_problem_not_a_crash(client, change, name):
    response = post(client, document(**change))
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParameters"]] == [name]


def test_figures_the_worker_cannot_give_are_a_problem(client, monkeypatch):
    # The schema's bounds keep every figure finite (test_schema.py), so the worker's "invalid"
    # answer is reached here by standing in for it.
    from civsam.impact import pool

    def invalid(impact_map, *, language):
        return {"status": "invalid", "errors": [["", "Beräkningen ger ett tal som är för stort."]]}

    monkeypatch.setattr(pool, "calculate", invalid)
    response = post(client, document())
    assert response.status_code == 400
    assert response.json()["detail"] == "Beräkningen ger ett tal som är för stort."


def test_openapi_documents_the_request_schema_and_the_limits(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"][URL]["post"]
    assert operation["operationId"] == "createSocialValueCalculation"
    assert operation["tags"] == ["social-value"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    outcome = body["properties"]["outcomes"]["items"]
    assert {"dropOff", "proxySource", "deadweight"} <= set(outcome["properties"])
    assert "$ref" not in json.dumps(body)
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/CalculationOut")
    assert "monteCarlo" in schema["components"]["schemas"]["CalculationOut"]["properties"]
    assert {"400", "403", "413", "422", "429", "503"} <= set(operation["responses"])
    for phrase in ("262\u00a0144 byte", "200 utfall", "50 år", "20\u00a0000 dragningar", "20 anrop per 10 minuter"):
        assert phrase in operation["description"], phrase
