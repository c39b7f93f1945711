"""Socio-economic accounts: the bundled unit-cost table and the bearer split."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civsam.impact.engine.socioeconomic import (
    BEARERS,
    Case,
    InitiativeCost,
    Source,
    UnitCost,
    UnitCostError,
    UnitCostTable,
    Volume,
    account,
    bundled_tables,
    exclusion_to_work,
    latest_table,
    load_unit_cost_table,
)


def test_every_bundled_figure_is_dated_and_sourced_or_marked_illustrative():
    paths = bundled_tables()
    assert paths, "no unit-cost table shipped"
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert "ILLUSTRATIVA EXEMPEL" in data["description"]
        for entry in [*data["parameters"], *data["items"]]:
            source = entry["source"]
            assert source["publisher"] and source["title"] and int(source["year"]) == data["priceYear"]
            assert isinstance(entry["illustrative"], bool)
            if entry["illustrative"]:
                assert "Illustrativt exempel" in source["title"]
            else:
                assert source["url"].startswith("https://"), entry["code"]
        table = load_unit_cost_table(path)
        assert set(table.items) == {item["code"] for item in data["items"]}


def test_the_employment_entry_follows_from_its_parameters():
    table = latest_table()
    p = {code: parameter.value for code, parameter in table.parameters.items()}
    gross = 12 * p["manadslon_exempel"]
    assert p["kommunalskatt_kommun"] + p["kommunalskatt_region"] == pytest.approx(p["kommunalskatt"])
    assert table.items["anstallning_heltid"].effects == pytest.approx(
        {
            "individual": gross * (1 - p["kommunalskatt"] / 100),
            "municipality": gross * p["kommunalskatt_kommun"] / 100,
            "region": gross * p["kommunalskatt_region"] / 100,
            "state": gross * p["arbetsgivaravgift"] / 100,
        }
    )


def test_exclusion_to_work_by_hand():
    result = account(exclusion_to_work(3, initiative_cost=50_000), latest_table())
    by_bearer = {b.bearer: b for b in result.bearers}
    # Municipality: no more income support (96 000) or its handling (20 000), plus its tax 63 000;
    # the initiative's 50 000 in year 1.
    assert by_bearer["municipality"].net == (129_000.0, 179_000.0, 179_000.0)
    assert by_bearer["municipality"].costs == (50_000.0, 0.0, 0.0)
    assert by_bearer["region"].net == (44_110.0,) * 3  # 10 000 care + 34 110 tax
    assert by_bearer["state"].net == (144_260.0,) * 3  # 50 000 measures + 94 260 employer contributions
    # The individual loses 96 000 of support and keeps 202 890 of the wage.
    assert by_bearer["individual"].benefits == (202_890.0,) * 3
    assert by_bearer["individual"].costs == (96_000.0,) * 3
    assert result.society_net == (424_260.0, 474_260.0, 474_260.0)
    assert result.society_present_value == pytest.approx(424_260 / 1.035 + 474_260 / 1.035**2 + 474_260 / 1.035**3)
    assert result.uses_illustrative_figures is True
    assert all(source.year == 2024 for source in result.sources)


class TableFactory:
    source = Source("Testutgivare", "Testkälla", 2024, "https://example.org/")

    def build(self, **items: dict[str, float]) -> UnitCostTable:
        return UnitCostTable(
            name="Test",
            price_year=2024,
            currency="SEK",
            parameters={},
            items={
                code: UnitCost(code, code, "st", effects, self.source, illustrative=False)
                for code, effects in items.items()
            },
        )


@pytest.mark.slow
@settings(deadline=None)  # timing on a shared machine is not what these test
@given(
    st.floats(min_value=0, max_value=1e6),
    st.lists(st.floats(min_value=0, max_value=10), min_size=1, max_size=6),
    st.lists(st.floats(min_value=0, max_value=10), min_size=1, max_size=6),
)
def test_transfers_cancel_for_society(amount, before, after):
    table = TableFactory().build(bidrag={"municipality": -amount, "individual": amount})
    years = max(len(before), len(after))
    result = account(Case("x", years, (Volume("bidrag", tuple(before)),), (Volume("bidrag", tuple(after)),)), table)
    assert result.society_net == pytest.approx((0.0,) * years, abs=1e-6)
    municipality = next(b for b in result.bearers if b.bearer == "municipality")
    padded_before, padded_after = before + [0.0] * (years - len(before)), after + [0.0] * (years - len(after))
    expected = [-(a - b) * amount for a, b in zip(padded_after, padded_before, strict=True)]
    assert municipality.net == pytest.approx(expected, abs=1e-6)


def test_costs_and_benefits_are_split_per_year():
    table = TableFactory().build(vard={"region": -1000.0}, skatt={"region": 300.0, "municipality": 600.0})
    case = Case(
        "x",
        2,
        before=(Volume("vard", (2.0, 2.0)),),
        after=(Volume("vard", (1.0,)), Volume("skatt", (1.0, 1.0))),
        initiative=(InitiativeCost("state", (500.0, 100.0), "Projekt"),),
        discount_rate=0.0,
    )
    result = account(case, table)
    region = next(b for b in result.bearers if b.bearer == "region")
    assert region.benefits == (1300.0, 2300.0)  # care saved 1000 then 2000 (after has no year 2), tax 300
    assert region.costs == (0.0, 0.0)
    state = next(b for b in result.bearers if b.bearer == "state")
    assert state.costs == (500.0, 100.0) and state.present_value == -600.0
    assert [line.label for line in result.lines if line.bearer == "state"] == ["Projekt"]
    assert result.society_total == pytest.approx(1300 + 600 + 2300 + 600 - 600)
    assert [b.bearer for b in result.bearers] == list(BEARERS)


def test_unknown_codes_and_bearers():
    table = TableFactory().build(a={"region": 1.0})
    with pytest.raises(UnitCostError, match="finns inte i tabellen"):
        account(Case("x", 1, (Volume("okand", (1.0,)),), ()), table)
    with pytest.raises(UnitCostError, match="Okänd bärare"):
        account(Case("x", 1, (), (), (InitiativeCost("kyrkan", (1.0,)),)), table)


def test_a_table_with_an_unknown_bearer_is_refused(tmp_path):
    path = tmp_path / "unit_costs_2030.json"
    path.write_text(
        json.dumps(
            {
                "name": "x",
                "priceYear": 2030,
                "currency": "SEK",
                "items": [
                    {
                        "code": "a",
                        "label": "A",
                        "unit": "st",
                        "effects": {"kyrkan": 1},
                        "illustrative": True,
                        "source": {"publisher": "p", "title": "t", "year": 2030},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(UnitCostError, match="kyrkan"):
        load_unit_cost_table(path)
