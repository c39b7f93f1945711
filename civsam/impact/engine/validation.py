"""Reading a JSON impact map: the schema's checks (schema.py) and the checks across fields that a
schema cannot state (unique ids, known stakeholders, distributions that fit their assumption), all
reported at once as an ImpactMapError with Swedish messages."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from .errors import FieldError, ImpactMapError, error_path, swedish_message
from .i18n import _
from .model import AssumptionError, ImpactMap, assumption_value
from .schema import (
    DISCOUNT_RATE_RANGE,
    MAX_AMOUNT,
    MAX_DURATION,
    MAX_PERCENT,
    DistributionIn,
    ImpactMapIn,
    to_model,
)


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
        raise ImpactMapError([FieldError(error_path(e["loc"]), swedish_message(e)) for e in exc.errors()]) from None
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
