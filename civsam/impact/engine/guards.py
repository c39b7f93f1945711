"""Warnings on an analysis: things the SROI principles warn against, reported rather than refused.

Each warning has a stable code (for programs and tests), a Swedish message (for people) and the
path of the field it concerns in the JSON impact map, when there is one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .i18n import _
from .model import ImpactMap
from .sroi import SroiResult, calculate

DUPLICATE_OUTCOME = "duplicate_outcome"
PERCENT_OUT_OF_RANGE = "percent_out_of_range"
PROXY_WITHOUT_SOURCE = "proxy_without_source"
DURATION_TOO_LONG = "duration_too_long"
DOMINANT_ASSUMPTION = "dominant_assumption"
NO_INPUTS = "no_inputs"

CODES = (
    DUPLICATE_OUTCOME,
    PERCENT_OUT_OF_RANGE,
    PROXY_WITHOUT_SOURCE,
    DURATION_TOO_LONG,
    DOMINANT_ASSUMPTION,
    NO_INPUTS,
)


@dataclass(frozen=True)
class GuardWarning:
    code: str
    message: str
    path: str | None = None


def _normalise(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def _percent_label(name: str) -> str:
    return {
        "deadweight": _("Dödvikt"),
        "displacement": _("Undanträngning"),
        "attribution": _("Tillskrivning"),
        "dropOff": _("Avtagande"),
        "discountRate": _("Diskonteringsränta"),
    }[name]


def _fmt(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def check(impact_map: ImpactMap, result: SroiResult | None = None) -> list[GuardWarning]:
    result = result or calculate(impact_map)
    settings = impact_map.guards
    warnings: list[GuardWarning] = []

    seen: dict[tuple[str, str], str] = {}
    for index, outcome in enumerate(impact_map.outcomes):
        # The same change for the same stakeholder, under another row: by outcome text or indicator.
        keys = [("outcome", _normalise(outcome.outcome))]
        if outcome.indicator.strip():
            keys.append(("indicator", _normalise(outcome.indicator)))
        for kind, text in keys:
            key = (outcome.stakeholder, f"{kind}:{text}")
            if key in seen:
                warnings.append(
                    GuardWarning(
                        DUPLICATE_OUTCOME,
                        _(
                            "Utfallen ”%(first)s” och ”%(second)s” ser ut att räkna samma förändring två gånger "
                            "för intressenten %(stakeholder)s."
                        )
                        % {
                            "first": seen[key],
                            "second": outcome.id,
                            "stakeholder": impact_map.stakeholder_name(outcome.stakeholder),
                        },
                        f"outcomes[{index}]",
                    )
                )
                break
        for _kind, text in keys:
            seen.setdefault((outcome.stakeholder, f"{_kind}:{text}"), outcome.id)

    def percent(value: float, name: str, path: str) -> None:
        if not 0 <= value <= 100:
            warnings.append(
                GuardWarning(
                    PERCENT_OUT_OF_RANGE,
                    _("%(field)s är %(value)s %%; en procentsats ska ligga mellan 0 och 100.")
                    % {"field": _percent_label(name), "value": _fmt(value)},
                    path,
                )
            )

    percent(impact_map.discount_rate, "discountRate", "discountRate")
    for index, outcome in enumerate(impact_map.outcomes):
        for name, attr in (
            ("deadweight", "deadweight"),
            ("displacement", "displacement"),
            ("attribution", "attribution"),
            ("dropOff", "drop_off"),
        ):
            percent(getattr(outcome, attr), name, f"outcomes[{index}].{name}")

        if outcome.proxy and not outcome.proxy_source.strip():
            warnings.append(
                GuardWarning(
                    PROXY_WITHOUT_SOURCE,
                    _("Den finansiella proxyn för utfallet ”%(outcome)s” saknar källa.") % {"outcome": outcome.outcome},
                    f"outcomes[{index}].proxySource",
                )
            )
        if outcome.duration > settings.max_duration_years:
            warnings.append(
                GuardWarning(
                    DURATION_TOO_LONG,
                    _("Utfallet ”%(outcome)s” varar %(years)s år, längre än högst %(max)s år.")
                    % {"outcome": outcome.outcome, "years": outcome.duration, "max": settings.max_duration_years},
                    f"outcomes[{index}].duration",
                )
            )

    for index, row in enumerate(result.outcomes):
        share = row.share_of_present_value
        if share is not None and share > settings.dominance_share:
            outcome = impact_map.outcomes[index]
            warnings.append(
                GuardWarning(
                    DOMINANT_ASSUMPTION,
                    _(
                        "%(share)s %% av nuvärdet kommer från ett enda antagande, utfallet ”%(outcome)s” "
                        "och dess proxy; kvoten står och faller med det."
                    )
                    % {"share": _fmt(round(share * 100, 1)), "outcome": outcome.outcome},
                    f"outcomes[{index}]",
                )
            )

    if result.total_inputs <= 0:
        warnings.append(
            GuardWarning(NO_INPUTS, _("Insatserna summerar till noll eller mindre, så ingen SROI-kvot kan räknas."))
        )
    return warnings
