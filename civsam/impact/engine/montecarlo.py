"""Monte Carlo over the impact map, vectorised with numpy.

Every assumption with a distribution gets one column of draws (in the order the distributions are
listed, from numpy.random.default_rng(seed), so a seed reproduces the run). The values are then
built as a years × draws × outcomes array, a chunk of draws at a time to bound memory, with the
same recurrence as the deterministic calculation: year 1 = impact, year n = year n−1 × (1 − drop-off).

Draws are kept within each assumption's domain: percentages are clipped to 0–100, the discount
rate to ≥ 0 and durations are rounded to whole years from 1 to MAX_DURATION_YEARS (the longest a
map may state, which also bounds the years the array spans). Quantities and proxies are not
clipped (a negative proxy is a negative outcome).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np

from .discounting import factor_array
from .model import MAX_DURATION_YEARS, OUTCOME_FIELDS, PERCENT_FIELDS, Distribution, ImpactMap, Input

DEFAULT_PERCENTILES = (5.0, 10.0, 25.0, 50.0, 75.0, 90.0, 95.0)
DEFAULT_CHUNK = 20_000
CHUNK_ELEMENTS = 4_000_000
HISTOGRAM_BINS = 30


@dataclass(frozen=True)
class Summary:
    mean: float
    sd: float
    minimum: float
    maximum: float
    percentiles: dict[str, float]  # "5" -> value


@dataclass(frozen=True)
class MonteCarloResult:
    draws: int
    seed: int
    ratio: Summary | None  # None when inputs can be zero
    present_value: Summary
    net_present_value: Summary
    probability_ratio_below_one: float  # share of draws with NPV < 0
    ratio_histogram: tuple[tuple[float, ...], tuple[int, ...]] | None  # (bin edges, counts)
    mean_present_value_by_year: tuple[float, ...]


def sample(distribution: Distribution, size: int, rng: np.random.Generator) -> np.ndarray:
    """Draws from one distribution; degenerate ones (zero width or sd) return the constant."""
    kind = distribution.kind
    if kind == "normal":
        return rng.normal(distribution.parameter("mean"), distribution.parameter("sd"), size)
    low, high = float(distribution.parameter("minimum")), float(distribution.parameter("maximum"))
    if kind == "uniform":
        return rng.uniform(low, high, size)
    mode = float(distribution.parameter("mode"))
    width = high - low
    if width == 0:  # numpy's triangular and beta need a positive width
        return np.full(size, low)
    if kind == "triangular":
        return rng.triangular(low, mode, high, size)
    if kind == "pert":
        alpha = 1 + distribution.lam * (mode - low) / width
        beta = 1 + distribution.lam * (high - mode) / width
        return low + width * rng.beta(alpha, beta, size)
    raise ValueError(f"unknown distribution kind {kind!r}")


def _summary(values: np.ndarray, percentiles: tuple[float, ...]) -> Summary:
    points = np.percentile(values, percentiles)
    return Summary(
        mean=float(values.mean()),
        sd=float(values.std(ddof=1)) if values.size > 1 else 0.0,
        minimum=float(values.min()),
        maximum=float(values.max()),
        percentiles={f"{p:g}": float(v) for p, v in zip(percentiles, points, strict=True)},
    )


class _Draws:
    """The assumption draws: one column per distribution, kept apart from the base values.

    Rows for a chunk of draws are assembled on demand: an (outcomes, chunk) array where a field
    varies, the (outcomes, 1) base column where it does not. Memory so grows with the number of
    distributions, never with outcomes × draws."""

    def __init__(self, impact_map: ImpactMap, draws: int, rng: np.random.Generator):
        self.map = impact_map
        self.draws = draws
        self.base = {
            name: np.array([float(getattr(o, attr)) for o in impact_map.outcomes]).reshape(-1, 1)
            for name, attr in OUTCOME_FIELDS.items()
        }
        self.varying: dict[str, dict[int, np.ndarray]] = {name: {} for name in OUTCOME_FIELDS}
        self.input_draws: dict[int, dict[str, np.ndarray]] = {}
        self.hour_rate: np.ndarray | None = None
        self.discount_rate = np.array([float(impact_map.discount_rate)])
        self.starts = np.array([o.start_year for o in impact_map.outcomes], dtype=int)
        # The KPI index of each proxy, and nothing for a transfer (left out of the societal total).
        self.counted = np.array([0.0 if o.transfer else o.proxy_index for o in impact_map.outcomes]).reshape(-1, 1)
        outcome_index = {o.id: i for i, o in enumerate(impact_map.outcomes)}
        input_index = {item.id: i for i, item in enumerate(impact_map.inputs)}

        for distribution in impact_map.distributions:
            column = sample(distribution, draws, rng)
            parts = distribution.assumption.split(".")
            name = parts[-1]
            if name == "discountRate":
                self.discount_rate = np.maximum(column, 0.0)
            elif name == "volunteerHourRate":
                self.hour_rate = column
            elif parts[0] == "outcomes":
                if name in PERCENT_FIELDS:
                    np.clip(column, 0.0, 100.0, out=column)
                elif name == "duration":
                    column = np.clip(np.rint(column), 1.0, float(MAX_DURATION_YEARS))
                self.varying[name][outcome_index[parts[1]]] = column
            else:
                self.input_draws.setdefault(input_index[parts[1]], {})[name] = column

    def rows(self, name: str, start: int, stop: int) -> np.ndarray:
        varying = self.varying[name]
        if not varying:
            return self.base[name]
        rows = np.empty((self.base[name].shape[0], stop - start))
        rows[:] = self.base[name]
        for index, column in varying.items():
            rows[index] = column[start:stop]
        return rows

    def input_factor(self, item: Input) -> np.ndarray | float:
        """The discount factor of an input spent in a later year, per draw when the rate is drawn."""
        if item.year is None:
            return 1.0
        column = factor_array(self.discount_rate, self.map.discounting, item.year)[-1]
        return column if column.shape[0] > 1 else float(column[0])

    def total_inputs(self) -> np.ndarray:
        """Per draw: the base total, corrected for each input some distribution touches."""
        default_rate = self.map.volunteer_hour_rate or 0.0
        total = np.full(1, sum(item.value(default_rate) for item in self.map.inputs))
        for index, item in enumerate(self.map.inputs):
            drawn = self.input_draws.get(index, {})
            factor = self.input_factor(item)
            if item.year is not None:
                total = total - item.value(default_rate) + item.value(default_rate) * factor
            # An input's own hourly rate, drawn or given, wins over the map's drawn rate.
            follows_map_rate = self.hour_rate is not None and item.hourly_rate is None and "hourlyRate" not in drawn
            if not drawn and not (follows_map_rate and item.volunteer_hours):
                continue
            rate: np.ndarray | float
            if "hourlyRate" in drawn:
                rate = drawn["hourlyRate"]
            elif follows_map_rate and self.hour_rate is not None:
                rate = self.hour_rate
            else:
                rate = item.hourly_rate if item.hourly_rate is not None else default_rate
            value = (
                drawn.get("money", item.money)
                + drawn.get("inKind", item.in_kind)
                + drawn.get("volunteerHours", item.volunteer_hours) * rate
            )
            total = total - item.value(default_rate) * factor + value * factor
        return total


def _present_values(draws: _Draws, start: int, stop: int, horizon: int) -> np.ndarray:
    """PV per year for draws[start:stop]: an array (horizon, chunk), from values (horizon, outcomes, chunk)."""
    size = stop - start

    def rows(name: str) -> np.ndarray:
        return draws.rows(name, start, stop)

    impact = rows("quantity") * rows("proxy") * draws.counted
    for name in ("deadweight", "displacement", "attribution"):
        impact = impact * (1 - rows(name) / 100)
    keep = 1 - rows("dropOff") / 100
    values = np.empty((horizon, impact.shape[0], size))
    values[0] = impact
    for year in range(1, horizon):
        np.multiply(values[year - 1], keep, out=values[year])
    durations = rows("duration")
    if durations.shape[1] > 1 or durations.min() < horizon:
        years = np.arange(1, horizon + 1).reshape(horizon, 1, 1)
        values *= years <= durations[None, :, :]  # zero after each outcome's duration
    # So far year k is the outcome's own k-th year; an outcome that starts in year s moves s − 1
    # years later, with nothing before it.
    if (draws.starts > 1).any():
        shifted = np.zeros_like(values)
        for start_year in np.unique(draws.starts):
            offset = int(start_year) - 1
            columns = np.nonzero(draws.starts == start_year)[0]
            shifted[offset:, columns, :] = values[: horizon - offset, columns, :]
        values = shifted
    rate = draws.discount_rate if draws.discount_rate.shape[0] == 1 else draws.discount_rate[start:stop]
    factors = factor_array(rate, draws.map.discounting, horizon)  # (horizon, 1 or chunk)
    by_year: np.ndarray = values.sum(axis=1) * factors
    return by_year


def monte_carlo(
    impact_map: ImpactMap,
    *,
    draws: int,
    seed: int | None = None,
    percentiles: tuple[float, ...] = DEFAULT_PERCENTILES,
    chunk: int = DEFAULT_CHUNK,
) -> MonteCarloResult:
    if draws < 1:
        raise ValueError("draws must be at least 1")
    if seed is None:
        # Reported, so that a run can be repeated. A SeedSequence made without entropy draws an int.
        seed = int(cast(int, np.random.SeedSequence().entropy) % 2**32)
    rng = np.random.default_rng(seed)
    table = _Draws(impact_map, draws, rng)
    # At least the map's own horizon, so that the years line up with the deterministic result; the
    # last year an outcome can reach is its start year − 1 + its longest drawn duration.
    drawn_last_years = [
        int(table.starts[index]) - 1 + int(column.max()) for index, column in table.varying["duration"].items()
    ]
    horizon = max([impact_map.horizon, *drawn_last_years])
    # Bound the years × outcomes × draws array of one chunk (about 32 MB); the size of a chunk
    # does not change the result.
    chunk = max(1, min(chunk, CHUNK_ELEMENTS // max(1, horizon * len(impact_map.outcomes))))

    pv = np.zeros(draws)
    by_year_total = np.zeros(horizon)
    for start in range(0, draws, chunk):
        stop = min(draws, start + chunk)
        if horizon:
            by_year = _present_values(table, start, stop, horizon)
            pv[start:stop] = by_year.sum(axis=0)
            by_year_total += by_year.sum(axis=1)
    inputs = np.broadcast_to(table.total_inputs(), (draws,))
    npv = pv - inputs

    ratio_summary = None
    histogram = None
    if np.all(inputs > 0):
        ratios = pv / inputs
        ratio_summary = _summary(ratios, percentiles)
        counts, edges = np.histogram(ratios, bins=HISTOGRAM_BINS)
        histogram = (tuple(float(e) for e in edges), tuple(int(c) for c in counts))
    return MonteCarloResult(
        draws=draws,
        seed=seed,
        ratio=ratio_summary,
        present_value=_summary(pv, percentiles),
        net_present_value=_summary(npv, percentiles),
        probability_ratio_below_one=float(np.mean(npv < 0)),
        ratio_histogram=histogram,
        mean_present_value_by_year=tuple(float(v) for v in by_year_total / draws),
    )
