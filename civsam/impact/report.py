"""The report of one analysis, as plain data for the template: the impact map, every assumption with
its source, the ratio and its uncertainty, the charts with their tables, the warnings and the theory
of change. No database access: it reads the stored map and the engine's results (both JSON).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from . import charts

NO_SOURCE = "–"


@dataclass
class Stage:
    key: str
    title: str
    explanation: str
    items: list[str] = field(default_factory=list)


@dataclass
class Report:
    document: dict[str, Any]
    results: dict[str, Any]
    currency: str
    stakeholders: dict[str, str]
    outcomes: list[dict[str, Any]]
    inputs: list[dict[str, Any]]
    assumptions: list[dict[str, Any]]
    theory_of_change: list[Stage]
    uncertainty: dict[str, Any]
    tornado_measure: str
    tornado_rows: list[dict[str, Any]]
    tornado_chart: charts.Chart | None
    tornado_total: int
    histogram_rows: list[dict[str, Any]]
    histogram_chart: charts.Chart | None
    break_even: list[dict[str, Any]]
    years: list[dict[str, Any]]
    warnings: list[dict[str, Any]]
    sensitivity: dict[str, str]  # the one-at-a-time ranges the map asked for, formatted
    conventions: dict[str, Any] | None = None  # how it discounted, in which prices, which adjustments


_FIELD_LABELS = {
    "outcome": gettext_lazy("utfallet"),
    "transfer": gettext_lazy("transferering"),
    "quantity": gettext_lazy("antal"),
    "proxy": gettext_lazy("finansiell proxy"),
    "proxyPriceYear": gettext_lazy("proxyns prisår"),
    "proxySource": gettext_lazy("proxyns källa"),
    "duration": gettext_lazy("varaktighet"),
    "deadweight": gettext_lazy("dödvikt"),
    "displacement": gettext_lazy("undanträngning"),
    "attribution": gettext_lazy("tillskrivning"),
    "dropOff": gettext_lazy("avtagande"),
}
_GRADES = {"low": gettext_lazy("låg"), "medium": gettext_lazy("medel"), "high": gettext_lazy("hög"), "": "–"}
_FROM = {
    "year0": gettext_lazy("från år 0: det första året diskonteras inte (Green Book)"),
    "year1": gettext_lazy("från år 1: det första året diskonteras ett år (SROI-guiden)"),
}
_SCHEDULES = {
    "constant": gettext_lazy("konstant ränta"),
    "greenBook": gettext_lazy("avtagande ränta enligt Green Book"),
    "greenBookHealth": gettext_lazy("avtagande ränta för hälsa enligt Green Book"),
    "asek": gettext_lazy("ASEK:s kalkylränta"),
}


def _where(path: str | None, document: dict[str, Any]) -> str:
    """A warning's field path in words: "Utfall ”Fått arbete”, dödvikt"."""
    if not path:
        return _("Hela analysen")
    match = re.match(r"^outcomes\[(\d+)\](?:\.(\w+))?$", path)
    outcomes = document.get("outcomes", [])
    if match and int(match.group(1)) < len(outcomes):
        text = _("Utfall ”%(name)s”") % {"name": outcomes[int(match.group(1))].get("outcome", "")}
        if match.group(2):
            text += ", " + str(_FIELD_LABELS.get(match.group(2), match.group(2)))
        return text
    if path == "priceYear":
        return _("Analysens prisår")
    if path == "discountRate":
        return _("Diskonteringsränta")
    return _("Hela analysen")


def _conventions(document: dict[str, Any], results: dict[str, Any]) -> dict[str, Any] | None:
    conventions = results.get("conventions")
    if not conventions:
        return None  # figures computed before the conventions were reported
    labels = {name: str(label).capitalize() for name, label in _FIELD_LABELS.items()}
    names = {o["id"]: o.get("outcome", o["id"]) for o in document.get("outcomes", [])}
    return {
        "discount_from": _FROM.get(conventions["discountFrom"], conventions["discountFrom"]),
        "schedule": _SCHEDULES.get(conventions["discountSchedule"], conventions["discountSchedule"]),
        "rates": [{"from_year": step["fromYear"], "rate": _percent(step["rate"])} for step in conventions["rates"]],
        "rate_source": conventions["rateSource"],
        "price_year": conventions["priceYear"],
        "adjustments": ", ".join(str(_FIELD_LABELS[name]) for name in conventions["adjustmentsApplied"]),
        "transfers_left_out": conventions["transfersLeftOut"],
        "evidence": [
            {
                "outcome": names.get(note["outcome"], note["outcome"]),
                "field": labels.get(note["field"], note["field"]),
                "grade": _GRADES.get(note["grade"], note["grade"]),
                "text": note["text"],
                "evidence": note["evidence"],
            }
            for note in conventions["evidence"]
        ],
    }


def _percent(value: float | None) -> str:
    return f"{charts.fmt(value, 1)} %"


def _distribution_text(distribution: dict[str, Any] | None) -> str:
    if not distribution:
        return ""
    kind = distribution["type"]
    names = {
        "uniform": _("likformig"),
        "triangular": _("triangulär"),
        "pert": _("PERT"),
        "normal": _("normal"),
    }
    if kind == "normal":
        detail = _("medelvärde %(mean)s, standardavvikelse %(sd)s") % {
            "mean": charts.fmt(distribution.get("mean")),
            "sd": charts.fmt(distribution.get("sd")),
        }
    elif kind == "uniform":
        detail = _("%(min)s–%(max)s") % {
            "min": charts.fmt(distribution.get("min")),
            "max": charts.fmt(distribution.get("max")),
        }
    else:
        detail = _("minimum %(min)s, typvärde %(mode)s, maximum %(max)s") % {
            "min": charts.fmt(distribution.get("min")),
            "mode": charts.fmt(distribution.get("mode")),
            "max": charts.fmt(distribution.get("max")),
        }
    return f"{names.get(kind, kind)}: {detail}"


def _duration_text(outcome: dict[str, Any]) -> str:
    """ "3 år", or "3 år från år 2" for an outcome that starts after the activity's own year."""
    start = outcome.get("startYear", 1)
    years = outcome.get("duration")
    count = years if isinstance(years, int) else 2  # a missing or odd duration reads as plural
    if start > 1:
        return ngettext("%(years)s år från år %(start)s", "%(years)s år från år %(start)s", count) % {
            "years": years,
            "start": start,
        }
    return ngettext("%(years)s år", "%(years)s år", count) % {"years": years}


def _assumptions(document: dict[str, Any], stakeholders: dict[str, str]) -> list[dict[str, Any]]:
    """Every number the result depends on, with its source as the map states it and its uncertainty."""
    distributions = {d["assumption"]: d for d in document.get("distributions", [])}
    not_stated = _("Ingen källa angiven i effektkartan")
    rows: list[dict[str, Any]] = [
        {
            "label": _("Diskonteringsränta"),
            "value": _percent(document.get("discountRate")),
            "source": not_stated,
            "uncertainty": _distribution_text(distributions.get("discountRate")),
        }
    ]
    if document.get("volunteerHourRate") is not None:
        rows.append(
            {
                "label": _("Timvärde för ideellt arbete"),
                "value": charts.fmt(document["volunteerHourRate"]),
                "source": document.get("volunteerHourRateSource") or not_stated,
                "uncertainty": _distribution_text(distributions.get("volunteerHourRate")),
            }
        )
    for outcome in document.get("outcomes", []):
        subject = f"{outcome['outcome']} ({stakeholders.get(outcome['stakeholder'], outcome['stakeholder'])})"
        path = f"outcomes.{outcome['id']}"
        proxy_source = outcome.get("proxySource") or ""
        entries = [
            (
                "proxy",
                _("Finansiell proxy"),
                charts.fmt(outcome.get("proxy")),
                " – ".join(part for part in (outcome.get("proxyDescription", ""), proxy_source) if part)
                or _("Ingen källa angiven (varning)"),
            ),
            (
                "quantity",
                _("Antal"),
                charts.fmt(outcome.get("quantity"), 1),
                _("Mätt med: %(indicator)s") % {"indicator": outcome["indicator"]}
                if outcome.get("indicator")
                else not_stated,
            ),
            ("duration", _("Varaktighet (år)"), _duration_text(outcome), not_stated),
            ("deadweight", _("Dödvikt"), _percent(outcome.get("deadweight", 0)), not_stated),
            ("displacement", _("Undanträngning"), _percent(outcome.get("displacement", 0)), not_stated),
            ("attribution", _("Tillskrivning"), _percent(outcome.get("attribution", 0)), not_stated),
            ("dropOff", _("Avtagande"), _percent(outcome.get("dropOff", 0)), not_stated),
        ]
        for name, label, value, source in entries:
            rows.append(
                {
                    "label": f"{label} – {subject}",
                    "value": value,
                    "source": source,
                    "uncertainty": _distribution_text(distributions.get(f"{path}.{name}")),
                }
            )
    for item in document.get("inputs", []):
        subject = (
            f"{item.get('description') or item['id']} ({stakeholders.get(item['stakeholder'], item['stakeholder'])})"
        )
        path = f"inputs.{item['id']}"
        for name, label in (
            ("money", _("Pengar")),
            ("inKind", _("Naturaresurser")),
            ("volunteerHours", _("Ideella timmar")),
        ):
            if not item.get(name):
                continue
            rows.append(
                {
                    "label": f"{label} – {subject}",
                    "value": charts.fmt(item[name], 0),
                    "source": not_stated,
                    "uncertainty": _distribution_text(distributions.get(f"{path}.{name}")),
                }
            )
        if item.get("hourlyRate") is not None:
            rows.append(
                {
                    "label": f"{_('Timvärde')} – {subject}",
                    "value": charts.fmt(item["hourlyRate"]),
                    "source": not_stated,
                    "uncertainty": _distribution_text(distributions.get(f"{path}.hourlyRate")),
                }
            )
    return rows


def _sensitivity_settings(document: dict[str, Any]) -> dict[str, str]:
    """The map's one-at-a-time ranges (the engine's defaults where it gives none), for the report's text."""
    settings = document.get("sensitivity") or {}
    return {
        "relative": charts.fmt(settings.get("relative", 20.0), 0),
        "points": charts.fmt(settings.get("percentagePoints", 10.0), 0),
        "years": str(settings.get("durationYears", 1)),
        "rate_points": charts.fmt(settings.get("discountRatePoints", 2.0), 1),
    }


def _theory_of_change(
    document: dict[str, Any], results: dict[str, Any], stakeholders: dict[str, str], activities: str, currency: str
) -> list[Stage]:
    values = {item["id"]: item["value"] for item in results.get("inputs", [])}
    impacts = {item["id"]: item for item in results.get("outcomes", [])}
    inputs = Stage(
        "inputs",
        pgettext("social value input", "Insatser"),
        _("Vad intressenterna sätter in."),
        [
            _("%(stakeholder)s: %(description)s, värderat till %(value)s %(currency)s")
            % {
                "stakeholder": stakeholders.get(item["stakeholder"], item["stakeholder"]),
                "description": item.get("description") or item["id"],
                "value": charts.fmt(values.get(item["id"]), 0),
                "currency": currency,
            }
            for item in document.get("inputs", [])
        ],
    )
    activity_items = [line.strip() for line in (activities or "").splitlines() if line.strip()]
    activity_stage = Stage(
        "activities",
        _("Aktiviteter"),
        _("Vad verksamheten gör."),
        activity_items or [_("Inga aktiviteter angivna för analysen.")],
    )
    outputs = Stage(
        "outputs",
        _("Prestationer"),
        _("Vad som mäts: indikator och antal per utfall."),
        [
            _("%(indicator)s: %(quantity)s")
            % {
                "indicator": outcome.get("indicator") or outcome["outcome"],
                "quantity": charts.fmt(outcome.get("quantity"), 1),
            }
            for outcome in document.get("outcomes", [])
        ],
    )
    outcomes = Stage(
        "outcomes",
        pgettext("social value outcome", "Utfall"),
        _("Förändringen för varje intressent och hur länge den varar."),
        [
            _("%(stakeholder)s: %(outcome)s (%(years)s)")
            % {
                "stakeholder": stakeholders.get(outcome["stakeholder"], outcome["stakeholder"]),
                "outcome": outcome["outcome"],
                "years": _duration_text(outcome),
            }
            for outcome in document.get("outcomes", [])
        ],
    )
    impact = Stage(
        "impact",
        _("Effekt"),
        _("Det som kan tillskrivas verksamheten, efter dödvikt, undanträngning och tillskrivning, i nuvärde."),
        [
            _("%(outcome)s: %(impact)s %(currency)s första året, nuvärde %(pv)s %(currency)s")
            % {
                "outcome": outcome["outcome"],
                "impact": charts.fmt(impacts.get(outcome["id"], {}).get("impact"), 0),
                "pv": charts.fmt(impacts.get(outcome["id"], {}).get("presentValue"), 0),
                "currency": currency,
            }
            for outcome in document.get("outcomes", [])
        ]
        + [
            _("Totalt nuvärde %(pv)s %(currency)s; SROI-kvot %(ratio)s")
            % {
                "pv": charts.fmt(results.get("totalPresentValue"), 0),
                "currency": currency,
                "ratio": charts.fmt(results.get("sroiRatio")),
            }
        ],
    )
    return [inputs, activity_stage, outputs, outcomes, impact]


def _uncertainty(results: dict[str, Any]) -> dict[str, Any]:
    monte_carlo = results.get("monteCarlo")
    if monte_carlo and monte_carlo.get("ratio"):
        ratio = monte_carlo["ratio"]
        return {
            "method": "monte_carlo",
            "draws": monte_carlo["draws"],
            "seed": monte_carlo["seed"],
            "low": ratio["percentiles"].get("5"),
            "median": ratio["percentiles"].get("50"),
            "p10": ratio["percentiles"].get("10"),
            "p90": ratio["percentiles"].get("90"),
            "high": ratio["percentiles"].get("95"),
            "mean": ratio["mean"],
            "percent_below_one": 100 * monte_carlo["probabilityRatioBelowOne"],
            "percentiles": sorted(ratio["percentiles"].items(), key=lambda item: float(item[0])),
        }
    bounds = charts.ratio_range_from_tornado(results.get("tornado", {}))
    if bounds is None:
        return {"method": "none"}
    return {"method": "one_at_a_time", "low": bounds[0], "high": bounds[1]}


def build(*, document: dict[str, Any], results: dict[str, Any], activities: str = "") -> Report:
    stakeholders = {s["id"]: s["name"] for s in document.get("stakeholders", [])}
    currency = document.get("currency", "SEK")
    by_id = {item["id"]: item for item in results.get("outcomes", [])}
    outcomes = []
    for outcome in document.get("outcomes", []):
        computed = by_id.get(outcome["id"], {})
        outcomes.append(
            {
                **outcome,
                "stakeholder_name": stakeholders.get(outcome["stakeholder"], outcome["stakeholder"]),
                "start_year": outcome.get("startYear", 1),
                "impact": computed.get("impact"),
                "present_value": computed.get("presentValue"),
                "share": computed.get("shareOfPresentValue"),
            }
        )
    input_values = {item["id"]: item["value"] for item in results.get("inputs", [])}
    inputs = [
        {
            **item,
            "stakeholder_name": stakeholders.get(item["stakeholder"], item["stakeholder"]),
            "value": input_values.get(item["id"]),
        }
        for item in document.get("inputs", [])
    ]
    tornado = results.get("tornado", {})
    measure, tornado_rows = charts.tornado_rows(tornado)
    monte_carlo = results.get("monteCarlo") or {}
    histogram = monte_carlo.get("ratioHistogram")
    percentiles = (monte_carlo.get("ratio") or {}).get("percentiles", {})
    return Report(
        document=document,
        results=results,
        currency=currency,
        stakeholders=stakeholders,
        outcomes=outcomes,
        inputs=inputs,
        assumptions=_assumptions(document, stakeholders),
        theory_of_change=_theory_of_change(document, results, stakeholders, activities, currency),
        uncertainty=_uncertainty(results),
        tornado_measure=measure,
        tornado_rows=tornado_rows,
        tornado_chart=charts.tornado_chart(tornado),
        tornado_total=len(tornado.get("bars", [])),
        histogram_rows=charts.histogram_rows(histogram) if histogram else [],
        histogram_chart=charts.histogram_chart(histogram, percentiles) if histogram else None,
        break_even=results.get("breakEven", []),
        years=results.get("years", []),
        warnings=[{**w, "where": _where(w.get("path"), document)} for w in results.get("warnings", [])],
        sensitivity=_sensitivity_settings(document),
        conventions=_conventions(document, results),
    )
