"""The impact map as plain dataclasses, and the assumptions in it addressed by path.

Percentages (deadweight, displacement, attribution, drop-off, discount rate) are kept as the user
writes them, 0–100; the calculations divide by 100. Money is float (see docs/adr/0006-sroi-engine.md).

An assumption path names one number in the map, in the JSON spelling:
``discountRate``, ``volunteerHourRate``, ``outcomes.<id>.<field>`` and ``inputs.<id>.<field>``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal, overload

from .discounting import Discounting
from .i18n import _

DEFAULT_DISCOUNT_RATE = 3.5
DEFAULT_MAX_DURATION_YEARS = 5
DEFAULT_DOMINANCE_SHARE = 0.5
DEFAULT_RATIO_LIMIT = 10.0  # a ratio above it is far from what published analyses report
# The longest duration (and latest start year) a map may give an outcome; drawn durations stay
# within it too.
MAX_DURATION_YEARS = 100

# JSON field name -> dataclass attribute, per kind of record.
OUTCOME_FIELDS = {
    "quantity": "quantity",
    "proxy": "proxy",
    "duration": "duration",
    "deadweight": "deadweight",
    "displacement": "displacement",
    "attribution": "attribution",
    "dropOff": "drop_off",
}
INPUT_FIELDS = {
    "money": "money",
    "inKind": "in_kind",
    "volunteerHours": "volunteer_hours",
    "hourlyRate": "hourly_rate",
}
GLOBAL_FIELDS = {"discountRate": "discount_rate", "volunteerHourRate": "volunteer_hour_rate"}
PERCENT_FIELDS = frozenset({"deadweight", "displacement", "attribution", "dropOff", "discountRate"})


EvidenceGrade = Literal["", "low", "medium", "high"]


@dataclass(frozen=True)
class Justification:
    """Why an assumption is what it is: the reasoning, the evidence behind it and how strong it is."""

    text: str = ""
    evidence: str = ""
    grade: EvidenceGrade = ""


@dataclass(frozen=True)
class Factor:
    """One factor of a proxy's derivation: 276 (hours), 98 (kronor per hour)."""

    value: float
    unit: str = ""


@dataclass(frozen=True)
class Derivation:
    """A proxy as a product of quantities and unit prices, with the formula as the source wrote it."""

    factors: tuple[Factor, ...]
    formula: str = ""

    @property
    def value(self) -> float:
        product = 1.0
        for item in self.factors:
            product *= item.value
        return product


@dataclass(frozen=True)
class Stakeholder:
    id: str
    name: str


@dataclass(frozen=True)
class Input:
    """What one stakeholder puts in: money, in-kind value and volunteer hours at a stated rate."""

    id: str
    stakeholder: str
    description: str = ""
    money: float = 0.0
    in_kind: float = 0.0
    volunteer_hours: float = 0.0
    hourly_rate: float | None = None  # overrides the map's volunteer hour rate
    # The year the input is spent (1 = the analysis's first year), discounted like an outcome in
    # that year; None: at the start, not discounted.
    year: int | None = None

    def value(self, default_hour_rate: float | None) -> float:
        rate = self.hourly_rate if self.hourly_rate is not None else (default_hour_rate or 0.0)
        return self.money + self.in_kind + self.volunteer_hours * rate


@dataclass(frozen=True)
class Outcome:
    """One row of the impact map. Percentages 0–100; duration in whole years from its start year."""

    id: str
    stakeholder: str
    outcome: str
    quantity: float
    proxy: float
    duration: int
    indicator: str = ""
    output: str = ""  # the activity or output that leads to it (the value map's "outputs")
    proxy_description: str = ""
    proxy_source: str = ""
    deadweight: float = 0.0
    displacement: float = 0.0
    attribution: float = 0.0
    drop_off: float = 0.0
    # The year the outcome begins: 1 during the activity's own year, 2 the year after (the SROI
    # Network's value map asks "does it start in the period of activity or the period after?").
    # Years before it have no value; the duration counts from it.
    start_year: int = 1
    # A transfer (social assistance, benefits, taxes): someone's gain is someone else's loss, so the
    # societal total leaves it out; the stakeholders' financial view shows it.
    transfer: bool = False
    # Keyed by "outcome" (why this is an outcome and not an output), "deadweight", "displacement",
    # "attribution", "dropOff", "quantity" and "proxy".
    justifications: tuple[tuple[str, Justification], ...] = ()
    proxy_derivation: Derivation | None = None
    proxy_price_year: int | None = None
    proxy_currency: str = ""
    # KPI(analysis price year) / KPI(proxy price year): 1 unless the map indexes its proxies.
    proxy_index: float = 1.0

    def justification(self, name: str) -> Justification | None:
        for key, value in self.justifications:
            if key == name and (value.text.strip() or value.evidence.strip()):
                return value
        return None

    @property
    def last_year(self) -> int:
        return self.start_year - 1 + self.duration


DistributionKind = Literal["uniform", "triangular", "normal", "pert"]


@dataclass(frozen=True)
class Distribution:
    """An uncertainty distribution for one assumption, in the assumption's own unit.

    kind: "uniform" (minimum, maximum), "triangular" and "pert" (minimum, mode, maximum; PERT with
    shape ``lam``, 4 by default) or "normal" (mean, sd).
    """

    assumption: str
    kind: DistributionKind
    minimum: float | None = None
    mode: float | None = None
    maximum: float | None = None
    mean: float | None = None
    sd: float | None = None
    lam: float = 4.0

    def parameter(self, name: str) -> float:
        """A parameter the distribution's kind needs ("minimum", "mode", "maximum", "mean", "sd");
        the schema sees to it that each kind has its own."""
        value: float | None = getattr(self, name)
        if value is None:
            raise ValueError(f"a {self.kind} distribution needs {name}")
        return value


@dataclass(frozen=True)
class GuardSettings:
    max_duration_years: int = DEFAULT_MAX_DURATION_YEARS
    dominance_share: float = DEFAULT_DOMINANCE_SHARE  # one outcome above this share of PV is flagged
    ratio_limit: float = DEFAULT_RATIO_LIMIT


@dataclass(frozen=True)
class ImpactMap:
    name: str
    stakeholders: tuple[Stakeholder, ...]
    inputs: tuple[Input, ...]
    outcomes: tuple[Outcome, ...]
    discount_rate: float = DEFAULT_DISCOUNT_RATE
    volunteer_hour_rate: float | None = None
    volunteer_hour_rate_source: str = ""
    currency: str = "SEK"
    distributions: tuple[Distribution, ...] = ()
    guards: GuardSettings = field(default_factory=GuardSettings)
    discounting: Discounting = field(default_factory=Discounting)
    price_year: int | None = None  # the prices the analysis is in; proxies are indexed to it
    # Proxy price years the KPI table has no figure for (reported by the guards, never guessed).
    missing_index_years: tuple[int, ...] = ()

    @property
    def horizon(self) -> int:
        return max((outcome.last_year for outcome in self.outcomes), default=0)

    def record_index(self, kind: str) -> dict[str, int]:
        """Position by id among the outcomes or the inputs (the first, should an id repeat). Kept
        on the map: the sensitivity analysis looks records up thousands of times."""
        cache: dict[str, dict[str, int]] = self.__dict__.setdefault("_record_index", {})
        if kind not in cache:
            index: dict[str, int] = {}
            records: tuple[Outcome | Input, ...] = self.outcomes if kind == "outcomes" else self.inputs
            for position, record in enumerate(records):
                index.setdefault(record.id, position)
            cache[kind] = index
        return cache[kind]

    def stakeholder_name(self, stakeholder_id: str) -> str:
        for stakeholder in self.stakeholders:
            if stakeholder.id == stakeholder_id:
                return stakeholder.name
        return stakeholder_id


class AssumptionError(ValueError):
    pass


def _split(path: str) -> tuple[str, str | None, str]:
    parts = path.split(".")
    if len(parts) == 1 and parts[0] in GLOBAL_FIELDS:
        return parts[0], None, parts[0]
    if len(parts) == 3 and parts[0] in ("outcomes", "inputs"):
        fields = OUTCOME_FIELDS if parts[0] == "outcomes" else INPUT_FIELDS
        if parts[2] in fields:
            return parts[0], parts[1], parts[2]
    raise AssumptionError(_("Okänt antagande: ”%(path)s”.") % {"path": path})


def _record(impact_map: ImpactMap, kind: str, record_id: str) -> tuple[int, Outcome | Input]:
    records: tuple[Outcome | Input, ...] = impact_map.outcomes if kind == "outcomes" else impact_map.inputs
    index = impact_map.record_index(kind).get(record_id)
    if index is None:
        raise AssumptionError(_("Antagandet pekar på ”%(id)s”, som inte finns i kartan.") % {"id": record_id})
    return index, records[index]


def assumption_paths(impact_map: ImpactMap) -> list[str]:
    """Every assumption in the map, in a stable order: global, outcomes, inputs.

    Distributions may also name an input amount that is zero here; assumption_value accepts any path.
    """
    paths = ["discountRate"]
    if impact_map.volunteer_hour_rate is not None:
        paths.append("volunteerHourRate")
    for outcome in impact_map.outcomes:
        paths.extend(f"outcomes.{outcome.id}.{name}" for name in OUTCOME_FIELDS)
    for item in impact_map.inputs:
        for name, attr in INPUT_FIELDS.items():
            # Only the parts an input has: a zero amount is not an assumption anyone made.
            if getattr(item, attr):
                paths.append(f"inputs.{item.id}.{name}")
    return paths


def assumption_value(impact_map: ImpactMap, path: str) -> float:
    kind, record_id, name = _split(path)
    if record_id is None:
        value = getattr(impact_map, GLOBAL_FIELDS[name])
        return float(value) if value is not None else 0.0
    _index, record = _record(impact_map, kind, record_id)
    fields = OUTCOME_FIELDS if kind == "outcomes" else INPUT_FIELDS
    value = getattr(record, fields[name])
    return float(value) if value is not None else 0.0


def locate(impact_map: ImpactMap, path: str) -> tuple[int, Outcome | Input, str] | None:
    """(index among its kind, record, JSON field) for a path into an outcome or an input; None for
    an assumption of the whole map."""
    kind, record_id, name = _split(path)
    if record_id is None:
        return None
    index, record = _record(impact_map, kind, record_id)
    return index, record, name


@overload
def record_with(record: Outcome, name: str, value: float) -> Outcome: ...
@overload
def record_with(record: Input, name: str, value: float) -> Input: ...


def record_with(record: Outcome | Input, name: str, value: float) -> Outcome | Input:
    """A copy of an outcome or input with one field set; durations become whole years, at least 1."""
    fields = OUTCOME_FIELDS if isinstance(record, Outcome) else INPUT_FIELDS
    if name == "duration":
        value = max(1, round(value))
    changes: dict[str, Any] = {fields[name]: value}
    return dataclasses.replace(record, **changes)


def with_assumption(impact_map: ImpactMap, path: str, value: float) -> ImpactMap:
    """A copy of the map with one assumption set."""
    kind, record_id, name = _split(path)
    changes: dict[str, Any]
    if record_id is None:
        changes = {GLOBAL_FIELDS[name]: value}
    else:
        index, record = _record(impact_map, kind, record_id)
        records: list[Outcome | Input] = list(impact_map.outcomes if kind == "outcomes" else impact_map.inputs)
        records[index] = record_with(record, name, value)
        changes = {kind: tuple(records)}
    return dataclasses.replace(impact_map, **changes)


def assumption_field(path: str) -> str:
    """The field name of a path: "deadweight" for "outcomes.o1.deadweight"."""
    return path.rsplit(".", 1)[-1]


def _field_label(name: str) -> str:
    # One gettext call per label: a label is asked for twice per assumption of a large map.
    if name == "discountRate":
        return _("Diskonteringsränta")
    if name == "volunteerHourRate":
        return _("Timvärde för ideellt arbete")
    if name == "quantity":
        return _("Antal")
    if name == "proxy":
        return _("Finansiell proxy")
    if name == "duration":
        return _("Varaktighet")
    if name == "deadweight":
        return _("Dödvikt")
    if name == "displacement":
        return _("Undanträngning")
    if name == "attribution":
        return _("Tillskrivning")
    if name == "dropOff":
        return _("Avtagande")
    if name == "money":
        return _("Pengar")
    if name == "inKind":
        return _("Naturaresurser")
    if name == "volunteerHours":
        return _("Ideella timmar")
    if name == "hourlyRate":
        return _("Timvärde")
    raise AssumptionError(_("Okänt antagande: ”%(path)s”.") % {"path": name})


def assumption_label(impact_map: ImpactMap, path: str) -> str:
    """A Swedish label for reports and charts: "Dödvikt – Fått arbete (Deltagare)"."""
    kind, record_id, name = _split(path)
    if record_id is None:
        return _field_label(name)
    _index, record = _record(impact_map, kind, record_id)
    if isinstance(record, Outcome):
        subject = f"{record.outcome} ({impact_map.stakeholder_name(record.stakeholder)})"
    else:
        subject = f"{record.description or record.id} ({impact_map.stakeholder_name(record.stakeholder)})"
    return f"{_field_label(name)} – {subject}"
