"""Sensitivity: one assumption at a time (tornado), break-even values, and Monte Carlo.

One-at-a-time: each assumption is moved to a low and a high value with everything else at base.
The range comes from the assumption's distribution when it has one (minimum and maximum; the 5th
and 95th percentiles of a normal), otherwise from OatSettings: amounts ±20 %, percentages ±10
percentage points (kept within 0–100), durations ±1 year, the discount rate ±2 points.

Break-even: the value of one assumption at which the ratio is exactly 1:1 (NPV = 0). NPV is affine
in quantities, proxies, deadweight, displacement, attribution and every input amount, so those are
solved exactly from two evaluations; drop-off and the discount rate by bisection; a duration is a
whole number of years, so its break-even is the shortest duration that still reaches 1:1.

Monte Carlo lives in montecarlo.py and is re-exported here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .model import (
    INPUT_FIELDS,
    MAX_DURATION_YEARS,
    PERCENT_FIELDS,
    Distribution,
    ImpactMap,
    Outcome,
    assumption_field,
    assumption_label,
    assumption_paths,
    assumption_value,
    locate,
    record_with,
    with_assumption,
)
from .montecarlo import MonteCarloResult, monte_carlo
from .sroi import input_factor, outcome_present_value, total_inputs, total_present_value

__all__ = [
    "BreakEven",
    "MonteCarloResult",
    "OatSettings",
    "Tornado",
    "TornadoBar",
    "break_even",
    "break_evens",
    "monte_carlo",
    "tornado",
]

NORMAL_P95 = 1.6448536269514722  # z of the 95th percentile: the normal's tornado range is p5–p95
AFFINE_FIELDS = frozenset(
    {"quantity", "proxy", "deadweight", "displacement", "attribution", "volunteerHourRate", *INPUT_FIELDS}
)
MAX_WHOLE_YEARS = MAX_DURATION_YEARS
BISECTION_ITERATIONS = 200


@dataclass(frozen=True)
class OatSettings:
    relative: float = 20.0  # per cent of the base value, for amounts
    percentage_points: float = 10.0
    duration_years: int = 1
    discount_rate_points: float = 2.0


@dataclass(frozen=True)
class TornadoBar:
    assumption: str
    label: str
    base_value: float
    low_value: float
    high_value: float
    ratio_at_low: float | None
    ratio_at_high: float | None
    npv_at_low: float
    npv_at_high: float
    swing: float  # |ratio at high − ratio at low|, or of NPV when there are no inputs


@dataclass(frozen=True)
class Tornado:
    base_ratio: float | None
    base_npv: float
    bars: tuple[TornadoBar, ...]  # widest swing first


@dataclass(frozen=True)
class BreakEven:
    assumption: str
    label: str
    base_value: float
    value: float | None  # None: no value of this assumption alone brings the ratio to 1:1
    method: str  # "exact", "bisection" or "whole_years"
    in_domain: bool | None  # is the value a valid setting (a percentage within 0–100, an amount ≥ 0)?


class _Evaluator:
    """NPV with one assumption changed, recomputing only what that assumption touches: one
    outcome's present value, or the inputs; a global assumption recomputes everything. Keeps the
    tornado and the break-even solvers linear in the size of the map."""

    def __init__(self, impact_map: ImpactMap):
        self.map = impact_map
        self.present_values = [outcome_present_value(o, impact_map) for o in impact_map.outcomes]
        self.total_present_value = sum(self.present_values)
        self.inputs = total_inputs(impact_map)

    def pv_and_inputs(self, path: str, value: float) -> tuple[float, float]:
        located = locate(self.map, path)
        if located is not None:
            index, record, name = located
            if isinstance(record, Outcome):
                changed = outcome_present_value(record_with(record, name, value), self.map)
                return self.total_present_value - self.present_values[index] + changed, self.inputs
            rate = self.map.volunteer_hour_rate
            factor = input_factor(record, self.map)
            changed = record_with(record, name, value).value(rate) * factor
            return self.total_present_value, self.inputs - record.value(rate) * factor + changed
        changed_map = with_assumption(self.map, path, value)
        return total_present_value(changed_map), total_inputs(changed_map)

    def npv(self, path: str, value: float) -> float:
        pv, inputs = self.pv_and_inputs(path, value)
        return pv - inputs

    def ratio_and_npv(self, path: str, value: float) -> tuple[float | None, float]:
        pv, inputs = self.pv_and_inputs(path, value)
        return (pv / inputs if inputs else None), pv - inputs


def distribution_range(distribution: Distribution) -> tuple[float, float]:
    if distribution.kind == "normal":
        mean = distribution.parameter("mean")
        spread = NORMAL_P95 * (distribution.sd or 0.0)
        return mean - spread, mean + spread
    return distribution.parameter("minimum"), distribution.parameter("maximum")


def oat_range(
    impact_map: ImpactMap, path: str, settings: OatSettings, distribution: Distribution | None = None
) -> tuple[float, float]:
    if distribution is not None:
        return distribution_range(distribution)
    base = assumption_value(impact_map, path)
    name = assumption_field(path)
    if name == "discountRate":
        return max(0.0, base - settings.discount_rate_points), base + settings.discount_rate_points
    if name in PERCENT_FIELDS:
        return max(0.0, base - settings.percentage_points), min(100.0, base + settings.percentage_points)
    if name == "duration":
        return max(1, base - settings.duration_years), base + settings.duration_years
    spread = abs(base) * settings.relative / 100
    return base - spread, base + spread


def tornado(impact_map: ImpactMap, settings: OatSettings | None = None, paths: list[str] | None = None) -> Tornado:
    settings = settings or OatSettings()
    distributions = {d.assumption: d for d in impact_map.distributions}
    evaluator = _Evaluator(impact_map)
    inputs = evaluator.inputs
    base_npv = evaluator.total_present_value - inputs
    base_ratio = evaluator.total_present_value / inputs if inputs else None
    bars = []
    for path in paths if paths is not None else assumption_paths(impact_map):
        low, high = oat_range(impact_map, path, settings, distributions.get(path))
        ratio_low, npv_low = evaluator.ratio_and_npv(path, low)
        ratio_high, npv_high = evaluator.ratio_and_npv(path, high)
        if ratio_low is not None and ratio_high is not None:
            swing = abs(ratio_high - ratio_low)
        else:
            swing = abs(npv_high - npv_low)
        bars.append(
            TornadoBar(
                assumption=path,
                label=assumption_label(impact_map, path),
                base_value=assumption_value(impact_map, path),
                low_value=low,
                high_value=high,
                ratio_at_low=ratio_low,
                ratio_at_high=ratio_high,
                npv_at_low=npv_low,
                npv_at_high=npv_high,
                swing=swing,
            )
        )
    bars.sort(key=lambda bar: (-bar.swing, bar.assumption))
    return Tornado(base_ratio=base_ratio, base_npv=base_npv, bars=tuple(bars))


def bisect(
    function: Callable[[float], float], low: float, high: float, *, iterations: int = BISECTION_ITERATIONS
) -> float | None:
    """A root of a continuous function on [low, high], or None when its ends have the same sign."""
    f_low, f_high = function(low), function(high)
    if f_low == 0:
        return low
    if f_high == 0:
        return high
    if (f_low > 0) == (f_high > 0):
        return None
    for _step in range(iterations):
        middle = (low + high) / 2
        if middle in (low, high):
            break
        f_middle = function(middle)
        if f_middle == 0:
            return middle
        if (f_middle > 0) == (f_low > 0):
            low, f_low = middle, f_middle
        else:
            high = middle
    return (low + high) / 2


def _in_domain(name: str, value: float, base: float) -> bool:
    if name in PERCENT_FIELDS:
        return 0 <= value <= 100
    if name == "proxy":
        # A negative proxy values a negative outcome, so either sign is a valid setting, but a break-
        # even that turns a benefit into a cost (or back) is no longer the same outcome.
        return math.isfinite(value) and (base == 0 or value == 0 or (value > 0) == (base > 0))
    return value >= 0


def break_even(impact_map: ImpactMap, path: str, evaluator: _Evaluator | None = None) -> BreakEven:
    name = assumption_field(path)
    base = assumption_value(impact_map, path)
    label = assumption_label(impact_map, path)
    evaluator = evaluator or _Evaluator(impact_map)

    def npv_at(value: float) -> float:
        return evaluator.npv(path, value)

    if name in AFFINE_FIELDS:
        at_zero, at_one = npv_at(0.0), npv_at(1.0)
        slope = at_one - at_zero
        if slope == 0:
            return BreakEven(path, label, base, None, "exact", None)
        value = -at_zero / slope
        # One Newton step: the two-point slope loses digits when it is tiny next to the NPV
        # (a break-even far outside the domain), and the step wins them back.
        value -= npv_at(value) / slope
        return BreakEven(path, label, base, value, "exact", _in_domain(name, value, base))
    if name == "duration":
        for years in range(1, MAX_WHOLE_YEARS + 1):
            if npv_at(years) >= 0:
                return BreakEven(path, label, base, float(years), "whole_years", True)
        return BreakEven(path, label, base, None, "whole_years", None)
    high = 1000.0 if name == "discountRate" else 100.0
    found = bisect(npv_at, 0.0, high)
    return BreakEven(path, label, base, found, "bisection", None if found is None else _in_domain(name, found, base))


def break_evens(impact_map: ImpactMap, paths: list[str] | None = None) -> list[BreakEven]:
    evaluator = _Evaluator(impact_map)
    return [
        break_even(impact_map, path, evaluator)
        for path in (paths if paths is not None else assumption_paths(impact_map))
    ]
