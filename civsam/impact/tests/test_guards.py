"""Guards: each warning triggered, and not triggered just across the line."""

from __future__ import annotations

import pytest

from civsam.impact.engine.guards import (
    CODES,
    DOMINANT_ASSUMPTION,
    DUPLICATE_OUTCOME,
    DURATION_TOO_LONG,
    METHOD_CODES,
    NO_INPUTS,
    PERCENT_OUT_OF_RANGE,
    PROXY_WITHOUT_SOURCE,
    check,
)
from civsam.impact.engine.model import GuardSettings, Input

from .factories import impact_map, outcome

# Two equal outcomes for different stakeholders, with adjustments inside the reference band:
# nothing to warn about.
ADJUSTED = {"deadweight": 20.0, "displacement": 10.0, "attribution": 20.0}
CLEAN = [
    outcome("a", stakeholder="s1", outcome="Fått arbete", quantity=1, proxy=100, **ADJUSTED),
    outcome("b", stakeholder="s2", outcome="Minskat bistånd", quantity=1, proxy=100, **ADJUSTED),
]
KEPT = ("stakeholder", "outcome", "quantity", "proxy", "duration", "deadweight", "displacement", "attribution")


def with_row(index, **fields):
    rows = list(CLEAN)
    values = {k: getattr(rows[index], k) for k in KEPT}
    values["proxy_source"] = rows[index].proxy_source
    values.update(fields)
    rows[index] = outcome(rows[index].id, **values)
    return rows


def test_a_clean_map_has_no_warnings():
    assert check(impact_map(CLEAN, [Input("i", "s2", money=100.0)], discount_rate=0.0)) == []


SILENT = "must stay silent"

# (rows, options, the guard under test, the path it reports, or SILENT)
CASES = [
    pytest.param(
        [*CLEAN, outcome("c", stakeholder="s1", outcome="fått  ARBETE!", quantity=0, proxy=0)],
        {},
        DUPLICATE_OUTCOME,
        "outcomes[2]",
        id="duplicate-by-text",
    ),
    pytest.param(
        [
            outcome("a", stakeholder="s1", outcome="Fått arbete", indicator="Antal i arbete", proxy=100),
            outcome("b", stakeholder="s1", outcome="Egen försörjning", indicator="antal i arbete", proxy=100),
        ],
        {},
        DUPLICATE_OUTCOME,
        "outcomes[1]",
        id="duplicate-by-indicator",
    ),
    pytest.param(with_row(1, outcome="Fått arbete"), {}, DUPLICATE_OUTCOME, SILENT, id="same-text-other-stakeholder"),
    pytest.param(with_row(0, deadweight=120.0), {}, PERCENT_OUT_OF_RANGE, "outcomes[0].deadweight", id="over-100"),
    pytest.param(with_row(0, attribution=-5.0), {}, PERCENT_OUT_OF_RANGE, "outcomes[0].attribution", id="negative"),
    pytest.param(with_row(0, drop_off=100.0, displacement=0.0), {}, PERCENT_OUT_OF_RANGE, SILENT, id="bounds-allowed"),
    pytest.param(CLEAN, {"discount_rate": 150.0}, PERCENT_OUT_OF_RANGE, "discountRate", id="rate-over-100"),
    pytest.param(with_row(0, proxy_source=""), {}, PROXY_WITHOUT_SOURCE, "outcomes[0].proxySource", id="no-source"),
    pytest.param(with_row(0, proxy_source="   "), {}, PROXY_WITHOUT_SOURCE, "outcomes[0].proxySource", id="blank"),
    pytest.param(with_row(0, proxy_source="", proxy=0.0), {}, PROXY_WITHOUT_SOURCE, SILENT, id="no-proxy-no-source"),
    pytest.param(with_row(0, duration=6), {}, DURATION_TOO_LONG, "outcomes[0].duration", id="6-over-5"),
    pytest.param(with_row(0, duration=5), {}, DURATION_TOO_LONG, SILENT, id="5-is-the-limit"),
    pytest.param(
        with_row(0, duration=6),
        {"guards": GuardSettings(max_duration_years=10)},
        DURATION_TOO_LONG,
        SILENT,
        id="limit-configured",
    ),
    pytest.param(with_row(0, proxy=150.0), {}, DOMINANT_ASSUMPTION, "outcomes[0]", id="60-percent"),
    pytest.param(CLEAN, {}, DOMINANT_ASSUMPTION, SILENT, id="50-percent-is-not-above"),
    pytest.param(
        with_row(0, proxy=150.0),
        {"guards": GuardSettings(dominance_share=0.7)},
        DOMINANT_ASSUMPTION,
        SILENT,
        id="threshold-configured",
    ),
    pytest.param(CLEAN, {"inputs": []}, NO_INPUTS, None, id="no-inputs"),
    pytest.param(CLEAN, {}, NO_INPUTS, SILENT, id="inputs"),
]


@pytest.mark.parametrize(("rows", "options", "code", "path"), CASES)
def test_guard(rows, options, code, path):
    options = dict(options)
    inputs = options.pop("inputs", [Input("i", "s2", money=100.0)])
    found = check(impact_map(rows, inputs, discount_rate=options.pop("discount_rate", 0.0), **options))
    mine = [w for w in found if w.code == code]
    if path == SILENT:
        assert mine == []
    else:
        assert [w.path for w in mine] == [path]
        assert mine[0].message  # Swedish text for people


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"deadweight": 120.0}, "Dödvikt är 120 %"),
        ({"drop_off": 12.5 - 20}, "Avtagande är -7,5 %"),
        ({"proxy_source": ""}, "saknar källa"),
        ({"duration": 7}, "varar 7 år, längre än högst 5 år"),
    ],
)
def test_messages_are_swedish(fields, fragment):
    rows = with_row(0, **fields)
    messages = [w.message for w in check(impact_map(rows, [Input("i", "s2", money=10.0)], discount_rate=0.0))]
    assert any(fragment in message for message in messages), messages


def test_every_code_is_listed():
    assert set(CODES) - set(METHOD_CODES) == {
        DUPLICATE_OUTCOME,
        PERCENT_OUT_OF_RANGE,
        PROXY_WITHOUT_SOURCE,
        DURATION_TOO_LONG,
        DOMINANT_ASSUMPTION,
        NO_INPUTS,
    }
