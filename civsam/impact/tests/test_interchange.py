"""Interchange: the value-map layout SROI practitioners use, and round trips through the engine's
JSON, its XLSX and the value map that lose nothing (hypothesis)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civsam.impact.engine.schema import ImpactMapIn, from_model, to_model
from civsam.impact.engine.validation import parse_impact_map_json
from civsam.impact.engine.valuemap import read_value_map, write_value_map
from civsam.impact.engine.xlsx import read_xlsx, write_xlsx

FIXTURE = Path(__file__).parent / "data" / "value_map_fixture.xlsx"


def test_the_value_map_fixture_is_read_row_by_row():
    impact_map, _document = read_value_map(str(FIXTURE))
    assert impact_map.name == "Läxhjälp i Hovsta (påhittat exempel)"
    assert [s.name for s in impact_map.stakeholders] == ["Elever", "Föreningen", "Kommunen"]
    assert [(i.stakeholder, i.description, i.money) for i in impact_map.inputs] == [
        ("s2", "Volontärtid och lokal", 120_000),
        ("s3", "Verksamhetsbidrag", 250_000),
    ]
    first, second = impact_map.outcomes
    # A blank stakeholder cell continues the one above; percentages formatted as % are per cent.
    assert (first.stakeholder, second.stakeholder) == ("s1", "s1")
    assert (first.deadweight, first.displacement, first.attribution, first.drop_off) == (30, 0, 25, 20)
    assert (first.start_year, second.start_year) == (2, 1)
    assert first.output == "40 elever, 2 kvällar i veckan"
    assert first.justification("quantity").evidence == "Skolans betygsstatistik"
    assert (first.quantity, first.proxy, first.duration) == (12, 27_048, 3)


def test_the_xlsx_import_recognises_a_value_map():
    with FIXTURE.open("rb") as handle:
        impact_map, _document = read_xlsx(io.BytesIO(handle.read()))
    assert len(impact_map.outcomes) == 2


text = st.text(alphabet="abcdefghijklmnopqråäö ", min_size=1, max_size=12).map(str.strip).filter(bool)
percent = st.integers(min_value=0, max_value=100).map(float)
amount = st.integers(min_value=0, max_value=10**7).map(float)


@st.composite
def value_map_documents(draw):
    """Maps holding only what a value map can hold, with its identifiers."""
    stakeholders = [{"id": f"s{n + 1}", "name": f"Intressent {n + 1}"} for n in range(draw(st.integers(1, 3)))]
    ids = [s["id"] for s in stakeholders]
    inputs = [
        {"stakeholder": draw(st.sampled_from(ids)), "description": draw(text), "money": draw(amount)}
        for _ in range(draw(st.integers(0, 3)))
    ]
    outcomes = [
        {
            "stakeholder": draw(st.sampled_from(ids)),
            "outcome": draw(text),
            "output": draw(st.one_of(st.just(""), text)),
            "indicator": draw(text),
            "quantity": draw(amount),
            "proxy": draw(amount),
            "proxyDescription": draw(text),
            "proxySource": draw(text),
            "duration": draw(st.integers(1, 10)),
            "startYear": draw(st.integers(1, 2)),
            "deadweight": draw(percent),
            "displacement": draw(percent),
            "attribution": draw(percent),
            "dropOff": draw(percent),
        }
        for _ in range(draw(st.integers(1, 4)))
    ]
    # The value map lists rows stakeholder by stakeholder: number them in that order.
    order = {sid: n for n, sid in enumerate(ids)}
    inputs.sort(key=lambda i: order[i["stakeholder"]])
    outcomes.sort(key=lambda o: order[o["stakeholder"]])
    for n, item in enumerate(inputs):
        item["id"] = f"i{n + 1}"
    for n, item in enumerate(outcomes):
        item["id"] = f"o{n + 1}"
    return ImpactMapIn.model_validate(
        {
            "name": draw(text),
            "discountRate": draw(st.sampled_from([0.0, 3.5, 5.0])),
            "stakeholders": stakeholders,
            "inputs": inputs,
            "outcomes": outcomes,
        }
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value_map_documents())
def test_a_round_trip_through_the_value_map_loses_nothing(document):
    buffer = io.BytesIO()
    write_value_map(document, buffer)
    buffer.seek(0)
    again, _parsed = read_value_map(buffer)
    assert again == to_model(document)


@st.composite
def full_documents(draw):
    """Maps with the fields of issue 18: transfers, justifications, derivations, price years, inputs by year."""
    document = draw(value_map_documents()).model_dump(mode="json", by_alias=True)
    grade = st.sampled_from(["", "low", "medium", "high"])
    for outcome in document["outcomes"]:
        outcome["transfer"] = draw(st.booleans())
        fields = draw(st.sets(st.sampled_from(["outcome", "transfer", "deadweight", "dropOff"]), max_size=3))
        outcome["justifications"] = {
            name: {"text": draw(text), "evidence": draw(st.one_of(st.just(""), text)), "grade": draw(grade)}
            for name in sorted(fields)
        }
        if draw(st.booleans()):
            outcome["proxyDerivation"] = {
                "factors": [{"value": draw(amount), "unit": draw(text)} for _ in range(draw(st.integers(1, 3)))],
                "formula": draw(text),
            }
        outcome["proxyPriceYear"] = draw(st.one_of(st.none(), st.integers(2006, 2023)))
    for item in document["inputs"]:
        item["year"] = draw(st.one_of(st.none(), st.integers(1, 5)))
    document["discountFrom"] = draw(st.sampled_from(["year0", "year1"]))
    document["discountSchedule"] = draw(st.sampled_from(["constant", "greenBook", "greenBookHealth", "asek"]))
    document["priceYear"] = draw(st.one_of(st.none(), st.integers(2006, 2023)))
    return ImpactMapIn.model_validate(document)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(full_documents())
def test_a_round_trip_through_json_and_xlsx_loses_nothing(document):
    impact_map = to_model(document)
    again_json, _parsed = parse_impact_map_json(from_model(impact_map).model_dump_json(by_alias=True))
    assert again_json == impact_map
    buffer = io.BytesIO()
    write_xlsx(from_model(impact_map), buffer)
    buffer.seek(0)
    again_xlsx, _parsed = read_xlsx(buffer)
    assert again_xlsx == impact_map


@pytest.mark.parametrize("header", ["Stakeholders", "stakeholder", "Intressenter"])
def test_headers_are_read_in_english_or_swedish(header):
    from civsam.impact.engine.valuemap import LOOKUP, _key

    assert LOOKUP[_key(header)] == "stakeholder"
