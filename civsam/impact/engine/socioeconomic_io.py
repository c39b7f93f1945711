"""The socio-economic account as JSON: the request (a change, as before and after volumes in units
of a dated unit-cost table) and the answer (per bearer and year), validated with Swedish messages
like the impact map (schema.py). Documented in docs/social-value-schema.md."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from pydantic.alias_generators import to_camel

from .errors import FieldError, ImpactMapError, error_path, swedish_message
from .i18n import _
from .schema import DISCOUNT_RATE_RANGE, MAX_AMOUNT
from .socioeconomic import (
    BEARERS,
    Account,
    Case,
    InitiativeCost,
    UnitCostTable,
    Volume,
    account,
    bundled_tables,
    load_unit_cost_table,
)

MAX_YEARS = 100
MAX_VOLUME = 10**9

Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
VolumeNumber = Annotated[float, Field(ge=-MAX_VOLUME, le=MAX_VOLUME, allow_inf_nan=False)]
Money = Annotated[float, Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT, allow_inf_nan=False)]


class _In(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class VolumeIn(_In):
    code: Code = Field(description="En post i enhetskostnadstabellen, t.ex. ekonomiskt_bistand.")
    quantities: Annotated[list[VolumeNumber], Field(min_length=1, max_length=MAX_YEARS)] = Field(
        description="Antal enheter per år från år 1; saknade år räknas som 0."
    )


class InitiativeCostIn(_In):
    bearer: Literal["municipality", "region", "state", "individual"]
    amounts: Annotated[list[Money], Field(min_length=1, max_length=MAX_YEARS)] = Field(
        description="Insatsens kostnad för bäraren per år från år 1."
    )
    label: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""


class CaseIn(_In):
    """En förändring i ett socioekonomiskt bokslut: volymer före och efter, per år, och insatsens kostnad."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    years: Annotated[int, Field(ge=1, le=MAX_YEARS)]
    discount_rate: Annotated[
        float, Field(ge=DISCOUNT_RATE_RANGE[0], le=DISCOUNT_RATE_RANGE[1], allow_inf_nan=False)
    ] = 3.5
    price_year: int | None = Field(None, description="Enhetskostnadstabellens prisår; utan det den senaste.")
    before: Annotated[list[VolumeIn], Field(max_length=200)] = []
    after: Annotated[list[VolumeIn], Field(max_length=200)] = []
    initiative: Annotated[list[InitiativeCostIn], Field(max_length=50)] = []


class _Out(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class SourceOut(_Out):
    publisher: str
    title: str
    year: int
    url: str


class LineOut(_Out):
    code: str
    label: str
    bearer: str
    per_year: list[float]
    total: float
    illustrative: bool


class BearerOut(_Out):
    bearer: str
    label: str
    benefits: list[float]
    costs: list[float]
    net: list[float]
    total_net: float
    present_value: float


class AccountOut(_Out):
    """Ett socioekonomiskt bokslut per bärare och år. Positivt är pengar in eller sparade."""

    name: str
    table: str
    price_year: int
    currency: str
    years: int
    discount_rate: float
    lines: list[LineOut]
    bearers: list[BearerOut]
    society_net: list[float]
    society_total: float
    society_present_value: float
    uses_illustrative_figures: bool
    sources: list[SourceOut]


def tables_by_year() -> dict[int, UnitCostTable]:
    tables = [load_unit_cost_table(path) for path in bundled_tables()]
    return {table.price_year: table for table in tables}


def parse_case(data: Any) -> tuple[Case, UnitCostTable]:
    """Validate a decoded JSON case; raises ImpactMapError with Swedish messages and JSON paths."""
    if not isinstance(data, dict):
        raise ImpactMapError([FieldError("", _("Bokslutet måste vara ett JSON-objekt."))])
    try:
        parsed = CaseIn.model_validate(data)
    except ValidationError as exc:
        raise ImpactMapError([FieldError(error_path(e["loc"]), swedish_message(e)) for e in exc.errors()]) from None
    tables = tables_by_year()
    year = parsed.price_year if parsed.price_year is not None else max(tables)
    if year not in tables:
        raise ImpactMapError(
            [
                FieldError(
                    "priceYear",
                    _("Det finns ingen enhetskostnadstabell för %(year)s; tabeller finns för %(years)s.")
                    % {"year": year, "years": ", ".join(map(str, sorted(tables)))},
                )
            ]
        )
    table = tables[year]
    errors = [
        FieldError(f"{side}[{index}].code", _("Posten ”%(code)s” finns inte i tabellen.") % {"code": volume.code})
        for side in ("before", "after")
        for index, volume in enumerate(getattr(parsed, side))
        if volume.code not in table.items
    ]
    if errors:
        raise ImpactMapError(errors)
    case = Case(
        name=parsed.name,
        years=parsed.years,
        before=tuple(Volume(v.code, tuple(v.quantities)) for v in parsed.before),
        after=tuple(Volume(v.code, tuple(v.quantities)) for v in parsed.after),
        initiative=tuple(InitiativeCost(c.bearer, tuple(c.amounts), c.label) for c in parsed.initiative),
        discount_rate=parsed.discount_rate,
    )
    return case, table


def account_out(result: Account) -> AccountOut:
    return AccountOut(
        name=result.name,
        table=result.table,
        price_year=result.price_year,
        currency=result.currency,
        years=result.years,
        discount_rate=result.discount_rate,
        lines=[
            LineOut(
                code=line.code,
                label=line.label,
                bearer=line.bearer,
                per_year=[round(v, 2) for v in line.per_year],
                total=round(line.total, 2),
                illustrative=line.illustrative,
            )
            for line in result.lines
        ],
        bearers=[
            BearerOut(
                bearer=b.bearer,
                label=b.label,
                benefits=[round(v, 2) for v in b.benefits],
                costs=[round(v, 2) for v in b.costs],
                net=[round(v, 2) for v in b.net],
                total_net=round(b.total_net, 2),
                present_value=round(b.present_value, 2),
            )
            for b in result.bearers
        ],
        society_net=[round(v, 2) for v in result.society_net],
        society_total=round(result.society_total, 2),
        society_present_value=round(result.society_present_value, 2),
        uses_illustrative_figures=result.uses_illustrative_figures,
        sources=[SourceOut(publisher=s.publisher, title=s.title, year=s.year, url=s.url) for s in result.sources],
    )


def calculate_account(data: Any) -> AccountOut:
    case, table = parse_case(data)
    return account_out(account(case, table))


__all__ = ["BEARERS", "AccountOut", "CaseIn", "account_out", "calculate_account", "parse_case"]
