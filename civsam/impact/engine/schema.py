"""The JSON impact map: pydantic models, validation with Swedish messages, and the conversion to and
from the engine's dataclasses. Documented in docs/social-value-schema.md.

JSON property names are camelCase, as in the rest of the API. Percentages outside 0–100 are not
refused here: they become warnings on the analysis (guards.py), so that a draft can still be shown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from pydantic.alias_generators import to_camel

from .i18n import _
from .model import (
    DEFAULT_DISCOUNT_RATE,
    DEFAULT_DOMINANCE_SHARE,
    DEFAULT_MAX_DURATION_YEARS,
    AssumptionError,
    Distribution,
    GuardSettings,
    ImpactMap,
    Input,
    Outcome,
    Stakeholder,
    assumption_value,
)

MAX_DRAWS = 1_000_000
MAX_DURATION = 100

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


class InputIn(_In):
    id: Id
    stakeholder: Id
    description: Text = ""
    money: Amount = 0.0
    in_kind: Amount = 0.0
    volunteer_hours: Amount = 0.0
    hourly_rate: Amount | None = None


class OutcomeIn(_In):
    id: Id
    stakeholder: Id
    outcome: Name
    indicator: Text = ""
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


class ImpactMapIn(_In):
    """An impact map: stakeholders, inputs, outcomes, the discount rate and optional uncertainty."""

    name: Name
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "SEK"
    discount_rate: Rate = DEFAULT_DISCOUNT_RATE
    volunteer_hour_rate: Amount | None = None
    volunteer_hour_rate_source: Text = ""
    stakeholders: Annotated[list[StakeholderIn], Field(min_length=1, max_length=500)]
    inputs: Annotated[list[InputIn], Field(max_length=1000)] = []
    outcomes: Annotated[list[OutcomeIn], Field(min_length=1, max_length=1000)]
    distributions: Annotated[list[DistributionIn], Field(max_length=5000)] = []
    monte_carlo: MonteCarloIn | None = None
    sensitivity: SensitivityIn = SensitivityIn()
    guards: GuardsIn = GuardsIn()


@dataclass(frozen=True)
class FieldError:
    path: str
    message: str


class ImpactMapError(ValueError):
    """The impact map could not be read; each error names its field and says why in Swedish."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(f"{e.path}: {e.message}" if e.path else e.message for e in errors))


def _path(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _limit(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def swedish_message(error: dict[str, Any]) -> str:
    """One pydantic error as a Swedish sentence."""
    kind = error.get("type", "")
    ctx = {key: _limit(value) for key, value in (error.get("ctx") or {}).items()}
    if kind == "missing":
        return _("Fältet krävs.")
    if kind == "extra_forbidden":
        return _("Okänt fält.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Måste vara ett heltal.")
    if kind in ("float_parsing", "float_type"):
        return _("Måste vara ett tal.")
    if kind == "finite_number":
        return _("Måste vara ett ändligt tal.")
    if kind == "greater_than_equal":
        return _("Måste vara minst %(limit)s.") % {"limit": ctx.get("ge")}
    if kind == "greater_than":
        return _("Måste vara större än %(limit)s.") % {"limit": ctx.get("gt")}
    if kind == "less_than_equal":
        return _("Får vara högst %(limit)s.") % {"limit": ctx.get("le")}
    if kind == "less_than":
        return _("Måste vara mindre än %(limit)s.") % {"limit": ctx.get("lt")}
    if kind == "string_type":
        return _("Måste vara en text.")
    if kind == "string_too_short":
        return _("Får inte vara tomt.")
    if kind == "string_too_long":
        return _("Får vara högst %(limit)s tecken.") % {"limit": ctx.get("max_length")}
    if kind == "string_pattern_mismatch":
        if error.get("loc", ())[-1:] == ("currency",):
            return _("Måste vara en valutakod med tre versaler, till exempel SEK.")
        return _("Får bara innehålla bokstäver, siffror, bindestreck och understreck.")
    if kind == "list_type":
        return _("Måste vara en lista.")
    if kind == "too_short":
        return _("Antalet poster måste vara minst %(limit)s.") % {"limit": ctx.get("min_length")}
    if kind == "too_long":
        return _("Antalet poster får vara högst %(limit)s.") % {"limit": ctx.get("max_length")}
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("Måste vara ett objekt.")
    if kind == "literal_error":
        choices = str(ctx.get("expected", "")).replace("'", "").replace(" or ", _(" eller "))
        return _("Måste vara ett av: %(choices)s.") % {"choices": choices}
    if kind == "json_invalid":
        return _("Ogiltig JSON.")
    return _("Ogiltigt värde.")


def _check_distribution(index: int, item: DistributionIn, errors: list[FieldError]) -> None:
    path = f"distributions[{index}]"
    needed = {"uniform": ("min", "max"), "triangular": ("min", "mode", "max"), "pert": ("min", "mode", "max")}
    needed["normal"] = ("mean", "sd")
    required = needed[item.type]
    for name in ("min", "mode", "max", "mean", "sd"):
        value = getattr(item, name)
        if name in required and value is None:
            errors.append(
                FieldError(f"{path}.{name}", _("Fältet krävs för fördelningstypen %(type)s.") % {"type": item.type})
            )
        elif name not in required and value is not None:
            errors.append(
                FieldError(
                    f"{path}.{name}", _("Fältet används inte av fördelningstypen %(type)s.") % {"type": item.type}
                )
            )
    if item.shape is not None and item.type != "pert":
        errors.append(FieldError(f"{path}.shape", _("Formparametern används bara av fördelningstypen pert.")))
    if item.type == "normal":
        if item.sd is not None and item.sd < 0:
            errors.append(FieldError(f"{path}.sd", _("Standardavvikelsen får inte vara negativ.")))
        return
    low, mode, high = item.min, item.mode, item.max
    if low is not None and high is not None and low > high:
        errors.append(FieldError(f"{path}.max", _("Maximum får inte vara mindre än minimum.")))
    elif mode is not None and low is not None and high is not None and not low <= mode <= high:
        errors.append(FieldError(f"{path}.mode", _("Typvärdet måste ligga mellan minimum och maximum.")))


NORMAL_P95 = 1.6448536269514722


def _domain(assumption: str) -> tuple[float, float]:
    name = assumption.rsplit(".", 1)[-1]
    if name == "discountRate":
        return DISCOUNT_RATE_RANGE
    if name in ("deadweight", "displacement", "attribution", "dropOff"):
        return (-MAX_PERCENT, MAX_PERCENT)
    if name == "duration":  # draws are rounded to whole years, at least 1; only the top needs a bound
        return (-MAX_DURATION, MAX_DURATION)
    return (-MAX_AMOUNT, MAX_AMOUNT)


def _check_distribution_domain(index: int, item: DistributionIn, errors: list[FieldError]) -> None:
    """A distribution's range (for a normal its 5th–95th percentiles, which the tornado uses) must
    lie where its assumption can be computed: a duration of a billion years would hang the engine."""
    if item.type == "normal":
        if item.mean is None or item.sd is None:
            return
        low, high = item.mean - NORMAL_P95 * item.sd, item.mean + NORMAL_P95 * item.sd
    else:
        if item.min is None or item.max is None:
            return
        low, high = item.min, item.max
    lowest, highest = _domain(item.assumption)
    if low < lowest or high > highest:
        errors.append(
            FieldError(
                f"distributions[{index}]",
                _("Fördelningens intervall måste ligga mellan %(low)s och %(high)s för det här antagandet.")
                % {"low": lowest, "high": highest},
            )
        )


def _cross_check(data: ImpactMapIn) -> list[FieldError]:
    errors: list[FieldError] = []
    for kind in ("stakeholders", "inputs", "outcomes"):
        seen: set[str] = set()
        for index, item in enumerate(getattr(data, kind)):
            if item.id in seen:
                errors.append(FieldError(f"{kind}[{index}].id", _("Id ”%(id)s” används redan.") % {"id": item.id}))
            seen.add(item.id)
    stakeholders = {s.id for s in data.stakeholders}
    for kind in ("inputs", "outcomes"):
        for index, item in enumerate(getattr(data, kind)):
            if item.stakeholder not in stakeholders:
                errors.append(
                    FieldError(
                        f"{kind}[{index}].stakeholder",
                        _("Intressenten ”%(id)s” finns inte bland intressenterna.") % {"id": item.stakeholder},
                    )
                )
    total = sum(
        i.money
        + i.in_kind
        + i.volunteer_hours * (i.hourly_rate if i.hourly_rate is not None else data.volunteer_hour_rate or 0)
        for i in data.inputs
    )
    if 0 < total < 0.01:
        errors.append(
            FieldError(
                "inputs",
                _("Insatserna summerar till mer än noll men mindre än ett öre, för lite för att räkna en kvot på."),
            )
        )
    for index, item in enumerate(data.inputs):
        if item.volunteer_hours and item.hourly_rate is None and data.volunteer_hour_rate is None:
            errors.append(
                FieldError(
                    f"inputs[{index}].volunteerHours",
                    _("Ideella timmar behöver ett timvärde: ange hourlyRate här eller volunteerHourRate för kartan."),
                )
            )
    return errors


def parse_impact_map(data: Any) -> tuple[ImpactMap, ImpactMapIn]:
    """Validate a decoded JSON document; raises ImpactMapError with Swedish messages."""
    if not isinstance(data, dict):
        raise ImpactMapError([FieldError("", _("Effektkartan måste vara ett JSON-objekt."))])
    try:
        parsed = ImpactMapIn.model_validate(data)
    except ValidationError as exc:
        raise ImpactMapError([FieldError(_path(e["loc"]), swedish_message(e)) for e in exc.errors()]) from None
    errors = _cross_check(parsed)
    for index, item in enumerate(parsed.distributions):
        _check_distribution(index, item, errors)
    impact_map = to_model(parsed)
    seen: set[str] = set()
    for index, item in enumerate(parsed.distributions):
        try:
            assumption_value(impact_map, item.assumption)
        except AssumptionError as exc:
            errors.append(FieldError(f"distributions[{index}].assumption", str(exc)))
            continue
        _check_distribution_domain(index, item, errors)
        if item.assumption in seen:
            errors.append(
                FieldError(
                    f"distributions[{index}].assumption",
                    _("Antagandet ”%(path)s” har redan en fördelning.") % {"path": item.assumption},
                )
            )
        seen.add(item.assumption)
    if errors:
        raise ImpactMapError(errors)
    return impact_map, parsed


def parse_impact_map_json(text: str | bytes) -> tuple[ImpactMap, ImpactMapIn]:
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise ImpactMapError([FieldError("", _("Filen är inte giltig JSON."))]) from None
    return parse_impact_map(data)


def to_model(data: ImpactMapIn) -> ImpactMap:
    return ImpactMap(
        name=data.name,
        currency=data.currency,
        discount_rate=data.discount_rate,
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
            )
            for i in data.inputs
        ),
        outcomes=tuple(
            Outcome(
                id=o.id,
                stakeholder=o.stakeholder,
                outcome=o.outcome,
                indicator=o.indicator,
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
        ),
    )


def from_model(impact_map: ImpactMap, **extra: Any) -> ImpactMapIn:
    """The JSON form of a map (extra: monte_carlo=..., sensitivity=...)."""
    return ImpactMapIn(
        name=impact_map.name,
        currency=impact_map.currency,
        discount_rate=impact_map.discount_rate,
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
            )
            for i in impact_map.inputs
        ],
        outcomes=[
            OutcomeIn(
                id=o.id,
                stakeholder=o.stakeholder,
                outcome=o.outcome,
                indicator=o.indicator,
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
        ),
        **extra,
    )
