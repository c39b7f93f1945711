"""Discounting conventions: from which year discounting starts, and a constant rate or a
declining schedule (docs/adr/0144-sroi-discounting-conventions.md).

Engine years are numbered 1 … horizon (year 1 is the analysis's first year). Under the SROI
Guide's habit ("year1") year t is discounted t years; under the Green Book's convention ("year0")
the first year is year 0 and is not discounted, so year t is discounted t − 1 years.

A schedule is a list of (from year, rate %) steps in the Green Book's sense: the rate of the step
in force for year k discounts from year k − 1 to year k, so the factor of year n is
Π_{k=1..n} 1 / (1 + r_k). When the map's discount rate is varied (tornado, break-even, Monte
Carlo), every step is scaled in proportion to it: the schedule keeps its shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

DiscountFrom = Literal["year0", "year1"]

# Named schedules with their sources. Rates in per cent, from the year they apply.
SCHEDULES: dict[str, tuple[tuple[int, float], ...]] = {
    # HM Treasury, The Green Book (2022), Table 8 and Annex A6: 3.5 % years 0–30, 3.0 % 31–75, 2.5 % 76–125.
    "greenBook": ((0, 3.5), (31, 3.0), (76, 2.5)),
    # The Green Book (2022), Table 8: the health discount rate 1.5 %, 1.29 %, 1.07 % for the same periods.
    "greenBookHealth": ((0, 1.5), (31, 1.29), (76, 1.07)),
    # Trafikverket, Analysmetod och samhällsekonomiska kalkylvärden för transportsektorn: ASEK 7.0
    # (2020), kapitel 5: real kalkylränta 3,5 % för alla år.
    "asek": ((0, 3.5),),
}
SCHEDULE_SOURCES: dict[str, str] = {
    "constant": "",
    "greenBook": "HM Treasury, The Green Book (2022), Table 8",
    "greenBookHealth": "HM Treasury, The Green Book (2022), Table 8 (health)",
    "asek": "Trafikverket, ASEK 7.0 (2020), kapitel 5",
}
ScheduleName = Literal["constant", "greenBook", "greenBookHealth", "asek"]


@dataclass(frozen=True)
class Discounting:
    discount_from: DiscountFrom = "year1"
    schedule: ScheduleName = "constant"

    @property
    def steps(self) -> tuple[tuple[int, float], ...]:
        return SCHEDULES.get(self.schedule, ())

    @property
    def base_rate(self) -> float | None:
        """The rate a named schedule starts with; None for a constant rate (the map's own)."""
        steps = self.steps
        return steps[0][1] if steps else None

    def exponent(self, year: int) -> int:
        """How many years an engine year (1 = the first) is discounted."""
        return max(0, year - 1) if self.discount_from == "year0" else year

    def scales(self, steps: int) -> list[float]:
        """Per step k = 1 … steps: the step's rate relative to the schedule's first rate."""
        schedule = self.steps
        if not schedule:
            return [1.0] * steps
        first = schedule[0][1]
        out = []
        for k in range(1, steps + 1):
            rate = first
            for start, step_rate in schedule:
                if k >= start:
                    rate = step_rate
            out.append(rate / first if first else 1.0)
        return out

    def rates(self, rate: float) -> list[tuple[int, float]]:
        """The (from year, rate) steps in force for a map whose discount rate is `rate`."""
        schedule = self.steps
        if not schedule:
            return [(0, rate)]
        first = schedule[0][1]
        return [(start, step * rate / first if first else rate) for start, step in schedule]


CONSTANT_YEAR1 = Discounting()


def factors(rate: float, discounting: Discounting, years: int) -> list[float]:
    """The discount factor of engine years 1 … years."""
    return [factor(rate, discounting, year) for year in range(1, years + 1)]


def factor(rate: float, discounting: Discounting, year: int) -> float:
    exponent = discounting.exponent(year)
    if not discounting.steps:
        return 1 / (1 + rate / 100) ** exponent
    value = 1.0
    for scale in discounting.scales(exponent):
        value /= 1 + rate * scale / 100
    return value


def factor_array(rate: np.ndarray, discounting: Discounting, years: int) -> np.ndarray:
    """Factors for engine years 1 … years and each rate: an array (years, len(rate))."""
    exponents = np.array([discounting.exponent(year) for year in range(1, years + 1)]).reshape(years, 1)
    if not discounting.steps:
        result: np.ndarray = (1 + rate[None, :] / 100) ** -exponents
        return result
    longest = int(exponents.max()) if years else 0
    scales = np.array(discounting.scales(longest)).reshape(-1, 1)
    cumulative = np.vstack([np.ones((1, rate.shape[0])), np.cumprod(1 / (1 + rate[None, :] * scales / 100), axis=0)])
    chosen: np.ndarray = cumulative[exponents[:, 0]]
    return chosen
