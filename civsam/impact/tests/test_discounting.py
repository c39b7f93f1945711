"""Discounting conventions checked against published figures."""

from __future__ import annotations

import numpy as np
import pytest

from civsam.impact.engine.discounting import Discounting, factor, factor_array, factors
from civsam.impact.engine.model import Input
from civsam.impact.engine.sroi import calculate, total_inputs

from .factories import impact_map, outcome

GREEN_BOOK = Discounting("year0", "greenBook")


def test_green_book_factors_years_0_to_4_at_3_5_percent():
    # HM Treasury, The Green Book (2022), Annex A6 discount factor table: years 0–4 at 3.5 %.
    assert [round(f, 4) for f in factors(3.5, GREEN_BOOK, 5)] == [1.0, 0.9662, 0.9335, 0.9019, 0.8714]


@pytest.mark.parametrize(
    ("discounting", "rate", "year", "expected"),
    [
        (Discounting("year1", "constant"), 3.5, 1, 1 / 1.035),  # the SROI Guide: year 1 discounted once
        (Discounting("year0", "constant"), 3.5, 1, 1.0),  # the Green Book: year 0 undiscounted
        (Discounting("year0", "constant"), 5.0, 3, 1 / 1.05**2),
        # The declining schedule: 30 steps at 3.5 %, then 3.0 % (year 31), 2.5 % from year 76.
        (GREEN_BOOK, 3.5, 31, 1 / 1.035**30),
        (GREEN_BOOK, 3.5, 32, 1 / 1.035**30 / 1.03),
        (GREEN_BOOK, 3.5, 77, 1 / 1.035**30 / 1.03**45 / 1.025),
        (Discounting("year0", "greenBookHealth"), 1.5, 32, 1 / 1.015**30 / 1.0129),
        # Varying the rate scales the schedule: at 7 % the steps are 7, 6 and 5 %.
        (GREEN_BOOK, 7.0, 32, 1 / 1.07**30 / 1.06),
    ],
)
def test_factor(discounting, rate, year, expected):
    assert factor(rate, discounting, year) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("discounting", [Discounting(), Discounting("year0"), GREEN_BOOK])
def test_the_vectorised_factors_agree(discounting):
    rates = np.array([0.0, 2.0, 3.5, 9.0])
    array = factor_array(rates, discounting, 90)
    for column, rate in enumerate(rates):
        assert array[:, column] == pytest.approx(factors(float(rate), discounting, 90), rel=1e-12)


@pytest.mark.parametrize(
    ("discounting", "inputs_expected"),
    [
        (Discounting("year1"), 100 + 200 / 1.1**2),
        (Discounting("year0"), 100 + 200 / 1.1),
    ],
)
def test_inputs_spread_over_years_are_discounted_like_outcomes(discounting, inputs_expected):
    import dataclasses

    base = impact_map(
        [outcome(quantity=1, proxy=1000, duration=2)],
        [Input("i1", "s2", money=100.0), Input("i2", "s2", money=200.0, year=2)],
        discount_rate=10.0,
    )
    spread = dataclasses.replace(base, discounting=discounting)
    assert total_inputs(spread) == pytest.approx(inputs_expected)
    result = calculate(spread)
    assert result.total_inputs == pytest.approx(inputs_expected)
    first = 1.0 if discounting.discount_from == "year0" else 1 / 1.1
    assert result.total_present_value == pytest.approx(1000 * first + 1000 * first / 1.1)


def test_monte_carlo_uses_the_same_convention():
    import dataclasses

    from civsam.impact.engine.montecarlo import monte_carlo

    base = impact_map(
        [outcome(quantity=1, proxy=1000, duration=40)],
        [Input("i1", "s2", money=100.0), Input("i2", "s2", money=200.0, year=3)],
        discount_rate=3.5,
    )
    spread = dataclasses.replace(base, discounting=GREEN_BOOK)
    result = calculate(spread)
    draws = monte_carlo(spread, draws=10, seed=1)
    assert draws.present_value.mean == pytest.approx(result.total_present_value)
    assert draws.net_present_value.mean == pytest.approx(result.net_present_value)
