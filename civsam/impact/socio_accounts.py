"""The socio-economic account page's computation, without the database: a scenario's preset, the
unit-cost table in another year's prices (KPI), the change for a number of persons, and the result
as rows per bearer and year for the page, the chart and the downloads.

The engine (engine/socioeconomic.py) does the account itself; this module only prepares its input
and flattens its answer. Amounts leave here as Decimal, rounded to öre.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .engine.socioeconomic import BEARERS, Account, Case, InitiativeCost, UnitCostTable, Volume, exclusion_to_work
from .engine.sroi import discount_factor
from .kpi import index_value

ORE = Decimal("0.01")
SOCIETY = "society"
CUSTOM = "custom"


@dataclass(frozen=True)
class Scenario:
    code: str
    label: str
    # A case for one person and a number of years; None for a scenario the user composes.
    build: Callable[[int], Case] | None


SCENARIOS: dict[str, Scenario] = {
    "exclusion_to_work": Scenario(
        "exclusion_to_work", gettext_lazy("Från långvarigt utanförskap till arbete"), exclusion_to_work
    ),
    CUSTOM: Scenario(CUSTOM, gettext_lazy("Eget scenario: välj posterna själv"), None),
}


@dataclass(frozen=True)
class Preset:
    name: str
    before: tuple[str, ...]
    after: tuple[str, ...]


def scenario_preset(code: str) -> Preset:
    """The name and the entries before and after that a scenario starts from."""
    scenario = SCENARIOS.get(code) or SCENARIOS[CUSTOM]
    if scenario.build is None:
        return Preset(name="", before=(), after=())
    case = scenario.build(1)
    return Preset(
        name=str(case.name),
        before=tuple(dict.fromkeys(v.code for v in case.before)),
        after=tuple(dict.fromkeys(v.code for v in case.after)),
    )


def reachable_price_years(table_year: int, kpi: Mapping[int, Decimal]) -> list[int]:
    """The years a table's amounts can be shown in: its own, and every KPI year when KPI has its own."""
    if table_year not in kpi:
        return [table_year]
    return sorted(set(kpi) | {table_year}, reverse=True)


def _indexed(amount: float, *, from_year: int, to_year: int, kpi: Mapping[int, Decimal]) -> float:
    # Through Decimal so that a unit cost is rounded to öre exactly as the proxy library rounds it.
    return float(index_value(Decimal(str(amount)), from_year=from_year, to_year=to_year, table=kpi))


def indexed_table(table: UnitCostTable, *, to_year: int, kpi: Mapping[int, Decimal]) -> UnitCostTable:
    """The table with every effect in to_year's prices; raises kpi.KpiYearMissing for a missing year."""
    if to_year == table.price_year:
        return table
    items = {
        code: replace(
            item,
            effects={
                bearer: _indexed(amount, from_year=table.price_year, to_year=to_year, kpi=kpi)
                for bearer, amount in item.effects.items()
            },
        )
        for code, item in table.items.items()
    }
    return replace(table, price_year=to_year, items=items)


def build_case(
    *,
    name: str,
    before: list[str] | tuple[str, ...],
    after: list[str] | tuple[str, ...],
    persons: int,
    years: int,
    discount_rate: float,
    initiative_cost: float = 0.0,
    initiative_bearer: str = "municipality",
) -> Case:
    """A change for `persons` people over `years` years; the initiative's cost, if any, falls in year 1."""
    every_year = (float(persons),) * years
    initiative = (InitiativeCost(initiative_bearer, (float(initiative_cost),)),) if initiative_cost else ()
    return Case(
        name=name,
        years=years,
        before=tuple(Volume(code, every_year) for code in before),
        after=tuple(Volume(code, every_year) for code in after),
        initiative=initiative,
        discount_rate=discount_rate,
    )


def money(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(repr(value)).quantize(ORE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ResultRow:
    """One bearer (or society as a whole) in one year."""

    year: int
    bearer: str
    label: str
    benefits: Decimal | None  # None for society: a transfer would count on both sides
    costs: Decimal | None
    net: Decimal
    discount_factor: float
    present_value: Decimal


def society_label() -> str:
    return _("Samhället totalt")


def result_rows(result: Account) -> list[ResultRow]:
    """Per year, each bearer and then society; the order of BEARERS."""
    rows = []
    for index in range(result.years):
        year = index + 1
        factor = discount_factor(result.discount_rate, year)
        for bearer in result.bearers:
            rows.append(
                ResultRow(
                    year=year,
                    bearer=bearer.bearer,
                    label=str(bearer.label),
                    benefits=money(bearer.benefits[index]),
                    costs=money(bearer.costs[index]),
                    net=money(bearer.net[index]),
                    discount_factor=factor,
                    present_value=money(bearer.net[index] * factor),
                )
            )
        net = result.society_net[index]
        rows.append(ResultRow(year, SOCIETY, society_label(), None, None, money(net), factor, money(net * factor)))
    return rows


@dataclass(frozen=True)
class YearRow:
    year: int
    net: tuple[Decimal, ...]  # per bearer in BEARERS order, then society


@dataclass(frozen=True)
class Totals:
    bearer: str
    label: str
    benefits: Decimal | None
    costs: Decimal | None
    net: Decimal
    present_value: Decimal


def year_table(result: Account) -> list[YearRow]:
    """The net per bearer and year, one row a year: the page's main table."""
    by_bearer = {b.bearer: b for b in result.bearers}
    return [
        YearRow(
            year=index + 1,
            net=(*(money(by_bearer[b].net[index]) for b in BEARERS), money(result.society_net[index])),
        )
        for index in range(result.years)
    ]


def totals(result: Account) -> list[Totals]:
    rows = [
        Totals(
            bearer=b.bearer,
            label=str(b.label),
            benefits=money(sum(b.benefits)),
            costs=money(sum(b.costs)),
            net=money(b.total_net),
            present_value=money(b.present_value),
        )
        for b in result.bearers
    ]
    rows.append(
        Totals(SOCIETY, society_label(), None, None, money(result.society_total), money(result.society_present_value))
    )
    return rows
