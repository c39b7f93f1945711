"""The guards against the mistakes that make SROI distrusted (issue 18): for each, a case that
fires and a near miss that does not."""

from __future__ import annotations

import dataclasses

import pytest

from civsam.impact.engine.guards import (
    CLAIMED_BY_TWO_STAKEHOLDERS,
    OUTPUT_AS_OUTCOME,
    OUTSIDE_REFERENCE_RANGE,
    PRICE_YEAR_NOT_IN_KPI,
    PRICE_YEARS_NOT_INDEXED,
    PROXY_DERIVATION_MISMATCH,
    RATIO_ABOVE_PUBLISHED_RANGE,
    TRANSFER_COUNTED_AS_VALUE,
    UNJUSTIFIED_ZERO_ADJUSTMENT,
    check,
)
from civsam.impact.engine.model import Derivation, Factor, Input, Justification
from civsam.impact.engine.schema import ImpactMapIn, to_model

from .factories import impact_map, outcome

ADJUSTED = {"deadweight": 20.0, "displacement": 10.0, "attribution": 20.0}
WHY = Justification("Skälet", "Enkät 2025", "medium")
SILENT = "must stay silent"


def row(id="a", **fields):
    values = {"stakeholder": "s1", "outcome": "Fått arbete", "quantity": 1.0, "proxy": 100.0, **ADJUSTED}
    values.update(fields)
    return outcome(id, **values)


def other(**fields):
    values = {"stakeholder": "s2", "outcome": "Bättre hälsa", **fields}
    return row("b", **values)


# (outcome rows, map options, the guard under test, the path it reports, or SILENT)
CASES = [
    # An output valued as an outcome.
    pytest.param(
        [row(outcome="Antal deltagare i kursen"), other()],
        {},
        OUTPUT_AS_OUTCOME,
        "outcomes[0].outcome",
        id="output-participants",
    ),
    pytest.param(
        [row(outcome="Genomförda träffar"), other()], {}, OUTPUT_AS_OUTCOME, "outcomes[0].outcome", id="output-sessions"
    ),
    pytest.param(
        [row(outcome="Deltagarna har fått arbete"), other()], {}, OUTPUT_AS_OUTCOME, SILENT, id="near-miss-change-named"
    ),
    pytest.param(
        [row(outcome="Antal deltagare i kursen", justifications=(("outcome", WHY),)), other()],
        {},
        OUTPUT_AS_OUTCOME,
        SILENT,
        id="near-miss-justified",
    ),
    # The same saving claimed by two stakeholders.
    pytest.param(
        [
            row(proxy_description="Minskade kostnader för missbruksvård"),
            other(proxy_description="minskade kostnader för MISSBRUKSVÅRD"),
        ],
        {},
        CLAIMED_BY_TWO_STAKEHOLDERS,
        "outcomes[1]",
        id="same-saving-two-stakeholders",
    ),
    pytest.param(
        [row(indicator="Antal som lämnat vården"), other(indicator="antal som lämnat vården")],
        {},
        CLAIMED_BY_TWO_STAKEHOLDERS,
        "outcomes[1]",
        id="same-indicator-two-stakeholders",
    ),
    pytest.param(
        [
            row(proxy_description="Minskade kostnader för missbruksvård"),
            other(proxy_description="Minskade kostnader för akutvård"),
        ],
        {},
        CLAIMED_BY_TWO_STAKEHOLDERS,
        SILENT,
        id="near-miss-different-saving",
    ),
    # Transfers counted as value.
    pytest.param(
        [row(outcome="Minskat försörjningsstöd"), other()],
        {},
        TRANSFER_COUNTED_AS_VALUE,
        "outcomes[0].transfer",
        id="transfer-in-text",
    ),
    pytest.param(
        [row(proxy_description="Sparad sjukpenning per år"), other()],
        {},
        TRANSFER_COUNTED_AS_VALUE,
        "outcomes[0].transfer",
        id="transfer-in-proxy",
    ),
    pytest.param(
        [row(outcome="Minskat försörjningsstöd", transfer=True), other()],
        {},
        TRANSFER_COUNTED_AS_VALUE,
        SILENT,
        id="near-miss-marked",
    ),
    pytest.param(
        [row(outcome="Minskad handläggning"), other()], {}, TRANSFER_COUNTED_AS_VALUE, SILENT, id="near-miss-real-cost"
    ),
    # Zero adjustments without justification.
    pytest.param(
        [row(deadweight=0.0), other()], {}, UNJUSTIFIED_ZERO_ADJUSTMENT, "outcomes[0].deadweight", id="zero-deadweight"
    ),
    pytest.param(
        [row(attribution=0.0), other()],
        {},
        UNJUSTIFIED_ZERO_ADJUSTMENT,
        "outcomes[0].attribution",
        id="zero-attribution",
    ),
    pytest.param(
        [row(displacement=0.0, justifications=(("displacement", WHY),)), other()],
        {},
        UNJUSTIFIED_ZERO_ADJUSTMENT,
        SILENT,
        id="near-miss-zero-justified",
    ),
    pytest.param(
        [row(drop_off=0.0, duration=2, justifications=(("dropOff", WHY),)), other()],
        {},
        UNJUSTIFIED_ZERO_ADJUSTMENT,
        SILENT,
        id="near-miss-dropoff-justified",
    ),
    pytest.param(
        [row(drop_off=0.0, duration=2), other()],
        {},
        UNJUSTIFIED_ZERO_ADJUSTMENT,
        "outcomes[0].dropOff",
        id="zero-drop-off-two-years",
    ),
    pytest.param(
        [row(drop_off=0.0, duration=1), other()],
        {},
        UNJUSTIFIED_ZERO_ADJUSTMENT,
        SILENT,
        id="near-miss-drop-off-one-year",
    ),
    pytest.param(
        [row(deadweight=0.0, justifications=(("deadweight", Justification()),)), other()],
        {},
        UNJUSTIFIED_ZERO_ADJUSTMENT,
        "outcomes[0].deadweight",
        id="empty-justification-is-none",
    ),
    # Values far from the reference band, and a ratio above 10.
    pytest.param(
        [row(deadweight=80.0), other()], {}, OUTSIDE_REFERENCE_RANGE, "outcomes[0].deadweight", id="deadweight-80"
    ),
    pytest.param([row(deadweight=70.0), other()], {}, OUTSIDE_REFERENCE_RANGE, SILENT, id="near-miss-deadweight-70"),
    pytest.param(
        [row(drop_off=5.0, duration=3), other()], {}, OUTSIDE_REFERENCE_RANGE, "outcomes[0].dropOff", id="drop-off-5"
    ),
    pytest.param(
        [row(attribution=90.0, justifications=(("attribution", WHY),)), other()],
        {},
        OUTSIDE_REFERENCE_RANGE,
        SILENT,
        id="near-miss-justified-range",
    ),
    pytest.param([row(quantity=100.0), other()], {}, RATIO_ABOVE_PUBLISHED_RANGE, None, id="ratio-above-10"),
    pytest.param(
        [row(quantity=8.0), other(quantity=1.0)], {}, RATIO_ABOVE_PUBLISHED_RANGE, SILENT, id="near-miss-ratio-under-10"
    ),
    # Price years.
    pytest.param(
        [row(proxy_price_year=2020), other(proxy_price_year=2023)],
        {},
        PRICE_YEARS_NOT_INDEXED,
        "outcomes[1].proxyPriceYear",
        id="mixed-years",
    ),
    pytest.param(
        [row(proxy_price_year=2023), other(proxy_price_year=2023)],
        {},
        PRICE_YEARS_NOT_INDEXED,
        SILENT,
        id="near-miss-same-year",
    ),
    pytest.param(
        [row(proxy_price_year=2020), other(proxy_price_year=2023)],
        {"price_year": 2023},
        PRICE_YEARS_NOT_INDEXED,
        SILENT,
        id="near-miss-indexed",
    ),
    pytest.param(
        [row(), other()], {"missing_index_years": (1975,)}, PRICE_YEAR_NOT_IN_KPI, "priceYear", id="kpi-year-missing"
    ),
    pytest.param([row(), other()], {"missing_index_years": ()}, PRICE_YEAR_NOT_IN_KPI, SILENT, id="kpi-complete"),
    # A proxy that disagrees with its derivation: 98 × 276 = 27 048, not 26 023.
    pytest.param(
        [row(proxy=26_023.0, proxy_derivation=Derivation((Factor(276, "timmar"), Factor(98, "kr/timme")))), other()],
        {},
        PROXY_DERIVATION_MISMATCH,
        "outcomes[0].proxy",
        id="derivation-26023",
    ),
    pytest.param(
        [row(proxy=27_048.4, proxy_derivation=Derivation((Factor(276, "timmar"), Factor(98, "kr/timme")))), other()],
        {},
        PROXY_DERIVATION_MISMATCH,
        SILENT,
        id="near-miss-rounding",
    ),
]


@pytest.mark.parametrize(("rows", "options", "code", "path"), CASES)
def test_guard(rows, options, code, path):
    options = dict(options)
    base = impact_map(rows, [Input("i", "s2", money=100.0)], discount_rate=0.0)
    found = check(dataclasses.replace(base, **options))
    mine = [w for w in found if w.code == code]
    if path == SILENT:
        assert mine == []
    else:
        assert [w.path for w in mine] == [path]
        assert mine[0].message


def test_the_derivation_message_names_both_figures():
    rows = [row(proxy=26_023.0, proxy_derivation=Derivation((Factor(276), Factor(98)), "276 h × 98 kr")), other()]
    [warning] = [w for w in check(impact_map(rows)) if w.code == PROXY_DERIVATION_MISMATCH]
    assert "26\u00a0023" in warning.message and "27\u00a0048" in warning.message and "276 h × 98 kr" in warning.message


def test_a_transfer_is_left_out_of_the_societal_total_and_shown_for_its_stakeholder():
    from civsam.impact.engine.sroi import calculate

    counted = row(outcome="Fått arbete", quantity=2.0)
    transfer = other(outcome="Minskat försörjningsstöd", transfer=True, quantity=3.0)
    result = calculate(impact_map([counted, transfer], discount_rate=0.0))
    impact = 100.0 * 0.8 * 0.9 * 0.8
    assert result.total_present_value == pytest.approx(2 * impact)
    assert result.transfers_present_value == pytest.approx(3 * impact)
    kommunen = next(s for s in result.stakeholders if s.id == "s2")
    assert kommunen.transfers == pytest.approx(3 * impact) and kommunen.present_value == 0


def _document(**outcome_fields):
    return ImpactMapIn.model_validate(
        {
            "name": "Karta",
            "priceYear": 2023,
            "stakeholders": [{"id": "s1", "name": "Deltagare"}],
            "inputs": [{"id": "i", "stakeholder": "s1", "money": 100}],
            "outcomes": [
                {
                    "id": "o",
                    "stakeholder": "s1",
                    "outcome": "Fått arbete",
                    "quantity": 1,
                    "proxy": 1000,
                    "duration": 1,
                    **outcome_fields,
                }
            ],
        }
    )


@pytest.mark.parametrize(
    ("year", "factor", "missing"),
    [
        (2023, 1.0, ()),
        (2015, 403.70 / 313.35, ()),  # SCB KPI annual averages, 1980 = 100 (the shipped table)
        (1975, 1.0, (1975,)),  # not in the table: reported, not indexed, not guessed
    ],
)
def test_proxies_are_indexed_to_the_price_year(year, factor, missing):
    impact = to_model(_document(proxyPriceYear=year))
    assert impact.outcomes[0].proxy_index == pytest.approx(factor)
    assert impact.missing_index_years == missing


@pytest.mark.parametrize(
    ("text", "product"),
    [
        ("276 timmar × 98 kr per timme", 27_048.0),
        ("12 * 1 250,50 kr", 15_006.0),
        ("2 x 3", 6.0),
        ("ungefär 276 timmar", None),
        ("276", None),
    ],
)
def test_a_derivation_is_read_from_text(text, product):
    from civsam.impact.engine.derivation import parse_derivation

    derivation = parse_derivation(text)
    assert (derivation.value if derivation else None) == (pytest.approx(product) if product else None)
