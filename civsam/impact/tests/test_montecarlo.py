"""Monte Carlo: the distributions, reproducibility, and agreement with the deterministic figure."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civsam.impact.engine.model import Distribution, Input
from civsam.impact.engine.montecarlo import monte_carlo, sample
from civsam.impact.engine.sroi import calculate

from .factories import impact_map, outcome

N = 200_000


@pytest.mark.parametrize(
    ("distribution", "mean", "low", "high"),
    [
        (Distribution("x", "uniform", minimum=2, maximum=6), 4.0, 2, 6),
        (Distribution("x", "triangular", minimum=0, mode=3, maximum=6), 3.0, 0, 6),
        (Distribution("x", "triangular", minimum=0, mode=0, maximum=9), 3.0, 0, 9),  # (a + c + b) / 3
        (Distribution("x", "pert", minimum=0, mode=2, maximum=8), 8 / 3, 0, 8),  # (a + 4c + b) / 6
        (Distribution("x", "pert", minimum=10, mode=10, maximum=16, lam=2), 11.5, 10, 16),  # (a + λc + b)/(λ + 2)
        (Distribution("x", "normal", mean=5, sd=2), 5.0, -np.inf, np.inf),
    ],
)
def test_sample_means_and_bounds(distribution, mean, low, high):
    draws = sample(distribution, N, np.random.default_rng(7))
    assert draws.shape == (N,)
    assert draws.mean() == pytest.approx(mean, abs=0.03)
    assert draws.min() >= low and draws.max() <= high


@pytest.mark.parametrize(
    "distribution",
    [
        Distribution("x", "uniform", minimum=3, maximum=3),
        Distribution("x", "triangular", minimum=3, mode=3, maximum=3),
        Distribution("x", "pert", minimum=3, mode=3, maximum=3),
        Distribution("x", "normal", mean=3, sd=0),
    ],
)
def test_degenerate_samples_are_constant(distribution):
    assert np.all(sample(distribution, 1000, np.random.default_rng(1)) == 3)


def test_normal_spread():
    draws = sample(Distribution("x", "normal", mean=0, sd=3), N, np.random.default_rng(3))
    assert draws.std() == pytest.approx(3, rel=0.01)


rows = st.lists(
    st.builds(
        dict,
        quantity=st.floats(min_value=0.5, max_value=1000),
        proxy=st.floats(min_value=1, max_value=1e5),
        duration=st.integers(min_value=1, max_value=8),
        deadweight=st.floats(min_value=0, max_value=90),
        attribution=st.floats(min_value=0, max_value=90),
        drop_off=st.floats(min_value=0, max_value=90),
        start_year=st.integers(min_value=1, max_value=4),
    ),
    min_size=1,
    max_size=5,
)


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(rows, st.floats(min_value=0, max_value=10), st.integers(min_value=0, max_value=2**32 - 1))
def test_degenerate_distributions_reproduce_the_deterministic_figure(data, rate, seed):
    outcomes = [outcome(f"o{i}", **row) for i, row in enumerate(data)]
    distributions = [Distribution("discountRate", "uniform", minimum=rate, maximum=rate)]
    for i, row in enumerate(data):
        distributions += [
            Distribution(
                f"outcomes.o{i}.quantity",
                "triangular",
                minimum=row["quantity"],
                mode=row["quantity"],
                maximum=row["quantity"],
            ),
            Distribution(f"outcomes.o{i}.proxy", "normal", mean=row["proxy"], sd=0),
            Distribution(
                f"outcomes.o{i}.deadweight",
                "pert",
                minimum=row["deadweight"],
                mode=row["deadweight"],
                maximum=row["deadweight"],
            ),
            Distribution(f"outcomes.o{i}.dropOff", "uniform", minimum=row["drop_off"], maximum=row["drop_off"]),
            Distribution(f"outcomes.o{i}.duration", "uniform", minimum=row["duration"], maximum=row["duration"]),
        ]
    themap = impact_map(outcomes, [Input("i", "s2", money=5000.0)], discount_rate=rate, distributions=distributions)
    expected = calculate(themap)
    result = monte_carlo(themap, draws=50, seed=seed, chunk=17)
    assert result.present_value.minimum == pytest.approx(expected.total_present_value, rel=1e-12)
    assert result.present_value.maximum == pytest.approx(expected.total_present_value, rel=1e-12)
    assert result.ratio.percentiles["50"] == pytest.approx(expected.sroi_ratio, rel=1e-12)
    assert result.mean_present_value_by_year == pytest.approx([y.present_value for y in expected.years], rel=1e-12)


def test_without_distributions_every_draw_is_the_deterministic_figure():
    themap = impact_map([outcome(quantity=3, proxy=700, duration=4, drop_off=25)], discount_rate=3.5)
    result = monte_carlo(themap, draws=10, seed=1)
    assert result.ratio.sd == pytest.approx(0.0, abs=1e-12)
    assert result.ratio.mean == pytest.approx(calculate(themap).sroi_ratio, rel=1e-12)


UNCERTAIN = impact_map(
    [outcome("a", quantity=10, proxy=100, duration=3, drop_off=20), outcome("b", quantity=4, proxy=250, duration=2)],
    [Input("i", "s2", money=1500.0), Input("j", "s1", volunteer_hours=10)],
    volunteer_hour_rate=20.0,
    distributions=[
        Distribution("outcomes.a.deadweight", "triangular", minimum=0, mode=20, maximum=60),
        Distribution("outcomes.b.proxy", "normal", mean=250, sd=80),
        Distribution("outcomes.a.dropOff", "pert", minimum=0, mode=20, maximum=70),
        Distribution("outcomes.b.duration", "uniform", minimum=1, maximum=5),
        Distribution("inputs.i.money", "uniform", minimum=1200, maximum=1800),
        Distribution("volunteerHourRate", "uniform", minimum=10, maximum=30),
        Distribution("discountRate", "triangular", minimum=2, mode=3.5, maximum=6),
    ],
)


@given(st.integers(min_value=0, max_value=2**32 - 1))
@settings(max_examples=20, deadline=None)
def test_same_seed_same_percentiles_whatever_the_chunk(seed):
    first = monte_carlo(UNCERTAIN, draws=3000, seed=seed)
    second = monte_carlo(UNCERTAIN, draws=3000, seed=seed, chunk=701)
    assert first.ratio.percentiles == second.ratio.percentiles
    assert first.probability_ratio_below_one == second.probability_ratio_below_one
    assert first.seed == seed


def test_other_seeds_give_other_draws_and_no_seed_is_reported():
    assert (
        monte_carlo(UNCERTAIN, draws=2000, seed=1).ratio.mean != monte_carlo(UNCERTAIN, draws=2000, seed=2).ratio.mean
    )
    result = monte_carlo(UNCERTAIN, draws=100)
    assert 0 <= result.seed < 2**32
    assert monte_carlo(UNCERTAIN, draws=100, seed=result.seed).ratio == result.ratio


def test_summary_is_consistent():
    result = monte_carlo(UNCERTAIN, draws=20_000, seed=11)
    points = [result.ratio.percentiles[key] for key in ("5", "10", "25", "50", "75", "90", "95")]
    assert points == sorted(points)
    assert result.ratio.minimum <= points[0] and points[-1] <= result.ratio.maximum
    edges, counts = result.ratio_histogram
    assert sum(counts) == 20_000 and len(edges) == len(counts) + 1
    assert 0 < result.probability_ratio_below_one < 1
    assert result.net_present_value.mean == pytest.approx(result.present_value.mean - (1500 + 200), rel=0.01)


def test_draws_are_clipped_to_the_domain():
    themap = impact_map(
        [outcome(quantity=1, proxy=100, duration=2)],
        distributions=[
            Distribution("outcomes.o1.deadweight", "normal", mean=100, sd=50),  # half the draws above 100 %
            Distribution("outcomes.o1.duration", "normal", mean=0, sd=0.1),  # rounds to 0, kept at 1
        ],
        discount_rate=0.0,
    )
    result = monte_carlo(themap, draws=5000, seed=5)
    assert result.present_value.minimum == 0.0  # deadweight capped at 100 %, never negative value
    assert result.present_value.maximum <= 100.0  # one year only
    assert len(result.mean_present_value_by_year) == 2 and result.mean_present_value_by_year[1] == 0.0


def test_zero_inputs_leave_the_ratio_out():
    result = monte_carlo(impact_map(inputs=[]), draws=10, seed=1)
    assert result.ratio is None and result.ratio_histogram is None
    assert result.net_present_value.mean == pytest.approx(result.present_value.mean)


def test_at_least_one_draw():
    with pytest.raises(ValueError):
        monte_carlo(UNCERTAIN, draws=0)


@pytest.mark.parametrize(
    ("distributions", "inputs"),
    [
        ([], 10 * 50 + 10 * 20 + 100),
        ([Distribution("volunteerHourRate", "uniform", minimum=30, maximum=30)], 10 * 50 + 10 * 30 + 100),
        (
            [
                Distribution("volunteerHourRate", "uniform", minimum=30, maximum=30),
                Distribution("inputs.b.hourlyRate", "uniform", minimum=40, maximum=40),  # its own rate now
            ],
            10 * 50 + 10 * 40 + 100,
        ),
        ([Distribution("inputs.a.volunteerHours", "uniform", minimum=2, maximum=2)], 2 * 50 + 10 * 20 + 100),
        ([Distribution("inputs.c.money", "uniform", minimum=0, maximum=0)], 10 * 50 + 10 * 20),
        ([Distribution("inputs.c.inKind", "uniform", minimum=7, maximum=7)], 10 * 50 + 10 * 20 + 107),
    ],
)
def test_input_draws_by_hand(distributions, inputs):
    themap = impact_map(
        [outcome(quantity=1, proxy=10_000)],
        [
            Input("a", "s1", volunteer_hours=10, hourly_rate=50.0),  # its own rate: the map's does not apply
            Input("b", "s1", volunteer_hours=10),  # the map's rate, 20
            Input("c", "s2", money=100.0),
        ],
        volunteer_hour_rate=20.0,
        distributions=distributions,
        discount_rate=0.0,
    )
    result = monte_carlo(themap, draws=5, seed=1)
    assert result.present_value.mean - result.net_present_value.mean == pytest.approx(inputs)


def test_a_later_start_holds_in_every_draw():
    # Outcome b starts in year 3 and its duration varies 1–5 years: years 1–2 carry only outcome a,
    # and the horizon reaches b's longest drawn duration after its start.
    themap = impact_map(
        [
            outcome("a", quantity=10, proxy=100, duration=1),
            outcome("b", quantity=4, proxy=250, duration=2, start_year=3),
        ],
        [Input("i", "s2", money=1500.0)],
        discount_rate=0.0,
        distributions=[Distribution("outcomes.b.duration", "uniform", minimum=1, maximum=5)],
    )
    result = monte_carlo(themap, draws=2000, seed=7, chunk=300)
    by_year = result.mean_present_value_by_year
    assert len(by_year) == 7  # start year 3 − 1 + a drawn duration of 5
    assert by_year[0] == pytest.approx(1000.0) and by_year[1] == 0.0
    assert by_year[2] == pytest.approx(1000.0)  # b's first year in every draw (at least one year)
    assert by_year[6] < by_year[3] < by_year[2]  # ever fewer draws last that long
