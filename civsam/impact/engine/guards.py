"""Warnings on an analysis: things the SROI principles warn against, reported rather than refused.

Each warning has a stable code (for programs and tests), a Swedish message (for people) and the
path of the field it concerns in the JSON impact map, when there is one.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .i18n import _
from .model import ImpactMap
from .sroi import SroiResult, calculate

DUPLICATE_OUTCOME = "duplicate_outcome"
PERCENT_OUT_OF_RANGE = "percent_out_of_range"
PROXY_WITHOUT_SOURCE = "proxy_without_source"
DURATION_TOO_LONG = "duration_too_long"
DOMINANT_ASSUMPTION = "dominant_assumption"
NO_INPUTS = "no_inputs"

CODES_BASIC = (
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
    warnings.extend(_method_warnings(impact_map, result))
    return warnings


# --- Guards against the mistakes that make SROI distrusted (issue 18, docs/adr/0143-sroi-guards.md) ---

OUTPUT_AS_OUTCOME = "output_as_outcome"
CLAIMED_BY_TWO_STAKEHOLDERS = "claimed_by_two_stakeholders"
TRANSFER_COUNTED_AS_VALUE = "transfer_counted_as_value"
UNJUSTIFIED_ZERO_ADJUSTMENT = "unjustified_zero_adjustment"
RATIO_ABOVE_PUBLISHED_RANGE = "ratio_above_published_range"
OUTSIDE_REFERENCE_RANGE = "outside_reference_range"
PRICE_YEARS_NOT_INDEXED = "price_years_not_indexed"
PRICE_YEAR_NOT_IN_KPI = "price_year_not_in_kpi"
PROXY_DERIVATION_MISMATCH = "proxy_derivation_mismatch"

METHOD_CODES = (
    OUTPUT_AS_OUTCOME,
    CLAIMED_BY_TWO_STAKEHOLDERS,
    TRANSFER_COUNTED_AS_VALUE,
    UNJUSTIFIED_ZERO_ADJUSTMENT,
    RATIO_ABOVE_PUBLISHED_RANGE,
    OUTSIDE_REFERENCE_RANGE,
    PRICE_YEARS_NOT_INDEXED,
    PRICE_YEAR_NOT_IN_KPI,
    PROXY_DERIVATION_MISMATCH,
)

REFERENCE_FILE = Path(__file__).resolve().parent.parent / "data" / "sroi_reference_ranges.json"

# An output describes what was done (participants, sessions, hours delivered); an outcome what
# changed. A text that names an activity and no change is taken for an output.
_ACTIVITY = re.compile(
    r"\b(antal deltagare|deltag\w*|deltog|genomför\w*|aktivitet\w*|träffar|kurstillfällen|utbildningstillfällen"
    r"|antal timmar|levererade timmar|participants?|participated|attended|attendance|sessions?|workshops?"
    r"|hours delivered|activities)\b"
)
_CHANGE = re.compile(
    r"\b(ökad\w*|minskad\w*|förbättr\w*|bättre|färre|mindre|fler|mer|större|högre|lägre|fått|fick|känner"
    r"|upplever|slipper|undvik\w*|increased|reduced|improved|better|fewer|less|more|gained|avoided)\b"
)
# Payments that move money between actors rather than create it (the Swedish socio-economic
# accounts keep them in the actors' financial view only).
_TRANSFER = re.compile(
    r"(försörjningsstöd|ekonomiskt bistånd|socialbidrag|bidrag\b|a-kassa|arbetslöshetsersättning|sjukpenning"
    r"|sjukersättning|aktivitetsersättning|bostadsbidrag|skatt\w*|\bbenefits?\b|social assistance"
    r"|welfare payments?|\btax(es)?\b)"
)
ADJUSTMENTS = (("deadweight", "deadweight"), ("displacement", "displacement"), ("attribution", "attribution"))
DERIVATION_TOLERANCE = 0.005  # half a per cent, and at least half a krona: rounding, not a different figure


@functools.cache
def reference_set() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))
    return data


def _method_warnings(impact_map: ImpactMap, result: SroiResult) -> list[GuardWarning]:
    warnings: list[GuardWarning] = []
    reference = reference_set()
    ranges: dict[str, dict[str, float]] = reference["ranges"]
    claimed: dict[str, tuple[str, str]] = {}
    for index, outcome in enumerate(impact_map.outcomes):
        where = f"outcomes[{index}]"
        text = _normalise(outcome.outcome)
        if _ACTIVITY.search(text) and not _CHANGE.search(text) and outcome.justification("outcome") is None:
            warnings.append(
                GuardWarning(
                    OUTPUT_AS_OUTCOME,
                    _(
                        "Utfallet ”%(outcome)s” ser ut att beskriva en aktivitet (en prestation), inte en förändring. "
                        "Värdera förändringen, eller motivera varför detta är ett utfall."
                    )
                    % {"outcome": outcome.outcome},
                    f"{where}.outcome",
                )
            )

        keys = [f"outcome:{text}"]
        if outcome.indicator.strip():
            keys.append(f"indicator:{_normalise(outcome.indicator)}")
        if outcome.proxy_description.strip():
            keys.append(f"proxy:{_normalise(outcome.proxy_description)}")
        for key in keys:
            earlier = claimed.get(key)
            if earlier is not None and earlier[1] != outcome.stakeholder:
                warnings.append(
                    GuardWarning(
                        CLAIMED_BY_TWO_STAKEHOLDERS,
                        _(
                            "Utfallen ”%(first)s” och ”%(second)s” hävdar samma besparing eller vinst för två "
                            "intressenter (%(a)s och %(b)s); räkna den en gång."
                        )
                        % {
                            "first": earlier[0],
                            "second": outcome.id,
                            "a": impact_map.stakeholder_name(earlier[1]),
                            "b": impact_map.stakeholder_name(outcome.stakeholder),
                        },
                        where,
                    )
                )
                break
        for key in keys:
            claimed.setdefault(key, (outcome.id, outcome.stakeholder))

        described = f"{text} {_normalise(outcome.proxy_description)}"
        if not outcome.transfer and _TRANSFER.search(described) and outcome.justification("transfer") is None:
            warnings.append(
                GuardWarning(
                    TRANSFER_COUNTED_AS_VALUE,
                    _(
                        "Utfallet ”%(outcome)s” ser ut som en transferering (bidrag, ersättning eller skatt), som "
                        "flyttar pengar mellan aktörer utan att skapa värde för samhället. Markera det som "
                        "transferering, eller motivera varför det är ett värde."
                    )
                    % {"outcome": outcome.outcome},
                    f"{where}.transfer",
                )
            )

        for name, attr in ADJUSTMENTS:
            if getattr(outcome, attr) == 0 and outcome.justification(name) is None:
                warnings.append(
                    GuardWarning(
                        UNJUSTIFIED_ZERO_ADJUSTMENT,
                        _("%(field)s är 0 %% för utfallet ”%(outcome)s” utan motivering.")
                        % {"field": _percent_label(name), "outcome": outcome.outcome},
                        f"{where}.{name}",
                    )
                )
        if outcome.drop_off == 0 and outcome.duration > 1 and outcome.justification("dropOff") is None:
            warnings.append(
                GuardWarning(
                    UNJUSTIFIED_ZERO_ADJUSTMENT,
                    _("Avtagande är 0 %% över %(years)s år för utfallet ”%(outcome)s” utan motivering.")
                    % {"years": outcome.duration, "outcome": outcome.outcome},
                    f"{where}.dropOff",
                )
            )

        for name, band in ranges.items():
            value = float(getattr(outcome, "drop_off" if name == "dropOff" else name))
            if value == 0 or not 0 <= value <= 100 or outcome.justification(name) is not None:
                continue  # zero and impossible values have guards of their own
            if not band["low"] <= value <= band["high"]:
                warnings.append(
                    GuardWarning(
                        OUTSIDE_REFERENCE_RANGE,
                        _(
                            "%(field)s %(value)s %% för utfallet ”%(outcome)s” ligger utanför jämförelseintervallet "
                            "%(low)s–%(high)s %% (%(reference)s); motivera värdet."
                        )
                        % {
                            "field": _percent_label(name),
                            "value": _fmt(value),
                            "outcome": outcome.outcome,
                            "low": _fmt(band["low"]),
                            "high": _fmt(band["high"]),
                            "reference": reference["name"],
                        },
                        f"{where}.{name}",
                    )
                )

        derivation = outcome.proxy_derivation
        if derivation is not None:
            derived = derivation.value
            if abs(outcome.proxy - derived) > max(DERIVATION_TOLERANCE * abs(derived), 0.5):
                warnings.append(
                    GuardWarning(
                        PROXY_DERIVATION_MISMATCH,
                        _(
                            "Proxyn för utfallet ”%(outcome)s” anges till %(stated)s men härledningen "
                            "%(formula)s ger %(derived)s."
                        )
                        % {
                            "outcome": outcome.outcome,
                            "stated": _money(outcome.proxy),
                            "formula": derivation.formula or " × ".join(_fmt(f.value) for f in derivation.factors),
                            "derived": _money(derived),
                        },
                        f"{where}.proxy",
                    )
                )

    ratio = result.sroi_ratio
    if ratio is not None and ratio > impact_map.guards.ratio_limit:
        warnings.append(
            GuardWarning(
                RATIO_ABOVE_PUBLISHED_RANGE,
                _(
                    "SROI-kvoten %(ratio)s är högre än %(limit)s, långt över vad publicerade analyser brukar visa; "
                    "se över proxyer, antal och justeringar."
                )
                % {"ratio": _fmt(round(ratio, 2)), "limit": _fmt(impact_map.guards.ratio_limit)},
                None,
            )
        )

    years = {o.proxy_price_year for o in impact_map.outcomes if o.proxy_price_year is not None}
    if impact_map.price_year is None and len(years) > 1:
        first = min(years)
        index = next(i for i, o in enumerate(impact_map.outcomes) if o.proxy_price_year not in (None, first))
        warnings.append(
            GuardWarning(
                PRICE_YEARS_NOT_INDEXED,
                _(
                    "Proxyerna har olika prisår (%(years)s) men analysen har inget prisår att räkna om dem till; "
                    "ange analysens prisår."
                )
                % {"years": ", ".join(str(year) for year in sorted(years))},
                f"outcomes[{index}].proxyPriceYear",
            )
        )
    for year in impact_map.missing_index_years:
        path = "priceYear"
        for index, outcome in enumerate(impact_map.outcomes):
            if outcome.proxy_price_year == year:
                path = f"outcomes[{index}].proxyPriceYear"
                break
        warnings.append(
            GuardWarning(
                PRICE_YEAR_NOT_IN_KPI,
                _(
                    "KPI-tabellen saknar årsmedeltal för %(year)s, så proxyer i det prisåret har inte räknats om; "
                    "inget värde har gissats."
                )
                % {"year": year},
                path,
            )
        )
    return warnings


def _money(value: float) -> str:
    whole = f"{value:,.2f}".rstrip("0").rstrip(".")
    return whole.replace(",", "\u00a0").replace(".", ",")


CODES = CODES_BASIC + METHOD_CODES
