"""The deterministic SROI calculation, following the conventions of the SROI Guide (2012).

impact         = quantity × proxy × (1 − deadweight) × (1 − displacement) × (1 − attribution)
value, year 1  = impact                                        (of the outcome: its start year)
value, year n  = value in year n−1 × (1 − drop-off)            (n = 2 … duration)
PV             = Σ value_t × DF_t                              (t = 1 … horizon, from the analysis's year 1)
DF_t           = 1 / (1 + r)^t, or (1 + r)^−(t−1) from year 0; a declining schedule multiplies the
                 steps (discounting.py)
inputs         = Σ money + in-kind + hours × rate              (undiscounted, or × DF of its year)
transfers      = outcomes marked as transfers: in their stakeholder's view, left out of the totals
SROI ratio     = PV / inputs;  NPV = PV − inputs;  net SROI ratio = NPV / inputs
payback months = inputs / (annual impact / 12), annual impact = Σ first-year values (undiscounted)

Floats throughout: the published impact maps are spreadsheets, so float64 reproduces them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from . import discounting as disc
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
    transfer: bool = False


@dataclass(frozen=True)
class InputResult:
    id: str
    stakeholder: str
    value: float
    present_value: float = 0.0


@dataclass(frozen=True)
class StakeholderResult:
    id: str
    name: str
    inputs: float
    present_value: float
    transfers: float = 0.0  # the present value of transfers to (or from, when negative) the stakeholder


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
    transfers_present_value: float = 0.0  # left out of the totals above


def outcome_impact(outcome: Outcome) -> float:
    return (
        outcome.quantity
        * outcome.proxy
        * outcome.proxy_index
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


def discount_factor(rate_percent: float, year: int, discounting: disc.Discounting = disc.CONSTANT_YEAR1) -> float:
    return disc.factor(rate_percent, discounting, year)


def present_value(
    values: Sequence[float], rate_percent: float, discounting: disc.Discounting = disc.CONSTANT_YEAR1
) -> float:
    return sum(value * discount_factor(rate_percent, year, discounting) for year, value in enumerate(values, start=1))


def input_factor(item: Input, impact_map: ImpactMap) -> float:
    if item.year is None:
        return 1.0
    return discount_factor(impact_map.discount_rate, item.year, impact_map.discounting)


def input_present_value(item: Input, impact_map: ImpactMap) -> float:
    return item.value(impact_map.volunteer_hour_rate) * input_factor(item, impact_map)


def total_inputs(impact_map: ImpactMap) -> float:
    return sum(input_present_value(item, impact_map) for item in impact_map.inputs)


def outcome_present_value(outcome: Outcome, impact_map: ImpactMap) -> float:
    """Its contribution to the societal total: nothing for a transfer."""
    if outcome.transfer:
        return 0.0
    return present_value(outcome_values(outcome), impact_map.discount_rate, impact_map.discounting)


def total_present_value(impact_map: ImpactMap) -> float:
    return sum(outcome_present_value(outcome, impact_map) for outcome in impact_map.outcomes)


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
    factors = disc.factors(rate, impact_map.discounting, horizon)

    rows = []
    for outcome in impact_map.outcomes:
        values = outcome_values(outcome)
        padded = values + [0.0] * (horizon - len(values))
        discounted = [value * factor for value, factor in zip(padded, factors, strict=True)]
        rows.append((outcome, padded, discounted, sum(discounted)))

    total_pv = sum(row[3] for row in rows if not row[0].transfer)
    inputs = tuple(
        InputResult(
            id=item.id,
            stakeholder=item.stakeholder,
            value=item.value(impact_map.volunteer_hour_rate),
            present_value=input_present_value(item, impact_map),
        )
        for item in impact_map.inputs
    )
    inputs_total = sum(item.present_value for item in inputs)
    outcomes = tuple(
        OutcomeResult(
            id=outcome.id,
            stakeholder=outcome.stakeholder,
            impact=outcome_impact(outcome),  # its first year's value, whichever year that is
            values=tuple(values),
            present_values=tuple(discounted),
            present_value=pv,
            share_of_present_value=pv / total_pv if total_pv > 0 and not outcome.transfer else None,
            transfer=outcome.transfer,
        )
        for outcome, values, discounted, pv in rows
    )

    years = []
    cumulative = 0.0
    counted = [row for row in rows if not row[0].transfer]
    for index in range(horizon):
        value = sum(row[1][index] for row in counted)
        pv = sum(row[2][index] for row in counted)
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
            inputs=sum(item.present_value for item in inputs if item.stakeholder == sid),
            present_value=sum(o.present_value for o in outcomes if o.stakeholder == sid and not o.transfer),
            transfers=sum(o.present_value for o in outcomes if o.stakeholder == sid and o.transfer),
        )
        for sid in stakeholder_ids
    )

    annual = sum(outcome.impact for outcome in outcomes if not outcome.transfer)
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
        transfers_present_value=sum(o.present_value for o in outcomes if o.transfer),
    )
