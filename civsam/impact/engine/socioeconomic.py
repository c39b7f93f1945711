"""Socio-economic accounts in the Swedish tradition: what a change costs and gains, per bearer.

A change (say, a person moving from long-term exclusion to work) is described as the volumes of
a *before* and an *after* situation, year by year, in units of a dated unit-cost table. Each unit
has effects per bearer (municipality, region, state, individual): positive is money in or saved,
negative is money out. A transfer appears twice, with opposite signs, so it nets to zero for
society while it still shows who pays and who receives.

    change for a bearer in year t = Σ (after volume_t − before volume_t) × effect per unit
                                    − the initiative's own cost to that bearer in year t

The bundled tables live in civsam/impact/data/unit_costs_<year>.json; entries marked
"illustrative" are examples, not sourced figures, and an account says when it used one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .i18n import _
from .sroi import discount_factor

BEARERS = ("municipality", "region", "state", "individual")
DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def bearer_label(bearer: str) -> str:
    return {
        "municipality": _("Kommunen"),
        "region": _("Regionen"),
        "state": _("Staten"),
        "individual": _("Individen"),
    }.get(bearer, bearer)


@dataclass(frozen=True)
class Source:
    publisher: str
    title: str
    year: int
    url: str = ""


@dataclass(frozen=True)
class Parameter:
    code: str
    label: str
    value: float
    unit: str
    source: Source
    illustrative: bool


@dataclass(frozen=True)
class UnitCost:
    code: str
    label: str
    unit: str
    effects: Mapping[str, float]  # bearer -> amount per unit and year
    source: Source
    illustrative: bool
    note: str = ""


@dataclass(frozen=True)
class UnitCostTable:
    name: str
    price_year: int
    currency: str
    parameters: Mapping[str, Parameter]
    items: Mapping[str, UnitCost]


@dataclass(frozen=True)
class Volume:
    """How many units of one table entry, per year from year 1 (missing years are 0)."""

    code: str
    quantities: tuple[float, ...]

    def at(self, year_index: int) -> float:
        return self.quantities[year_index] if year_index < len(self.quantities) else 0.0


@dataclass(frozen=True)
class InitiativeCost:
    """What the initiative itself costs one bearer, per year."""

    bearer: str
    amounts: tuple[float, ...]
    label: str = ""


@dataclass(frozen=True)
class Case:
    name: str
    years: int
    before: tuple[Volume, ...]
    after: tuple[Volume, ...]
    initiative: tuple[InitiativeCost, ...] = ()
    discount_rate: float = 3.5


@dataclass(frozen=True)
class Line:
    """One table entry's change for one bearer."""

    code: str
    label: str
    bearer: str
    per_year: tuple[float, ...]
    total: float
    illustrative: bool


@dataclass(frozen=True)
class BearerAccount:
    bearer: str
    label: str
    benefits: tuple[float, ...]  # per year, the positive changes
    costs: tuple[float, ...]  # per year, the negative changes as positive numbers
    net: tuple[float, ...]
    total_net: float
    present_value: float


@dataclass(frozen=True)
class Account:
    name: str
    table: str
    price_year: int
    currency: str
    years: int
    discount_rate: float
    lines: tuple[Line, ...]
    bearers: tuple[BearerAccount, ...]
    society_net: tuple[float, ...]  # per year, all bearers; transfers cancel
    society_total: float
    society_present_value: float
    uses_illustrative_figures: bool
    sources: tuple[Source, ...]


class UnitCostError(ValueError):
    pass


def _source(data: Mapping[str, Any]) -> Source:
    return Source(publisher=data["publisher"], title=data["title"], year=int(data["year"]), url=data.get("url", ""))


def load_unit_cost_table(path: Path | str) -> UnitCostTable:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    parameters = {
        p["code"]: Parameter(
            p["code"], p["label"], float(p["value"]), p["unit"], _source(p["source"]), p["illustrative"]
        )
        for p in data.get("parameters", [])
    }
    items = {}
    for item in data["items"]:
        unknown = set(item["effects"]) - set(BEARERS)
        if unknown:
            raise UnitCostError(
                _("Okänd bärare i enhetskostnaden %(code)s: %(names)s.")
                % {"code": item["code"], "names": ", ".join(sorted(unknown))}
            )
        items[item["code"]] = UnitCost(
            code=item["code"],
            label=item["label"],
            unit=item["unit"],
            effects={bearer: float(amount) for bearer, amount in item["effects"].items()},
            source=_source(item["source"]),
            illustrative=bool(item["illustrative"]),
            note=item.get("note", ""),
        )
    return UnitCostTable(
        name=data["name"],
        price_year=int(data["priceYear"]),
        currency=data["currency"],
        parameters=parameters,
        items=items,
    )


def bundled_tables() -> list[Path]:
    return sorted(DATA_DIR.glob("unit_costs_*.json"))


def latest_table() -> UnitCostTable:
    return load_unit_cost_table(bundled_tables()[-1])


def _volumes_by_code(volumes: Sequence[Volume]) -> dict[str, list[Volume]]:
    grouped: dict[str, list[Volume]] = {}
    for volume in volumes:
        grouped.setdefault(volume.code, []).append(volume)
    return grouped


def account(case: Case, table: UnitCostTable) -> Account:
    years = case.years
    before = _volumes_by_code(case.before)
    after = _volumes_by_code(case.after)
    codes = list(dict.fromkeys([v.code for v in case.before] + [v.code for v in case.after]))
    missing = [code for code in codes if code not in table.items]
    if missing:
        raise UnitCostError(
            _("Enhetskostnaden finns inte i tabellen ”%(table)s”: %(codes)s.")
            % {"table": table.name, "codes": ", ".join(missing)}
        )
    for cost in case.initiative:
        if cost.bearer not in BEARERS:
            raise UnitCostError(_("Okänd bärare: %(bearer)s.") % {"bearer": cost.bearer})

    lines: list[Line] = []
    for code in codes:
        unit = table.items[code]
        change = [
            sum(v.at(t) for v in after.get(code, ())) - sum(v.at(t) for v in before.get(code, ())) for t in range(years)
        ]
        for bearer in BEARERS:
            effect = unit.effects.get(bearer)
            if effect is None:
                continue
            per_year = tuple(q * effect for q in change)
            lines.append(Line(code, unit.label, bearer, per_year, sum(per_year), unit.illustrative))
    for cost in case.initiative:
        per_year = tuple(-(cost.amounts[t] if t < len(cost.amounts) else 0.0) for t in range(years))
        label = cost.label or _("Insatsens kostnad")
        lines.append(Line("initiative", label, cost.bearer, per_year, sum(per_year), False))

    factors = [discount_factor(case.discount_rate, t) for t in range(1, years + 1)]
    bearers = []
    for bearer in BEARERS:
        own = [line for line in lines if line.bearer == bearer]
        benefits = tuple(sum(max(line.per_year[t], 0.0) for line in own) for t in range(years))
        costs = tuple(sum(max(-line.per_year[t], 0.0) for line in own) for t in range(years))
        net = tuple(b - c for b, c in zip(benefits, costs, strict=True))
        bearers.append(
            BearerAccount(
                bearer=bearer,
                label=bearer_label(bearer),
                benefits=benefits,
                costs=costs,
                net=net,
                total_net=sum(net),
                present_value=sum(n * f for n, f in zip(net, factors, strict=True)),
            )
        )
    society = tuple(sum(b.net[t] for b in bearers) for t in range(years))
    used = [table.items[code] for code in codes]
    return Account(
        name=case.name,
        table=table.name,
        price_year=table.price_year,
        currency=table.currency,
        years=years,
        discount_rate=case.discount_rate,
        lines=tuple(lines),
        bearers=tuple(bearers),
        society_net=society,
        society_total=sum(society),
        society_present_value=sum(n * f for n, f in zip(society, factors, strict=True)),
        uses_illustrative_figures=any(unit.illustrative for unit in used),
        sources=tuple(dict.fromkeys(unit.source for unit in used)),
    )


def exclusion_to_work(years: int, *, initiative_cost: float = 0.0, initiative_bearer: str = "municipality") -> Case:
    """The classic example: one person from long-term exclusion to full-time work, for `years` years.

    The initiative's cost, if any, falls in year 1.
    """
    every_year = (1.0,) * years
    return Case(
        name=_("Från långvarigt utanförskap till arbete"),
        years=years,
        before=(
            Volume("ekonomiskt_bistand", every_year),
            Volume("handlaggning_ekonomiskt_bistand", every_year),
            Volume("arbetsmarknadsinsats_stat", every_year),
            Volume("vardkontakter_utanforskap", every_year),
        ),
        after=(Volume("anstallning_heltid", every_year),),
        initiative=(InitiativeCost(initiative_bearer, (initiative_cost,)),) if initiative_cost else (),
    )
