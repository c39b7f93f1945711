"""What an analysis will cost, known before it runs: its years, its sensitivity steps and its work.

Three parts of an analysis grow with the map (docs/adr/0075-bounded-social-value-calculations.md):

- the Monte Carlo builds a years × outcomes × draws array, a chunk at a time, in numpy;
- the tornado and the break-even search evaluate one assumption at a time in pure Python (the
  *sensitivity steps*), each evaluation costing the years of what it changes: one outcome's years,
  or every outcome's for the discount rate and the volunteer hour rate;
- sampling draws one column of values per distribution.

The estimate counts all three in one unit, the *work unit*: one outcome-year of one Monte Carlo
draw, about 5–10 nanoseconds of numpy. A sensitivity step weighs STEP_WEIGHT units and each
outcome-year it evaluates PYTHON_WEIGHT more; a drawn value weighs SAMPLE_WEIGHT units (the PERT
distribution, the dearest to draw). The weights were measured with bench/sroi_calculation_bench.py
--calibrate (docs/performance.md). The sensitivity steps are counted as an upper bound (bisection at
its iteration cap, the search for a whole-year duration to its end), the Monte Carlo exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import INPUT_FIELDS, MAX_DURATION_YEARS, OUTCOME_FIELDS, Distribution, ImpactMap, Outcome
from .sensitivity import AFFINE_FIELDS, BISECTION_ITERATIONS, MAX_WHOLE_YEARS

# In work units (one outcome-year of one Monte Carlo draw); measured on 2026-12-06, see above.
STEP_WEIGHT = 500  # one evaluation of one assumption, beside its years (about 4 µs)
PYTHON_WEIGHT = 20  # one outcome-year evaluated in Python (about 150 ns)
SAMPLE_WEIGHT = 10  # one drawn value (about 90 ns for a PERT, 20 for a normal)
# The deterministic figures and their JSON: the years of every outcome, a few times over.
DETERMINISTIC_PASSES = 6
# A normal distribution has no top; its draws are counted up to the mean plus this many standard
# deviations (beyond it lies one draw in a billion).
NORMAL_REACH = 6.0
TORNADO_STEPS = 2
AFFINE_STEPS = 3  # at 0, at 1, and one Newton step
BISECTION_STEPS = 2 + BISECTION_ITERATIONS  # both ends, then the iterations at most


@dataclass(frozen=True)
class Cost:
    outcomes: int
    years: int  # the last year any outcome can reach, drawn durations included
    draws: int
    distributions: int
    sensitivity_steps: int  # evaluations of one assumption, by the tornado and the break-even search
    work: int  # in work units


def duration_reach(distribution: Distribution) -> float:
    """The longest duration a distribution of a duration can draw (draws are whole years, 1 to
    MAX_DURATION_YEARS)."""
    if distribution.kind == "normal":
        top = distribution.parameter("mean") + NORMAL_REACH * (distribution.sd or 0.0)
    else:
        top = distribution.parameter("maximum")
    return min(float(MAX_DURATION_YEARS), max(1.0, round(top)))


def outcome_reach(impact_map: ImpactMap) -> dict[str, int]:
    """Per outcome id, the last year it can reach: its own, or longer with a drawn duration."""
    reach = {outcome.id: outcome.last_year for outcome in impact_map.outcomes}
    starts = {outcome.id: outcome.start_year for outcome in impact_map.outcomes}
    for distribution in impact_map.distributions:
        parts = distribution.assumption.split(".")
        if len(parts) == 3 and parts[0] == "outcomes" and parts[2] == "duration" and parts[1] in reach:
            drawn = starts[parts[1]] - 1 + int(duration_reach(distribution))
            reach[parts[1]] = max(reach[parts[1]], drawn)
    return reach


def _outcome_steps(outcome: Outcome, reach: int) -> tuple[int, int]:
    """(steps, outcome-years) of the tornado and the break-even search over one outcome's fields."""
    years = outcome.last_year
    steps = 0
    evaluated = 0
    for name in OUTCOME_FIELDS:
        steps += TORNADO_STEPS
        evaluated += TORNADO_STEPS * reach
        if name == "duration":
            # Every whole number of years up to the cap, each evaluated over its own years.
            steps += MAX_WHOLE_YEARS
            evaluated += MAX_WHOLE_YEARS * (outcome.start_year - 1) + MAX_WHOLE_YEARS * (MAX_WHOLE_YEARS + 1) // 2
        elif name in AFFINE_FIELDS:
            steps += AFFINE_STEPS
            evaluated += AFFINE_STEPS * years
        else:  # drop-off: bisection
            steps += BISECTION_STEPS
            evaluated += BISECTION_STEPS * years
    return steps, evaluated


def estimate(impact_map: ImpactMap, *, draws: int | None) -> Cost:
    """The size and the work of analyse(impact_map, draws=draws), before running it."""
    reach = outcome_reach(impact_map)
    horizon = max(reach.values(), default=0)
    all_years = sum(outcome.last_year for outcome in impact_map.outcomes)
    steps = 0
    python_years = DETERMINISTIC_PASSES * len(impact_map.outcomes) * max(horizon, 1)
    for outcome in impact_map.outcomes:
        outcome_steps, outcome_years = _outcome_steps(outcome, reach[outcome.id])
        steps += outcome_steps
        python_years += outcome_years
    # The discount rate (bisection) and the volunteer hour rate (affine) recompute every outcome.
    global_steps = TORNADO_STEPS + BISECTION_STEPS
    if impact_map.volunteer_hour_rate is not None:
        global_steps += TORNADO_STEPS + AFFINE_STEPS
    steps += global_steps
    python_years += global_steps * max(all_years, 1)
    # An input's parts are affine and touch no years.
    parts = sum(1 for item in impact_map.inputs for attr in INPUT_FIELDS.values() if getattr(item, attr))
    steps += parts * (TORNADO_STEPS + AFFINE_STEPS)
    draws = draws or 0
    distributions = len(impact_map.distributions)
    work = STEP_WEIGHT * steps + PYTHON_WEIGHT * python_years
    if draws:
        work += draws * len(impact_map.outcomes) * max(horizon, 1) + SAMPLE_WEIGHT * draws * distributions
    return Cost(
        outcomes=len(impact_map.outcomes),
        years=horizon,
        draws=draws,
        distributions=distributions,
        sensitivity_steps=steps,
        work=work,
    )
