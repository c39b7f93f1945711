"""The cost of an analysis, known before it runs (engine/cost.py): counted against what the engine does."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civsam.impact.engine import cost, sensitivity
from civsam.impact.engine.analysis import analyse
from civsam.impact.engine.model import MAX_DURATION_YEARS, Distribution, Input
from civsam.impact.engine.montecarlo import monte_carlo

from .factories import impact_map, outcome

MAPS = {
    "one outcome": impact_map(),
    "long and late": impact_map([outcome(duration=12, start_year=4, drop_off=10), outcome("o2", duration=2)]),
    "volunteers": impact_map(
        [outcome(duration=3)],
        [Input("i1", "s2", money=500.0, volunteer_hours=20.0), Input("i2", "s1", in_kind=30.0, hourly_rate=None)],
        volunteer_hour_rate=150.0,
    ),
    "drawn duration": impact_map(
        [outcome(duration=2), outcome("o2", duration=4)],
        distributions=[Distribution("outcomes.o1.duration", "triangular", 1, 3, 9)],
    ),
    "no inputs": impact_map([outcome(duration=5)], inputs=[]),
}


@pytest.fixture
def evaluations(monkeypatch):
    """Counts the one-at-a-time evaluations of the tornado and the break-even search."""
    counted = {"n": 0}
    original = sensitivity._Evaluator.pv_and_inputs

    def counting(self, path, value):
        counted["n"] += 1
        return original(self, path, value)

    monkeypatch.setattr(sensitivity._Evaluator, "pv_and_inputs", counting)
    return counted


@pytest.mark.parametrize("name", MAPS)
def test_the_sensitivity_steps_bound_the_evaluations(name, evaluations):
    the_map = MAPS[name]
    analyse(the_map)
    assert 0 < evaluations["n"] <= cost.estimate(the_map, draws=None).sensitivity_steps


@pytest.mark.parametrize("name", MAPS)
def test_the_years_are_those_the_monte_carlo_spans(name):
    the_map = MAPS[name]
    result = monte_carlo(the_map, draws=2000, seed=3)
    years = cost.estimate(the_map, draws=2000).years
    assert len(result.mean_present_value_by_year) <= years
    if not the_map.distributions:
        assert len(result.mean_present_value_by_year) == years == the_map.horizon


def test_a_drawn_duration_counts_up_to_its_reach():
    the_map = MAPS["drawn duration"]
    assert cost.estimate(the_map, draws=100).years == 9
    normal = impact_map(
        [outcome(duration=2)], distributions=[Distribution("outcomes.o1.duration", "normal", mean=10, sd=2)]
    )
    assert cost.estimate(normal, draws=100).years == 10 + 6 * 2


def test_drawn_durations_stay_within_the_longest_a_map_may_state():
    wide = impact_map(
        [outcome(duration=80)], distributions=[Distribution("outcomes.o1.duration", "normal", mean=80, sd=40)]
    )
    assert len(monte_carlo(wide, draws=5000, seed=1).mean_present_value_by_year) == MAX_DURATION_YEARS
    assert cost.estimate(wide, draws=5000).years == MAX_DURATION_YEARS


@given(
    outcomes=st.integers(1, 30),
    years=st.integers(1, 40),
    draws=st.integers(1, 200_000),
    distributions=st.integers(0, 5),
)
@settings(max_examples=60, deadline=None)
def test_the_monte_carlo_work_is_outcomes_times_years_times_draws(outcomes, years, draws, distributions):
    the_map = impact_map(
        [outcome(f"o{i}", duration=years) for i in range(outcomes)],
        distributions=[Distribution(f"outcomes.o{i}.quantity", "uniform", 1, None, 20) for i in range(distributions)],
    )
    without = cost.estimate(the_map, draws=None)
    with_draws = cost.estimate(the_map, draws=draws)
    assert with_draws.work - without.work == draws * outcomes * years + cost.SAMPLE_WEIGHT * draws * distributions
    assert with_draws.sensitivity_steps == without.sensitivity_steps
    assert (with_draws.outcomes, with_draws.years, with_draws.draws) == (outcomes, years, draws)


def test_the_sensitivity_work_grows_with_outcomes_and_years():
    small = cost.estimate(impact_map([outcome(duration=2)]), draws=None)
    longer = cost.estimate(impact_map([outcome(duration=20)]), draws=None)
    wider = cost.estimate(impact_map([outcome(f"o{i}", duration=2) for i in range(10)]), draws=None)
    assert small.work < longer.work and small.work < wider.work
    assert wider.sensitivity_steps > 9 * (small.sensitivity_steps - 2 * cost.BISECTION_STEPS)
