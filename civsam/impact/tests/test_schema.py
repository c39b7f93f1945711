"""The JSON schema: the documented example, round trips, and Swedish errors with field paths."""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import re
from pathlib import Path

import pytest

from civsam.impact.engine import ImpactMapError, analyse_document, parse_impact_map, parse_impact_map_json, to_json_dict
from civsam.impact.engine.schema import ImpactMapIn, from_model, to_model

from .factories import document

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "docs" / "examples" / "impact-map-example.json"
SCHEMA_DOC = ROOT / "docs" / "social-value-schema.md"


def test_the_documented_example_is_valid_and_computes():
    impact_map, parsed = parse_impact_map_json(EXAMPLE.read_bytes())
    analysis = analyse_document(parsed, impact_map)
    output = to_json_dict(analysis)
    # Checked by hand from the example: inputs 400 000 + 60 000 + 800 h × 250 = 660 000;
    # year-1 impacts 6 × 106 890 × 0.75 × 0.9 × 0.8 + 6 × 116 000 × 0.75 × 0.8 + 14 × 8 000 × 0.7 × 0.6.
    assert output["totalInputs"] == 660_000.0
    assert output["annualImpact"] == pytest.approx(346_323.6 + 417_600.0 + 47_040.0)
    assert output["monteCarlo"]["draws"] == 10_000 and output["monteCarlo"]["seed"] == 2026
    # The municipality's reduced social assistance is a transfer the example has not marked.
    assert [w["code"] for w in output["warnings"]] == ["dominant_assumption", "transfer_counted_as_value"]
    assert output["conventions"]["discountFrom"] == "year1"
    assert output["conventions"]["priceYear"] == 2023
    assert output["conventions"]["adjustmentsApplied"] == ["deadweight", "displacement", "attribution", "dropOff"]


def test_the_schema_document_shows_the_example_and_names_every_field():
    text = SCHEMA_DOC.read_text(encoding="utf-8")
    # The complete example in the document is the example file, so neither can drift from the other.
    blocks = re.findall(r"```json\n(.*?)```", text, flags=re.DOTALL)
    assert json.loads(EXAMPLE.read_text(encoding="utf-8")) in [json.loads(block) for block in blocks]

    def properties(schema, definitions):
        for name, spec in schema.get("properties", {}).items():
            yield name
            for ref in re.findall(r"#/\$defs/(\w+)", json.dumps(spec)):
                yield from properties(definitions[ref], definitions)

    schema = ImpactMapIn.model_json_schema(by_alias=True)
    missing = {name for name in properties(schema, schema["$defs"]) if f"`{name}`" not in text}
    assert missing == set()


def test_round_trip_through_the_dataclasses():
    impact_map, parsed = parse_impact_map_json(EXAMPLE.read_bytes())
    again = from_model(impact_map, monte_carlo=parsed.monte_carlo, sensitivity=parsed.sensitivity)
    assert again == parsed
    assert to_model(again) == impact_map


def test_defaults():
    impact_map, parsed = parse_impact_map(document())
    assert impact_map.discount_rate == 3.5
    assert impact_map.currency == "SEK"
    assert impact_map.guards.max_duration_years == 5 and impact_map.guards.dominance_share == 0.5
    assert parsed.monte_carlo is None and parsed.sensitivity.relative == 20


def changed(path, value):
    """The valid document with one value set (path like "outcomes.0.quantity"), or removed if value is ...."""
    data = copy.deepcopy(document())
    *parents, last = path.split(".")
    target = data
    for part in parents:
        target = target[int(part)] if part.isdigit() else target.setdefault(part, {})
    if value is ...:
        del target[last]
    else:
        target[int(last) if last.isdigit() else last] = value
    return data


@pytest.mark.parametrize(
    ("data", "path", "message"),
    [
        (changed("name", ...), "name", "Fältet krävs."),
        (changed("name", "   "), "name", "Får inte vara tomt."),
        (changed("outcomes.0.quantity", "tio"), "outcomes[0].quantity", "Måste vara ett tal."),
        (changed("outcomes.0.quantity", -1), "outcomes[0].quantity", "Måste vara minst 0."),
        (changed("outcomes.0.duration", 2.5), "outcomes[0].duration", "Måste vara ett heltal."),
        (changed("outcomes.0.duration", 0), "outcomes[0].duration", "Måste vara minst 1."),
        (changed("outcomes.0.duration", 101), "outcomes[0].duration", "Får vara högst 100."),
        (changed("outcomes.0.proxy", ...), "outcomes[0].proxy", "Fältet krävs."),
        (changed("outcomes.0.colour", "blå"), "outcomes[0].colour", "Okänt fält."),
        (changed("outcomes.0.id", "o 1"), "outcomes[0].id", "Får bara innehålla bokstäver, siffror"),
        (changed("outcomes", []), "outcomes", "Antalet poster måste vara minst 1."),
        (changed("outcomes", {}), "outcomes", "Måste vara en lista."),
        (changed("stakeholders.0", "s1"), "stakeholders[0]", "Måste vara ett objekt."),
        (changed("currency", "kr"), "currency", "valutakod med tre versaler"),
        (changed("inputs.0.money", -5), "inputs[0].money", "Måste vara minst 0."),
        (changed("inputs.0.stakeholder", "okänd"), "inputs[0].stakeholder", "Intressenten ”okänd” finns inte"),
        (changed("inputs.0.volunteerHours", 10), "inputs[0].volunteerHours", "Ideella timmar behöver ett timvärde"),
        (changed("stakeholders.1.id", "s1"), "stakeholders[1].id", "Id ”s1” används redan."),
        (changed("monteCarlo", {"draws": 0}), "monteCarlo.draws", "Måste vara minst 1."),
        (changed("monteCarlo", {"draws": 10, "seed": -1}), "monteCarlo.seed", "Måste vara minst 0."),
        (changed("guards", {"dominanceThreshold": 0}), "guards.dominanceThreshold", "Måste vara större än 0."),
        (
            changed("distributions", [{"assumption": "outcomes.o1.proxy", "type": "beta"}]),
            "distributions[0].type",
            "Måste vara ett av: uniform, triangular, normal eller pert.",
        ),
        (
            changed("distributions", [{"assumption": "outcomes.o1.proxy", "type": "uniform", "min": 1}]),
            "distributions[0].max",
            "Fältet krävs för fördelningstypen uniform.",
        ),
        (
            changed("distributions", [{"assumption": "outcomes.o1.proxy", "type": "uniform", "min": 5, "max": 1}]),
            "distributions[0].max",
            "Maximum får inte vara mindre än minimum.",
        ),
        (
            changed(
                "distributions", [{"assumption": "outcomes.o1.proxy", "type": "pert", "min": 1, "mode": 9, "max": 5}]
            ),
            "distributions[0].mode",
            "Typvärdet måste ligga mellan minimum och maximum.",
        ),
        (
            changed("distributions", [{"assumption": "outcomes.o1.proxy", "type": "normal", "mean": 1, "sd": -1}]),
            "distributions[0].sd",
            "Standardavvikelsen får inte vara negativ.",
        ),
        (
            changed(
                "distributions", [{"assumption": "outcomes.o1.proxy", "type": "normal", "mean": 1, "sd": 1, "min": 0}]
            ),
            "distributions[0].min",
            "Fältet används inte av fördelningstypen normal.",
        ),
        (
            changed("distributions", [{"assumption": "outcomes.o9.proxy", "type": "uniform", "min": 1, "max": 2}]),
            "distributions[0].assumption",
            "Antagandet pekar på ”o9”, som inte finns i kartan.",
        ),
        (
            changed("distributions", [{"assumption": "outcomes.o1.colour", "type": "uniform", "min": 1, "max": 2}]),
            "distributions[0].assumption",
            "Okänt antagande",
        ),
        (
            changed(
                "distributions",
                [{"assumption": "discountRate", "type": "uniform", "min": 1, "max": 2}] * 2,
            ),
            "distributions[1].assumption",
            "har redan en fördelning",
        ),
        ([1, 2, 3], "", "Effektkartan måste vara ett JSON-objekt."),
    ],
)
def test_errors_name_the_field_in_swedish(data, path, message):
    with pytest.raises(ImpactMapError) as info:
        parse_impact_map(data)
    matching = [e for e in info.value.errors if e.path == path]
    assert matching, info.value.errors
    assert message in matching[0].message


def test_all_errors_are_reported_at_once():
    data = changed("outcomes.0.quantity", "tio")
    data["name"] = ""
    data["stakeholders"].append({"id": "s1", "name": "Dubblett"})
    with pytest.raises(ImpactMapError) as info:
        parse_impact_map(data)
    assert {e.path for e in info.value.errors} == {"name", "outcomes[0].quantity"}  # then the cross-checks
    data = changed("stakeholders.1.id", "s1")
    data["inputs"][0]["stakeholder"] = "nobody"
    with pytest.raises(ImpactMapError) as info:
        parse_impact_map(data)
    assert {e.path for e in info.value.errors} == {"stakeholders[1].id", "inputs[0].stakeholder"}


@pytest.mark.parametrize("text", [b"{", b"\xff\xfe", b""])
def test_invalid_json(text):
    with pytest.raises(ImpactMapError) as info:
        parse_impact_map_json(text)
    assert info.value.errors[0].message == "Filen är inte giltig JSON."


def test_out_of_range_percentages_are_accepted_and_warned_about():
    impact_map, parsed = parse_impact_map(changed("outcomes.0.deadweight", 140))
    output = to_json_dict(analyse_document(parsed, impact_map))
    assert "percent_out_of_range" in [w["code"] for w in output["warnings"]]


# Maps that used to crash or hang the engine (a discount factor of 1/0, a ratio of infinity, a
# duration of a billion years in the Monte Carlo) are refused with a Swedish reason instead.
@pytest.mark.parametrize(
    ("data", "path", "message"),
    [
        (changed("discountRate", -100), "discountRate", "Måste vara minst -50."),
        (changed("discountRate", 1e6), "discountRate", "Får vara högst 1000."),
        (changed("outcomes.0.quantity", 1e300), "outcomes[0].quantity", "Får vara högst 1000000000000000."),
        (changed("outcomes.0.proxy", -1e300), "outcomes[0].proxy", "Måste vara minst -1000000000000000."),
        (changed("outcomes.0.deadweight", 1e300), "outcomes[0].deadweight", "Får vara högst 1000."),
        (changed("inputs.0.money", 1e-300), "inputs", "mindre än ett öre"),
        (
            changed("distributions", [{"assumption": "discountRate", "type": "uniform", "min": -200, "max": -100}]),
            "distributions[0]",
            "mellan -50 och 1000",
        ),
        (
            changed("distributions", [{"assumption": "outcomes.o1.duration", "type": "uniform", "min": 1, "max": 1e9}]),
            "distributions[0]",
            "mellan -100 och 100",
        ),
        (
            changed("distributions", [{"assumption": "outcomes.o1.dropOff", "type": "normal", "mean": 0, "sd": 1e6}]),
            "distributions[0]",
            "mellan -1000 och 1000",
        ),
    ],
)
def test_maps_the_engine_cannot_compute_are_refused(data, path, message):
    with pytest.raises(ImpactMapError) as info:
        parse_impact_map(data)
    matching = [e for e in info.value.errors if e.path == path]
    assert matching, info.value.errors
    assert message in matching[0].message


def test_the_bounds_still_compute_to_finite_figures():
    # Every bound at once, in the direction that makes the figures largest: still finite numbers.
    data = changed("discountRate", -50)
    data["outcomes"][0].update(
        quantity=10**15, proxy=-(10**15), duration=100, deadweight=-1000, displacement=-1000, attribution=-1000
    )
    data["outcomes"][0]["dropOff"] = -1000
    impact_map, parsed = parse_impact_map(data)
    output = to_json_dict(analyse_document(parsed, impact_map))
    assert output["sroiRatio"] < 0 and math.isfinite(output["sroiRatio"])
    assert json.dumps(output, allow_nan=False)


def test_a_figure_that_is_not_finite_is_an_error_not_infinity():
    from civsam.impact.engine.output import to_output
    from civsam.impact.engine.sroi import calculate

    impact_map, parsed = parse_impact_map(changed("discountRate", 3.5))
    analysis = analyse_document(parsed, impact_map)
    broken = dataclasses.replace(analysis, result=dataclasses.replace(calculate(impact_map), sroi_ratio=math.inf))
    with pytest.raises(ImpactMapError) as info:
        to_output(broken)
    assert "sroiRatio" in info.value.errors[0].message
