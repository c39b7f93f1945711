"""One-at-a-time sensitivity (tornado) and break-even values."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civsam.impact.engine.model import (
    AssumptionError,
    Distribution,
    Input,
    assumption_label,
    assumption_paths,
    assumption_value,
    with_assumption,
)
from civsam.impact.engine.sensitivity import OatSettings, bisect, break_even, oat_range, tornado
from civsam.impact.engine.sroi import calculate, net_present_value

from .factories import impact_map, outcome

# One outcome, 10 × 100, no adjustments, one year, r = 0: PV = 1000 against inputs of 500.
SIMPLE = impact_map([outcome(quantity=10, proxy=100)], [Input("i1", "s2", money=500.0)], discount_rate=0.0)


@pytest.mark.parametrize(
    ("path", "low", "high"),
    [
        ("outcomes.o1.quantity", 8.0, 12.0),  # ±20 %
        ("outcomes.o1.proxy", 80.0, 120.0),
        ("outcomes.o1.deadweight", 0.0, 10.0),  # ±10 points, kept within 0–100
        ("outcomes.o1.duration", 1, 2),  # ±1 year, at least 1
        ("inputs.i1.money", 400.0, 600.0),
        ("discountRate", 0.0, 2.0),  # ±2 points, not below 0
    ],
)
def test_oat_default_ranges(path, low, high):
    assert oat_range(SIMPLE, path, OatSettings()) == (pytest.approx(low), pytest.approx(high))


@pytest.mark.parametrize(
    ("distribution", "low", "high"),
    [
        (Distribution("x", "uniform", minimum=1, maximum=3), 1, 3),
        (Distribution("x", "triangular", minimum=1, mode=2, maximum=5), 1, 5),
        (Distribution("x", "pert", minimum=0, mode=1, maximum=4), 0, 4),
        (Distribution("x", "normal", mean=10, sd=2), 10 - 2 * 1.6448536, 10 + 2 * 1.6448536),  # p5–p95
    ],
)
def test_oat_range_from_a_distribution(distribution, low, high):
    assert oat_range(SIMPLE, "outcomes.o1.proxy", OatSettings(), distribution) == (
        pytest.approx(low),
        pytest.approx(high),
    )


def test_tornado_by_hand_and_sorted_by_swing():
    result = tornado(SIMPLE)
    assert result.base_ratio == pytest.approx(2.0)
    bars = {bar.assumption: bar for bar in result.bars}
    # Quantity 8 → ratio 1.6, 12 → 2.4; money 400 → 2.5, 600 → 1.6667.
    assert (bars["outcomes.o1.quantity"].ratio_at_low, bars["outcomes.o1.quantity"].ratio_at_high) == (
        pytest.approx(1.6),
        pytest.approx(2.4),
    )
    assert bars["inputs.i1.money"].ratio_at_low == pytest.approx(2.5)
    assert bars["inputs.i1.money"].swing == pytest.approx(2.5 - 1000 / 600)
    assert bars["outcomes.o1.deadweight"].ratio_at_high == pytest.approx(1.8)  # 0.9 × 1000 / 500
    swings = [bar.swing for bar in result.bars]
    assert swings == sorted(swings, reverse=True)
    assert bars["outcomes.o1.quantity"].label == "Antal – Utfall o1 (Deltagare)"


def test_tornado_without_inputs_sorts_on_npv():
    result = tornado(impact_map(inputs=[]))
    assert result.base_ratio is None
    assert all(bar.ratio_at_low is None for bar in result.bars)
    assert result.bars[0].swing > 0


@pytest.mark.parametrize(
    ("path", "expected", "method"),
    [
        ("outcomes.o1.quantity", 5.0, "exact"),  # 5 × 100 = 500
        ("outcomes.o1.proxy", 50.0, "exact"),
        ("outcomes.o1.deadweight", 50.0, "exact"),  # 1000 × 0.5 = 500
        ("outcomes.o1.attribution", 50.0, "exact"),
        ("outcomes.o1.displacement", 50.0, "exact"),
        ("inputs.i1.money", 1000.0, "exact"),
        ("outcomes.o1.duration", 1.0, "whole_years"),
    ],
)
def test_break_even_by_hand(path, expected, method):
    found = break_even(SIMPLE, path)
    assert found.value == pytest.approx(expected)
    assert found.method == method
    assert found.in_domain is True


def test_break_even_by_bisection_for_drop_off_and_rate():
    # 1000 a year for 2 years against 1500: drop-off d gives 1000 + 1000(1 − d) = 1500 at d = 50 %.
    two_years = impact_map(
        [outcome(quantity=10, proxy=100, duration=2)], [Input("i", "s2", money=1500.0)], discount_rate=0.0
    )
    found = break_even(two_years, "outcomes.o1.dropOff")
    assert found.method == "bisection" and found.value == pytest.approx(50.0, abs=1e-9)
    # The rate: 1000/(1+r) + 1000/(1+r)² = 1500 ⇒ 1 + r = (1 + √7)/3 ⇒ r = 21.525 %.
    rate = break_even(two_years, "discountRate")
    assert rate.value == pytest.approx(((1 + 7**0.5) / 3 - 1) * 100, abs=1e-7)


def test_break_even_outside_the_domain_and_unreachable():
    strong = impact_map(
        [outcome(quantity=10, proxy=100, duration=1)], [Input("i", "s2", money=100.0)], discount_rate=0.0
    )
    deadweight = break_even(strong, "outcomes.o1.deadweight")
    assert deadweight.value == pytest.approx(90.0) and deadweight.in_domain is True
    weak = impact_map(
        [outcome("a", quantity=10, proxy=100), outcome("b", quantity=10, proxy=100)],
        [Input("i", "s2", money=1500.0)],
        discount_rate=0.0,
    )
    # Outcome b alone gives 1000 of the 1500, so a must keep 500 of its 1000: deadweight 50 %.
    assert break_even(weak, "outcomes.a.deadweight").value == pytest.approx(50.0)
    never = impact_map([outcome(quantity=1, proxy=1)], [Input("i", "s2", money=1e6)], discount_rate=0.0)
    drop = break_even(never, "outcomes.o1.dropOff")
    assert drop.value is None and drop.in_domain is None
    quantity = break_even(never, "outcomes.o1.quantity")
    assert quantity.value == pytest.approx(1e6) and quantity.in_domain is True
    # PV is 1 against 1,000,000: only a displacement of 100 − 10⁸ % would do, which is no percentage.
    no_effect = break_even(never, "outcomes.o1.displacement")
    assert no_effect.value == pytest.approx(100 - 1e8) and no_effect.in_domain is False


def test_a_proxy_break_even_that_changes_sign_is_outside_the_domain():
    # Outcome b alone gives 1000 against inputs of 500: a's proxy would have to be −50 for 1:1,
    # which turns a's benefit into a cost, so it is no valid setting of that outcome.
    two = impact_map(
        [outcome("a", quantity=10, proxy=100), outcome("b", quantity=10, proxy=100)],
        [Input("i", "s2", money=500.0)],
        discount_rate=0.0,
    )
    found = break_even(two, "outcomes.a.proxy")
    assert found.value == pytest.approx(-50.0) and found.in_domain is False
    # A cost (proxy −10) next to a benefit of 1000 against 500: the cost may grow to −50 a unit.
    cost = impact_map(
        [outcome("a", quantity=10, proxy=-10), outcome("b", quantity=10, proxy=100)],
        [Input("i", "s2", money=500.0)],
        discount_rate=0.0,
    )
    found = break_even(cost, "outcomes.a.proxy")
    assert found.value == pytest.approx(-50.0) and found.in_domain is True


def test_duration_break_even_is_the_shortest_whole_number_of_years():
    slow = impact_map([outcome(quantity=1, proxy=100, duration=10)], [Input("i", "s2", money=350.0)], discount_rate=0.0)
    assert break_even(slow, "outcomes.o1.duration").value == 4.0  # 3 years = 300 < 350 ≤ 400


@pytest.mark.parametrize(
    ("values", "root"),
    [((-1.0, 3.0), 0.25), ((2.0, -2.0), 0.5), ((1.0, 1.0), None), ((0.0, 5.0), 0.0)],
)
def test_bisect_on_a_line(values, root):
    a, b = values

    def line(x):
        return a + (b - a) * x

    found = bisect(line, 0.0, 1.0)
    assert (found is None) if root is None else found == pytest.approx(root)


def test_assumption_paths_and_errors():
    themap = impact_map(
        [outcome()], [Input("i1", "s2", money=10.0, volunteer_hours=2.0, hourly_rate=5.0)], volunteer_hour_rate=100.0
    )
    paths = assumption_paths(themap)
    assert paths[:2] == ["discountRate", "volunteerHourRate"]
    assert "outcomes.o1.dropOff" in paths and "inputs.i1.hourlyRate" in paths and "inputs.i1.inKind" not in paths
    assert assumption_value(themap, "inputs.i1.volunteerHours") == 2.0
    assert with_assumption(themap, "outcomes.o1.duration", 2.6).outcomes[0].duration == 3
    assert assumption_label(themap, "discountRate") == "Diskonteringsränta"
    for bad in ("outcomes.o1.colour", "outcomes.nope.proxy", "something"):
        with pytest.raises(AssumptionError):
            assumption_value(themap, bad)


@settings(max_examples=60, deadline=None)
@given(
    st.floats(min_value=1, max_value=1000),
    st.floats(min_value=1, max_value=10_000),
    st.integers(min_value=1, max_value=8),
    st.floats(min_value=0, max_value=90),
    st.sampled_from(["quantity", "proxy", "deadweight", "displacement", "attribution"]),
    st.floats(min_value=100, max_value=1e6),
)
def test_at_the_exact_break_even_the_ratio_is_one(quantity, proxy, years, drop, field, money):
    themap = impact_map(
        [outcome(quantity=quantity, proxy=proxy, duration=years, drop_off=drop, deadweight=10)],
        [Input("i", "s2", money=money)],
    )
    found = break_even(themap, f"outcomes.o1.{field}")
    assert found.value is not None
    changed = with_assumption(themap, f"outcomes.o1.{field}", found.value)
    # Exact up to rounding, which scales with the numbers that cancel (PV against the inputs).
    scale = max(calculate(themap).total_present_value, money)
    assert net_present_value(changed) == pytest.approx(0.0, abs=1e-9 * scale)
    assert calculate(changed).sroi_ratio == pytest.approx(1.0, abs=1e-9 * scale / money)
