"""The socio-economic account page's pure computation: presets, KPI indexing of a unit-cost table,
the case for a number of persons, the flattened result and the chart. No database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civsam.impact.charts import grouped_bar_chart, nice_ticks
from civsam.impact.engine.socioeconomic import BEARERS, account, exclusion_to_work, latest_table
from civsam.impact.kpi import KpiYearMissing
from civsam.impact.socio_accounts import (
    CUSTOM,
    SOCIETY,
    build_case,
    indexed_table,
    money,
    reachable_price_years,
    result_rows,
    scenario_preset,
    totals,
    year_table,
)

# A made-up index for the tests only: the shipped KPI table has no 2024.
KPI = {2022: Decimal("380.00"), 2023: Decimal("400.00"), 2024: Decimal("420.00")}


@pytest.mark.parametrize(
    ("table_year", "kpi", "expected"),
    [
        (2024, KPI, [2024, 2023, 2022]),
        (2023, KPI, [2024, 2023, 2022]),
        (2024, {2022: Decimal("380.00"), 2023: Decimal("400.00")}, [2024]),  # KPI lacks the table's own year
        (2024, {}, [2024]),
    ],
)
def test_reachable_price_years(table_year, kpi, expected):
    assert reachable_price_years(table_year, kpi) == expected


@pytest.mark.parametrize(
    ("code", "to_year", "bearer", "expected"),
    [
        # 96 000 × 400 / 420 = 91 428,571… → 91 428,57
        ("ekonomiskt_bistand", 2023, "municipality", -91428.57),
        ("ekonomiskt_bistand", 2023, "individual", 91428.57),
        # 202 890 × 380 / 420 = 183 567,142… → 183 567,14
        ("anstallning_heltid", 2022, "individual", 183567.14),
        ("anstallning_heltid", 2024, "state", 94260.0),  # its own year: unchanged
    ],
)
def test_indexed_table_scales_every_effect_to_ore(code, to_year, bearer, expected):
    table = indexed_table(latest_table(), to_year=to_year, kpi=KPI)
    assert table.price_year == to_year
    assert table.items[code].effects[bearer] == expected
    assert table.items[code].source == latest_table().items[code].source  # the source stays the source


def test_indexing_needs_both_years():
    with pytest.raises(KpiYearMissing):
        indexed_table(latest_table(), to_year=2023, kpi={2023: Decimal("400.00")})


def test_the_preset_is_the_engines_example_and_custom_is_empty():
    preset = scenario_preset("exclusion_to_work")
    example = exclusion_to_work(1)
    assert preset.before == tuple(v.code for v in example.before)
    assert preset.after == ("anstallning_heltid",)
    assert preset.name == example.name
    assert scenario_preset(CUSTOM).before == () and scenario_preset("unknown").after == ()


@pytest.mark.parametrize(
    ("persons", "years", "cost", "municipality_net"),
    [
        # One person: saves 96 000 + 20 000, gains 63 000 of tax a year; pays 80 000 in year 1.
        (1, 3, 80000, [99000.0, 179000.0, 179000.0]),
        (2, 2, 80000, [278000.0, 358000.0]),
        (3, 1, 0, [537000.0]),
    ],
)
def test_build_case_for_a_number_of_persons(persons, years, cost, municipality_net):
    preset = scenario_preset("exclusion_to_work")
    case = build_case(
        name="Test",
        before=preset.before,
        after=preset.after,
        persons=persons,
        years=years,
        discount_rate=3.5,
        initiative_cost=cost,
    )
    result = account(case, latest_table())
    by_bearer = {b.bearer: b for b in result.bearers}
    assert list(by_bearer["municipality"].net) == pytest.approx(municipality_net)
    assert list(by_bearer["state"].net) == pytest.approx([persons * (94260 + 50000)] * years)


def test_one_person_is_the_engines_own_example():
    preset = scenario_preset("exclusion_to_work")
    case = build_case(
        name="x", before=preset.before, after=preset.after, persons=1, years=4, discount_rate=3.5, initiative_cost=5
    )
    ours, engines = account(case, latest_table()), account(exclusion_to_work(4, initiative_cost=5), latest_table())
    assert ours.society_net == engines.society_net and ours.bearers == engines.bearers


def _example(years: int = 3, rate: float = 3.5):
    preset = scenario_preset("exclusion_to_work")
    return account(
        build_case(
            name="x",
            before=preset.before,
            after=preset.after,
            persons=1,
            years=years,
            discount_rate=rate,
            initiative_cost=80000,
        ),
        latest_table(),
    )


def test_result_rows_per_year_and_bearer_then_society():
    rows = result_rows(_example())
    assert [(r.year, r.bearer) for r in rows[:5]] == [(1, b) for b in (*BEARERS, SOCIETY)]
    assert len(rows) == 3 * 5
    municipality_1 = rows[0]
    assert (municipality_1.benefits, municipality_1.costs, municipality_1.net) == (
        Decimal("179000.00"),
        Decimal("80000.00"),
        Decimal("99000.00"),
    )
    # 99 000 / 1,035 = 95 652,173… → 95 652,17
    assert municipality_1.present_value == Decimal("95652.17")
    society = [r for r in rows if r.bearer == SOCIETY]
    assert all(r.benefits is None and r.costs is None for r in society)
    assert [r.net for r in society] == [Decimal("394260.00"), Decimal("474260.00"), Decimal("474260.00")]


def test_totals_and_year_table_agree_with_the_rows():
    result = _example(years=5, rate=2)
    rows = result_rows(result)
    for total in totals(result):
        own = [r for r in rows if r.bearer == total.bearer]
        assert total.net == sum(r.net for r in own)
        assert abs(total.present_value - sum(r.present_value for r in own)) <= Decimal("0.01") * len(own)
    table = year_table(result)
    assert [len(row.net) for row in table] == [len(BEARERS) + 1] * 5
    assert table[0].net[-1] == sum(table[0].net[:-1])


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), (0.1 + 0.2, Decimal("0.30")), (-96000.0, Decimal("-96000.00")), (0.005, Decimal("0.01"))],
)
def test_money_rounds_half_up_to_ore(value, expected):
    assert money(value) == expected


@settings(max_examples=40, deadline=None)
@given(persons=st.integers(1, 1000), years=st.integers(1, 30), rate=st.floats(-10, 20))
def test_society_is_the_sum_of_the_bearers_for_any_input(persons, years, rate):
    preset = scenario_preset("exclusion_to_work")
    result = account(
        build_case(
            name="x", before=preset.before, after=preset.after, persons=persons, years=years, discount_rate=rate
        ),
        latest_table(),
    )
    for row in year_table(result):
        assert abs(row.net[-1] - sum(row.net[:-1])) <= Decimal("0.02")


def test_chart_has_a_text_alternative_and_four_told_apart_fills():
    chart = grouped_bar_chart(
        groups=["1", "2"],
        series=[("Kommunen", [10.0, -5.0]), ("Regionen", [3, 3]), ("Staten", [0, 1]), ("Individen", [-2, 4])],
        title="Titel",
        description="Beskrivning",
        axis_label="År",
        chart_id="c",
    )
    assert chart is not None
    svg = str(chart.svg)
    assert 'role="img"' in svg and 'aria-labelledby="c-title c-desc"' in svg
    assert '<title id="c-title">Titel</title>' in svg and "Beskrivning" in svg
    assert svg.count("<pattern") == 2 and "rotate(45)" in svg and "rotate(-45)" in svg
    for fill in ("url(#c-hatch)", "url(#c-hatch2)", "#4a5260", "#e6e9ed"):
        assert f'fill="{fill}"' in svg
    assert svg.count("<rect") == 2 + 4 + 2 * 4  # two pattern backgrounds, four legend swatches, 2 years × 4 bars
    assert "Individen" in svg and ">År<" in svg


@pytest.mark.parametrize(
    ("groups", "series"),
    [([], [("a", [])]), (["1"], []), (["1"], [(str(i), [1.0]) for i in range(5)])],
)
def test_chart_refuses_what_it_cannot_draw(groups, series):
    assert grouped_bar_chart(groups=groups, series=series, title="t", description="d", axis_label="x") is None


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (-121000, 179000, [-200000, -100000, 0, 100000, 200000]),
        (0, 179000, [0, 50000, 100000, 150000, 200000]),
        (0, 10, [0, 5, 10]),  # a quarter of the range is 2,5: the next nice step is 5
        (-3, 0, [-3, -2, -1, 0]),
        (0, 0, [-1, -0.5, 0, 0.5, 1]),  # a flat series still gets an axis around zero
    ],
)
def test_nice_ticks(low, high, expected):
    assert nice_ticks(low, high) == pytest.approx(expected)
