"""The analysis as JSON: pydantic models (camelCase, as the API profile asks) that document the
response and round the figures: money to öre, ratios to four decimals, the rest to six."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, PlainSerializer
from pydantic.alias_generators import to_camel

from .analysis import Analysis
from .errors import FieldError, ImpactMapError
from .i18n import _

Money = Annotated[float, PlainSerializer(lambda v: round(v, 2), return_type=float)]
Ratio = Annotated[float, PlainSerializer(lambda v: round(v, 4), return_type=float)]
Precise = Annotated[float, PlainSerializer(lambda v: round(v, 6), return_type=float)]


class _Out(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class OutcomeOut(_Out):
    id: str
    stakeholder: str
    impact: Money
    values: list[Money]
    present_values: list[Money]
    present_value: Money
    share_of_present_value: Ratio | None
    transfer: bool


class InputOut(_Out):
    id: str
    stakeholder: str
    value: Money
    present_value: Money


class StakeholderOut(_Out):
    id: str
    name: str
    inputs: Money
    present_value: Money
    transfers: Money


class YearOut(_Out):
    year: int
    value: Money
    discount_factor: Precise
    present_value: Money
    cumulative_present_value: Money


class RateStepOut(_Out):
    from_year: int
    rate: Precise


class EvidenceOut(_Out):
    outcome: str
    field: str
    grade: str
    text: str
    evidence: str


class ConventionsOut(_Out):
    """What the report must state: how it discounted, in which prices, which adjustments it made."""

    discount_from: str
    discount_schedule: str
    rates: list[RateStepOut]
    rate_source: str
    price_year: int | None
    adjustments_applied: list[str]
    transfers_left_out: bool
    evidence: list[EvidenceOut]


class WarningOut(_Out):
    code: str
    message: str
    path: str | None


class TornadoBarOut(_Out):
    assumption: str
    label: str
    base_value: Precise
    low_value: Precise
    high_value: Precise
    ratio_at_low: Ratio | None
    ratio_at_high: Ratio | None
    npv_at_low: Money
    npv_at_high: Money
    swing: Precise


class TornadoOut(_Out):
    base_ratio: Ratio | None
    base_npv: Money
    bars: list[TornadoBarOut]


class BreakEvenOut(_Out):
    assumption: str
    label: str
    base_value: Precise
    value: Precise | None
    method: str
    in_domain: bool | None


class SummaryOut(_Out):
    mean: Precise
    sd: Precise
    minimum: Precise
    maximum: Precise
    percentiles: dict[str, Precise]


class HistogramOut(_Out):
    edges: list[Precise]
    counts: list[int]


class MonteCarloOut(_Out):
    draws: int
    seed: int
    ratio: SummaryOut | None
    present_value: SummaryOut
    net_present_value: SummaryOut
    probability_ratio_below_one: Ratio
    ratio_histogram: HistogramOut | None
    mean_present_value_by_year: list[Money]


class CalculationOut(_Out):
    """Every figure of the calculation; nothing is stored."""

    name: str
    currency: str
    discount_rate: Precise
    horizon: int
    total_inputs: Money
    annual_impact: Money
    total_value: Money
    total_present_value: Money
    net_present_value: Money
    sroi_ratio: Ratio | None
    net_sroi_ratio: Ratio | None
    payback_months: Ratio | None
    payback_months_discounted: Ratio | None
    outcomes: list[OutcomeOut]
    inputs: list[InputOut]
    stakeholders: list[StakeholderOut]
    years: list[YearOut]
    transfers_present_value: Money
    conventions: ConventionsOut
    warnings: list[WarningOut]
    tornado: TornadoOut
    break_even: list[BreakEvenOut]
    monte_carlo: MonteCarloOut | None


def _non_finite(node: Any, path: str = "") -> str | None:
    """The path of the first number that is not finite (inf or nan), or None."""
    if isinstance(node, float):
        return None if math.isfinite(node) else path
    items: Iterable[tuple[Any, Any]]
    if isinstance(node, dict):
        items = node.items()
    elif isinstance(node, (list, tuple)):
        items = ((f"[{i}]", v) for i, v in enumerate(node))
    else:
        return None
    for key, value in items:
        found = _non_finite(value, f"{path}.{key}" if path and not str(key).startswith("[") else f"{path}{key}")
        if found is not None:
            return found
    return None


def to_output(analysis: Analysis) -> CalculationOut:
    """The JSON answer. Raises ImpactMapError when a figure is not a finite number: JSON has no
    infinity, and a ratio of infinity says nothing anyway."""
    data = asdict(analysis.result)
    monte_carlo = None
    if analysis.monte_carlo is not None:
        monte_carlo = asdict(analysis.monte_carlo)
        histogram = analysis.monte_carlo.ratio_histogram
        monte_carlo["ratio_histogram"] = {"edges": histogram[0], "counts": histogram[1]} if histogram else None
    data.update(
        name=analysis.name,
        conventions=asdict(analysis.conventions),
        warnings=[asdict(w) for w in analysis.warnings],
        tornado=asdict(analysis.tornado),
        break_even=[asdict(b) for b in analysis.break_even],
        monte_carlo=monte_carlo,
    )
    output = CalculationOut.model_validate(data)
    where = _non_finite(output.model_dump(by_alias=True))
    if where is not None:
        raise ImpactMapError(
            [
                FieldError(
                    "",
                    _(
                        "Beräkningen ger ett tal som är för stort eller för litet för att räkna med (%(where)s); "
                        "se över belopp, antal och procentsatser."
                    )
                    % {"where": where},
                )
            ]
        )
    return output


def to_json_dict(analysis: Analysis) -> dict[str, Any]:
    return to_output(analysis).model_dump(mode="json", by_alias=True)
