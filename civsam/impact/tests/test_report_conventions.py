"""The report states its conventions, evidence grades and where each warning applies."""

from __future__ import annotations

import json
from pathlib import Path

from civsam.impact import report
from civsam.impact.engine.analysis import analyse_document
from civsam.impact.engine.output import to_json_dict
from civsam.impact.engine.validation import parse_impact_map_json

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "impact-map-example.json"


def _report(**changes):
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data.update(changes)
    data.pop("monteCarlo", None)
    impact_map, parsed = parse_impact_map_json(json.dumps(data))
    results = to_json_dict(analyse_document(parsed, impact_map))
    return report.build(document=parsed.model_dump(mode="json", by_alias=True), results=results)


def test_the_report_states_convention_rates_price_year_and_adjustments():
    built = _report(discountFrom="year0", discountSchedule="greenBook")
    c = built.conventions
    assert "år 0" in c["discount_from"]
    assert [step["from_year"] for step in c["rates"]] == [0, 31, 76]
    assert "Green Book" in c["rate_source"]
    assert c["price_year"] == 2023
    assert c["adjustments"] == "dödvikt, undanträngning, tillskrivning, avtagande"
    grades = {(e["outcome"], e["field"]): e["grade"] for e in c["evidence"]}
    assert grades[("Har fått arbete", "Transferering")] == "medel"


def test_a_warning_says_where_it_applies_in_words():
    built = _report()
    transfer = next(w for w in built.warnings if w["code"] == "transfer_counted_as_value")
    assert transfer["where"] == "Utfall ”Minskat behov av ekonomiskt bistånd”, transferering"


def test_figures_stored_before_the_conventions_existed_still_render():
    built = _report()
    results = dict(built.results)
    results.pop("conventions")
    assert report.build(document=built.document, results=results).conventions is None


def test_the_ratio_percentiles_p10_p50_p90_come_with_a_simulation():
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["monteCarlo"] = {"draws": 2000, "seed": 7}
    impact_map, parsed = parse_impact_map_json(json.dumps(data))
    results = to_json_dict(analyse_document(parsed, impact_map))
    built = report.build(document=parsed.model_dump(mode="json", by_alias=True), results=results)
    percentiles = results["monteCarlo"]["ratio"]["percentiles"]
    assert (built.uncertainty["p10"], built.uncertainty["median"], built.uncertainty["p90"]) == (
        percentiles["10"],
        percentiles["50"],
        percentiles["90"],
    )
    assert built.uncertainty["p10"] <= built.uncertainty["median"] <= built.uncertainty["p90"]
