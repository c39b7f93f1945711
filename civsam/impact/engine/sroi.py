"""The deterministic SROI calculation, following the conventions of the SROI Guide (2012).

impact         = quantity × proxy × (1 − deadweight) × (1 − displacement) × (1 − attribution)
value, year 1  = impact                                        (of the outcome: its start year)
value, year n  = value in year n−1 × (1 − drop-off)            (n = 2 … duration)
PV             = Σ value_t / (1 + r)^t                         (t = 1 … horizon, from the analysis's year 1)
inputs         = Σ money + in-kind + hours × rate              (undiscounted)
SROI ratio     = PV / inputs;  NPV = PV − inputs;  net SROI ratio = NPV / inputs
payback months = inputs / (annual impact / 12), annual impact = Σ first-year values (undiscounted)

Floats throughout: the published impact maps are spreadsheets, so float64 reproduces them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .model import ImpactMap, Input, Outcome


@dataclass(frozen=True)
class OutcomeResult:
    id: str
    stakeholder: str
    impact: float  # the value in its first year (its start year)
    values: tuple[float, ...]  # per year 1..horizon, 0 after the outcome's duration
    present_values: tuple[float, ...]
    present_value: float
    share_of_present_value: float | None  # of the total PV; None when the total is not positive


@dataclass(frozen=True)
class InputResult:
    id: str
    stakeholder: str
    value: float


@dataclass(frozen=True)
class StakeholderResult:
    id: str
    name: str
    inputs: float
    present_value: float


@dataclass(frozen=True)
class YearResult:
    year: int
    value: float
    discount_factor: float
    present_value: float
    cumulative_present_value: float


@dataclass(frozen=True)
class SroiResult:
    currency: str
    discount_rate: float
    horizon: int
    total_inputs: float
    annual_impact: float
    total_value: float  # undiscounted, over all years
    total_present_value: float
    net_present_value: float
    sroi_ratio: float | None  # None when there are no inputs
    net_sroi_ratio: float | None
    payback_months: float | None  # the Guide's convention; None when the annual impact is not positive
    payback_months_discounted: float | None  # when the cumulative PV reaches the inputs; None if never
    outcomes: tuple[OutcomeResult, ...]
    inputs: tuple[InputResult, ...]
    stakeholders: tuple[StakeholderResult, ...]
    years: tuple[YearResult, ...]


def outcome_impact(outcome: Outcome) -> float:
    return (
        outcome.quantity
        * outcome.proxy
        * (1 - outcome.deadweight / 100)
        * (1 - outcome.displacement / 100)
        * (1 - outcome.attribution / 100)
    )


def outcome_values(outcome: Outcome) -> list[float]:
    """The value in each year from year 1 to the outcome's last year: nothing before its start
    year, then the impact, with drop-off applied from its second year to the year before's value."""
    values: list[float] = [0.0] * (outcome.start_year - 1)
    value = outcome_impact(outcome)
    for year in range(1, outcome.duration + 1):
        if year > 1:
            value = value * (1 - outcome.drop_off / 100)
        values.append(value)
    return values


def discount_factor(rate_percent: float, year: int) -> float:
    return 1 / (1 + rate_percent / 100) ** year


def present_value(values: Sequence[float], rate_percent: float) -> float:
    return sum(value * discount_factor(rate_percent, year) for year, value in enumerate(values, start=1))


def total_inputs(impact_map: ImpactMap) -> float:
    return sum(item.value(impact_map.volunteer_hour_rate) for item in impact_map.inputs)


def total_present_value(impact_map: ImpactMap) -> float:
    rate = impact_map.discount_rate
    return sum(present_value(outcome_values(outcome), rate) for outcome in impact_map.outcomes)


def net_present_value(impact_map: ImpactMap) -> float:
    """PV − inputs, without the breakdowns: the quantity the sensitivity solvers work on."""
    return total_present_value(impact_map) - total_inputs(impact_map)


def ratio(present: float, inputs: float) -> float | None:
    return present / inputs if inputs else None


def payback_months(inputs: float, annual_impact: float) -> float | None:
    """The Guide's payback period: inputs / (annual impact / 12)."""
    if annual_impact <= 0:
        return None
    return inputs / (annual_impact / 12)


def _discounted_payback(inputs: float, cumulative: Sequence[float], present: Sequence[float]) -> float | None:
    if inputs <= 0:
        return 0.0
    previous = 0.0
    for index, (running, this_year) in enumerate(zip(cumulative, present, strict=True)):
        if running >= inputs and this_year > 0:
            # Linear within the year in which the cumulative PV passes the inputs.
            return 12 * index + 12 * (inputs - previous) / this_year
        previous = running
    return None


def calculate(impact_map: ImpactMap) -> SroiResult:
    rate = impact_map.discount_rate
    horizon = impact_map.horizon
    factors = [discount_factor(rate, year) for year in range(1, horizon + 1)]

    rows = []
    for outcome in impact_map.outcomes:
        values = outcome_values(outcome)
        padded = values + [0.0] * (horizon - len(values))
        discounted = [value * factor for value, factor in zip(padded, factors, strict=True)]
        rows.append((outcome, padded, discounted, sum(discounted)))

    total_pv = sum(row[3] for row in rows)
    inputs = tuple(
        InputResult(id=item.id, stakeholder=item.stakeholder, value=item.value(impact_map.volunteer_hour_rate))
        for item in impact_map.inputs
    )
    inputs_total = sum(item.value for item in inputs)
    outcomes = tuple(
        OutcomeResult(
            id=outcome.id,
            stakeholder=outcome.stakeholder,
            impact=outcome_impact(outcome),  # its first year's value, whichever year that is
            values=tuple(values),
            present_values=tuple(discounted),
            present_value=pv,
            share_of_present_value=pv / total_pv if total_pv > 0 else None,
        )
        for outcome, values, discounted, pv in rows
    )

    years = []
    cumulative = 0.0
    for index in range(horizon):
        value = sum(row[1][index] for row in rows)
        pv = sum(row[2][index] for row in rows)
        cumulative += pv
        years.append(YearResult(index + 1, value, factors[index], pv, cumulative))

    stakeholder_ids = [s.id for s in impact_map.stakeholders]
    records: tuple[Input | Outcome, ...] = (*impact_map.inputs, *impact_map.outcomes)
    for item in records:
        if item.stakeholder not in stakeholder_ids:
            stakeholder_ids.append(item.stakeholder)
    stakeholders = tuple(
        StakeholderResult(
            id=sid,
            name=impact_map.stakeholder_name(sid),
            inputs=sum(item.value for item in inputs if item.stakeholder == sid),
            present_value=sum(o.present_value for o in outcomes if o.stakeholder == sid),
        )
        for sid in stakeholder_ids
    )

    annual = sum(outcome.impact for outcome in outcomes)
    npv = total_pv - inputs_total
    return SroiResult(
        currency=impact_map.currency,
        discount_rate=rate,
        horizon=horizon,
        total_inputs=inputs_total,
        annual_impact=annual,
        total_value=sum(year.value for year in years),
        total_present_value=total_pv,
        net_present_value=npv,
        sroi_ratio=ratio(total_pv, inputs_total),
        net_sroi_ratio=ratio(npv, inputs_total),
        payback_months=payback_months(inputs_total, annual),
        payback_months_discounted=_discounted_payback(
            inputs_total, [y.cumulative_present_value for y in years], [y.present_value for y in years]
        ),
        outcomes=outcomes,
        inputs=inputs,
        stakeholders=stakeholders,
        years=tuple(years),
    )
