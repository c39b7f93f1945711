"""POST /social-value/socio-economic-accounts: the engine's accounts per bearer, as JSON."""

from __future__ import annotations

import pytest
from ninja import NinjaAPI
from ninja.testing import TestClient

from civsam.core.apitools import ApiProblem, problem_from
from civsam.impact.api import router
from civsam.impact.engine.socioeconomic import account, exclusion_to_work, latest_table

URL = "/social-value/socio-economic-accounts"


@pytest.fixture(scope="module")
def client():
    api = NinjaAPI(urls_namespace="impact-account-test-api")
    api.add_exception_handler(ApiProblem, lambda request, exc: problem_from(request, exc))
    api.add_router("", router)
    return TestClient(api)


def exclusion_body(years: int = 3, **extra) -> dict:
    every_year = [1] * years
    body = {
        "name": "Från utanförskap till arbete",
        "years": years,
        "before": [
            {"code": "ekonomiskt_bistand", "quantities": every_year},
            {"code": "handlaggning_ekonomiskt_bistand", "quantities": every_year},
            {"code": "arbetsmarknadsinsats_stat", "quantities": every_year},
            {"code": "vardkontakter_utanforskap", "quantities": every_year},
        ],
        "after": [{"code": "anstallning_heltid", "quantities": every_year}],
        "initiative": [{"bearer": "municipality", "amounts": [80000], "label": "Coachning"}],
    }
    body.update(extra)
    return body


def test_the_answer_is_the_engines_account_per_bearer(client):
    response = client.post(URL, json=exclusion_body())
    assert response.status_code == 200
    body = response.json()
    expected = account(exclusion_to_work(3, initiative_cost=80000), latest_table())
    by_bearer = {b["bearer"]: b for b in body["bearers"]}
    for bearer in expected.bearers:
        assert by_bearer[bearer.bearer]["net"] == pytest.approx(list(bearer.net), abs=0.005)
        assert by_bearer[bearer.bearer]["presentValue"] == pytest.approx(bearer.present_value, abs=0.005)
    assert body["societyTotal"] == pytest.approx(expected.society_total, abs=0.005)
    # By hand from the bundled table: the municipality saves 96,000 + 20,000 and gains 63,000 of tax a
    # year, and pays 80,000 for the initiative in year 1.
    assert by_bearer["municipality"]["net"] == pytest.approx([99000.0, 179000.0, 179000.0])
    assert body["usesIllustrativeFigures"] is True and body["priceYear"] == 2024
    assert body["sources"] and {"publisher", "title", "year", "url"} <= set(body["sources"][0])


def test_transfers_cancel_for_society(client):
    body = {
        "name": "Bara bistånd",
        "years": 2,
        "before": [{"code": "ekonomiskt_bistand", "quantities": [1, 1]}],
    }
    answer = client.post(URL, json=body).json()
    assert answer["societyNet"] == [0.0, 0.0]  # the municipality's saving is the individual's loss
    by_bearer = {b["bearer"]: b for b in answer["bearers"]}
    assert by_bearer["municipality"]["totalNet"] == 192000.0 and by_bearer["individual"]["totalNet"] == -192000.0


@pytest.mark.parametrize(
    ("change", "name", "reason"),
    [
        ({"years": 0}, "years", "Måste vara minst 1."),
        ({"priceYear": 1999}, "priceYear", "Det finns ingen enhetskostnadstabell för 1999"),
        ({"after": [{"code": "okand_post", "quantities": [1]}]}, "after[0].code", "Posten ”okand_post” finns inte"),
        ({"initiative": [{"bearer": "kyrkan", "amounts": [1]}]}, "initiative[0].bearer", "Måste vara ett av"),
        ({"colour": "röd"}, "colour", "Okänt fält."),
        ({"discountRate": -100}, "discountRate", "Måste vara minst -50."),
    ],
)
def test_errors_are_one_swedish_problem(client, change, name, reason):
    response = client.post(URL, json=exclusion_body(**change))
    assert response.status_code == 400
    problems = {p["name"]: p["reason"] for p in response.json()["invalidParameters"]}
    assert reason in problems[name]


def test_not_an_object_and_unknown_query_parameters(client):
    response = client.post(URL, json=[1, 2])
    assert response.status_code == 400
    assert response.json()["invalidParameters"][0]["reason"] == "Bokslutet måste vara ett JSON-objekt."
    assert client.post(URL + "?years=3", json=exclusion_body()).status_code == 400


def test_the_documented_example_computes_and_every_entry_is_listed():
    import json
    import re
    from pathlib import Path

    from civsam.impact.engine.socioeconomic_io import calculate_account

    text = (Path(__file__).resolve().parents[3] / "docs" / "social-value-schema.md").read_text(encoding="utf-8")
    examples = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", text, flags=re.DOTALL) if '"quantities"' in b]
    assert len(examples) == 1
    assert calculate_account(examples[0]).society_total != 0
    for code in latest_table().items:
        assert f"`{code}`" in text, code
