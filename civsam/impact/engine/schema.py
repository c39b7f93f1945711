"""The JSON impact map: pydantic models with their bounds, and the conversion to and from the
engine's dataclasses. Documented in docs/social-value-schema.md; reading a map with every check is
validation.py, its errors errors.py.

JSON property names are camelCase, as in the rest of the API. Percentages outside 0–100 are not
refused here: they become warnings on the analysis (guards.py), so that a draft can still be shown.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic.alias_generators import to_camel

from .discounting import Discounting
from .indexing import index_factor, kpi_values
from .model import (
    DEFAULT_DISCOUNT_RATE,
    DEFAULT_DOMINANCE_SHARE,
    DEFAULT_MAX_DURATION_YEARS,
    DEFAULT_RATIO_LIMIT,
    MAX_DURATION_YEARS,
    Derivation,
    Distribution,
    Factor,
    GuardSettings,
    ImpactMap,
    Input,
    Justification,
    Outcome,
    Stakeholder,
)

MAX_DRAWS = 1_000_000
MAX_DURATION = MAX_DURATION_YEARS

Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[\w-]+$")]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
# Bounds that keep every figure a finite double, so that no map can crash or hang the engine: far
# beyond any real analysis (a thousand billion kronor, percentages ten times over), yet small
# enough that products over a hundred years cannot overflow. Percentages outside 0–100 are still
# computed and warned about (guards.py); beyond these bounds they are refused.
MAX_AMOUNT = 10**15
MAX_PERCENT = 1000
DISCOUNT_RATE_RANGE = (-50, 1000)  # at −100 % the discount factor is infinite

Number = Annotated[float, Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT, allow_inf_nan=False)]
Amount = Annotated[float, Field(ge=0, le=MAX_AMOUNT, allow_inf_nan=False)]
Percent = Annotated[float, Field(ge=-MAX_PERCENT, le=MAX_PERCENT, allow_inf_nan=False)]
Rate = Annotated[float, Field(ge=DISCOUNT_RATE_RANGE[0], le=DISCOUNT_RATE_RANGE[1], allow_inf_nan=False)]


class _In(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class StakeholderIn(_In):
    id: Id
    name: Name


Year = Annotated[int, Field(ge=1900, le=2200)]
Grade = Literal["", "low", "medium", "high"]
JustifiedFieldName = Literal[
    "outcome", "transfer", "quantity", "proxy", "deadweight", "displacement", "attribution", "dropOff"
]


JustifiedField = JustifiedFieldName


class JustificationIn(_In):
    """Why an assumption is what it is: reasoning, evidence and the strength of that evidence."""

    text: Text = ""
    evidence: Text = ""
    grade: Grade = ""


class FactorIn(_In):
    value: Number
    unit: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = ""


class DerivationIn(_In):
    """A proxy as a product of quantities and unit prices: 276 hours × 98 kronor per hour."""

    factors: Annotated[list[FactorIn], Field(min_length=1, max_length=20)]
    formula: Text = ""


class InputIn(_In):
    id: Id
    stakeholder: Id
    description: Text = ""
    money: Amount = 0.0
    in_kind: Amount = 0.0
    volunteer_hours: Amount = 0.0
    hourly_rate: Amount | None = None
    year: Annotated[int, Field(ge=1, le=MAX_DURATION)] | None = None


class OutcomeIn(_In):
    id: Id
    stakeholder: Id
    outcome: Name
    indicator: Text = ""
    output: Text = ""
    quantity: Amount
    proxy: Number
    proxy_description: Text = ""
    proxy_source: Text = ""
    duration: Annotated[int, Field(ge=1, le=MAX_DURATION)]
    start_year: Annotated[int, Field(ge=1, le=MAX_DURATION)] = 1
    deadweight: Percent = 0.0
    displacement: Percent = 0.0
    attribution: Percent = 0.0
    drop_off: Percent = 0.0
    transfer: bool = False
    justifications: dict[JustifiedField, JustificationIn] = {}
    proxy_derivation: DerivationIn | None = None
    proxy_price_year: Year | None = None
    proxy_currency: Annotated[str, StringConstraints(pattern=r"^([A-Z]{3})?$")] = ""


class DistributionIn(_In):
    assumption: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    type: Literal["uniform", "triangular", "normal", "pert"]
    min: Number | None = None
    mode: Number | None = None
    max: Number | None = None
    mean: Number | None = None
    sd: Number | None = None
    shape: Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)] | None = None  # PERT lambda, 4 if left out


class MonteCarloIn(_In):
    draws: Annotated[int, Field(ge=1, le=MAX_DRAWS)]
    seed: Annotated[int, Field(ge=0, le=2**32 - 1)] | None = None


class SensitivityIn(_In):
    relative: Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)] = 20.0
    percentage_points: Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)] = 10.0
    duration_years: Annotated[int, Field(ge=1, le=MAX_DURATION)] = 1
    discount_rate_points: Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)] = 2.0


class GuardsIn(_In):
    max_duration_years: Annotated[int, Field(ge=1, le=MAX_DURATION)] = DEFAULT_MAX_DURATION_YEARS
    dominance_threshold: Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)] = DEFAULT_DOMINANCE_SHARE * 100
    ratio_limit: Annotated[float, Field(gt=0, le=10_000, allow_inf_nan=False)] = DEFAULT_RATIO_LIMIT


class ImpactMapIn(_In):
    """An impact map: stakeholders, inputs, outcomes, the discount rate and optional uncertainty."""

    name: Name
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "SEK"
    discount_rate: Rate = DEFAULT_DISCOUNT_RATE
    discount_from: Literal["year0", "year1"] = "year1"
    discount_schedule: Literal["constant", "greenBook", "greenBookHealth", "asek"] = "constant"
    price_year: Year | None = None
    volunteer_hour_rate: Amount | None = None
    volunteer_hour_rate_source: Text = ""
    stakeholders: Annotated[list[StakeholderIn], Field(min_length=1, max_length=500)]
    inputs: Annotated[list[InputIn], Field(max_length=1000)] = []
    outcomes: Annotated[list[OutcomeIn], Field(min_length=1, max_length=1000)]
    distributions: Annotated[list[DistributionIn], Field(max_length=5000)] = []
    monte_carlo: MonteCarloIn | None = None
    sensitivity: SensitivityIn = SensitivityIn()
    guards: GuardsIn = GuardsIn()


def _justifications(items: dict[Any, JustificationIn]) -> tuple[tuple[str, Justification], ...]:
    return tuple((str(key), Justification(j.text, j.evidence, j.grade)) for key, j in items.items())


def _derivation(data: DerivationIn | None) -> Derivation | None:
    if data is None:
        return None
    return Derivation(tuple(Factor(f.value, f.unit) for f in data.factors), data.formula)


def _proxy_index(data: ImpactMapIn, outcome: OutcomeIn) -> float:
    factor = index_factor(outcome.proxy_price_year, data.price_year)
    return 1.0 if factor is None else factor


def _missing_index_years(data: ImpactMapIn) -> tuple[int, ...]:
    if data.price_year is None:
        return ()
    table = kpi_values()
    years = {o.proxy_price_year for o in data.outcomes if o.proxy_price_year is not None}
    if years:
        years.add(data.price_year)
    return tuple(sorted(year for year in years if year not in table))


def to_model(data: ImpactMapIn) -> ImpactMap:
    discounting = Discounting(data.discount_from, data.discount_schedule)
    base_rate = discounting.base_rate
    return ImpactMap(
        name=data.name,
        currency=data.currency,
        # A named schedule starts from its own rate; the tornado and the draws scale it from there.
        discount_rate=base_rate if base_rate is not None else data.discount_rate,
        discounting=discounting,
        price_year=data.price_year,
        missing_index_years=_missing_index_years(data),
        volunteer_hour_rate=data.volunteer_hour_rate,
        volunteer_hour_rate_source=data.volunteer_hour_rate_source,
        stakeholders=tuple(Stakeholder(s.id, s.name) for s in data.stakeholders),
        inputs=tuple(
            Input(
                id=i.id,
                stakeholder=i.stakeholder,
                description=i.description,
                money=i.money,
                in_kind=i.in_kind,
                volunteer_hours=i.volunteer_hours,
                hourly_rate=i.hourly_rate,
                year=i.year,
            )
            for i in data.inputs
        ),
        outcomes=tuple(
            Outcome(
                id=o.id,
                stakeholder=o.stakeholder,
                outcome=o.outcome,
                indicator=o.indicator,
                output=o.output,
                quantity=o.quantity,
                proxy=o.proxy,
                proxy_description=o.proxy_description,
                proxy_source=o.proxy_source,
                duration=o.duration,
                deadweight=o.deadweight,
                displacement=o.displacement,
                attribution=o.attribution,
                drop_off=o.drop_off,
                start_year=o.start_year,
                transfer=o.transfer,
                justifications=_justifications(o.justifications),
                proxy_derivation=_derivation(o.proxy_derivation),
                proxy_price_year=o.proxy_price_year,
                proxy_currency=o.proxy_currency,
                proxy_index=_proxy_index(data, o),
            )
            for o in data.outcomes
        ),
        distributions=tuple(
            Distribution(
                assumption=d.assumption,
                kind=d.type,
                minimum=d.min,
                mode=d.mode,
                maximum=d.max,
                mean=d.mean,
                sd=d.sd,
                lam=d.shape if d.shape is not None else 4.0,
            )
            for d in data.distributions
        ),
        guards=GuardSettings(
            max_duration_years=data.guards.max_duration_years,
            dominance_share=data.guards.dominance_threshold / 100,
            ratio_limit=data.guards.ratio_limit,
        ),
    )


def from_model(impact_map: ImpactMap, **extra: Any) -> ImpactMapIn:
    """The JSON form of a map (extra: monte_carlo=..., sensitivity=...)."""
    return ImpactMapIn(
        name=impact_map.name,
        currency=impact_map.currency,
        discount_rate=impact_map.discount_rate,
        discount_from=impact_map.discounting.discount_from,
        discount_schedule=impact_map.discounting.schedule,
        price_year=impact_map.price_year,
        volunteer_hour_rate=impact_map.volunteer_hour_rate,
        volunteer_hour_rate_source=impact_map.volunteer_hour_rate_source,
        stakeholders=[StakeholderIn(id=s.id, name=s.name) for s in impact_map.stakeholders],
        inputs=[
            InputIn(
                id=i.id,
                stakeholder=i.stakeholder,
                description=i.description,
                money=i.money,
                in_kind=i.in_kind,
                volunteer_hours=i.volunteer_hours,
                hourly_rate=i.hourly_rate,
                year=i.year,
            )
            for i in impact_map.inputs
        ],
        outcomes=[
            OutcomeIn(
                id=o.id,
                stakeholder=o.stakeholder,
                outcome=o.outcome,
                indicator=o.indicator,
                output=o.output,
                quantity=o.quantity,
                proxy=o.proxy,
                proxy_description=o.proxy_description,
                proxy_source=o.proxy_source,
                duration=o.duration,
                deadweight=o.deadweight,
                displacement=o.displacement,
                attribution=o.attribution,
                drop_off=o.drop_off,
                start_year=o.start_year,
                transfer=o.transfer,
                justifications={
                    cast(JustifiedFieldName, key): JustificationIn(text=j.text, evidence=j.evidence, grade=j.grade)
                    for key, j in o.justifications
                },
                proxy_derivation=(
                    DerivationIn(
                        factors=[FactorIn(value=f.value, unit=f.unit) for f in o.proxy_derivation.factors],
                        formula=o.proxy_derivation.formula,
                    )
                    if o.proxy_derivation is not None
                    else None
                ),
                proxy_price_year=o.proxy_price_year,
                proxy_currency=o.proxy_currency,
            )
            for o in impact_map.outcomes
        ],
        distributions=[
            DistributionIn(
                assumption=d.assumption,
                type=d.kind,
                min=d.minimum,
                mode=d.mode,
                max=d.maximum,
                mean=d.mean,
                sd=d.sd,
                shape=d.lam if d.kind == "pert" and d.lam != 4.0 else None,
            )
            for d in impact_map.distributions
        ],
        guards=GuardsIn(
            max_duration_years=impact_map.guards.max_duration_years,
            dominance_threshold=impact_map.guards.dominance_share * 100,
            ratio_limit=impact_map.guards.ratio_limit,
        ),
        **extra,
    )
